package enrollment

import (
	"context"
	"errors"
	"time"

	"enrollstation/enroll/capture"
)

// Problem is a failure as the operator sees it: what happened, in plain words, and which
// way out the screen offers.
type Problem struct {
	Message string // in English; Words for the screen
	Words   Words
	// TakeOver: another workstation holds (or took) the camera; the screen offers to take
	// it over.
	TakeOver bool
	// Reconnect: the connection itself is in doubt; the screen offers to connect again.
	Reconnect bool
}

// problem is a Problem saying w.
func problem(w Words) *Problem { return &Problem{Message: w.English(), Words: w} }

// action is what Retry and Take over repeat.
type action int

const (
	actionConnect action = iota
	actionCapture
)

// problemFor turns an error of a connection or capture into words for the front desk.
// Errors are matched by condition, most specific first; whatever is left keeps the device's
// own message.
func problemFor(err error, during action, addr string, captureTimeout time.Duration) *Problem {
	switch {
	case errors.Is(err, capture.ErrInUse):
		p := problem(say("capture.problem.in_use", "The EF-45 is in use by another workstation. Take it over only if nobody is enrolling there."))
		p.TakeOver = true
		return p
	case errors.Is(err, capture.ErrLockLost):
		p := problem(say("capture.problem.lock_lost", "Another workstation took over the EF-45 during the capture. Take it back to capture again."))
		p.TakeOver = true
		return p
	case errors.Is(err, capture.ErrRebooting):
		p := problem(say("capture.problem.rebooting", "The EF-45 is restarting or installing new firmware. Wait until it is back, then reconnect."))
		p.Reconnect = true
		return p
	case during == actionCapture && errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, capture.ErrUnreachable):
		return problem(say("capture.problem.timeout",
			"No capture within {{.Timeout}}. Check the guidance with the person, then press Capture to try again.",
			"Timeout", captureTimeout.Round(time.Second).String()))
	case errors.Is(err, capture.ErrUnreachable), errors.Is(err, context.DeadlineExceeded):
		p := problem(say("capture.problem.unreachable", "Cannot reach the EF-45 at {{.Addr}}. Check that it is switched on and connected to the network.", "Addr", addr))
		p.Reconnect = true
		return p
	}
	var e *capture.DeviceError
	if errors.As(err, &e) {
		// The device's own words, as it said them.
		p := problem(say("capture.problem.device", "{{.Msg}}", "Msg", e.OperatorMessage()))
		p.Reconnect = during == actionConnect
		return p
	}
	if during == actionConnect {
		p := problem(say("capture.problem.connect", "Cannot connect to the EF-45 at {{.Addr}}: {{.Err}}", "Addr", addr, "Err", err.Error()))
		p.Reconnect = true
		return p
	}
	return problem(say("capture.problem.failed", "The capture failed: {{.Err}}", "Err", err.Error()))
}
