package actatek_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

func TestLoginAndLogout(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	if err := f.c.Login(ctx); err != nil {
		t.Fatal(err)
	}
	if st := f.sim.Stats(); st.Logins != 1 || st.Sessions != 1 {
		t.Fatalf("after Login: %+v", st)
	}
	if err := f.c.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if st := f.sim.Stats(); st.Sessions != 0 {
		t.Fatalf("after Logout the terminal still has %d sessions", st.Sessions)
	}
	if err := f.c.Logout(ctx); err != nil {
		t.Errorf("Logout without a session: %v", err)
	}
	// The next call logs in by itself.
	if _, err := f.c.Users.Count(ctx); err != nil {
		t.Fatal(err)
	}
	if st := f.sim.Stats(); st.Logins != 2 {
		t.Errorf("logins %d, want 2", st.Logins)
	}
}

func TestWrongPassword(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	c := f.client(t, actatek.Options{PinSHA256: f.sim.Fingerprint(),
		Credentials: actatek.Credentials{Username: "admin", Password: "hunter2-wrong"}})
	_, err := c.Terminal.Status(ctxT(t))
	e := asError(t, err)
	if e.Call != "login" || !strings.Contains(e.Message, "invalid username or password") {
		t.Errorf("got %v", err)
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("the password is in the error: %v", err)
	}
	if _, err := c.Terminal.APIVersion(ctxT(t)); err != nil {
		t.Errorf("apiversion needs no session: %v", err)
	}
}

func TestExpiredSessionIsRenewedOnce(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	if _, err := f.c.Users.Count(ctx); err != nil {
		t.Fatal(err)
	}
	f.sim.ExpireSessions()
	if _, err := f.c.Users.Count(ctx); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if st := f.sim.Stats(); st.Logins != 2 {
		t.Errorf("logins %d, want 2", st.Logins)
	}
	if !strings.Contains(f.logs.String(), "session refused") {
		t.Errorf("the renewal is not logged:\n%s", f.logs)
	}
}

func TestIdleExpiryThirtyMinutes(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	if _, err := f.c.Users.Count(ctx); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(29 * time.Minute)
	if _, err := f.c.Users.Count(ctx); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(29 * time.Minute) // 29 minutes since the last call: still alive
	if _, err := f.c.Users.Count(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.sim.Stats().Logins; n != 1 {
		t.Fatalf("logins %d before 30 idle minutes, want 1", n)
	}
	f.clock.Advance(31 * time.Minute)
	if _, err := f.c.Users.Count(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.sim.Stats().Logins; n != 2 {
		t.Errorf("logins %d after 31 idle minutes, want 2", n)
	}
}

func TestRenewalFailsAfterOneRetry(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	f.sim.SetIdleExpiry(-time.Second) // every session is stale at once
	_, err := f.c.Users.Count(ctxT(t))
	if !errors.Is(err, actatek.ErrSessionExpired) {
		t.Fatalf("got %v", err)
	}
	if n := f.sim.Stats().Logins; n != 2 {
		t.Errorf("logins %d, want 2: one login, one renewal, then fail", n)
	}
}

func TestConcurrentCallsShareOneLogin(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	f.sim.SetLatency(20 * time.Millisecond) // keep the login in flight while the others arrive
	ctx := ctxT(t)
	run := func() {
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for range 16 {
			wg.Go(func() {
				if _, err := f.c.Users.Count(ctx); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
	run()
	if n := f.sim.Stats().Logins; n != 1 {
		t.Errorf("16 concurrent first calls made %d logins, want 1", n)
	}
	f.sim.ExpireSessions()
	run()
	if n := f.sim.Stats().Logins; n != 2 {
		t.Errorf("16 concurrent calls after an expiry made %d logins in all, want 2", n)
	}
}

func TestCancelledWhileWaitingForLogin(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	f.sim.SetLatency(300 * time.Millisecond)
	ctx := ctxT(t)
	done := make(chan error, 1)
	go func() {
		_, err := f.c.Users.Count(ctx)
		done <- err
	}()
	time.Sleep(50 * time.Millisecond) // the first call is now logging in
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := f.c.Users.Count(short); err == nil {
		t.Error("a call whose context ends while it waits for the login must fail")
	}
	if err := <-done; err != nil {
		t.Errorf("the leading call: %v", err)
	}
}

// TestReloginDecidedByStatusAndShape: a message that merely mentions a session is not a
// session refusal; 401 and the terminal's session refusal are, and are renewed once.
func TestReloginDecidedByStatusAndShape(t *testing.T) {
	cases := []struct {
		name       string
		status     int
		body       string
		wantLogins int
		wantKind   error
	}{
		{"user named session1", 400, `{"status":"error","message":"User session1 already exists"}`, 1, actatek.ErrConflict},
		{"field named session", 400, `{"status":"error","message":"field sessionToken is not valid"}`, 1, actatek.ErrRejected},
		{"server fault about sessions", 500, `{"status":"error","message":"invalid session table"}`, 1, nil},
		{"401", 401, `{"status":"error","message":"unauthorized"}`, 2, actatek.ErrSessionExpired},
		{"expired session in a 200", 200, `{"status":"error","message":"` + actatek.MsgSessionExpired + `"}`, 2, actatek.ErrSessionExpired},
		{"expired session in a 400", 400, `{"status":"error","message":"invalid or expired session id"}`, 2, actatek.ErrSessionExpired},
	}
	for _, c := range cases {
		ft := newFakeTerminal(t, func(r fakeRequest) (int, string) { return c.status, c.body })
		err := ft.client(t).Departments.Add(t.Context(), actatek.Department{ID: 3, Name: "x"})
		if err == nil || (c.wantKind != nil && !errors.Is(err, c.wantKind)) {
			t.Errorf("%s: %v, want %v", c.name, err, c.wantKind)
		}
		if got := ft.loginCount(); got != c.wantLogins {
			t.Errorf("%s: %d logins, want %d", c.name, got, c.wantLogins)
		}
	}
}
