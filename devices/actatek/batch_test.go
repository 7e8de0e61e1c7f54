package actatek_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

func TestAddBatchAndFullTerminal(t *testing.T) {
	f := newFixture(t, actateksim.Options{MaxUsers: 5})
	ctx := ctxT(t)
	res, err := f.c.Users.AddBatch(ctx, people(0, 3))
	if err != nil || len(res) != 3 {
		t.Fatalf("%+v %v", res, err)
	}
	res, err = f.c.Users.AddBatch(ctx, people(3, 4))
	var be *actatek.BatchError
	if !errors.As(err, &be) || be.Failed != 2 || be.Total != 4 || !errors.Is(err, actatek.ErrTerminalFull) {
		t.Fatalf("batch into a full terminal: %v", err)
	}
	for i, r := range res {
		if full := errors.Is(r.Err, actatek.ErrTerminalFull); full != (i >= 2) {
			t.Errorf("user %d: %+v", i, r)
		}
	}
	st, err := f.c.Terminal.Status(ctx)
	if err != nil || st.RegisteredUsers != 5 || st.MaximumUsers != 5 {
		t.Errorf("status %+v %v", st, err)
	}
	_, err = f.c.Users.Add(ctx, person(9))
	e := asError(t, err)
	if !errors.Is(err, actatek.ErrTerminalFull) || e.Status != http.StatusBadRequest || e.Call != "addUser" {
		t.Errorf("single add into a full terminal: %v", err)
	}
}

// checkExactly verifies the terminal holds exactly want, each once, as sent.
func checkExactly(t *testing.T, f *fixture, want []actatek.User) {
	t.Helper()
	ids := f.sim.UserIDs()
	if len(ids) != len(want) {
		t.Fatalf("terminal has %d users, want %d", len(ids), len(want))
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("user %s is on the terminal twice", id)
		}
		seen[id] = true
	}
	for _, u := range want {
		got, ok := f.sim.User(u.UserID)
		if !ok {
			t.Fatalf("user %s is missing", u.UserID)
		}
		if got.LastName != u.LastName || !bytes.Equal(got.FacialRecords[0].Template, u.FacialRecords[0].Template) {
			t.Fatalf("user %s differs from what was sent", u.UserID)
		}
	}
}

func TestSessionExpiryInTheMiddleOfABatch(t *testing.T) {
	for _, mode := range []actateksim.BatchExpiry{actateksim.ExpiryPerItem, actateksim.ExpiryWholeCall} {
		t.Run(fmt.Sprint("mode", mode), func(t *testing.T) {
			f := newFixture(t, actateksim.Options{})
			ctx := ctxT(t)
			users := people(100, 40)
			if _, err := f.c.Users.AddBatch(ctx, users[:5]); err != nil {
				t.Fatal(err)
			}
			f.sim.ExpireSessionsAfterWrites(7, mode) // strikes within the next batch
			res, err := f.c.Users.AddBatch(ctx, users[5:])
			if err != nil {
				t.Fatalf("batch across a session expiry: %v", err)
			}
			existing := 0
			for _, r := range res {
				if r.Err != nil {
					t.Errorf("%s: %v", r.UserID, r.Err)
				}
				if r.Existing {
					existing++
				}
			}
			wantExisting := 0
			if mode == actateksim.ExpiryWholeCall {
				wantExisting = 7 // written before the refusal, found identical on the retry
			}
			if existing != wantExisting {
				t.Errorf("%d users reported as already present, want %d", existing, wantExisting)
			}
			if n := f.sim.Stats().Logins; n != 2 {
				t.Errorf("logins %d, want 2", n)
			}
			checkExactly(t, f, users)
		})
	}
}

func TestPushRepeatedAfterALostAnswer(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	users := people(200, 30)
	if _, err := f.c.Users.Push(ctx, users[:10], 10); err != nil {
		t.Fatal(err)
	}
	// The second batch is applied but its answer is lost; the caller gets an error and
	// later pushes everything again.
	f.sim.SetMalformedRate(1)
	res, err := f.c.Users.Push(ctx, users[10:], 10)
	if err == nil || !errors.Is(res[len(res)-1].Err, actatek.ErrMalformed) {
		t.Fatalf("want the lost answer reported, got %v", err)
	}
	f.sim.SetMalformedRate(0)
	res, err = f.c.Users.Push(ctx, users, 7)
	if err != nil {
		t.Fatalf("repeated push: %v", err)
	}
	if len(res) != len(users) || !res[0].Existing || !res[15].Existing || res[25].Existing {
		t.Errorf("repeated push outcomes: %+v", res)
	}
	checkExactly(t, f, users)
}

func TestPushStopsWhenUnreachable(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	if err := f.c.Login(ctx); err != nil {
		t.Fatal(err)
	}
	f.sim.SetDropRate(1)
	res, err := f.c.Users.Push(ctx, people(0, 12), 5)
	if !errors.Is(err, actatek.ErrUnreachable) || len(res) != 12 {
		t.Fatalf("%d results, %v", len(res), err)
	}
	for _, r := range res {
		if !errors.Is(r.Err, actatek.ErrUnreachable) {
			t.Errorf("%s: %v", r.UserID, r.Err)
		}
	}
	if n := f.sim.Stats().Calls; n != 2 {
		t.Errorf("%d calls: after the first batch failed, the others must not be sent", n)
	}
}
