package store

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

// A worker renewing a row's lease keeps it from another worker (on another Store of the
// same journal) past the lease it claimed it with; a row it did not renew comes free when
// its lease ends, and is then the other's: the first can renew it no more, nor record it.
func TestRenewLeasesKeepsRowsFromOtherWorkers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := testLocation(t)
	a, b := openAt(t, loc), openAt(t, loc)
	tg := addTarget(t, a, TargetCLUe, "HQ")
	var rows []int64
	for _, k := range []string{"k1", "k2"} {
		saved, err := a.SaveCapture(ctx, testPerson(k, "P", k), testCapture(k), []TargetID{tg})
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, saved.Outbox...)
	}
	t0 := time.Now()
	if got, err := a.ClaimDue(ctx, "worker-a", t0, 30*time.Second, 10); err != nil || len(got) != 2 {
		t.Fatalf("claim: %+v, %v", got, err)
	}
	until := t0.Add(90 * time.Second)
	renewed, err := a.RenewLeases(ctx, "worker-a", rows[:1], until)
	if err != nil || !slices.Equal(renewed, rows[:1]) {
		t.Fatalf("renew %v: %v, %v", rows[:1], renewed, err)
	}
	if it, err := b.OutboxItem(ctx, rows[0]); err != nil || it.LeaseUntil.UnixMilli() != until.UnixMilli() || it.LeaseOwner != "worker-a" {
		t.Fatalf("renewed row as the other store reads it: %+v, %v", it, err)
	}
	// Past the first lease the other worker gets the row that was not renewed, only.
	got, err := b.ClaimDue(ctx, "worker-b", t0.Add(60*time.Second), 30*time.Second, 10)
	if err != nil || len(got) != 1 || got[0].ID != rows[1] {
		t.Fatalf("claim past the first lease: %+v, %v, want row %d alone", got, err, rows[1])
	}
	if renewed, err := a.RenewLeases(ctx, "worker-a", rows, until.Add(time.Minute)); err != nil || !slices.Equal(renewed, rows[:1]) {
		t.Fatalf("renew both after losing one: %v, %v, want %v", renewed, err, rows[:1])
	}
	if err := a.Complete(ctx, rows[1], "worker-a", ""); !errors.Is(err, ErrLeaseLost) {
		t.Fatalf("complete of the lost row: %v, want ErrLeaseLost", err)
	}
	for i, w := range []string{"worker-a", "worker-b"} {
		if err := a.Complete(ctx, rows[i], w, ""); err != nil {
			t.Fatal(err)
		}
	}
	// A recorded row is in flight no more: nothing to renew.
	if renewed, err := a.RenewLeases(ctx, "worker-a", rows, until.Add(2*time.Minute)); err != nil || len(renewed) != 0 {
		t.Fatalf("renew recorded rows: %v, %v", renewed, err)
	}
	if _, err := a.RenewLeases(ctx, " ", rows, until); !errors.Is(err, ErrInvalid) {
		t.Fatalf("renew without a worker: %v, want ErrInvalid", err)
	}
}

// Renewals and claims at once, from two Stores: a row is either renewed by its holder or
// claimed by the other, never both; renewals never block on each other's journal writes.
func TestRenewLeasesRacingClaims(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := testLocation(t)
	a, b := openAt(t, loc), openAt(t, loc)
	tg := addTarget(t, a, TargetCLUe, "HQ")
	const people = 30
	for i := range people {
		k := string(rune('a'+i%26)) + string(rune('a'+i/26))
		if _, err := a.SaveCapture(ctx, testPerson(k, "P", k), testCapture(k), []TargetID{tg}); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Now()
	held, err := a.ClaimDue(ctx, "worker-a", t0, time.Second, people)
	if err != nil || len(held) != people {
		t.Fatalf("claim: %d rows, %v", len(held), err)
	}
	ids := make([]int64, len(held))
	for i, it := range held {
		ids[i] = it.ID
	}
	// Once the leases have ended, a renews each row while b claims them.
	later := t0.Add(2 * time.Second)
	var wg sync.WaitGroup
	renewedBy := map[int64]bool{}
	var claimed []OutboxItem
	wg.Add(2)
	go func() {
		defer wg.Done()
		for _, id := range ids {
			r, err := a.RenewLeases(ctx, "worker-a", []int64{id}, later.Add(time.Minute))
			if err != nil {
				t.Error(err)
				return
			}
			for _, id := range r {
				renewedBy[id] = true
			}
		}
	}()
	go func() {
		defer wg.Done()
		for range people {
			got, err := b.ClaimDue(ctx, "worker-b", later, time.Minute, 1)
			if err != nil {
				t.Error(err)
				return
			}
			claimed = append(claimed, got...)
		}
	}()
	wg.Wait()
	for _, it := range claimed {
		if renewedBy[it.ID] {
			t.Errorf("row %d renewed by worker-a and claimed by worker-b", it.ID)
		}
	}
	if len(claimed)+len(renewedBy) != people {
		t.Errorf("%d claimed by b and %d renewed by a, want %d in all", len(claimed), len(renewedBy), people)
	}
	for _, id := range ids {
		it, err := a.OutboxItem(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]string{true: "worker-a", false: "worker-b"}[renewedBy[id]]; it.LeaseOwner != want {
			t.Errorf("row %d held by %q, want %q", id, it.LeaseOwner, want)
		}
	}
}
