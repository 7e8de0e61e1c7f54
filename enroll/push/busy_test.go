package push_test

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/enroll"
	"enrollstation/store"
)

// thief is another station pushing to the same door unit: it takes the unit's lock over
// during each of the first turns subjects are sent, and lets go when that call ends.
type thief struct {
	dev  *ef45sim.Device
	left atomic.Int32
}

func (th *thief) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/user") && th.left.Add(-1) >= 0 {
		th.dev.StealLock()
		defer th.dev.ExpireLock()
	}
	th.dev.ServeHTTP(w, r)
}

// A push that loses the EF-45's lock to another station's push tries again within about
// one base delay each time, however many turns it lost, and does not give up on a unit
// that is only busy: the three desks of a site take turns on one gate without falling
// minutes behind one another.
func TestLockLostToAnotherPusherRetriesSoon(t *testing.T) {
	t.Parallel()
	const base, lost = 100 * time.Millisecond, 5
	s := startSims(t)
	th := &thief{dev: s.ef45[0]}
	th.left.Store(lost)
	s.outages[0].h = th
	pc := fastPush()
	pc.BackoffBase, pc.BackoffMax, pc.MaxAttempts = base, 10*time.Second, 3
	e := newEnv(t, s, pc)

	var mu sync.Mutex
	var waits []time.Duration
	var last store.OutboxItem
	defer e.station.Subscribe(func(c enroll.Change) {
		mu.Lock()
		defer mu.Unlock()
		if c.Item.Target != e.ids[0] {
			return
		}
		last = c.Item
		if c.Item.State == store.OutboxPending && c.Item.LastError != "" {
			waits = append(waits, c.Item.NextAttemptAt.Sub(c.Item.UpdatedAt))
		}
	})()
	ctx := t.Context()
	keys := e.saveFor(t, e.ids[0], 1)
	go e.station.Run(ctx)
	e.station.Worker().Wake()
	waitFor(t, 20*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return last.State == store.OutboxDone || last.State == store.OutboxFailed
	})

	mu.Lock()
	defer mu.Unlock()
	if last.State != store.OutboxDone || last.Attempts != lost+1 {
		t.Fatalf("the row after %d lost turns: %s after %d attempts (%q), want done after %d",
			lost, last.State, last.Attempts, last.LastError, lost+1)
	}
	if len(waits) != lost {
		t.Fatalf("%d retries were scheduled, want %d: %v", len(waits), lost, waits)
	}
	for i, d := range waits {
		// A busy turn waits BackoffBase ±50% from the decision, which comes before the
		// journal notes the row's update time; a growing back-off would be at 8× by now.
		if d > base*3/2 {
			t.Errorf("retry %d after a lost turn was scheduled %s after the row's update, want at most %s", i+1, d, base*3/2)
		}
	}
	if n := s.ef45[0].State().Subjects; n != 1 || !s.ef45[0].HasSubject(keys[0]) {
		t.Fatalf("the gate holds %d subjects after the turns, want the one person", n)
	}
}
