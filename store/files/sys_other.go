//go:build !unix

package files

import (
	"io/fs"
	"os"
)

// createFlags open a new file for writing; O_EXCL refuses any name that exists.
const createFlags = os.O_WRONLY | os.O_CREATE | os.O_EXCL

// ownerOf is unknown where files have no Unix owner; the user's own profile folders are
// private there.
func ownerOf(fs.FileInfo) (int, bool) { return 0, false }

// hasModeBits reports whether permission bits mean what they say here.
func hasModeBits() bool { return false }

// isLinkRefusal: O_NOFOLLOW is not a refusal of its own here.
func isLinkRefusal(error) bool { return false }
