//go:build unix

package files

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// createFlags open a new file for writing: O_EXCL refuses any name that exists, a dangling
// link included, and O_NOFOLLOW says the same of links where O_EXCL alone is not enough.
const createFlags = os.O_WRONLY | os.O_CREATE | os.O_EXCL | syscall.O_NOFOLLOW

// ownerOf returns the user id owning the file described by fi.
func ownerOf(fi fs.FileInfo) (int, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}

// hasModeBits reports whether permission bits mean what they say here.
func hasModeBits() bool { return true }

// isLinkRefusal reports the error O_NOFOLLOW gives for a link at the last component.
func isLinkRefusal(err error) bool { return errors.Is(err, syscall.ELOOP) }
