//go:build !unix

package files

import (
	"io/fs"
	"os"
)

// createFlags open a new file for writing; O_EXCL refuses any name that exists. On Windows
// that is CreateFile's CREATE_NEW, which refuses a link of that name too, dangling or not,
// so no O_NOFOLLOW is needed there.
const createFlags = os.O_WRONLY | os.O_CREATE | os.O_EXCL

// ownerOf is unknown where files have no Unix owner (os.Getuid is -1 on Windows). The
// folder's access list is not read: a folder under the user's own profile is private by
// default, and one shared on purpose is the operator's choice.
func ownerOf(fs.FileInfo) (int, bool) { return 0, false }

// hasModeBits reports whether permission bits mean what they say here. On Windows Go makes
// them up from the read-only attribute (0666 or 0444), so they say nothing of other users.
func hasModeBits() bool { return false }

// isLinkRefusal: O_NOFOLLOW is not a refusal of its own here.
func isLinkRefusal(error) bool { return false }
