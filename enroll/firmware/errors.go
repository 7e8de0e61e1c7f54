package firmware

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"enrollstation/devices/ef45"
)

// Phase names a step of one camera's upload.
type Phase string

// The phases, in order.
const (
	PhaseVersion Phase = "version" // read the version and take the camera's lock
	PhaseStart   Phase = "start"   // start the upload, normal (POST) or forced (PUT)
	PhaseUnits   Phase = "units"   // stream the file in 1 MiB units
	PhaseDone    Phase = "done"    // send the last unit; the camera checks the file
	PhaseReboot  Phase = "reboot"  // wait for the camera to restart, polling its version
	PhaseResult  Phase = "result"  // compare the version it came back with
)

// State is what a failed upload leaves the camera in.
type State string

// The states a failure leaves.
const (
	// StateUnchanged: the camera keeps its old firmware; the upload can be started again.
	StateUnchanged State = "unchanged"
	// StateInstalling: the camera took the file and may still be installing it: it must
	// not be powered off.
	StateInstalling State = "installing"
	// StateUnknown: the camera did not answer done, so whether it took the file is not
	// known; it may be installing and must not be powered off.
	StateUnknown State = "unknown"
)

// Error is a failed upload: the phase it stopped in and what the camera is left in.
type Error struct {
	Addr    string
	Phase   Phase
	State   State
	Version string        // the firmware the camera keeps (StateUnchanged), when known
	Sent    int64         // file bytes the camera had taken
	Total   int64         // the file's size
	Wait    time.Duration // how long the reboot was awaited (PhaseReboot)
	Err     error         // the cause
}

// Error says what failed, in which phase, and what to do, e.g. "ef45 192.0.2.10:9980:
// upload interrupted during units (3.0 of 64.0 MiB sent): the camera keeps its old
// firmware 1.2.34; start again: ef45 upload firmware unit: ...".
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ef45 %s: %s: %s", e.Addr, e.what(), e.state())
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// what says what went wrong in the phase.
func (e *Error) what() string {
	cancelled := errors.Is(e.Err, context.Canceled)
	switch e.Phase {
	case PhaseVersion:
		switch {
		case cancelled:
			return "upload cancelled before anything was sent"
		case errors.Is(e.Err, ef45.ErrInUse):
			return "the camera is in use by another workstation (take it over to upload)"
		case errors.As(e.Err, new(*fileError)):
			return "the firmware file cannot be used; nothing was sent"
		}
		return "could not read the camera's version; nothing was sent"
	case PhaseStart:
		if cancelled {
			return "upload cancelled at start"
		}
		return "the camera did not start the upload"
	case PhaseUnits:
		verb := "interrupted"
		if cancelled {
			verb = "cancelled"
		}
		return fmt.Sprintf("upload %s during units (%s of %s sent)", verb, mib(e.Sent), mib(e.Total))
	case PhaseDone:
		switch {
		case cancelled:
			return "upload cancelled at done"
		case e.State == StateUnknown:
			return "no answer to done"
		}
		return "the camera refused the file at done"
	case PhaseReboot:
		if cancelled {
			return "waiting for the restart cancelled after done"
		}
		return fmt.Sprintf("the camera did not come back within %s after done", e.Wait)
	case PhaseResult:
		return fmt.Sprintf("the camera restarted with version %s still: the upgrade did not take", e.Version)
	}
	return fmt.Sprintf("upload failed during %s", e.Phase)
}

// state says what the camera is left in and what the operator may do.
func (e *Error) state() string {
	switch e.State {
	case StateUnchanged:
		v := "its old firmware"
		if e.Version != "" {
			v += " " + e.Version
		}
		return "the camera keeps " + v + "; start again"
	case StateInstalling:
		return "it may still be installing; do not power it off"
	}
	return "it may be installing the new firmware; do not power it off, and check its version in a few minutes"
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// noAnswer reports a call that got no answer at all: the camera may have acted on it.
func noAnswer(err error) bool {
	return errors.Is(err, ef45.ErrUnreachable) || errors.Is(err, context.DeadlineExceeded)
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
