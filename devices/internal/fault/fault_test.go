package fault

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestKindsRefine(t *testing.T) {
	lockLost := NewKind("another workstation took over the camera", ErrSessionExpired)
	e := &Error{Device: EF45, Call: "start camera", Status: 403, Kind: lockLost}
	wrapped := fmt.Errorf("enroll capture: %w", e)
	for _, k := range []*Kind{lockLost, ErrSessionExpired} {
		if !errors.Is(wrapped, k) {
			t.Errorf("errors.Is(%v, %v) = false", wrapped, k)
		}
	}
	for _, k := range []*Kind{ErrUnreachable, ErrNotFound, ErrRebooting} {
		if errors.Is(wrapped, k) {
			t.Errorf("errors.Is(%v, %v) = true", wrapped, k)
		}
	}
	if !errors.Is(&Error{Kind: ErrRebooting}, ErrUnavailable) {
		t.Error("rebooting does not refine unavailable")
	}
}

func TestKindOfStatus(t *testing.T) {
	want := map[int]*Kind{
		401: ErrSessionExpired, 404: ErrNotFound, 409: ErrConflict, 429: ErrThrottled,
		503: ErrUnavailable, 502: ErrUnavailable, 400: ErrRejected, 422: ErrRejected, 500: nil, 200: nil,
	}
	for status, k := range want {
		if got := KindOf(status); got != k {
			t.Errorf("KindOf(%d) = %v, want %v", status, got, k)
		}
	}
}

func TestTemporary(t *testing.T) {
	ctx := t.Context()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	cases := []struct {
		name string
		err  *Error
		want bool
	}{
		{"refused connection", Transport(ctx, CLUe, "register", errors.New("connection refused")), true},
		{"deadline", Transport(ctx, CLUe, "register", context.DeadlineExceeded), true},
		{"cancelled", Transport(cancelled, CLUe, "register", context.Canceled), false},
		{"throttled", Answer(CLUe, "register", 429, "", ""), true},
		{"server error", Answer(ACTAtek, "addUsers", 500, "", "oops"), true},
		{"unavailable", Answer(ACTAtek, "addUsers", 503, "", ""), true},
		{"duplicate", Answer(CLUe, "register", 409, "DUP", "key exists"), false},
		{"validation", Answer(CLUe, "register", 400, "", "bad image"), false},
		{"not found", Answer(EF45, "get subject", 404, "", ""), false},
		{"malformed", Malformed(ACTAtek, "addUsers", 200, errors.New("an HTML page")), true},
		{"local", Local(EF45, "start camera", errors.New("choose a mode")), false},
		{"conflict sent with a 500", &Error{Device: ACTAtek, Call: "addUser", Status: 500, Kind: ErrConflict}, false},
	}
	for _, c := range cases {
		if got := c.err.Temporary(); got != c.want {
			t.Errorf("%s: Temporary() = %v, want %v (%v)", c.name, got, c.want, c.err)
		}
	}
	if errors.Is(Transport(cancelled, EF45, "preview", context.Canceled), ErrUnreachable) {
		t.Error("a call we cancelled is reported as an unreachable device")
	}
	if !errors.Is(Transport(cancelled, EF45, "preview", context.Canceled), context.Canceled) {
		t.Error("a cancelled call does not match context.Canceled")
	}
}

func TestErrorText(t *testing.T) {
	cases := map[string]*Error{
		"ef45 start camera: HTTP 409 (-200) the camera is already started": {Device: EF45, Call: "start camera", Status: 409, Code: "-200", Message: "the camera is already started"},
		"clue register auth: HTTP 429 too many (retry after 2s)":           {Device: CLUe, Call: "register auth", Status: 429, Message: "too many", RetryAfter: 2 * time.Second},
		// A 2xx status is not shown: only error statuses are.
		"actatek addUsers: (x): an HTML page":          {Device: ACTAtek, Call: "addUsers", Status: 200, Code: "x", Err: errors.New("an HTML page")},
		"actatek addUsers: the device does not answer": {Device: ACTAtek, Call: "addUsers", Kind: ErrUnreachable},
	}
	for want, e := range cases {
		if got := e.Error(); got != want {
			t.Errorf("Error() = %q, want %q", got, want)
		}
	}
}

func TestOperatorMessage(t *testing.T) {
	cases := []struct {
		err  *Error
		want string
	}{
		{Transport(t.Context(), ACTAtek, "addUsers", errors.New("refused")), "The terminal does not answer."},
		{Answer(CLUe, "register auth", 409, "", "user key exists"), "CLUe refused to register auth because a conflicting record exists: user key exists."},
		{Local(EF45, "start camera", errors.New("choose at least one capture mode")), "Choose at least one capture mode."},
		{&Error{Device: EF45, Call: "upload firmware", Status: 503, Kind: ErrRebooting}, "The camera is restarting or upgrading."},
	}
	for _, c := range cases {
		if got := c.err.OperatorMessage(); !strings.HasPrefix(got, c.want) {
			t.Errorf("OperatorMessage() = %q, want it to start %q", got, c.want)
		}
		if strings.Contains(c.err.OperatorMessage(), "HTTP") {
			t.Errorf("OperatorMessage() = %q speaks HTTP", c.err.OperatorMessage())
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	h := http.Header{}
	if got := RetryAfter(h, now); got != 0 {
		t.Errorf("no header: %v", got)
	}
	h.Set("Retry-After", "3")
	if got := RetryAfter(h, now); got != 3*time.Second {
		t.Errorf("3: %v", got)
	}
	h.Set("Retry-After", now.Add(90*time.Second).Format(http.TimeFormat))
	if got := RetryAfter(h, now); got != 90*time.Second {
		t.Errorf("date: %v", got)
	}
	h.Set("Retry-After", "soon")
	if got := RetryAfter(h, now); got != 0 {
		t.Errorf("garbage: %v", got)
	}
}

func TestAdvisedKindSpeaksInItsOwnWords(t *testing.T) {
	inUse := NewAdvisedKind("the camera is in use by another workstation", "You can take it over.", ErrConflict)
	e := &Error{Device: EF45, Call: "lock", Status: 409, Message: "locked by another connection", Kind: inUse}
	if got, want := e.OperatorMessage(), "The camera is in use by another workstation. You can take it over."; got != want {
		t.Fatalf("OperatorMessage = %q, want %q", got, want)
	}
	if !errors.Is(e, ErrConflict) || e.Temporary() {
		t.Fatalf("an advised kind lost its parent: is conflict %v, temporary %v", errors.Is(e, ErrConflict), e.Temporary())
	}
}
