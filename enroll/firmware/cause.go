package firmware

import (
	"context"
	"errors"

	"enrollstation/devices/ef45"
)

// Cause is why an upload failed, in the terms a screen words for an operator; the phase
// and state of the *Error say where it stopped and what the camera is left in.
type Cause string

// The causes.
const (
	CauseCancelled Cause = "cancelled" // the operator (or the app closing) cancelled it
	CauseInUse     Cause = "in-use"    // another workstation holds the camera's lock
	CauseFile      Cause = "file"      // the firmware file cannot be read or changed
	CauseNoAnswer  Cause = "no-answer" // the camera stopped answering
	CauseRefused   Cause = "refused"   // the camera answered with an error (refused the file)
	CauseNotTaken  Cause = "not-taken" // the camera restarted with its old version
	CauseTimeout   Cause = "timeout"   // the camera did not come back after done in time
	CauseRunning   Cause = "running"   // an upload to the camera is already running
	CauseOther     Cause = "other"
)

// CauseOf classifies an outcome's error (nil gives "").
func CauseOf(err error) Cause {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrRunning):
		return CauseRunning
	case errors.Is(err, context.Canceled):
		return CauseCancelled
	case errors.Is(err, ef45.ErrInUse):
		return CauseInUse
	case errors.As(err, new(*fileError)):
		return CauseFile
	case !errors.As(err, &e):
		return CauseOther
	case e.Phase == PhaseResult:
		return CauseNotTaken
	case e.Phase == PhaseReboot:
		return CauseTimeout
	case noAnswer(e.Err):
		return CauseNoAnswer
	case errors.As(e.Err, new(*ef45.Error)):
		return CauseRefused
	}
	// A cause of our own: the file could not be read mid-upload, the journal refused the
	// start row.
	return CauseOther
}
