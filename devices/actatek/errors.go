package actatek

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"enrollstation/devices/internal/fault"
)

// Error is the failure of one terminal call: the device packages share this one type, so a
// caller classifies every device's failure with the same test (errors.Is with the kinds
// below, (*Error).Temporary to decide a retry, OperatorMessage for the front desk). Call
// names the call as the spec does ("addUsers", "getLogs"); Message is the terminal's own
// (spec 14, {"status":"error","message":...}).
type Error = fault.Error

// Kinds of failure a caller may want to tell apart; test with errors.Is.
var (
	// ErrUnreachable: no answer: connection refused or dropped, timeout, TLS failure.
	ErrUnreachable = fault.ErrUnreachable
	// ErrTimeout: no answer within the call's deadline (refines ErrUnreachable).
	ErrTimeout = fault.ErrTimeout
	// ErrNotFound: the terminal has no such record (user, department, ...).
	ErrNotFound = fault.ErrNotFound
	// ErrConflict: the terminal holds a conflicting record.
	ErrConflict = fault.ErrConflict
	// ErrThrottled: the terminal asks to slow down (HTTP 429).
	ErrThrottled = fault.ErrThrottled
	// ErrSessionExpired: the terminal no longer accepts the session id (30 minutes idle,
	// logged out, or the terminal restarted), even after one new login.
	ErrSessionExpired = fault.ErrSessionExpired
	// ErrUnavailable: the terminal answers but cannot serve now (HTTP 502 to 504).
	ErrUnavailable = fault.ErrUnavailable
	// ErrRebooting: the terminal is restarting.
	ErrRebooting = fault.ErrRebooting
	// ErrRejected: the terminal refused the request.
	ErrRejected = fault.ErrRejected
	// ErrMalformed: the terminal answered with something that is not the documented JSON:
	// an HTML page, an empty body, a status other than "success".
	ErrMalformed = fault.ErrMalformed
	// ErrInvalid: refused here, before anything was sent.
	ErrInvalid = fault.ErrInvalid

	// ErrUserExists: the terminal already has a user with this userID (a conflict).
	ErrUserExists = fault.NewKind("the user already exists on the terminal", fault.ErrConflict)
	// ErrTerminalFull: every user slot of the terminal is taken (terminal status
	// maximumUsers); the terminal refuses another user.
	ErrTerminalFull = fault.NewKind("the terminal is full", fault.ErrRejected)
)

// answerError is a refusal the terminal answered: a non-2xx status or an error status in
// a 2xx answer (whole or per item). The kind follows the status and is refined by what
// the terminal said: spec 14 has one error shape for every failure and no codes, so its
// message is all there is to tell "already exists" from "full".
func answerError(call string, status int, message string) *Error {
	e := fault.Answer(fault.ACTAtek, call, status, "", message)
	switch {
	case sessionRefused(status, message):
		e.Kind = ErrSessionExpired
	case alreadyExists(message):
		if call == "addUser" || call == "addUsers" {
			e.Kind = ErrUserExists
		} else {
			e.Kind = ErrConflict
		}
	case terminalFull(message):
		e.Kind = ErrTerminalFull
	case notFound(message):
		e.Kind = ErrNotFound
	case e.Kind == nil && status < 300:
		// An error status in a 200 answer is a refusal of the request, not a server fault.
		e.Kind = ErrRejected
	}
	return e
}

// malformed is an answer that cannot be read as the documented JSON.
func malformed(call string, status int, format string, a ...any) *Error {
	return fault.Malformed(fault.ACTAtek, call, status, fmt.Errorf(format, a...))
}

// invalid is a request refused before sending; the text says what to correct.
func invalid(call string, format string, a ...any) *Error {
	return fault.Local(fault.ACTAtek, call, fmt.Errorf(format, a...))
}

// sessionExpiredText matches the terminal's refusal of a session id, anchored at the start
// of the message: "invalid or expired session id", "session expired", "invalid session".
// A message that merely mentions a session somewhere ("user session1 already exists") is
// not a session refusal.
var sessionExpiredText = regexp.MustCompile(`(?i)^\s*(invalid( or expired)? session( ?id)?|expired session( ?id)?|session( id)? (expired|timed? ?out|invalid|not found)|not logged in)\b`)

// sessionRefused reports whether a refusal means "this session id is no longer valid, log
// in again". Spec 1.1 says only that a session times out after 30 minutes without a call,
// and 14 gives one error shape for every failure, so the decision is ours: 401 or 403, or
// a 400 error object (whole or per item) whose message is a session refusal. A 5xx is the
// terminal's own fault, not a verdict on the session.
func sessionRefused(status int, msg string) bool {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return true
	case status >= 500:
		return false
	}
	return sessionExpiredText.MatchString(msg)
}

// alreadyExists reports whether a refusal says the record is already on the terminal.
func alreadyExists(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "already exist") || strings.Contains(m, "duplicate")
}

// terminalFull reports whether a refusal says the terminal has no room for another user
// (11.3: registeredUsers against maximumUsers).
func terminalFull(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "terminal full") || strings.Contains(m, "terminal is full") ||
		strings.Contains(m, "maximum users") || strings.Contains(m, "database full")
}

// notFound reports whether a refusal says the record does not exist.
func notFound(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "not found") || strings.Contains(m, "not exist") || strings.Contains(m, "no such")
}

// PinError is a TLS refusal: the certificate the terminal presented is not the pinned one.
// It may mean the terminal's certificate was renewed, or that something is between the
// workstation and the terminal.
type PinError struct {
	Want string // the pinned SHA-256 fingerprint, hex
	Got  string // the presented certificate's fingerprint, hex
}

// Error explains the refusal and what to check.
func (e *PinError) Error() string {
	return fmt.Sprintf("the terminal's certificate (SHA-256 %s) is not the pinned one (%s); "+
		"check the fingerprint shown on the terminal before trusting the new certificate", e.Got, e.Want)
}
