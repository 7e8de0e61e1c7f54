package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"enrollstation/enroll"
	"enrollstation/enroll/demo"
)

// The status line follows the outbox: the demo's first pushes wait, then are done.
func TestOutboxStatusFollowsThePushes(t *testing.T) {
	ctx := context.Background()
	d, err := demo.Start(ctx, demo.Options{People: 2, DoorEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	s := NewOutboxStatus(d.Station)
	defer s.Close()
	wait := func(what string, cond func(map[enroll.OutboxState]int) bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			c, err := s.Counts()
			if err == nil && c != nil && cond(c) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("waiting for %s: counts %v, %v", what, c, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	wait("8 waiting", func(c map[enroll.OutboxState]int) bool { return c[enroll.OutboxPending] == 8 })
	if got := StatusText(s.Counts()); !strings.Contains(got, "8 waiting") {
		t.Errorf("status %q", got)
	}
	if err := d.Station.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	wait("8 done", func(c map[enroll.OutboxState]int) bool { return c[enroll.OutboxDone] == 8 })
	if got := StatusText(s.Counts()); got != "Every push is done." {
		t.Errorf("status %q", got)
	}
}

func TestStatusTextSaysWhatIsWrong(t *testing.T) {
	if got := StatusText(nil, errors.New("disk I/O error")); !strings.Contains(got, "disk I/O error") {
		t.Errorf("status %q", got)
	}
	if got := StatusText(map[enroll.OutboxState]int{enroll.OutboxFailed: 1}, nil); !strings.Contains(got, "1 failed") {
		t.Errorf("status %q", got)
	}
}
