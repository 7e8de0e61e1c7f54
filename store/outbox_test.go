package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestClaimLeaseExpiresAndIsReclaimed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	tg := addTarget(t, s, TargetCLUe, "HQ")
	saved, err := s.SaveCapture(ctx, testPerson("k1", "Ada", "Lovelace"), testCapture("1"), []TargetID{tg})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	a, err := s.ClaimDue(ctx, "worker-a", t0, 30*time.Second, 10)
	if err != nil || len(a) != 1 {
		t.Fatalf("first claim: %+v, %v", a, err)
	}
	it := a[0]
	if it.ID != saved.Outbox[0] || it.State != OutboxInFlight || it.Attempts != 1 || it.LeaseOwner != "worker-a" ||
		it.LeaseUntil.UnixMilli() != t0.Add(30*time.Second).UnixMilli() || it.PersonKey != "k1" ||
		it.CaptureID != saved.CaptureID || it.TargetName != "HQ" || it.TargetKind != TargetCLUe {
		t.Fatalf("claimed item = %+v", it)
	}
	// Within the lease nobody else gets it.
	if b, err := s.ClaimDue(ctx, "worker-b", t0.Add(29*time.Second), 30*time.Second, 10); err != nil || len(b) != 0 {
		t.Fatalf("claim within the lease: %+v, %v", b, err)
	}
	// worker-a dies; once the lease runs out worker-b gets the row, as a new attempt.
	b, err := s.ClaimDue(ctx, "worker-b", t0.Add(31*time.Second), 30*time.Second, 10)
	if err != nil || len(b) != 1 || b[0].ID != it.ID || b[0].Attempts != 2 || b[0].LeaseOwner != "worker-b" {
		t.Fatalf("claim after the lease: %+v, %v", b, err)
	}
	// worker-a comes back late: its result is refused.
	if err := s.Complete(ctx, it.ID, "worker-a", "auth-a"); !errors.Is(err, ErrLeaseLost) {
		t.Fatalf("late complete: %v, want ErrLeaseLost", err)
	}
	if err := s.Complete(ctx, it.ID, "worker-b", "auth-b"); err != nil {
		t.Fatal(err)
	}
	st, err := s.PushStatus(ctx, "k1")
	if err != nil || len(st) != 1 || st[0].State != OutboxDone || st[0].RemoteID != "auth-b" || st[0].DoneAt.IsZero() || st[0].LeaseOwner != "" {
		t.Fatalf("status after complete: %+v, %v", st, err)
	}
	if p, _ := s.Person(ctx, "k1"); p.PushState != PushDone {
		t.Fatalf("person push state %s", p.PushState)
	}
	if rep, err := s.Verify(ctx); err != nil || !rep.OK() {
		t.Fatalf("verify: %v %v", err, rep.Problems)
	}
}

// Claimers in one program and in two (two Stores on one file) never get the same row, and
// between them take every row.
func TestConcurrentClaimersNeverShareARow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journal.db")
	s1, s2 := openAt(t, path), openAt(t, path)
	targets := []TargetID{addTarget(t, s1, TargetCLUe, "HQ"), addTarget(t, s1, TargetACTAtek, "Lobby"), addTarget(t, s1, TargetEF45, "Gate")}
	const people = 40
	for i := range people {
		if _, err := s1.SaveCapture(ctx, testPerson(fmt.Sprintf("k%d", i), "P", fmt.Sprint(i)), testCapture(fmt.Sprint(i)), targets); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	claimedBy := map[int64]string{}
	var dup []string
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := s1
			if w%2 == 1 {
				s = s2
			}
			name := fmt.Sprintf("worker-%d", w)
			for {
				items, err := s.ClaimDue(ctx, name, time.Now(), time.Minute, 3)
				if err != nil {
					t.Error(err)
					return
				}
				if len(items) == 0 {
					return
				}
				mu.Lock()
				for _, it := range items {
					if prev, ok := claimedBy[it.ID]; ok {
						dup = append(dup, fmt.Sprintf("%d by %s and %s", it.ID, prev, name))
					}
					claimedBy[it.ID] = name
				}
				mu.Unlock()
				for _, it := range items {
					if err := s.Complete(ctx, it.ID, name, ""); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	if len(dup) > 0 {
		t.Fatalf("rows claimed twice: %s", strings.Join(dup, "; "))
	}
	if len(claimedBy) != people*len(targets) {
		t.Fatalf("%d rows claimed, want %d", len(claimedBy), people*len(targets))
	}
	counts, err := s1.OutboxCounts(ctx)
	if err != nil || counts[OutboxDone] != people*len(targets) || len(counts) != 1 {
		t.Fatalf("outbox counts %v, %v", counts, err)
	}
}

func TestRetryFailRequeue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	tg := addTarget(t, s, TargetACTAtek, "Lobby")
	saved, err := s.SaveCapture(ctx, testPerson("k1", "Ada", "Lovelace"), testCapture("1"), []TargetID{tg})
	if err != nil {
		t.Fatal(err)
	}
	id := saved.Outbox[0]
	t0 := time.Now()
	if _, err := s.ClaimDue(ctx, "w", t0, time.Minute, 1); err != nil {
		t.Fatal(err)
	}
	next := t0.Add(10 * time.Second)
	if err := s.Retry(ctx, id, "w", "dial tcp 10.0.0.5:443: connection refused", next); err != nil {
		t.Fatal(err)
	}
	if at, ok, err := s.NextDue(ctx); err != nil || !ok || at.UnixMilli() != next.UnixMilli() {
		t.Fatalf("NextDue = %v %v %v, want %v", at, ok, err, next)
	}
	if items, _ := s.ClaimDue(ctx, "w", next.Add(-time.Millisecond), time.Minute, 1); len(items) != 0 {
		t.Fatal("a retry was claimed before its time")
	}
	items, err := s.ClaimDue(ctx, "w", next, time.Minute, 1)
	if err != nil || len(items) != 1 || items[0].Attempts != 2 || items[0].LastError != "dial tcp 10.0.0.5:443: connection refused" {
		t.Fatalf("claim of the retry: %+v, %v", items, err)
	}
	long := strings.Repeat("é", 3000) // device sent a page of text
	if err := s.Fail(ctx, id, "w", "ACTAtek addUser: "+long); err != nil {
		t.Fatal(err)
	}
	st, _ := s.PushStatus(ctx, "k1")
	if len(st) != 1 || st[0].State != OutboxFailed || !strings.HasPrefix(st[0].LastError, "ACTAtek addUser: é") || len(st[0].LastError) > maxMessage+4 ||
		!strings.HasSuffix(st[0].LastError, "é…") {
		t.Fatalf("failed status: %+v", st)
	}
	if p, _ := s.Person(ctx, "k1"); p.PushState != PushFailed {
		t.Fatalf("push state %s, want failed", p.PushState)
	}
	if _, ok, _ := s.NextDue(ctx); ok {
		t.Fatal("a failed push is still due")
	}
	if err := s.Fail(ctx, id, "w", "again"); !errors.Is(err, ErrLeaseLost) {
		t.Fatalf("fail of a row not in flight: %v", err)
	}
	if err := s.Requeue(ctx, id, "op1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Requeue(ctx, id, "op1"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("requeue of a pending row: %v", err)
	}
	if err := s.Requeue(ctx, 999, "op1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("requeue of a missing row: %v", err)
	}
	if p, _ := s.Person(ctx, "k1"); p.PushState != PushPending {
		t.Fatalf("push state after requeue %s", p.PushState)
	}
	ev, _ := s.AuditLog(ctx, AuditQuery{PersonKey: "k1"})
	var actions []string
	for _, e := range ev {
		actions = append(actions, string(e.Action)+"/"+e.Operator)
	}
	if got := strings.Join(actions, " "); got != "retry/op1 push/w enroll/op1" {
		t.Fatalf("audit trail: %s", got)
	}
}

func TestPriorRemoteIDComesWithTheNextPush(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	tg := addTarget(t, s, TargetCLUe, "HQ")
	if _, err := s.SaveCapture(ctx, testPerson("k1", "Ada", "Lovelace"), testCapture("1"), []TargetID{tg}); err != nil {
		t.Fatal(err)
	}
	items, _ := s.ClaimDue(ctx, "w", time.Now(), time.Minute, 1)
	if len(items) != 1 || items[0].PriorRemoteID != "" {
		t.Fatalf("first push: %+v", items)
	}
	if err := s.Complete(ctx, items[0].ID, "w", "auth-7"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveCapture(ctx, testPerson("k1", "Ada", "Lovelace"), testCapture("2"), []TargetID{tg}); err != nil {
		t.Fatal(err)
	}
	items, _ = s.ClaimDue(ctx, "w", time.Now(), time.Minute, 1)
	if len(items) != 1 || items[0].PriorRemoteID != "auth-7" {
		t.Fatalf("second push: %+v", items)
	}
}

func TestClaimDueRefusesBadArguments(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	for _, c := range []struct {
		worker string
		lease  time.Duration
		limit  int
	}{{"", time.Minute, 1}, {"w", 0, 1}, {"w", time.Minute, 0}} {
		if _, err := s.ClaimDue(context.Background(), c.worker, time.Now(), c.lease, c.limit); !errors.Is(err, ErrInvalid) {
			t.Errorf("ClaimDue(%+v): %v", c, err)
		}
	}
}

// Finish records several outcomes in one transaction; what it returns is what a read of
// each row returns, and a row whose lease was lost is left alone while the others are
// recorded.
func TestFinishGroup(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := openTest(t)
	a := addTarget(t, s, TargetACTAtek, "door-a")
	b := addTarget(t, s, TargetACTAtek, "door-b")
	for i, k := range []string{"k1", "k2"} {
		if _, err := s.SaveCapture(ctx, testPerson(k, "Ada", fmt.Sprint(i)), testCapture(fmt.Sprint(i)), []TargetID{a, b}); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Now()
	claim, err := s.ClaimDueTargets(ctx, "w", ClaimRequest{Want: map[TargetID]int{a: 2, b: 1}, Now: t0, Lease: time.Minute})
	claimed := claim.Items
	if err != nil || len(claimed[a]) != 2 || len(claimed[b]) != 1 || claim.Len() != 3 {
		t.Fatalf("claim: %+v, %v", claimed, err)
	}
	// The people of the rows come with them, as they stand.
	if len(claim.People) != 2 || claim.People["k1"].FamilyName != "0" || claim.People["k2"].GivenName != "Ada" {
		t.Fatalf("claimed people: %+v", claim.People)
	}
	for _, it := range append(claimed[a], claimed[b]...) {
		if it.State != OutboxInFlight || it.LeaseOwner != "w" || it.Attempts != 1 {
			t.Fatalf("claimed row = %+v", it)
		}
	}
	// One row of door-b is left; another worker's lease on it is not w's to record.
	other, err := s.ClaimDueTarget(ctx, "other", b, t0, time.Minute, 5)
	if err != nil || len(other) != 1 {
		t.Fatalf("other claim: %+v, %v", other, err)
	}
	next := t0.Add(time.Hour)
	outs := []Outcome{
		{Item: claimed[a][0], State: OutboxDone, RemoteID: "u-1"},
		{Item: claimed[a][1], State: OutboxPending, Message: "HTTP 503", Next: next},
		{Item: claimed[b][0], State: OutboxFailed, Message: "the terminal is full"},
		{Item: other[0], State: OutboxDone, RemoteID: "stolen"},
	}
	items, errs, err := s.Finish(ctx, "w", outs)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if errs[i] != nil {
			t.Fatalf("outcome %d: %v", i, errs[i])
		}
		want, err := s.OutboxItem(ctx, outs[i].Item.ID)
		if err != nil {
			t.Fatal(err)
		}
		if items[i] != want {
			t.Fatalf("outcome %d returned %+v\nbut the row reads %+v", i, items[i], want)
		}
		if want.State != outs[i].State || want.LeaseOwner != "" {
			t.Fatalf("row %d = %+v", i, want)
		}
	}
	if items[1].LastError != "HTTP 503" || !items[1].NextAttemptAt.Equal(time.UnixMilli(next.UnixMilli()).UTC()) ||
		items[0].RemoteID != "u-1" || items[0].DoneAt.IsZero() || items[2].LastError != "the terminal is full" {
		t.Fatalf("recorded rows = %+v", items[:3])
	}
	if !errors.Is(errs[3], ErrLeaseLost) {
		t.Fatalf("another worker's row: %v, want ErrLeaseLost", errs[3])
	}
	if still, _ := s.OutboxItem(ctx, other[0].ID); still.State != OutboxInFlight || still.LeaseOwner != "other" {
		t.Fatalf("another worker's row was changed: %+v", still)
	}
	// Push states follow in the same commit: k1 is done on door-a and failed on door-b; k2
	// waits on door-a and is in flight to door-b.
	if outs[0].Item.PersonKey != "k1" || outs[2].Item.PersonKey != "k1" || outs[1].Item.PersonKey != "k2" {
		t.Fatalf("claim order: %+v", outs)
	}
	got := map[string]PushState{}
	for _, k := range []string{"k1", "k2"} {
		p, err := s.Person(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		got[k] = p.PushState
	}
	if want := map[string]PushState{"k1": PushFailed, "k2": PushPending}; !maps.Equal(got, want) {
		t.Fatalf("push states = %v, want %v", got, want)
	}
	if rep, err := s.Verify(ctx); err != nil || !rep.OK() {
		t.Fatalf("verify: %v %v", err, rep.Problems)
	}
}

// Claims and outcomes commit unsynced; the writer is synced again for the next save.
func TestOutboxBookkeepingLeavesTheWriterSynced(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	a := addTarget(t, s, TargetACTAtek, "door-a")
	if _, err := s.SaveCapture(ctx, testPerson("k1", "Ada", "L"), testCapture("1"), []TargetID{a}); err != nil {
		t.Fatal(err)
	}
	synchronous := func() int {
		var v int
		if onPostgres() {
			var mode string
			if err := s.w.QueryRowContext(ctx, `SHOW synchronous_commit`).Scan(&mode); err != nil {
				t.Fatal(err)
			}
			if mode == "on" {
				v = 2
			}
			return v
		}
		if err := s.w.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	const full = 2 // SQLite's FULL, PostgreSQL's synchronous_commit on
	if v := synchronous(); v != full {
		t.Fatalf("synchronous = %d before any claim, want FULL", v)
	}
	items, err := s.ClaimDue(ctx, "w", time.Now(), time.Minute, 5)
	if err != nil || len(items) != 1 {
		t.Fatalf("claim: %v, %v", items, err)
	}
	if v := synchronous(); v != full {
		t.Fatalf("synchronous = %d after a claim, want FULL", v)
	}
	if err := s.Complete(ctx, items[0].ID, "w", "r1"); err != nil {
		t.Fatal(err)
	}
	if v := synchronous(); v != full {
		t.Fatalf("synchronous = %d after an outcome, want FULL", v)
	}
}

// A claim brings the rows' people and decrypted captures; a capture that does not open is
// left out for its row to report, and the claim goes on.
func TestClaimReadsPeopleAndCaptures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	a := addTarget(t, s, TargetACTAtek, "door-a")
	var ids []string
	for i, k := range []string{"k1", "k2"} {
		saved, err := s.SaveCapture(ctx, testPerson(k, "Ada", fmt.Sprint(i)), testCapture(fmt.Sprint(i)), []TargetID{a})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, saved.CaptureID)
	}
	// Damage one blob of the second capture.
	if _, err := s.w.ExecContext(ctx, `UPDATE blobs SET sealed = ?
		WHERE kind = 'face_image' AND capture_id = (SELECT id FROM captures WHERE capture_key = ?)`, make([]byte, 64), ids[1]); err != nil {
		t.Fatal(err)
	}
	b := addTarget(t, s, TargetACTAtek, "door-b")
	held, err := s.SaveCapture(ctx, testPerson("k3", "Ada", "3"), testCapture("3"), []TargetID{b})
	if err != nil {
		t.Fatal(err)
	}
	claim, err := s.ClaimDueTargets(ctx, "w", ClaimRequest{Want: map[TargetID]int{a: 5, b: 5}, Now: time.Now(), Lease: time.Minute,
		Have: func(id string) bool { return id == held.CaptureID }})
	if err != nil || claim.Len() != 3 {
		t.Fatalf("claim: %+v, %v", claim, err)
	}
	if len(claim.Captures) != 1 {
		t.Fatalf("captures read: %d, want only k1's (k2's does not open, k3's is held)", len(claim.Captures))
	}
	if len(claim.People) != 3 {
		t.Fatalf("people: %+v", claim.People)
	}
	got, ok := claim.Captures[ids[0]]
	want := testCapture("0")
	if !ok || len(got.Blobs) != len(want.Blobs) || string(got.Blobs[2].Data) != string(want.Blobs[2].Data) || got.PersonKey != "k1" {
		t.Fatalf("capture of k1: %+v", got)
	}
	if _, ok := claim.Captures[ids[1]]; ok {
		t.Fatal("a capture whose blob does not open came with the claim")
	}
	if _, err := s.Capture(ctx, ids[1]); err == nil {
		t.Fatal("the damaged capture reads")
	}
}
