package actatek

import (
	"errors"
	"fmt"
)

// Kinds of failure a caller may want to tell apart; test with errors.Is. They match an
// *Error by the terminal's own message (see the wire model), or wrap the cause.
var (
	// ErrSessionExpired: the terminal no longer accepts the session id (30 minutes idle,
	// logged out, or the terminal restarted).
	ErrSessionExpired = errors.New("the terminal's session expired")
	// ErrUserExists: the terminal already has a user with this userID.
	ErrUserExists = errors.New("the user already exists on the terminal")
	// ErrTerminalFull: every user slot of the terminal is taken (terminal status
	// maximumUsers).
	ErrTerminalFull = errors.New("the terminal is full")
	// ErrNotFound: the terminal has no such record (user, department, ...).
	ErrNotFound = errors.New("the terminal has no such record")
	// ErrMalformed: the terminal answered with something that is not the documented JSON.
	ErrMalformed = errors.New("the terminal's answer is not valid")
	// ErrUnreachable: no answer: connection refused or dropped, timeout, TLS failure.
	ErrUnreachable = errors.New("cannot reach the terminal")
)

// Error is the failure of one device call. It names the call as the spec does ("addUsers",
// "getLogs"), carries the HTTP status when there was an answer, and the terminal's own
// message (spec 14, {"status":"error","message":...}) when it gave one.
type Error struct {
	Call       string // the device call, e.g. "addUsers"
	StatusCode int    // HTTP status; 0 when the terminal did not answer
	Message    string // the terminal's message, as sent
	Err        error  // the cause when the terminal gave no message
}

// Error reads as a sentence an operator can act on.
func (e *Error) Error() string {
	switch {
	case e.Message != "" && e.StatusCode != 0 && e.StatusCode != 200:
		return fmt.Sprintf("actatek %s: the terminal refused (HTTP %d): %s", e.Call, e.StatusCode, e.Message)
	case e.Message != "":
		return fmt.Sprintf("actatek %s: the terminal refused: %s", e.Call, e.Message)
	case e.Err != nil && e.StatusCode != 0:
		return fmt.Sprintf("actatek %s: HTTP %d: %v", e.Call, e.StatusCode, e.Err)
	case e.Err != nil:
		return fmt.Sprintf("actatek %s: %v", e.Call, e.Err)
	case e.StatusCode != 0:
		return fmt.Sprintf("actatek %s: the terminal answered HTTP %d without a message", e.Call, e.StatusCode)
	}
	return fmt.Sprintf("actatek %s: failed", e.Call)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is matches the kinds ErrSessionExpired, ErrUserExists, ErrTerminalFull and ErrNotFound
// by the terminal's message.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrSessionExpired:
		return sessionRefused(e.StatusCode, e.Message)
	case ErrUserExists:
		return e.Message != "" && alreadyExists(e.Message)
	case ErrTerminalFull:
		return e.Message != "" && terminalFull(e.Message)
	case ErrNotFound:
		return e.Message != "" && notFound(e.Message)
	}
	return false
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
