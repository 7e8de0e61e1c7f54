package store

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// An erase waits for a push in flight, carries the remote id it deletes, and the journal's
// part becomes due only when every delete is done; the delete rows outlive the person.
func TestQueueEraseLifecycle(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := openTest(t)
	a := addTarget(t, s, TargetCLUe, "HQ")
	b := addTarget(t, s, TargetACTAtek, "Lobby")
	saved, err := s.SaveCapture(ctx, testPerson("k1", "Ada", "Lovelace"), testCapture("1"), []TargetID{a, b})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	got, err := s.ClaimDueTarget(ctx, "w", a, now, time.Minute, 10)
	if err != nil || len(got) != 1 || got[0].Target != a || got[0].Op != OpPush {
		t.Fatalf("claim target %d: %+v %v", a, got, err)
	}
	if err := s.Complete(ctx, got[0].ID, "w", "77"); err != nil {
		t.Fatal(err)
	}
	// Target b's push is in flight when the erase is asked for.
	inFlight, err := s.ClaimDueTarget(ctx, "w", b, now, time.Minute, 10)
	if err != nil || len(inFlight) != 1 {
		t.Fatalf("claim target %d: %+v %v", b, inFlight, err)
	}
	ids, err := s.QueueErase(ctx, "k1", "op1", []TargetID{a, b})
	if err != nil || len(ids) != 2 {
		t.Fatalf("QueueErase = %v, %v", ids, err)
	}
	again, err := s.QueueErase(ctx, "k1", "op1", []TargetID{a, b})
	if err != nil || !slices.Equal(again, ids) {
		t.Fatalf("second QueueErase = %v, %v; want the waiting %v", again, err, ids)
	}
	claimed, err := s.ClaimDue(ctx, "w", time.Now(), time.Minute, 10)
	if err != nil || len(claimed) != 1 || claimed[0].Target != a || claimed[0].Op != OpDelete || claimed[0].PriorRemoteID != "77" {
		t.Fatalf("claim with a push in flight on %d: %+v %v", b, claimed, err)
	}
	if err := s.Complete(ctx, claimed[0].ID, "w", ""); err != nil {
		t.Fatal(err)
	}
	if due, err := s.EraseDue(ctx); err != nil || len(due) != 0 {
		t.Fatalf("EraseDue with a delete waiting = %v, %v", due, err)
	}
	if err := s.Complete(ctx, inFlight[0].ID, "w", ""); err != nil {
		t.Fatal(err)
	}
	claimed, err = s.ClaimDue(ctx, "w", time.Now(), time.Minute, 10)
	if err != nil || len(claimed) != 1 || claimed[0].Target != b || claimed[0].Op != OpDelete {
		t.Fatalf("claim after the push finished: %+v %v", claimed, err)
	}
	if err := s.Complete(ctx, claimed[0].ID, "w", ""); err != nil {
		t.Fatal(err)
	}
	due, err := s.EraseDue(ctx)
	if err != nil || !slices.Equal(due, []string{"k1"}) {
		t.Fatalf("EraseDue = %v, %v", due, err)
	}
	if _, err := s.Erase(ctx, "k1", "op1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Capture(ctx, saved.CaptureID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("capture after erase: %v", err)
	}
	rows, err := s.Outbox(ctx, "k1")
	if err != nil || len(rows) != 2 || rows[0].Op != OpDelete || rows[1].Op != OpDelete || rows[0].State != OutboxDone {
		t.Fatalf("rows after erase: %+v %v", rows, err)
	}
	if due, err := s.EraseDue(ctx); err != nil || len(due) != 0 {
		t.Fatalf("EraseDue after erase = %v, %v", due, err)
	}
	if rep, err := s.Verify(ctx); err != nil || !rep.OK() {
		t.Fatalf("verify: %v %v", err, rep.Problems)
	}
}

func TestReleaseLeasesAndRepush(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := openTest(t)
	a := addTarget(t, s, TargetEF45, "Gate")
	if _, err := s.SaveCapture(ctx, testPerson("k1", "Ada", "Lovelace"), testCapture("1"), []TargetID{a}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if got, err := s.ClaimDue(ctx, "host:1:x", now, time.Hour, 1); err != nil || len(got) != 1 {
		t.Fatalf("claim: %+v %v", got, err)
	}
	owners, err := s.LeaseOwners(ctx)
	if err != nil || !slices.Equal(owners, []string{"host:1:x"}) {
		t.Fatalf("LeaseOwners = %v, %v", owners, err)
	}
	if n, err := s.ReleaseLeases(ctx, "host:1:x", now); err != nil || n != 1 {
		t.Fatalf("ReleaseLeases = %d, %v", n, err)
	}
	got, err := s.ClaimDue(ctx, "host:2:y", time.Now(), time.Hour, 1)
	if err != nil || len(got) != 1 || got[0].Attempts != 2 {
		t.Fatalf("claim after release: %+v %v", got, err)
	}
	if err := s.Complete(ctx, got[0].ID, "host:2:y", "u1"); err != nil {
		t.Fatal(err)
	}
	id, err := s.Repush(ctx, "k1", a, "op1", "missing on the target")
	if err != nil {
		t.Fatal(err)
	}
	cur, err := s.TargetOutbox(ctx, a)
	if err != nil || len(cur) != 1 || cur[0].ID != id || cur[0].State != OutboxPending || cur[0].PriorRemoteID != "u1" {
		t.Fatalf("TargetOutbox = %+v, %v", cur, err)
	}
	if rep, err := s.Verify(ctx); err != nil || !rep.OK() {
		t.Fatalf("verify: %v %v", err, rep.Problems)
	}
}
