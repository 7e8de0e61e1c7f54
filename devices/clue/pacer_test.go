package clue_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"enrollstation/devices/clue"
)

func TestNewPacerNeverBelowMinimum(t *testing.T) {
	for _, d := range []time.Duration{-time.Second, 0, 100 * time.Millisecond, clue.MinSpacing} {
		if got := clue.NewPacer(d).Spacing(); got != clue.MinSpacing {
			t.Errorf("NewPacer(%s).Spacing() = %s", d, got)
		}
	}
	if got := clue.NewPacer(time.Second).Spacing(); got != time.Second {
		t.Errorf("NewPacer(1s).Spacing() = %s", got)
	}
}

func TestPacerSpacesCallsPerPlace(t *testing.T) {
	const spacing = 30 * time.Millisecond
	p := clue.NewTestPacer(spacing)
	ctx := context.Background()
	var mu sync.Mutex
	times := map[int64][]time.Time{}
	var wg sync.WaitGroup
	for g := range 6 {
		place := int64(1 + g%2)
		wg.Go(func() {
			for range 3 {
				sent, err := p.Wait(ctx, place)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				times[place] = append(times[place], time.Now())
				mu.Unlock()
				sent()
			}
		})
	}
	wg.Wait()
	for place, ts := range times {
		if len(ts) != 9 {
			t.Fatalf("place %d: %d calls", place, len(ts))
		}
		for i := 1; i < len(ts); i++ {
			if gap := ts[i].Sub(ts[i-1]); gap < spacing {
				t.Errorf("place %d: calls %s apart", place, gap)
			}
		}
	}
	// Two places do not wait for each other: both ran 9 calls in about 9 spacings, not 18.
	first, last := times[1][0], times[1][8]
	if times[2][0].After(first.Add(spacing)) {
		t.Errorf("place 2 waited for place 1 (%s then %s, last %s)", first, times[2][0], last)
	}
}

func TestPacerWaitGivesUpOnCancel(t *testing.T) {
	p := clue.NewTestPacer(time.Hour)
	ctx := context.Background()
	sent, err := p.Wait(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	sent()
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := p.Wait(short, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	// The cancelled wait gave the turn back: a caller holding it blocks the next one only
	// until it sends.
	p2 := clue.NewTestPacer(0)
	hold, err := p2.Wait(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	blocked, cancel2 := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel2()
	if _, err := p2.Wait(blocked, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a second caller got the turn while the first held it: %v", err)
	}
	hold()
	hold() // twice is harmless
	next, err := p2.Wait(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	next()
}

func TestPacerDefer(t *testing.T) {
	p := clue.NewTestPacer(0)
	p.Defer(1, 50*time.Millisecond)
	t0 := time.Now()
	sent, err := p.Wait(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	sent()
	if d := time.Since(t0); d < 45*time.Millisecond {
		t.Errorf("waited %s after a 50ms deferral", d)
	}
	t0 = time.Now()
	sent, err = p.Wait(context.Background(), 2)
	if err != nil || time.Since(t0) > 20*time.Millisecond {
		t.Errorf("another place was held up: %v %s", err, time.Since(t0))
	}
	sent()
}
