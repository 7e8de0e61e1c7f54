// Package fault is the error vocabulary the three device packages share: one *Error shape,
// one set of kinds to test with errors.Is, one set of constructors, and the operator's
// wording of each kind. Each device package re-exports the type and the kinds under its own
// name (ef45.Error, actatek.ErrNotFound), so a caller can decide what to do about a failure
// with the same test whatever device produced it.
package fault

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Kind is a condition a caller may want to tell apart. A kind may refine another (the
// EF-45's "lock lost" is a "session expired"): errors.Is matches the kind and every kind it
// refines.
type Kind struct {
	msg    string
	advice string // what the operator can do, for a device's own kind
	parent *Kind
}

// NewKind returns a kind that refines parent (nil for a root kind).
func NewKind(msg string, parent *Kind) *Kind { return &Kind{msg: msg, parent: parent} }

// NewAdvisedKind returns a device's own kind that refines parent and that the operator is
// told about in its own words, followed by advice ("You can take it over."): the wording
// of parent would mislead (a camera held by another workstation is not "a conflicting
// record").
func NewAdvisedKind(msg, advice string, parent *Kind) *Kind {
	return &Kind{msg: msg, advice: advice, parent: parent}
}

// Error returns the kind's description.
func (k *Kind) Error() string { return k.msg }

// Unwrap returns the kind this one refines.
func (k *Kind) Unwrap() error {
	if k.parent == nil {
		return nil
	}
	return k.parent
}

// The shared kinds. Temporary says which of them a retry can mend.
var (
	// ErrUnreachable: no answer at all (connection refused or dropped, DNS, TLS, timeout).
	ErrUnreachable = NewKind("the device does not answer", nil)
	// ErrTimeout: the device did not answer within the call's deadline.
	ErrTimeout = NewKind("the device did not answer in time", ErrUnreachable)
	// ErrNotFound: the device has no such record.
	ErrNotFound = NewKind("the device has no such record", nil)
	// ErrConflict: the request conflicts with what the device holds (the record exists).
	ErrConflict = NewKind("the device holds a conflicting record", nil)
	// ErrThrottled: the device asks the caller to slow down (HTTP 429, Retry-After).
	ErrThrottled = NewKind("the device asks to slow down", nil)
	// ErrSessionExpired: the device no longer accepts the session or token.
	ErrSessionExpired = NewKind("the device's session expired", nil)
	// ErrUnavailable: the device answers but cannot serve now (HTTP 502-504).
	ErrUnavailable = NewKind("the device is temporarily unavailable", nil)
	// ErrRebooting: the device is restarting or upgrading its firmware.
	ErrRebooting = NewKind("the device is restarting or upgrading", ErrUnavailable)
	// ErrRejected: the device refused the request as invalid (validation, a full database).
	ErrRejected = NewKind("the device refused the request", nil)
	// ErrMalformed: the answer is not what the device's API documents (HTML, empty, bad JSON).
	ErrMalformed = NewKind("the device's answer cannot be read", nil)
	// ErrInvalid: refused here, before anything was sent (a wrong argument or file).
	ErrInvalid = NewKind("the request is not valid", nil)
)

// Device names the vendor API an error comes from.
type Device string

// The devices.
const (
	EF45    Device = "ef45"
	ACTAtek Device = "actatek"
	CLUe    Device = "clue"
)

// noun is how an operator names the device in a sentence.
func (d Device) noun() string {
	switch d {
	case EF45:
		return "the camera"
	case ACTAtek:
		return "the terminal"
	case CLUe:
		return "CLUe"
	}
	return "the device"
}

// Error is the failure of one device call.
type Error struct {
	Device  Device // which API
	Call    string // what was asked, in the spec's words ("start camera", "addUsers")
	Status  int    // HTTP status; 0 when no answer came
	Code    string // the device's own code (EF-45 SDK code "-200", CLUe error code)
	Message string // the device's own message, as sent
	Kind    *Kind  // the condition; nil when none of the kinds fits
	// RetryAfter is how long the device asked to wait (Retry-After), 0 when it did not say.
	RetryAfter time.Duration
	Err        error // the cause, if any
}

// Error reads "ef45 start camera: HTTP 409 (-200): the camera is already started: cause".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Device))
	b.WriteString(" ")
	b.WriteString(e.Call)
	b.WriteString(":")
	// A 2xx status is not shown: the failure is in what the answer says, not in its status.
	shownStatus := e.Status != 0 && (e.Status < 200 || e.Status > 299)
	if shownStatus {
		fmt.Fprintf(&b, " HTTP %d", e.Status)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	switch {
	case e.Message != "":
		b.WriteString(" " + e.Message)
	case e.Err == nil && e.Kind != nil:
		b.WriteString(" " + e.Kind.msg)
	}
	if e.Err != nil {
		if e.Message != "" || shownStatus || e.Code != "" {
			b.WriteString(":")
		}
		b.WriteString(" " + e.Err.Error())
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is matches the error's kind and every kind it refines.
func (e *Error) Is(target error) bool {
	k, ok := target.(*Kind)
	if !ok {
		return false
	}
	for c := e.Kind; c != nil; c = c.parent {
		if c == k {
			return true
		}
	}
	return false
}

// Temporary reports whether the same call may succeed later without anyone changing it:
// no answer, a timeout, throttling, an expired session, a device restarting, a server error.
// A cancelled call is not temporary: nobody asked for it any more.
func (e *Error) Temporary() bool {
	switch {
	case errors.Is(e.Err, context.Canceled):
		return false
	case e.Is(ErrUnreachable), e.Is(ErrThrottled), e.Is(ErrSessionExpired), e.Is(ErrUnavailable):
		return true
	case e.Is(ErrMalformed):
		// An HTML page from a proxy or a half-written body: the device may be restarting.
		return true
	case e.Is(ErrConflict), e.Is(ErrNotFound), e.Is(ErrRejected), e.Is(ErrInvalid):
		// The device said what is wrong: a retry sends the same thing into the same
		// refusal, even when it came with a 500.
		return false
	}
	return e.Status >= 500
}

// Transport is the failure of an exchange that got no answer. ctx is the call's context:
// its own end is told apart from a device that does not answer.
func Transport(ctx context.Context, dev Device, call string, err error) *Error {
	e := &Error{Device: dev, Call: call, Err: err}
	var nerr net.Error
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		e.Err = fmt.Errorf("cancelled: %w", context.Canceled)
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &nerr) && nerr.Timeout():
		e.Kind = ErrTimeout
	default:
		e.Kind = ErrUnreachable
	}
	return e
}

// Answer is an error answer: HTTP status, the device's code and message. The kind follows
// the status; a device package refines it where its spec gives a status another meaning.
func Answer(dev Device, call string, status int, code, message string) *Error {
	return &Error{Device: dev, Call: call, Status: status, Code: code, Message: message, Kind: KindOf(status)}
}

// KindOf is the kind an HTTP status means when the device says nothing more.
func KindOf(status int) *Kind {
	switch {
	case status == http.StatusUnauthorized:
		return ErrSessionExpired
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusConflict:
		return ErrConflict
	case status == http.StatusTooManyRequests:
		return ErrThrottled
	case status == http.StatusBadGateway, status == http.StatusServiceUnavailable, status == http.StatusGatewayTimeout:
		return ErrUnavailable
	case status >= 400 && status < 500:
		return ErrRejected
	}
	return nil
}

// Malformed is an answer that cannot be read: not JSON, not the documented shape, empty.
func Malformed(dev Device, call string, status int, err error) *Error {
	return &Error{Device: dev, Call: call, Status: status, Kind: ErrMalformed, Err: err}
}

// Local is a request refused here, before anything was sent.
func Local(dev Device, call string, err error) *Error {
	return &Error{Device: dev, Call: call, Kind: ErrInvalid, Err: err}
}

// RetryAfter reads a Retry-After header, in seconds or as an HTTP date; 0 when absent or
// unreadable.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 && s < 86400 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}

// OperatorMessage says what happened in words for the front desk, without HTTP jargon. The
// device's own message is kept: it is what the vendor's support will ask for.
func (e *Error) OperatorMessage() string {
	n := e.Device.noun()
	said := ""
	if e.Message != "" {
		said = ": " + strings.TrimRight(e.Message, ".") + "."
	} else {
		said = "."
	}
	switch {
	case errors.Is(e.Err, context.Canceled):
		return "Cancelled."
	case e.Is(ErrInvalid) && e.Err != nil:
		// Refused here: the cause says what to correct.
		msg := e.Err.Error()
		return strings.ToUpper(msg[:1]) + msg[1:] + "."
	case e.Kind != nil && e.Kind.advice != "":
		return capital(e.Kind.msg) + ". " + e.Kind.advice
	case e.Is(ErrTimeout):
		return fmt.Sprintf("%s did not answer in time (%s). Check the network; the work is kept and retried.", capital(n), e.Call)
	case e.Is(ErrUnreachable):
		return fmt.Sprintf("%s does not answer. Check that it is powered and on the network; the work is kept and retried.", capital(n))
	case e.Is(ErrRebooting):
		return fmt.Sprintf("%s is restarting or upgrading. Wait until it is back.", capital(n))
	case e.Is(ErrUnavailable):
		return fmt.Sprintf("%s is temporarily unavailable%s The work is kept and retried.", capital(n), said)
	case e.Is(ErrThrottled):
		return fmt.Sprintf("%s asks to slow down; the work is kept and retried.", capital(n))
	case e.Is(ErrSessionExpired):
		return fmt.Sprintf("%s no longer accepts the login%s Check the account in the device settings.", capital(n), said)
	case e.Is(ErrMalformed):
		return fmt.Sprintf("%s sent an answer that cannot be read (%s).", capital(n), e.Call)
	case e.Is(ErrNotFound):
		return fmt.Sprintf("Not found on %s (%s)%s", n, e.Call, said)
	case e.Is(ErrConflict):
		return fmt.Sprintf("%s refused to %s because a conflicting record exists%s", capital(n), e.Call, said)
	}
	return fmt.Sprintf("%s could not %s%s", capital(n), e.Call, said)
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
