//go:build windows

package secrets

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/windows"
)

// lockRange is the byte range locked: all of it, so every program locks the same range.
// The file itself stays empty; Windows locks ranges whether or not they hold bytes.
const lockRange = ^uint32(0)

// tryLock takes an exclusive lock on f without blocking; busy reports that another process
// holds it. Unlike flock, a LockFileEx lock is mandatory: other programs cannot read or
// write the locked range, which is harmless because the lock file carries no data. Windows
// releases the lock when the process ends, so a crash does not leave it held.
func tryLock(f *os.File) (busy bool, err error) {
	ol := new(windows.Overlapped)
	err = windows.LockFileEx(windows.Handle(f.Fd()),
		windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, lockRange, lockRange, ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("LockFileEx: %w", err)
	}
	return false, nil
}

// unlock releases the lock taken by tryLock.
func unlock(f *os.File) error {
	ol := new(windows.Overlapped)
	if err := windows.UnlockFileEx(windows.Handle(f.Fd()), 0, lockRange, lockRange, ol); err != nil {
		return fmt.Errorf("UnlockFileEx: %w", err)
	}
	return nil
}
