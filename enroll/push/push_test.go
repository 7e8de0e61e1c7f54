package push_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"enrollstation/devices/clue"
	"enrollstation/enroll"
	"enrollstation/enroll/push"
	"enrollstation/store"
)

func TestEnrollmentReachesEveryTarget(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	e := newEnv(t, startSims(t), fastPush())
	var mu sync.Mutex
	seen := map[int64][]store.OutboxState{}
	unsub := e.station.Subscribe(func(c enroll.Change) {
		mu.Lock()
		seen[c.Item.ID] = append(seen[c.Item.ID], c.Item.State)
		mu.Unlock()
	})
	defer unsub()
	keys := e.enrollN(t, 1, 1)
	if err := e.station.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.holdings(t, keys); !reflect.DeepEqual(got, want(1)) {
		t.Fatalf("holdings = %v, want %v", got, want(1))
	}
	if got := e.states(t); !reflect.DeepEqual(got, map[store.OutboxState]int{store.OutboxDone: 5}) {
		t.Fatalf("outbox = %v", got)
	}
	mu.Lock()
	for id, states := range seen {
		if states[len(states)-1] != store.OutboxDone || !containsState(states, store.OutboxInFlight) {
			t.Errorf("row %d was seen %v; want in flight, then done", id, states)
		}
	}
	if len(seen) != 5 {
		t.Errorf("changes of %d rows seen, want 5", len(seen))
	}
	mu.Unlock()
	status, err := e.st.PushStatus(ctx, keys[0])
	if err != nil {
		t.Fatal(err)
	}
	auths := e.sims.clue.Auths(e.sims.place)
	for _, it := range status {
		if it.TargetKind == store.TargetCLUe && (len(auths) != 1 || it.RemoteID != itoa(auths[0].AuthID)) {
			t.Errorf("CLUe row remote id %q, auths %+v", it.RemoteID, auths)
		}
	}

	// A done row pushed again changes nothing remote: same records, same CLUe auth.
	before := e.sims.clue.Auths(e.sims.place)
	for _, id := range e.ids {
		if _, err := e.st.Repush(ctx, keys[0], id, "op1", "again"); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.station.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.holdings(t, keys); !reflect.DeepEqual(got, want(1)) {
		t.Fatalf("holdings after a second push = %v", got)
	}
	after := e.sims.clue.Auths(e.sims.place)
	if len(after) != 1 || after[0].AuthID != before[0].AuthID || len(after[0].Faces) != 1 {
		t.Fatalf("CLUe auths after a second push: %+v, before %+v", after, before)
	}
}

func containsState(s []store.OutboxState, x store.OutboxState) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

func itoa(n int64) string { return fmtInt(n) }

func TestEveryTargetFailingForAWhile(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := startSims(t)
	e := newEnv(t, s, fastPush())
	s.setDown(true)
	keys := e.enrollN(t, 1, 3)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- e.station.Run(runCtx) }()
	// Wait until every row has failed at least twice and carries the device's message.
	waitFor(t, 30*time.Second, func() bool {
		for _, k := range keys {
			items, _ := e.st.PushStatus(ctx, k)
			for _, it := range items {
				if it.Attempts < 2 || it.LastError == "" || it.State == store.OutboxFailed {
					return false
				}
			}
		}
		return true
	})
	if got := e.holdings(t, keys); !reflect.DeepEqual(got, want(0)) {
		t.Fatalf("holdings during the outage = %v", got)
	}
	s.setDown(false)
	waitFor(t, 60*time.Second, func() bool { return e.states(t)[store.OutboxDone] == 15 })
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := e.holdings(t, keys); !reflect.DeepEqual(got, want(3)) {
		t.Fatalf("holdings after recovery = %v", got)
	}
	for _, o := range s.outages {
		if o.hits.Load() == 0 {
			t.Error("a simulator was never called during its outage")
		}
	}
}

// A permanent refusal fails for good with the device's own message, and can be retried by
// hand once mended.
func TestPermanentFailureAndManualRetry(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := startSims(t)
	e := newEnv(t, s, fastPush())
	term, err := e.st.Target(ctx, e.ids[2])
	if err != nil {
		t.Fatal(err)
	}
	term.Options = map[string]string{"group_id": "99"} // no such access group on the terminal
	if err := e.st.UpdateTarget(ctx, term, "tech"); err != nil {
		t.Fatal(err)
	}
	keys := e.enrollN(t, 1, 1)
	if err := e.station.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	status, _ := e.st.PushStatus(ctx, keys[0])
	var failed store.OutboxItem
	for _, it := range status {
		if it.Target == e.ids[2] {
			failed = it
		}
	}
	if failed.State != store.OutboxFailed || failed.Attempts != 1 || !containsText(failed.LastError, "access group 99 does not exist") {
		t.Fatalf("row on the misconfigured terminal: %+v", failed)
	}
	term.Options = nil
	if err := e.st.UpdateTarget(ctx, term, "tech"); err != nil {
		t.Fatal(err)
	}
	e.station.Worker().Forget(term.ID)
	if err := e.station.Retry(ctx, failed.ID, "op1"); err != nil {
		t.Fatal(err)
	}
	if err := e.station.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.holdings(t, keys); !reflect.DeepEqual(got, want(1)) {
		t.Fatalf("holdings after the retry = %v", got)
	}
}

// A CLUe register whose answer was lost meets the duplicate-key refusal: the authId is
// recovered from the place's events and the row is done, with one auth. When no event
// names the auth, the row is done with a note for the operator.
func TestCLUeLostRegisterAnswer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		tableShape bool // events name users by CLUe's numeric id, not our key
	}{{"recovered from events", false}, {"not recoverable", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			s := startSims(t)
			s.clue.SetFieldTableShape(tc.tableShape)
			e := newEnv(t, s, fastPush())
			keys := e.enrollN(t, 1, 1)
			// The earlier register reached CLUe; its answer never came back.
			c, err := clue.NewClient(clue.Options{BaseURL: s.targets[4].Address, PlaceID: s.place, APIKey: clue.Secret(s.clue.APIKey())})
			if err != nil {
				t.Fatal(err)
			}
			first, err := c.Auths.Register(ctx, clue.Registration{Key: keys[0], Name: "Given1 Family",
				Access: clue.Access{Faces: [][]byte{faceJPEG(t, 1)}}})
			if err != nil {
				t.Fatal(err)
			}
			if err := e.station.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			status, _ := e.st.PushStatus(ctx, keys[0])
			var row store.OutboxItem
			for _, it := range status {
				if it.TargetKind == store.TargetCLUe {
					row = it
				}
			}
			auths := s.clue.Auths(s.place)
			if len(auths) != 1 || auths[0].AuthID != first.AuthID {
				t.Fatalf("auths = %+v, want only %d", auths, first.AuthID)
			}
			if row.State != store.OutboxDone {
				t.Fatalf("row = %+v", row)
			}
			if tc.tableShape {
				if row.RemoteID != "" || !containsText(row.Note, "already has an auth") {
					t.Fatalf("unrecoverable row = %+v", row)
				}
				return
			}
			if row.RemoteID != itoa(first.AuthID) || row.Note != "" {
				t.Fatalf("recovered row = %+v, want remote id %d", row, first.AuthID)
			}
		})
	}
}

func TestEraseEverywhere(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := startSims(t)
	e := newEnv(t, s, fastPush())
	keys := e.enrollN(t, 1, 2)
	if err := e.station.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	erased := make(chan string, 4)
	defer e.station.Subscribe(func(c enroll.Change) {
		if c.Erased != "" {
			erased <- c.Erased
		}
	})()
	// Each step is retried like a push: the first terminal is away for a while.
	s.outages[2].down.Store(true)
	if err := e.station.Erase(ctx, keys[0], "op1"); err != nil {
		t.Fatal(err)
	}
	// The terminal's delete keeps coming due, so RunOnce goes on until it is stopped; stop
	// it once the delete has been refused twice (however long that takes on a busy machine).
	rctx, cancel := context.WithCancel(ctx)
	ran := make(chan error, 1)
	go func() { ran <- e.station.RunOnce(rctx) }()
	refusedTwice := func() bool {
		rows, _ := e.st.Outbox(ctx, keys[0])
		return len(rows) > 1 && rows[1].Attempts >= 2 && containsText(rows[1].LastError, "temporarily unavailable")
	}
	for deadline := time.Now().Add(30 * time.Second); !refusedTwice(); time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-ran:
			cancel()
			t.Fatalf("RunOnce returned during the outage: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			rows, _ := e.st.Outbox(ctx, keys[0])
			t.Fatalf("the delete was not tried twice during the outage: %+v", rows)
		}
	}
	cancel()
	if err := <-ran; !errors.Is(err, context.Canceled) {
		t.Fatalf("RunOnce during the outage: %v", err)
	}
	// A call cut short by the stop keeps the terminal's own message on the row.
	rows, _ := e.st.Outbox(ctx, keys[0])
	if rows[1].Target != e.ids[2] || rows[1].State != store.OutboxPending || rows[1].Attempts < 2 || !containsText(rows[1].LastError, "temporarily unavailable") {
		t.Fatalf("delete on the terminal during its outage: %+v", rows[1])
	}
	if _, err := e.st.Person(ctx, keys[0]); err != nil {
		t.Fatalf("the journal erased the person before every target did: %v", err)
	}
	s.outages[2].down.Store(false)
	// The delete's back-off is within DueSoon: one run finishes the erase.
	if err := e.station.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.Person(ctx, keys[0]); !errors.Is(err, store.ErrNotFound) {
		rows, _ := e.st.Outbox(ctx, keys[0])
		t.Fatalf("not erased (%v); rows %+v", err, rows)
	}
	if got := <-erased; got != keys[0] {
		t.Fatalf("erase change for %q", got)
	}
	if got := e.holdings(t, keys[1:]); !reflect.DeepEqual(got, want(1)) {
		t.Fatalf("holdings after erase = %v, want only the other person", got)
	}
	if _, ok := s.actatek[0].User(keys[0]); ok {
		t.Fatal("terminal-1 still holds the erased person")
	}
	for _, a := range s.clue.Auths(s.place) {
		if a.Key == keys[0] {
			t.Fatal("CLUe still holds the erased person")
		}
	}
	if caps, _ := e.st.Captures(ctx, keys[0]); len(caps) != 0 {
		t.Fatalf("captures left: %d", len(caps))
	}
	rows, err := e.st.Outbox(ctx, keys[0])
	if err != nil || len(rows) != 5 {
		t.Fatalf("delete rows after erase: %d, %v", len(rows), err)
	}
	for _, r := range rows {
		if r.Op != store.OpDelete || r.State != store.OutboxDone {
			t.Errorf("row after erase: %+v", r)
		}
	}
	ev, err := e.st.AuditLog(ctx, store.AuditQuery{PersonKey: keys[0]})
	if err != nil {
		t.Fatal(err)
	}
	var erases int
	for _, a := range ev {
		if a.Action == store.ActionErase {
			erases++
		}
	}
	if erases != 2 { // queued, then done in the journal
		t.Fatalf("erase audit rows = %d: %+v", erases, ev)
	}
}

func TestReconcileFindsAndRepairsDrift(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := startSims(t)
	e := newEnv(t, s, fastPush())
	keys := e.enrollN(t, 1, 3)
	if err := e.station.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	term := e.ids[3] // terminal-2
	tg, err := e.station.OpenTarget(ctx, term)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	// Drift made at the terminal: one user deleted, one renamed, one added by hand.
	drift(t, s.targets[3].Address, s.actatek[1], keys)

	rep, err := e.station.Reconcile(ctx, term, false)
	if err != nil {
		t.Fatal(err)
	}
	wantFindings := []push.Finding{
		{Kind: push.Missing, PersonKey: keys[0], Name: "Given1 Family"},
		{Kind: push.Different, PersonKey: keys[1], Name: "Given2 Family", Detail: `name: journal "Given2 Family", target "Changed Family"`},
		{Kind: push.Unknown, PersonKey: "walk-in", Name: "Walk In"},
	}
	if !reflect.DeepEqual(rep.Findings, wantFindings) || rep.Checked != 3 || rep.InSync != 1 || !rep.Complete {
		t.Fatalf("report = %+v\nwant findings %+v", rep, wantFindings)
	}
	rep, err = e.station.Reconcile(ctx, term, true)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count(push.Missing) != 1 || rep.Count(push.Different) != 1 || rep.Findings[0].Requeued == 0 || rep.Findings[2].Requeued != 0 {
		t.Fatalf("repair report = %+v", rep)
	}
	if err := e.station.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err = e.station.Reconcile(ctx, term, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep.Findings, wantFindings[2:]) || rep.InSync != 3 {
		t.Fatalf("after repair = %+v", rep)
	}
	if u, _ := s.actatek[1].User(keys[1]); u.FirstName != "Given2" {
		t.Fatalf("repaired user = %+v", u.FirstName)
	}
}

func waitFor(t *testing.T, d time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not reached within %s", d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
