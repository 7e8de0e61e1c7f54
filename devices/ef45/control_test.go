package ef45_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
)

func TestReadCardWaitsForTheCard(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, ef45sim.Options{CardDelay: 300 * time.Millisecond})
	s := openSession(t, newClient(t, d))
	if err := s.Camera.Set(ctx, ef45.ModeSlave, false); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	card, err := s.Control.ReadCard(ctx, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ef45.CardHex(card); err != nil {
		t.Fatalf("card %q: %v", card, err)
	}
	if time.Since(start) < 250*time.Millisecond {
		t.Fatalf("card arrived after %v, before the reader's delay", time.Since(start))
	}
}

func TestReadCardGivesUpWithTheContext(t *testing.T) {
	d := newDevice(t, ef45sim.Options{CardDelay: time.Hour})
	s := openSession(t, newClient(t, d))
	if err := s.Camera.Set(context.Background(), ef45.ModeSlave, false); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := s.Control.ReadCard(ctx, 20*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
}

func TestManualControlAndAntiPassback(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, ef45sim.Options{})
	s := openSession(t, newClient(t, d))
	if err := s.Control.Manual(ctx, true); err != nil {
		t.Fatal(err)
	}
	if err := s.Users.Create(ctx, &ef45.UserInfo{UserUUID: "apb-1", APBStatus: 2}); err != nil {
		t.Fatal(err)
	}
	if err := s.Control.ClearAPB(ctx, "apb-1"); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.Users.Get(ctx, "apb-1"); u == nil || u.APBStatus != 1 {
		t.Fatalf("APB status after clear: %+v", u)
	}
	if err := s.Control.ClearAPB(ctx, "nobody"); !errors.Is(err, ef45.ErrNotFound) {
		t.Fatalf("clear of an unknown user: %v", err)
	}
	if err := s.Control.ClearAllAPB(ctx); err != nil {
		t.Fatal(err)
	}
}
