package enrollment

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"enrollstation/devices/ef45"
)

func TestProblemFor(t *testing.T) {
	const addr = "192.0.2.7:9980"
	wrap := func(e error) error { return fmt.Errorf("enroll capture: %w", e) }
	cases := []struct {
		name      string
		err       error
		during    action
		message   string // prefix
		takeOver  bool
		reconnect bool
	}{
		{"in use", wrap(&ef45.Error{Call: "lock", Status: http.StatusConflict, Kind: ef45.ErrInUse}), actionConnect,
			"The EF-45 is in use by another workstation.", true, false},
		{"lock lost", wrap(&ef45.Error{Call: "read preview", Status: http.StatusForbidden, Kind: ef45.ErrLockLost}), actionCapture,
			"Another workstation took over the EF-45", true, false},
		{"rebooting", wrap(&ef45.Error{Call: "read version", Status: http.StatusServiceUnavailable, Kind: ef45.ErrRebooting}), actionConnect,
			"The EF-45 is restarting", false, true},
		{"refused", wrap(&ef45.Error{Call: "read version", Err: syscall.ECONNREFUSED, Kind: ef45.ErrUnreachable}), actionConnect,
			"Cannot reach the EF-45 at 192.0.2.7:9980.", false, true},
		{"refused during a capture", wrap(&ef45.Error{Call: "read preview", Err: syscall.ECONNRESET, Kind: ef45.ErrUnreachable}), actionCapture,
			"Cannot reach the EF-45 at 192.0.2.7:9980.", false, true},
		{"connect deadline", wrap(&ef45.Error{Call: "read version", Err: context.DeadlineExceeded, Kind: ef45.ErrTimeout}), actionConnect,
			"Cannot reach the EF-45 at 192.0.2.7:9980.", false, true},
		{"capture timeout", fmt.Errorf("enroll capture: no capture within 1m0s: %w", context.DeadlineExceeded), actionCapture,
			"No capture within 1m0s.", false, false},
		{"refused start", wrap(&ef45.Error{Device: "ef45", Call: "start camera", Status: 200, Code: "-203", Message: "the iris database is full", Kind: ef45.ErrRejected}), actionCapture,
			"The camera could not start camera: the iris database is full.", false, false},
		{"device message on connect", wrap(&ef45.Error{Device: "ef45", Call: "read camera settings", Status: 500, Message: "internal"}), actionConnect,
			"The camera could not read camera settings: internal.", false, true},
		{"plain error on connect", errors.New("bad address"), actionConnect,
			"Cannot connect to the EF-45 at 192.0.2.7:9980: bad address", false, true},
		{"plain error on capture", errors.New("the camera reported: sensor fault"), actionCapture,
			"The capture failed: the camera reported: sensor fault", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := problemFor(tc.err, tc.during, addr, time.Minute)
			if !strings.HasPrefix(p.Message, tc.message) {
				t.Errorf("message %q, want it to start with %q", p.Message, tc.message)
			}
			if p.TakeOver != tc.takeOver || p.Reconnect != tc.reconnect {
				t.Errorf("take over %v reconnect %v, want %v %v", p.TakeOver, p.Reconnect, tc.takeOver, tc.reconnect)
			}
			for _, jargon := range []string{"HTTP", "409", "403", "503", "lock_uid"} {
				if strings.Contains(p.Message, jargon) {
					t.Errorf("message %q speaks of %q to the operator", p.Message, jargon)
				}
			}
		})
	}
}
