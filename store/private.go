package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// privateFiles makes the journal's folder and files private before SQLite touches them.
// SQLite creates the -wal and -shm files with the main file's mode, so a main file that is
// 0600 from its first byte keeps names and card numbers in the log from other users too;
// files left by an older release or a crash are tightened. The folder is created 0700, and
// the user data folder, which is ours alone, is tightened when it exists already; another
// folder the caller named (a share, /tmp) is left as it is, since its other files are not
// ours to hide.
func privateFiles(path string) error {
	if runtime.GOOS == "windows" {
		// No mode bits; the journal lives in the user's own profile.
		return os.MkdirAll(filepath.Dir(path), 0o700)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create folder: %w", err)
	}
	if data, err := DataDir(); err == nil && sameDir(dir, data) {
		fi, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("folder: %w", err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(dir, 0o700); err != nil {
				return fmt.Errorf("make folder private: %w", err)
			}
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case err == nil:
		if err := f.Close(); err != nil {
			return fmt.Errorf("create: %w", err)
		}
	case !errors.Is(err, fs.ErrExist):
		return fmt.Errorf("create: %w", err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := tighten(p); err != nil {
			return err
		}
	}
	return nil
}

// tighten makes the file at p 0600 when it exists with a wider mode.
func tighten(p string) error {
	fi, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("make private: %w", err)
	}
	if fi.Mode().Perm() != 0o600 {
		if err := os.Chmod(p, 0o600); err != nil {
			return fmt.Errorf("make private: %w", err)
		}
	}
	return nil
}

// sameDir reports whether a and b name the same folder.
func sameDir(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false
	}
	return os.SameFile(fa, fb)
}
