package clue_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"enrollstation/devices/clue"
	"enrollstation/devices/clue/cluesim"
)

// phoneClient logs in with the simulator's demo account.
func (e *env) phoneClient() *clue.Client {
	a := e.sim.Account()
	return e.client(func(o *clue.Options) {
		o.APIKey = ""
		o.Phone = &clue.PhoneLogin{CountryCode: a.CountryCode, Phone: a.Phone, Password: clue.Secret(a.Password)}
	})
}

func TestLoginPhone(t *testing.T) {
	e := newEnv(t, cluesim.Options{})
	c := e.client(nil)
	a := e.sim.Account()
	s, err := c.Accounts.LoginPhone(context.Background(), clue.PhoneLogin{CountryCode: a.CountryCode, Phone: a.Phone, Password: clue.Secret(a.Password)})
	if err != nil {
		t.Fatal(err)
	}
	if s.AccessToken == "" || s.RefreshToken == "" || s.AccountType != clue.DefaultAccountType || s.AccountStatus != "ACTIVE" || s.Name != a.Name {
		t.Errorf("session %+v", s)
	}
	if strings.Count(string(s.AccessToken), ".") != 2 {
		t.Errorf("access token is not JWT-shaped")
	}

	_, err = c.Accounts.LoginPhone(context.Background(), clue.PhoneLogin{CountryCode: a.CountryCode, Phone: a.Phone, Password: "wrong"})
	if ce := asError(t, err); ce.Status != 401 || ce.Code != "LOGIN_FAILED" || ce.Call != "phone login" {
		t.Errorf("wrong password: %+v", ce)
	}
}

func TestPhoneClientLogsInOnFirstCall(t *testing.T) {
	e := newEnv(t, cluesim.Options{})
	c := e.phoneClient()
	if e.sim.Logins() != 0 {
		t.Fatal("NewClient logged in")
	}
	for range 3 {
		if _, err := c.Events.List(context.Background(), clue.EventQuery{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.sim.Logins(); n != 1 {
		t.Errorf("logins: %d, want 1", n)
	}
}

func TestExpiredTokenIsRenewedOnce(t *testing.T) {
	e := newEnv(t, cluesim.Options{TokenTTL: 40 * time.Millisecond})
	c := e.phoneClient()
	ctx := context.Background()
	if _, err := c.Events.List(ctx, clue.EventQuery{}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(60 * time.Millisecond)
	if _, err := c.Events.List(ctx, clue.EventQuery{}); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if n := e.sim.Logins(); n != 2 {
		t.Errorf("logins: %d, want 2", n)
	}
}

func TestConcurrentCallersShareOneRenewal(t *testing.T) {
	e := newEnv(t, cluesim.Options{})
	c := e.phoneClient()
	ctx := context.Background()
	if _, err := c.Events.List(ctx, clue.EventQuery{}); err != nil {
		t.Fatal(err)
	}
	e.sim.ExpireTokens()
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for range 6 {
		wg.Go(func() {
			_, err := c.Events.List(ctx, clue.EventQuery{})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := e.sim.Logins(); n != 2 {
		t.Errorf("logins: %d, want 2 (the first and one shared renewal)", n)
	}
}

func TestRenewalThatFailsIsReported(t *testing.T) {
	e := newEnv(t, cluesim.Options{})
	a := e.sim.Account()
	c := e.client(func(o *clue.Options) {
		o.APIKey = ""
		o.Phone = &clue.PhoneLogin{CountryCode: a.CountryCode, Phone: a.Phone, Password: "not-it"}
	})
	_, err := c.Events.List(context.Background(), clue.EventQuery{})
	if err == nil || !strings.Contains(err.Error(), "clue list events: renew the CLUe login") || !strings.Contains(err.Error(), "LOGIN_FAILED") {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), "not-it") {
		t.Error("the error shows the password")
	}
}

// TestRefusedAPIKeyIsNotRetried: a fixed key cannot be renewed, so a 401 is reported at once.
func TestRefusedAPIKeyIsNotRetried(t *testing.T) {
	e := newEnv(t, cluesim.Options{})
	c := e.client(func(o *clue.Options) { o.APIKey = "wrong-key" })
	_, err := c.Events.List(context.Background(), clue.EventQuery{})
	if ce := asError(t, err); ce.Status != 401 || ce.Code != "INVALID_TOKEN" {
		t.Fatalf("got %+v", ce)
	}
	if n := len(e.sim.Arrivals(178)); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}
