package enrollment

import (
	"context"
	"errors"
	"fmt"
	"time"

	"enrollstation/enroll/capture"
)

// Problem is a failure as the operator sees it: what happened, in plain words, and which
// way out the screen offers.
type Problem struct {
	Message string
	// TakeOver: another workstation holds (or took) the camera; the screen offers to take
	// it over.
	TakeOver bool
	// Reconnect: the connection itself is in doubt; the screen offers to connect again.
	Reconnect bool
}

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
		return &Problem{
			Message:  "The EF-45 is in use by another workstation. Take it over only if nobody is enrolling there.",
			TakeOver: true,
		}
	case errors.Is(err, capture.ErrLockLost):
		return &Problem{
			Message:  "Another workstation took over the EF-45 during the capture. Take it back to capture again.",
			TakeOver: true,
		}
	case errors.Is(err, capture.ErrRebooting):
		return &Problem{
			Message:   "The EF-45 is restarting or installing new firmware. Wait until it is back, then reconnect.",
			Reconnect: true,
		}
	case during == actionCapture && errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, capture.ErrUnreachable):
		return &Problem{Message: fmt.Sprintf(
			"No capture within %s. Check the guidance with the person, then press Capture to try again.",
			captureTimeout.Round(time.Second))}
	case errors.Is(err, capture.ErrUnreachable), errors.Is(err, context.DeadlineExceeded):
		return &Problem{
			Message:   fmt.Sprintf("Cannot reach the EF-45 at %s. Check that it is switched on and connected to the network.", addr),
			Reconnect: true,
		}
	}
	var e *capture.DeviceError
	if errors.As(err, &e) {
		return &Problem{Message: e.OperatorMessage(), Reconnect: during == actionConnect}
	}
	if during == actionConnect {
		return &Problem{Message: fmt.Sprintf("Cannot connect to the EF-45 at %s: %v", addr, err), Reconnect: true}
	}
	return &Problem{Message: fmt.Sprintf("The capture failed: %v", err)}
}
