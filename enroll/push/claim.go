package push

import (
	"context"
	"slices"
	"time"

	"enrollstation/enroll/target"
	"enrollstation/store"
)

// pass claims what each target has room for, in one transaction, and starts it; then
// erases the people whose deletes are all done.
func (w *Worker) pass(ctx context.Context) (int, error) {
	targets, err := w.st.Targets(ctx)
	if err != nil {
		return 0, err
	}
	want := map[store.TargetID]int{}
	byID := map[store.TargetID]store.Target{}
	var kinds []store.TargetKind // of the enabled targets: their pushes say which blobs to read
	due := false
	w.mu.Lock()
	for _, t := range targets {
		if !t.Enabled {
			continue
		}
		if !slices.Contains(kinds, t.Kind) {
			kinds = append(kinds, t.Kind)
		}
		limit := w.limit(t.Kind)
		if slots := w.slots[t.ID]; slots == nil || cap(slots) != limit {
			w.slots[t.ID] = make(chan struct{}, limit)
		}
		// A claim is a transaction: claim once a target has three quarters of what may
		// wait gone, and then top up every target down to half, so claims are few and
		// large. The slots keep the calls themselves within the limit. Rows whose call
		// ended do not count: their commit is no reason to leave a slot idle.
		held := w.waiting[t.ID]
		due = due || held <= limit*claimAhead/4
		if held <= limit*claimAhead/2 {
			want[t.ID], byID[t.ID] = limit*claimAhead-held, t
		}
	}
	w.mu.Unlock()
	if !due {
		clear(want)
	}
	total := 0
	if len(want) > 0 {
		blobs := target.PushedBlobs(kinds...)
		if blobs == nil {
			kinds = nil // every blob is read: the records serve any push
		}
		claim, err := w.st.ClaimDueTargets(ctx, w.name, store.ClaimRequest{Want: want, Now: time.Now(), Lease: w.cfg.Lease,
			Have: func(capture string) bool { return w.recs.has(capture, kinds) }, Blobs: blobs})
		if err != nil {
			return 0, err
		}
		for id, items := range claim.Items {
			w.start(ctx, byID[id], items, claim, kinds)
		}
		total = claim.Len()
	}
	if !w.eraseCheck.Swap(false) {
		return total, nil
	}
	if err := w.eraseDue(ctx); err != nil {
		w.eraseCheck.Store(true)
		return total, err
	}
	return total, nil
}

// limit is how many calls a target of kind gets at once.
func (w *Worker) limit(kind store.TargetKind) int {
	if n := w.cfg.Concurrency[kind]; n > 0 {
		return n
	}
	return DefaultConcurrency(kind)
}

// start works claimed rows of t, each in its own goroutine waiting for a call slot, with
// the people and captures the claim read (the blobs of pushes to kinds).
func (w *Worker) start(ctx context.Context, t store.Target, items []store.OutboxItem, claim store.Claim, kinds []store.TargetKind) {
	w.mu.Lock()
	slots := w.slots[t.ID]
	w.inflight[t.ID] += len(items)
	w.waiting[t.ID] += len(items)
	w.mu.Unlock()
	w.hold(items)
	for _, it := range items {
		if it.Op == store.OpPush && it.CaptureID != "" {
			w.recs.hold(it.CaptureID)
			if c, ok := claim.Captures[it.CaptureID]; ok {
				w.recs.put(target.Record{CaptureID: c.ID, Blobs: c.Blobs}, kinds)
			}
		}
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			w.work(ctx, t, it, claim.People[it.PersonKey], slots)
			w.unhold(it.ID)
			if it.Op == store.OpPush && it.CaptureID != "" {
				w.recs.release(it.CaptureID)
			}
			// A delete may have completed someone's erase. Ask for the check before the
			// row stops counting as in flight: RunOnce, once it sees nothing in flight,
			// then sees the check asked for too.
			if it.Op == store.OpDelete {
				w.eraseCheck.Store(true)
			}
			w.mu.Lock()
			w.inflight[t.ID]--
			idle := w.inflight[t.ID] == 0
			w.mu.Unlock()
			// A target with nothing left in flight may be the last one RunOnce waits for.
			if it.Op == store.OpDelete || idle {
				w.Wake()
			}
		}()
	}
}

// called says a row's call has ended; a pass is worth it once the target can take more.
func (w *Worker) called(t store.TargetID, limit int) {
	w.mu.Lock()
	w.waiting[t]--
	low := w.waiting[t] <= limit*claimAhead/4
	w.mu.Unlock()
	if low {
		w.Wake()
	}
}
