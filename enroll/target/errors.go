package target

import (
	"context"
	"errors"
	"net"
	"time"

	"enrollstation/devices/ef45"
)

// Caveat is returned by Push when the work is done but the operator should know something
// about it: CLUe already held an auth for the person's key and its authId could not be
// recovered. The push must be recorded as done, with the note, never retried.
type Caveat struct {
	RemoteID string
	Note     string
}

// Error is the note.
func (c *Caveat) Error() string { return c.Note }

// Classify says whether err is worth retrying as it stands (the device did not answer,
// was busy, throttled, restarting, or sent an unreadable answer to an idempotent call), and
// how long the device asked to wait. Everything else fails for good until someone acts.
func Classify(err error) (temporary bool, retryAfter time.Duration) {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, ErrIncomplete) {
		return false, 0
	}
	// The device error every device package shares (ef45.Error, actatek.Error, clue.Error).
	var de *ef45.Error
	if errors.As(err, &de) {
		// A lock still held on a door unit after the takeover is another pusher's, for the
		// length of its call.
		return de.Temporary() || Busy(err), de.RetryAfter
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) {
		return true, 0
	}
	return false, 0
}

// Busy reports whether err says another pusher holds the device for its own call: its
// lock is taken, or was taken over during this call. The device is working; the row only
// waits for its turn, which comes within one call.
func Busy(err error) bool {
	return errors.Is(err, ef45.ErrInUse) || errors.Is(err, ef45.ErrLockLost)
}

// httpStatus is the HTTP status of a device's error answer, 0 when there was none.
func httpStatus(err error) int {
	var de *ef45.Error
	if errors.As(err, &de) {
		return de.Status
	}
	return 0
}

func isStatus(err error, status int) bool { return httpStatus(err) == status }

// OperatorMessage is err in the operator's words when the device gave them, else its text.
func OperatorMessage(err error) string {
	var om interface{ OperatorMessage() string }
	if errors.As(err, &om) {
		return om.OperatorMessage()
	}
	return err.Error()
}

func describe(err error) string { return OperatorMessage(err) }
