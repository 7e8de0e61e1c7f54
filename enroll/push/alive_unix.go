//go:build unix

package push

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process of this host runs with that pid.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
