package ef45

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Conditions a caller acts on. Test with errors.Is; the *Error carries the details.
var (
	// ErrInUse: another workstation holds the device lock (409); offer force takeover.
	ErrInUse = errors.New("the camera is in use by another workstation")
	// ErrLockLost: our lock uid is no longer the holder's (403); someone took over.
	ErrLockLost = errors.New("another workstation took over the camera")
	// ErrRebooting: the device answers 503 (upgrade in progress, rebooting).
	ErrRebooting = errors.New("the camera is busy upgrading or restarting")
	// ErrNotFound: no such record on the device (404).
	ErrNotFound = errors.New("not found on the camera")
	// ErrUnreachable: no answer at all (refused, reset, timed out).
	ErrUnreachable = errors.New("the camera does not answer")
	// ErrMalformed: an answer that does not have the documented shape.
	ErrMalformed = errors.New("the camera sent an answer that cannot be read")
	// ErrRejected: a control call answered {"success":false}; Error.Code has the SDK code.
	ErrRejected = errors.New("the camera refused the command")
)

// Error is the error of every call. It names the call and carries the HTTP status and the
// device's reason, or the SDK code of a refused control call.
type Error struct {
	Call   string // what was asked, e.g. "start camera"
	Status int    // HTTP status; 0 when no answer came
	Reason string // the device's reason_phrase, or a description of Code
	Code   string // SDK code of a refused control call ("-200")
	Err    error  // the underlying cause, if any

	local bool // refused here before anything was sent: a wrong argument or file
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("ef45 ")
	b.WriteString(e.Call)
	b.WriteString(": ")
	switch {
	case e.Code != "":
		fmt.Fprintf(&b, "refused (%s): %s", e.Code, e.Reason)
	case e.Status != 0 && (e.Status < 200 || e.Status > 299):
		fmt.Fprintf(&b, "HTTP %d", e.Status)
		if e.Reason != "" {
			b.WriteString(" ")
			b.WriteString(e.Reason)
		}
	}
	if e.Err != nil && e.Code == "" {
		if e.Status != 0 && (e.Status < 200 || e.Status > 299) {
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is matches the condition sentinels by status, so errors.Is(err, ErrLockLost) works on any
// call's error.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrInUse:
		return e.Status == http.StatusConflict
	case ErrLockLost:
		return e.Status == http.StatusForbidden
	case ErrRebooting:
		return e.Status == http.StatusServiceUnavailable
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrUnreachable:
		// No HTTP answer at all, and not because our own context ended. A call refused
		// before it was sent (no capture mode, a malformed card) has no status either.
		return e.Status == 0 && e.Err != nil && !e.local && !isContextErr(e.Err)
	}
	return false
}

// OperatorMessage says what happened in words for the front desk, without HTTP jargon.
func (e *Error) OperatorMessage() string {
	switch {
	case errors.Is(e, ErrInUse):
		return "The camera is in use by another workstation. You can take it over."
	case errors.Is(e, ErrLockLost):
		return "Another workstation took over the camera. Nothing captured so far is lost; reconnect to continue."
	case errors.Is(e, ErrRebooting):
		return "The camera is upgrading or restarting. Wait until it is back."
	case errors.Is(e, context.DeadlineExceeded):
		return fmt.Sprintf("The camera did not answer in time (%s).", e.Call)
	case errors.Is(e, ErrUnreachable):
		return "The camera does not answer. Check that it is powered and on the network."
	case errors.Is(e, ErrMalformed):
		return fmt.Sprintf("The camera sent an answer that cannot be read (%s).", e.Call)
	case e.Code != "":
		return fmt.Sprintf("The camera refused to %s: %s.", e.Call, e.Reason)
	case e.local:
		// Refused here, before anything was sent: the cause says what to correct.
		msg := e.Err.Error()
		return strings.ToUpper(msg[:1]) + msg[1:] + "."
	case errors.Is(e, ErrNotFound):
		return fmt.Sprintf("Not found on the camera (%s).", e.Call)
	}
	if e.Reason != "" {
		return fmt.Sprintf("The camera could not %s: %s.", e.Call, e.Reason)
	}
	return fmt.Sprintf("The camera could not %s.", e.Call)
}

// describeCode turns an SDK status code into words (specs/README.md, CMITech SDK headers).
func describeCode(code string) string {
	switch strings.TrimSpace(code) {
	case "-200":
		return "the camera is already started"
	case "-201":
		return "cannot enroll: the database is full"
	case "-202", "-205":
		return "wrong or unknown start mode"
	case "-203":
		return "the iris database is full"
	case "-204":
		return "the face database is full"
	case "-206":
		return "the iris and face databases are full"
	case "-300", "-301":
		return "relay error " + code
	case "":
		return "no reason given"
	}
	return code
}
