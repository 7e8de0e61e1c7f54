//go:build !unix && !windows

package secrets

import "os"

// tryLock is a no-op where flock does not exist; the File's own semaphore still serialises
// writers inside one process.
func tryLock(*os.File) (busy bool, err error) { return false, nil }

// unlock is a no-op where flock does not exist.
func unlock(*os.File) error { return nil }
