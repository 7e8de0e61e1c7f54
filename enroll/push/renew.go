package push

import (
	"context"
	"time"

	"enrollstation/store"
)

// held is a claimed row's lease as this worker knows it: renewed while the row is held,
// lost when a renewal found it no longer the worker's.
type held struct {
	until time.Time
	lost  bool
}

// hold notes the rows of a claim as this worker's, until they are recorded.
func (w *Worker) hold(items []store.OutboxItem) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, it := range items {
		w.leases[it.ID] = held{until: it.LeaseUntil}
	}
}

// outstanding is how many claimed rows the worker holds whose outcomes are not recorded yet.
func (w *Worker) outstanding() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.leases)
}

// unhold forgets rows once their outcomes are recorded (or they were left to their leases).
func (w *Worker) unhold(ids ...int64) {
	w.mu.Lock()
	for _, id := range ids {
		delete(w.leases, id)
	}
	w.mu.Unlock()
}

// lease is the row's lease as the last claim or renewal left it.
func (w *Worker) lease(it store.OutboxItem) held {
	w.mu.Lock()
	defer w.mu.Unlock()
	if h, ok := w.leases[it.ID]; ok {
		return h
	}
	return held{until: it.LeaseUntil}
}

// renewing renews the leases of the rows this worker holds every third of a lease, until
// stop is called, so that a row whose call (or wait for a call slot) runs longer than the
// lease is never claimed by another station meanwhile. A dead process renews nothing: its
// rows come free when their leases end.
func (w *Worker) renewing(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(max(w.cfg.Lease/3, 10*time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if err := w.renew(ctx); err != nil && ctx.Err() == nil {
				w.log.Warn("renew outbox leases", "err", err)
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// renew extends the leases of every row held to a full lease from now.
func (w *Worker) renew(ctx context.Context) error {
	w.mu.Lock()
	ids := make([]int64, 0, len(w.leases))
	for id, h := range w.leases {
		if !h.lost {
			ids = append(ids, id)
		}
	}
	w.mu.Unlock()
	if len(ids) == 0 {
		return nil
	}
	until := time.Now().Add(w.cfg.Lease)
	renewed, err := w.st.RenewLeases(ctx, w.name, ids, until)
	if err != nil {
		return err
	}
	ok := make(map[int64]bool, len(renewed))
	for _, id := range renewed {
		ok[id] = true
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, id := range ids {
		h, still := w.leases[id]
		switch {
		case !still: // recorded meanwhile
		case ok[id]:
			w.leases[id] = held{until: until}
		default:
			// Not ours any more (our lease ran out and another claimed it): a call not yet
			// started is not made.
			h.lost = true
			w.leases[id] = h
			w.log.Warn("outbox row lost its lease", "id", id)
		}
	}
	return nil
}
