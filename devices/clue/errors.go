package clue

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"enrollstation/devices/internal/fault"
)

// Error is the failure of a CLUe call: the same type as every device package's, so one
// classification (errors.Is with the kinds below, (*Error).Temporary) serves them all.
type Error = fault.Error

// The kinds of failure a caller may tell apart, with errors.Is.
var (
	ErrUnreachable    = fault.ErrUnreachable
	ErrTimeout        = fault.ErrTimeout
	ErrNotFound       = fault.ErrNotFound
	ErrConflict       = fault.ErrConflict
	ErrThrottled      = fault.ErrThrottled
	ErrSessionExpired = fault.ErrSessionExpired
	ErrUnavailable    = fault.ErrUnavailable
	ErrRejected       = fault.ErrRejected
	ErrMalformed      = fault.ErrMalformed
	ErrInvalid        = fault.ErrInvalid
	// ErrDuplicateKey is a registration refused because the user key already has an auth at
	// the place; it refines ErrConflict.
	ErrDuplicateKey = fault.NewKind("the user key already has an auth at this place", fault.ErrConflict)
	// ErrRedirected is an answer that redirects elsewhere: the client never follows one, as
	// the API key would go to the other address (possibly over plain HTTP).
	ErrRedirected = fault.NewKind("CLUe answered with a redirect, which is not followed", fault.ErrRejected)
)

// answerError turns an error answer into an *Error. Spec 000 documents no error code; a
// refused duplicate key is recognised by the simulator's 409 DUPLICATE_USER_KEY and by any
// code or message that speaks of a duplicate, whatever the status.
func answerError(call string, status int, header http.Header, answer []byte, now time.Time) *Error {
	code, msg := ParseError(answer)
	e := fault.Answer(fault.CLUe, call, status, code, msg)
	if status >= 200 && status <= 299 {
		// An envelope that says status:false: its code may be an HTTP status.
		e.Kind = fault.KindOf(envelopeCode(answer))
		if e.Kind == nil {
			e.Kind = ErrRejected
		}
	}
	switch {
	case status >= 300 && status <= 399:
		e.Kind = ErrRedirected
		if loc := header.Get("Location"); loc != "" {
			e.Message = "redirected to " + loc + "; check the base URL"
		}
	case isDuplicate(code, msg) && (e.Kind == ErrConflict || e.Kind == ErrRejected):
		e.Kind = ErrDuplicateKey
	case status == http.StatusTooManyRequests:
		e.RetryAfter = fault.RetryAfter(header, now)
	}
	return e
}

func envelopeCode(answer []byte) int {
	var env Envelope
	if json.Unmarshal(answer, &env) != nil {
		return 0
	}
	return int(env.Code)
}

func isDuplicate(code, msg string) bool {
	c, m := strings.ToUpper(code), strings.ToLower(msg)
	return strings.Contains(c, "DUPLICATE") || strings.Contains(m, "duplicate") ||
		strings.Contains(m, "already has auth") || strings.Contains(m, "already exists")
}

// ExistingAuthID returns the auth id a duplicate-key refusal names, when its message names
// one ("user key \"k\" already has auth 118926 at place 178", the simulator's wording). Spec
// 000 documents no such answer, so a real service may name none: false then.
func ExistingAuthID(err error) (int64, bool) {
	var e *Error
	if !errors.As(err, &e) || !e.Is(ErrDuplicateKey) {
		return 0, false
	}
	_, rest, ok := strings.Cut(e.Message, "already has auth ")
	if !ok {
		return 0, false
	}
	end := 0
	for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
		end++
	}
	id, perr := strconv.ParseInt(rest[:end], 10, 64)
	if perr != nil || id <= 0 {
		return 0, false
	}
	return id, true
}
