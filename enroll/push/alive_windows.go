//go:build windows

package push

import (
	"errors"

	"golang.org/x/sys/windows"
)

// stillActive is the exit code GetExitCodeProcess reports for a process that runs.
const stillActive = 259

// processAlive reports whether a process of this host runs with that pid. A process this
// user may not open (another user's service) counts as alive, so its leases are left to run
// out rather than taken from under it. Windows reuses pids, as Unix does: a new process
// with the dead worker's pid also counts as alive, and those leases run out instead.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if errors.Is(err, windows.ERROR_INVALID_PARAMETER) {
		return false // no process has that pid
	}
	if err != nil {
		return true
	}
	defer windows.CloseHandle(h)
	var code uint32
	if err := windows.GetExitCodeProcess(h, &code); err != nil {
		return true
	}
	// An exited process whose handle someone still holds opens fine; its exit code tells.
	// A process that chose to exit with 259 itself is taken for alive, and its leases expire.
	return code == stillActive
}
