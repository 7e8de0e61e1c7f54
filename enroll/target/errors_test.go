package target

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/devices/clue"
	"enrollstation/devices/ef45"
)

type classified struct {
	Temporary  bool
	RetryAfter time.Duration
}

func classify(err error) classified {
	t, after := Classify(err)
	return classified{t, after}
}

// TestClassifyKinds covers every kind each device's error can carry: what the worker may
// retry and what fails until someone acts.
func TestClassifyKinds(t *testing.T) {
	retry := classified{Temporary: true}
	final := classified{}
	cases := []struct {
		name string
		err  error
		want classified
	}{
		{"nil", nil, final},
		{"plain error", errors.New("something else"), final},
		{"capture lacks data", fmt.Errorf("push: %w", ErrIncomplete), final},
		{"deadline", fmt.Errorf("push: %w", context.DeadlineExceeded), retry},
		{"cancelled", fmt.Errorf("push: %w", context.Canceled), final},

		{"ef45 unreachable", &ef45.Error{Call: "add subject", Kind: ef45.ErrUnreachable}, retry},
		{"ef45 timeout", &ef45.Error{Call: "add subject", Kind: ef45.ErrTimeout}, retry},
		{"ef45 rebooting", &ef45.Error{Call: "add subject", Status: 503, Kind: ef45.ErrRebooting}, retry},
		{"ef45 in use", &ef45.Error{Call: "lock", Status: 409, Kind: ef45.ErrInUse}, retry},
		{"ef45 lock lost", &ef45.Error{Call: "add subject", Status: 403, Kind: ef45.ErrLockLost}, retry},
		{"ef45 malformed", &ef45.Error{Call: "add subject", Status: 200, Kind: ef45.ErrMalformed}, retry},
		{"ef45 server error", &ef45.Error{Call: "add subject", Status: 500}, retry},
		{"ef45 not found", &ef45.Error{Call: "delete subject", Status: 404, Kind: ef45.ErrNotFound}, final},
		{"ef45 conflict", &ef45.Error{Call: "add subject", Status: 409, Kind: ef45.ErrConflict, Message: "subject exists"}, final},
		{"ef45 rejected", &ef45.Error{Call: "stop camera", Code: "-200", Kind: ef45.ErrRejected}, final},
		{"ef45 invalid", &ef45.Error{Call: "add subject", Kind: ef45.ErrInvalid}, final},
		{"ef45 cancelled", &ef45.Error{Call: "add subject", Kind: ef45.ErrUnreachable, Err: context.Canceled}, final},

		{"clue throttled", fmt.Errorf("register: %w", &clue.Error{Call: "register auth", Status: 429, Kind: clue.ErrThrottled, RetryAfter: time.Minute}),
			classified{Temporary: true, RetryAfter: time.Minute}},
		{"clue unavailable", &clue.Error{Call: "register auth", Status: 503, Kind: clue.ErrUnavailable, RetryAfter: 30 * time.Second},
			classified{Temporary: true, RetryAfter: 30 * time.Second}},
		{"clue session expired", &clue.Error{Call: "register auth", Status: 401, Kind: clue.ErrSessionExpired}, retry},
		{"clue unreachable", &clue.Error{Call: "register auth", Kind: clue.ErrUnreachable}, retry},
		{"clue conflict", &clue.Error{Call: "register auth", Status: 409, Kind: clue.ErrConflict}, final},
		{"clue not found", &clue.Error{Call: "update auth", Status: 404, Kind: clue.ErrNotFound}, final},
		{"clue rejected", &clue.Error{Call: "register auth", Status: 400, Kind: clue.ErrRejected, Message: "name too long"}, final},

		{"actatek unreachable", &actatek.Error{Call: "addUsers", Kind: actatek.ErrUnreachable}, retry},
		{"actatek timeout", &actatek.Error{Call: "addUsers", Kind: actatek.ErrTimeout}, retry},
		{"actatek session expired", &actatek.Error{Call: "addUsers", Status: 200, Kind: actatek.ErrSessionExpired}, retry},
		{"actatek malformed", &actatek.Error{Call: "addUsers", Status: 200, Kind: actatek.ErrMalformed}, retry},
		{"actatek upgrading", &actatek.Error{Call: "addUsers", Status: 503, Kind: actatek.ErrRebooting}, retry},
		{"actatek throttled", &actatek.Error{Call: "addUsers", Status: 429, Kind: actatek.ErrThrottled, RetryAfter: 5 * time.Second},
			classified{Temporary: true, RetryAfter: 5 * time.Second}},
		{"actatek server error", &actatek.Error{Call: "addUsers", Status: 500}, retry},
		{"actatek user exists", &actatek.Error{Call: "addUsers", Status: 200, Kind: actatek.ErrUserExists, Message: "user already exists"}, final},
		{"actatek full", &actatek.Error{Call: "addUsers", Status: 200, Kind: actatek.ErrTerminalFull}, final},
		{"actatek not found", &actatek.Error{Call: "deleteUser", Status: 200, Kind: actatek.ErrNotFound}, final},
		{"actatek refused", &actatek.Error{Call: "addUsers", Status: 400, Kind: actatek.ErrRejected, Message: "invalid department"}, final},
		{"actatek invalid", &actatek.Error{Call: "addUsers", Kind: actatek.ErrInvalid}, final},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := classify(tc.err); got != tc.want {
				t.Fatalf("Classify(%v) = %+v, want %+v", tc.err, got, tc.want)
			}
		})
	}
}

// TestBusy: only the EF-45 lock held or taken by another pusher is a turn to wait for;
// every other failure, conflicts included, takes the usual back-off or fails.
func TestBusy(t *testing.T) {
	cases := []struct {
		err  error
		want bool
	}{
		{&ef45.Error{Call: "lock", Status: 409, Kind: ef45.ErrInUse}, true},
		{fmt.Errorf("push: %w", &ef45.Error{Call: "register user", Status: 403, Kind: ef45.ErrLockLost}), true},
		{&ef45.Error{Call: "register user", Status: 409, Kind: ef45.ErrConflict, Message: "subject exists"}, false},
		{&ef45.Error{Call: "register user", Status: 503, Kind: ef45.ErrRebooting}, false},
		{&clue.Error{Call: "register auth", Status: 409, Kind: clue.ErrConflict}, false},
		{&actatek.Error{Call: "addUsers", Status: 200, Kind: actatek.ErrSessionExpired}, false},
		{context.DeadlineExceeded, false},
		{nil, false},
	}
	for _, tc := range cases {
		if got := Busy(tc.err); got != tc.want {
			t.Errorf("Busy(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

// TestClassifyOverHTTP classifies what the clients really return from failing devices.
func TestClassifyOverHTTP(t *testing.T) {
	gone := httptest.NewServer(http.NotFoundHandler())
	goneURL := gone.URL
	gone.Close()
	answer := func(status int, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprint(w, body)
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	ef45Call := func(url string) error {
		c, err := ef45.New(url)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Version(t.Context())
		return err
	}
	actatekCall := func(url string) error {
		c, err := actatek.New(url, actatek.Options{Credentials: actatek.Credentials{Username: "admin", Password: "pw"}})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, err = c.Terminal.Status(t.Context())
		return err
	}
	cases := []struct {
		name string
		call func() error
		want classified
	}{
		{"ef45 unreachable", func() error { return ef45Call(goneURL) }, classified{Temporary: true}},
		{"ef45 upgrading", func() error {
			return ef45Call(answer(503, `{"status_code":503,"reason_phrase":"upgrade in progress"}`))
		}, classified{Temporary: true}},
		{"ef45 bad request", func() error {
			return ef45Call(answer(400, `{"status_code":400,"reason_phrase":"bad request"}`))
		}, classified{}},
		{"actatek unreachable", func() error { return actatekCall(goneURL) }, classified{Temporary: true}},
		{"actatek unavailable", func() error { return actatekCall(answer(503, `{"status":"error"}`)) }, classified{Temporary: true}},
		{"actatek html page", func() error { return actatekCall(answer(200, `<html>login</html>`)) }, classified{Temporary: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if err == nil {
				t.Fatal("the call succeeded against a failing device")
			}
			if got := classify(err); got != tc.want {
				t.Fatalf("Classify(%v) = %+v, want %+v", err, got, tc.want)
			}
		})
	}
}
