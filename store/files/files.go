// Package files writes the files handed to the operator (captures, event photos, exports,
// screenshots): created new and readable by their owner only, never through a symbolic
// link, never over a file that is there already, and only in a folder no one else controls.
// They hold biometric and personal data, and the folder may be one another user made first.
package files

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrExists is wrapped by the errors for a name that is taken already (a file, a folder or
// a link): nothing is ever overwritten or followed.
var ErrExists = fs.ErrExist

// Dir is an output folder opened for new private files. Names given to it cannot leave
// the folder, whatever links it holds.
type Dir struct {
	path string
	root *os.Root
}

// OpenDir opens the output folder at path, creating it (and missing parents) 0700 when it
// does not exist. An existing folder is used only when it is a real folder, not a link to
// one, belongs to this user, and no one else may write to it.
func OpenDir(path string) (*Dir, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(path, 0o700); err != nil {
			return nil, fmt.Errorf("output folder %s: %w", path, err)
		}
		fi, err = os.Lstat(path)
	}
	if err != nil {
		return nil, fmt.Errorf("output folder %s: %w", path, err)
	}
	if err := checkDir(path, fi); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(path)
	if err != nil {
		return nil, fmt.Errorf("output folder %s: %w", path, err)
	}
	// The folder checked must be the one opened: a link swapped in meanwhile is refused.
	opened, err := root.Stat(".")
	if err != nil || !os.SameFile(fi, opened) {
		root.Close()
		return nil, fmt.Errorf("output folder %s changed while it was opened; try again", path)
	}
	return &Dir{path: path, root: root}, nil
}

// checkDir refuses a folder that is a link, not a folder, or in another user's hands.
func checkDir(path string, fi fs.FileInfo) error {
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("output folder %s is a symbolic link; name the real folder instead", path)
	case !fi.IsDir():
		return fmt.Errorf("output folder %s: %w: it is a file, not a folder", path, ErrExists)
	}
	if owner, ok := ownerOf(fi); ok && owner != os.Getuid() {
		return fmt.Errorf("output folder %s belongs to another user; use a folder of your own", path)
	}
	if hasModeBits() && fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("output folder %s can be written by other users (mode %04o); use a folder of your own, or run chmod go-w %s",
			path, fi.Mode().Perm(), path)
	}
	return nil
}

// Path is the folder's path as given to OpenDir.
func (d *Dir) Path() string { return d.path }

// Close releases the folder.
func (d *Dir) Close() error { return d.root.Close() }

// CheckFree reports the first of names that is taken in the folder, so that a command can
// refuse before it starts work whose result it could not write.
func (d *Dir) CheckFree(names ...string) error {
	for _, name := range names {
		if _, err := d.root.Lstat(name); err == nil {
			return d.taken(name)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w", filepath.Join(d.path, name), err)
		}
	}
	return nil
}

// Create creates the file name in the folder, 0600, for writing. A name that exists already
// is refused with an error wrapping ErrExists.
func (d *Dir) Create(name string) (*os.File, error) {
	f, err := d.root.OpenFile(name, createFlags, 0o600)
	if errors.Is(err, fs.ErrExist) || isLinkRefusal(err) {
		return nil, d.taken(name)
	}
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", filepath.Join(d.path, name), err)
	}
	return f, nil
}

// WriteFile writes data to a new file name in the folder, 0600; a partial file is removed.
func (d *Dir) WriteFile(name string, data []byte) error {
	f, err := d.Create(name)
	if err != nil {
		return err
	}
	if err := finish(f, data); err != nil {
		_ = d.root.Remove(name)
		return fmt.Errorf("write %s: %w", filepath.Join(d.path, name), err)
	}
	return nil
}

func (d *Dir) taken(name string) error {
	return takenError(filepath.Join(d.path, name), func() (fs.FileInfo, error) { return d.root.Lstat(name) })
}

// Create creates the file at path, 0600, for writing, in a folder that exists. A path that
// exists already (a file, a folder, a link, even a dangling one) is refused with an error
// wrapping ErrExists.
func Create(path string) (*os.File, error) {
	f, err := os.OpenFile(path, createFlags, 0o600)
	if errors.Is(err, fs.ErrExist) || isLinkRefusal(err) {
		return nil, takenError(path, func() (fs.FileInfo, error) { return os.Lstat(path) })
	}
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return f, nil
}

// WriteFile writes data to a new file at path, 0600, as Create; a partial file is removed.
func WriteFile(path string, data []byte) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if err := finish(f, data); err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// ReplaceFile writes data to path, 0600, replacing what is there: a new file written in the
// same folder, then renamed over the old name, so a link at path is replaced, not followed,
// and a reader never sees half a file. For files that are rewritten on purpose, such as a
// screenshot an automated check takes on every run.
func ReplaceFile(path string, data []byte) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if fi, err := os.Lstat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("write %s: %w: it is a folder", path, ErrExists)
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp") // 0600, O_EXCL
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if err := finish(tmp, data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// finish writes data, syncs and closes f.
func finish(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

// takenError says what holds the name, in words an operator acts on.
func takenError(path string, lstat func() (fs.FileInfo, error)) error {
	fi, err := lstat()
	switch {
	case err == nil && fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s: %w: it is a symbolic link, and files are never written through one; remove it or choose another place", path, ErrExists)
	case err == nil && fi.IsDir():
		return fmt.Errorf("%s: %w: it is a folder; choose another name", path, ErrExists)
	}
	return fmt.Errorf("%s: %w: existing files are never overwritten; remove it or choose another name", path, ErrExists)
}
