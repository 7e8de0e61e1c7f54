package ef45

import (
	"net/http"
	"strings"
	"time"

	"enrollstation/devices/internal/fault"
)

// Error is the error of every call: the shared device error, so one classification works
// for every device package. Call names the call, Status the HTTP status, Code the SDK code
// of a refused control call ("-200"), Message the device's reason.
type Error = fault.Error

// Conditions a caller acts on. Test with errors.Is; the *Error carries the details.
var (
	ErrUnreachable    = fault.ErrUnreachable
	ErrTimeout        = fault.ErrTimeout
	ErrNotFound       = fault.ErrNotFound
	ErrConflict       = fault.ErrConflict
	ErrThrottled      = fault.ErrThrottled
	ErrSessionExpired = fault.ErrSessionExpired
	ErrUnavailable    = fault.ErrUnavailable
	ErrRebooting      = fault.ErrRebooting
	ErrRejected       = fault.ErrRejected
	ErrMalformed      = fault.ErrMalformed
	ErrInvalid        = fault.ErrInvalid

	// ErrInUse: another workstation holds the device lock (409 on POST/PUT /lock, or a
	// lock answer that is not ours); offer force takeover.
	ErrInUse = fault.NewAdvisedKind("the camera is in use by another workstation",
		"You can take it over.", fault.ErrConflict)
	// ErrLockLost: our lock uid is no longer the holder's (403); someone took over.
	ErrLockLost = fault.NewAdvisedKind("another workstation took over the camera",
		"Nothing captured so far is lost; reconnect to continue.", fault.ErrSessionExpired)
)

// malformed is an answer that cannot be read.
func malformed(name string, status int, err error) *Error {
	return fault.Malformed(fault.EF45, name, status, err)
}

// local is a request refused here, before anything was sent.
func local(name string, err error) *Error { return fault.Local(fault.EF45, name, err) }

// statusError is an error answer: spec 003 gives 403 (the lock uid is not the holder's)
// and 503 (upgrading, restarting) their own meaning, and 409 means "in use" only where
// the lock is asked for; elsewhere it is a conflict in the device's own words.
func statusError(cl call, status int, h http.Header, reason string) *Error {
	e := fault.Answer(fault.EF45, cl.name, status, "", reason)
	switch status {
	case http.StatusConflict:
		if cl.path == "lock" && (cl.method == http.MethodPost || cl.method == http.MethodPut) {
			e.Kind = ErrInUse
		}
	case http.StatusForbidden:
		e.Kind = ErrLockLost
	case http.StatusServiceUnavailable:
		e.Kind = ErrRebooting
	case http.StatusTooManyRequests:
		e.RetryAfter = fault.RetryAfter(h, time.Now())
	}
	return e
}

// refused is a {"success":false} answer of a camera control or control call. status is
// an SDK code ("-200") or the device's own words.
func refused(name string, httpStatus int, status string) *Error {
	e := fault.Answer(fault.EF45, name, httpStatus, "", "")
	e.Kind = ErrRejected
	status = strings.TrimSpace(status)
	if isSDKCode(status) {
		e.Code = status
		e.Message = describeCode(status)
	} else {
		e.Message = status
	}
	return e
}

// isSDKCode reports a status of the CMITech SDK's form: a negative number.
func isSDKCode(s string) bool {
	if len(s) < 2 || s[0] != '-' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// describeCode turns an SDK status code into words (specs/README.md, CMITech SDK headers).
func describeCode(code string) string {
	switch code {
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
	}
	return "refused with code " + code
}
