package target

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/store"
)

func lockRig(t *testing.T) (*ef45sim.Device, *ef45Target, *ef45.Session) {
	t.Helper()
	dev := ef45sim.New(ef45sim.Options{Seed: 3})
	srv := httptest.NewServer(dev)
	t.Cleanup(srv.Close)
	tg, err := openEF45(store.Target{Kind: store.TargetEF45, Name: "gate", Address: srv.URL}, Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	other, err := ef45.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	held, err := other.Open(t.Context(), false) // another station's push under way
	if err != nil {
		t.Fatal(err)
	}
	return dev, tg, held
}

func lockRecord() Record {
	return Record{Person: store.Person{Key: "k-1", GivenName: "Ada", FamilyName: "Lovelace"}, CaptureID: "c-1",
		Blobs: []store.Blob{{Kind: store.EyeTemplate, Variant: "left", Data: []byte("left-template")},
			{Kind: store.EyeTemplate, Variant: "right", Data: []byte("right-template")}}}
}

// A push meeting a lock another station holds for its call waits for that call to end
// rather than taking the lock over: the other's call goes through, and then this one.
func TestEF45PushWaitsForAnotherPushersLock(t *testing.T) {
	ctx := t.Context()
	dev, tg, held := lockRig(t)
	otherDone := make(chan error, 1)
	go func() {
		time.Sleep(300 * time.Millisecond)
		_, err := held.Subjects.RecordVersion(ctx) // still the holder's lock
		otherDone <- errors.Join(err, held.Close(ctx))
	}()
	start := time.Now()
	if _, err := tg.Push(ctx, lockRecord()); err != nil {
		t.Fatal(err)
	}
	if err := <-otherDone; err != nil {
		t.Fatalf("the other station's call under the lock: %v (its lock was taken over)", err)
	}
	if waited := time.Since(start); waited < 300*time.Millisecond {
		t.Errorf("the push took %s: it did not wait for the lock", waited)
	}
	if !dev.HasSubject("k-1") || dev.State().LockHeld {
		t.Errorf("after the push: subject %v, lock held %v", dev.HasSubject("k-1"), dev.State().LockHeld)
	}
}

// A lock kept past the wait is one a pusher killed mid-call left: it is taken over.
func TestEF45PushTakesOverAStaleLock(t *testing.T) {
	ctx := t.Context()
	dev, tg, held := lockRig(t)
	tg.wait = 200 * time.Millisecond
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := tg.Push(ctx, lockRecord()); err != nil {
		t.Fatal(err)
	}
	if !dev.HasSubject("k-1") {
		t.Error("the push did not reach the unit")
	}
	if _, err := held.Subjects.RecordVersion(ctx); !errors.Is(err, ef45.ErrLockLost) {
		t.Errorf("the stale holder's call: %v, want ErrLockLost", err)
	}
}
