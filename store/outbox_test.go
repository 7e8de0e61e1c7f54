package store

import (
	"context"
	"errors"
	"fmt"
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
