package push_test

import (
	"context"
	"testing"
	"time"

	"enrollstation/devices/actatek/actateksim"
	"enrollstation/store"
	"enrollstation/store/pgtest"
)

// Rows that wait for a slow target's only call slot longer than their lease are still
// called once each: the worker renews what it holds, and a row whose lease could end
// during its call is not called (it would be claimed and called again). Each person
// reaches the terminal with one call, and every row is done. (With renewals working, the
// renewal alone keeps this; the check before a call covers renewals that fail.)
func TestRowWaitingPastItsLeaseIsCalledOnce(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := startSims(t)
	pc := fastPush()
	// The call timeout leaves a loaded machine (-race, other packages' tests) a margin of
	// 900 ms over the terminal's latency: a call that timed out would rightly be made again.
	pc.Lease, pc.CallTimeout = 2400*time.Millisecond, 1200*time.Millisecond
	pc.Concurrency = map[store.TargetKind]int{store.TargetACTAtek: 1}
	e := newEnv(t, s, pc)
	const terminal = 3 // the second ACTAtek terminal, over plain HTTP
	for i, id := range e.ids {
		if i == terminal {
			continue
		}
		tg, err := e.st.Target(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		tg.Enabled = false
		if err := e.st.UpdateTarget(ctx, tg, "tech"); err != nil {
			t.Fatal(err)
		}
	}
	sim := s.actatek[terminal-2]
	sim.SetLatency(300 * time.Millisecond)
	const people = 12 // 12 calls of 300 ms in one slot outlast the 2.4 s lease
	keys := e.saveFor(t, e.ids[terminal], people)
	before := sim.Stats()
	runCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := e.station.RunOnce(runCtx); err != nil {
		t.Fatal(err)
	}
	pushedOnce(t, e, sim, keys, before)
}

// Two stations share one journal (two Stores on one SQLite file; one PostgreSQL schema);
// calls to the terminal take longer than the lease. The station that claimed the rows
// renews their leases while it works them, so the other never claims them: each person
// reaches the terminal with one call, and every row is done.
func TestSlowCallOutlastingTheLeaseIsPushedOnce(t *testing.T) {
	t.Parallel()
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			location := ""
			if backend == "postgres" {
				location = pgtest.URL(t)
			}
			slowCallsOnce(t, location)
		})
	}
}

func slowCallsOnce(t *testing.T, location string) {
	ctx := t.Context()
	s := startSims(t)
	pc := fastPush()
	pc.Lease, pc.CallTimeout = 1500*time.Millisecond, 10*time.Second
	pc.Concurrency = map[store.TargetKind]int{store.TargetACTAtek: 1}
	e := newEnvAt(t, s, pc, location)
	const terminal = 3 // the second ACTAtek terminal, over plain HTTP
	sim := s.actatek[terminal-2]
	const people = 3
	keys := e.saveFor(t, e.ids[terminal], people)
	sim.SetLatency(2 * time.Second) // each call outlasts the 1.5 s lease
	before := sim.Stats()
	other := e.reopen(t, pc)
	runCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	errs := make(chan error, 2)
	go func() { errs <- e.station.RunOnce(runCtx) }()
	// The other station starts once the first holds every row.
	for e.states(t)[store.OutboxInFlight] != people {
		if runCtx.Err() != nil {
			t.Fatal("the first station never claimed every row")
		}
		time.Sleep(5 * time.Millisecond)
	}
	go func() { errs <- other.RunOnce(runCtx) }()
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	pushedOnce(t, e, sim, keys, before)
}

// pushedOnce checks that every row is done, every person is on the terminal, and the
// terminal was called once per person since before (logins aside).
func pushedOnce(t *testing.T, e *env, sim *actateksim.Simulator, keys []string, before actateksim.Stats) {
	t.Helper()
	if got := e.states(t); got[store.OutboxDone] != len(keys) || len(got) != 1 {
		t.Fatalf("outbox = %v, want %d rows done", got, len(keys))
	}
	for _, k := range keys {
		if _, ok := sim.User(k); !ok {
			t.Errorf("%s is not on the terminal", k)
		}
	}
	after := sim.Stats()
	if calls := (after.Calls - before.Calls) - (after.Logins - before.Logins); calls != len(keys) {
		t.Errorf("%d calls other than logins for %d people: a row was pushed twice", calls, len(keys))
	}
}
