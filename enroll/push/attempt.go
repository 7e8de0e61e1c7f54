package push

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/cenkalti/backoff/v5"

	"enrollstation/enroll/target"
	"enrollstation/store"
)

// client returns the target's client, opening it on first use.
func (w *Worker) client(ctx context.Context, t store.Target) (target.Target, error) {
	w.mu.Lock()
	c := w.targets[t.ID]
	w.mu.Unlock()
	if c != nil {
		return c, nil
	}
	c, err := w.cfg.Open(ctx, t)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if prev := w.targets[t.ID]; prev != nil {
		_ = c.Close()
		return prev, nil
	}
	w.targets[t.ID] = c
	return c, nil
}

// work makes one claimed row's call within a slot of its target and records its outcome.
// The record is read before the slot is taken and the slot is given back as soon as the
// call returns, so the target's calls wait neither for the journal's reads nor for this
// row's commit.
func (w *Worker) work(ctx context.Context, t store.Target, it store.OutboxItem, person store.Person, slots chan struct{}) {
	w.publish(Change{Item: it})
	rec, err := w.record(ctx, it, person)
	var remote string
	if err == nil {
		slots <- struct{}{}
		if !w.leaseOutlastsCall(it) {
			// The row's lease could end during the call (renewals failed while it waited
			// for its slot, or another worker has it now); once the lease ends, the row is
			// due again and a second call would push it twice. It is left to run out and is
			// claimed again, with a fresh lease.
			<-slots
			w.called(t.ID, cap(slots))
			w.log.Debug("outbox row left to its lease", "id", it.ID, "lease_until", it.LeaseUntil)
			return
		}
		remote, err = w.call(ctx, t, it, rec)
		<-slots
	}
	w.called(t.ID, cap(slots))
	// The outcome is written even when the worker is stopping: a row left in flight would
	// wait for its lease.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	now, rerr := w.commit.record(wctx, w.outcome(ctx, it, remote, err))
	if rerr != nil {
		w.log.Warn("record outbox outcome", "id", it.ID, "err", rerr)
		return
	}
	w.publish(Change{Item: now})
}

// leaseOutlastsCall reports whether the row is still this worker's and a call of it started
// now ends, timeout included, before its lease does as last renewed (with a Lease shorter
// than CallTimeout: within half of it, the renewals extending it meanwhile).
func (w *Worker) leaseOutlastsCall(it store.OutboxItem) bool {
	h := w.lease(it)
	need := min(w.cfg.CallTimeout, w.cfg.Lease/2)
	return !h.lost && (h.until.IsZero() || time.Until(h.until) >= need)
}

// record is what a push row sends; a delete needs none. person is the row's person as the
// claim read it (zero when the claim did not).
func (w *Worker) record(ctx context.Context, it store.OutboxItem, person store.Person) (target.Record, error) {
	if it.Op == store.OpDelete {
		return target.Record{}, nil
	}
	if it.CaptureID == "" {
		return target.Record{}, fmt.Errorf("%w: the capture of this push was erased", target.ErrIncomplete)
	}
	rctx, cancel := context.WithTimeout(ctx, w.cfg.CallTimeout)
	defer cancel()
	rec, err := w.recs.get(rctx, it)
	if err != nil {
		return target.Record{}, err
	}
	// The person is read with each claim, never cached: what the operator changed since
	// the capture is what is sent.
	rec.Person = person
	if rec.Person.Key != it.PersonKey {
		if rec.Person, err = w.st.Person(rctx, it.PersonKey); err != nil {
			return target.Record{}, err
		}
	}
	rec.PriorRemoteID = it.PriorRemoteID
	return rec, nil
}

// outcome is how the attempt at it ended.
func (w *Worker) outcome(ctx context.Context, it store.OutboxItem, remote string, err error) store.Outcome {
	var cav *target.Caveat
	switch {
	case err == nil:
		return store.Outcome{Item: it, State: store.OutboxDone, RemoteID: remote}
	case errors.As(err, &cav):
		return store.Outcome{Item: it, State: store.OutboxDone, RemoteID: cav.RemoteID, Note: cav.Note}
	case ctx.Err() != nil:
		// The worker stopped, not the target: keep the device's last word for the operator.
		msg := it.LastError
		if msg == "" {
			msg = "interrupted: the worker stopped during the call"
		}
		return store.Outcome{Item: it, State: store.OutboxPending, Message: msg, Next: time.Now()}
	}
	temp, after := target.Classify(err)
	msg := target.OperatorMessage(err)
	if temp && target.Busy(err) {
		// Another station's push had the unit: the next turn comes within one call, so the
		// row tries again soon. A back-off growing with each lost turn would leave it behind
		// the other stations' rows for minutes, and the unit is not failing, so its turns
		// do not count towards giving up.
		return store.Outcome{Item: it, State: store.OutboxPending, Next: time.Now().Add(w.busyDelay()),
			Message: "waiting for its turn: another station was sending to this unit (" + msg + ")"}
	}
	if temp && it.Attempts < w.cfg.MaxAttempts {
		return store.Outcome{Item: it, State: store.OutboxPending, Message: msg, Next: time.Now().Add(max(w.Delay(it.Attempts), after))}
	}
	if temp {
		msg = fmt.Sprintf("gave up after %d attempts: %s", it.Attempts, msg)
	}
	return store.Outcome{Item: it, State: store.OutboxFailed, Message: msg}
}

func (w *Worker) call(ctx context.Context, t store.Target, it store.OutboxItem, rec target.Record) (string, error) {
	tg, err := w.client(ctx, t)
	if err != nil {
		return "", err
	}
	cctx, cancel := context.WithTimeout(ctx, w.cfg.CallTimeout)
	defer cancel()
	if it.Op == store.OpDelete {
		return "", tg.Delete(cctx, target.Ref{PersonKey: it.PersonKey, RemoteID: it.PriorRemoteID})
	}
	return tg.Push(cctx, rec)
}

// busyDelay is the wait after a turn lost to another pusher: BackoffBase, ±50% jitter so
// the stations waiting for one unit do not all come back at once.
func (w *Worker) busyDelay() time.Duration {
	return w.cfg.BackoffBase/2 + rand.N(w.cfg.BackoffBase+1)
}

// Delay is the wait after a row's attempts-th failed attempt: exponential from BackoffBase,
// doubling, ±50% jitter, capped at BackoffMax.
func (w *Worker) Delay(attempts int) time.Duration {
	b := &backoff.ExponentialBackOff{InitialInterval: w.cfg.BackoffBase, RandomizationFactor: 0.5, Multiplier: 2,
		MaxInterval: w.cfg.BackoffMax}
	b.Reset()
	d := w.cfg.BackoffBase
	for range max(attempts, 1) {
		d = b.NextBackOff()
	}
	return min(d, w.cfg.BackoffMax)
}
