// Package push is the outbox worker: it claims due rows with bounded concurrency per target,
// pushes or deletes through enroll/target, retries transient failures with jittered
// exponential backoff (honouring Retry-After), fails permanent ones with the device's own
// message, picks up rows a dead process left in flight, erases a person from the journal
// once every target has deleted them, and publishes every change. Reconcile compares what a
// target holds with the journal.
package push

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"enrollstation/enroll/target"
	"enrollstation/store"
)

// Defaults of Config.
const (
	DefaultLease       = 2 * time.Minute
	DefaultCallTimeout = 90 * time.Second
	DefaultBackoffBase = 2 * time.Second
	DefaultBackoffMax  = 10 * time.Minute
	DefaultPoll        = 5 * time.Second
	DefaultDueSoon     = time.Second
	DefaultMaxAttempts = 200
)

// claimAhead is how many rows per call slot a target may hold claimed: rows wait claimed
// for a slot, so a call never waits for a claim. A pass tops a target up only once half of
// those are gone, so one claim transaction serves many calls.
const claimAhead = 16

// DefaultConcurrency is how many calls a target of kind gets at once. An EF-45 takes one:
// every call holds its device lock.
func DefaultConcurrency(kind store.TargetKind) int {
	switch kind {
	case store.TargetACTAtek:
		return 4
	case store.TargetCLUe:
		return 2
	}
	return 1
}

// Opener builds the client of a target.
type Opener func(ctx context.Context, t store.Target) (target.Target, error)

// Config configures a Worker. Zero values take the defaults.
type Config struct {
	Store *store.Store
	Open  Opener
	// Name identifies this worker in leases: host:pid:random by default, so a restarted
	// process on the same host can tell its dead predecessor's leases (Recover).
	Name string
	// Concurrency per kind; kinds left out take DefaultConcurrency.
	Concurrency map[store.TargetKind]int
	// Lease is how long a claimed row is this worker's without a renewal; the worker renews
	// the rows it holds every third of it, so only a worker that stopped renewing (a dead
	// process, a journal out of reach) loses them.
	Lease time.Duration
	// CallTimeout bounds one push or delete; keep it under Lease.
	CallTimeout time.Duration
	// BackoffBase and BackoffMax shape the retry schedule (doubling, ±50% jitter, capped).
	BackoffBase, BackoffMax time.Duration
	// MaxAttempts fails a row that kept failing transiently this many times.
	MaxAttempts int
	// Poll is the longest sleep between looks at the outbox when nothing is due.
	Poll time.Duration
	// DueSoon: RunOnce waits for rows due within it, and returns when the next is later.
	DueSoon time.Duration
	Log     *slog.Logger
}

// Change is one outbox row as it stands after a change, or a person erased from the
// journal (Erased holds the key; Item is zero).
type Change struct {
	Item   store.OutboxItem
	Erased string
}

// Worker works the outbox.
type Worker struct {
	cfg  Config
	st   *store.Store
	name string
	log  *slog.Logger

	mu       sync.Mutex
	targets  map[store.TargetID]target.Target
	inflight map[store.TargetID]int           // claimed rows not yet recorded
	waiting  map[store.TargetID]int           // claimed rows whose call has not ended
	slots    map[store.TargetID]chan struct{} // calls under way, at most the target's limit
	leases   map[int64]held                   // claimed rows not yet recorded, by id
	subs     map[int]func(Change)
	nextSub  int

	// eraseCheck asks the next pass to look for people every target has deleted: set when
	// a delete is recorded, and at each start and poll (another process may have done it).
	eraseCheck atomic.Bool

	commit *committer // records outcomes, several per transaction
	recs   *records   // decrypted records of the captures claimed rows push

	wake chan struct{}
	wg   sync.WaitGroup
}

// New checks cfg and returns a worker; nothing runs until Run or RunOnce.
func New(cfg Config) (*Worker, error) {
	if cfg.Store == nil || cfg.Open == nil {
		return nil, errors.New("push worker: a journal and a target opener are needed")
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.Lease, DefaultLease)
	def(&cfg.CallTimeout, DefaultCallTimeout)
	def(&cfg.BackoffBase, DefaultBackoffBase)
	def(&cfg.BackoffMax, DefaultBackoffMax)
	def(&cfg.Poll, DefaultPoll)
	def(&cfg.DueSoon, DefaultDueSoon)
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Name == "" {
		cfg.Name = DefaultName()
	}
	w := &Worker{cfg: cfg, st: cfg.Store, name: cfg.Name, log: cfg.Log,
		targets: map[store.TargetID]target.Target{}, inflight: map[store.TargetID]int{},
		waiting: map[store.TargetID]int{}, slots: map[store.TargetID]chan struct{}{}, leases: map[int64]held{},
		subs: map[int]func(Change){}, recs: &records{st: cfg.Store, entries: map[string]*recordEntry{}},
		wake: make(chan struct{}, 1)}
	w.commit = &committer{st: cfg.Store, worker: cfg.Name, outstanding: w.outstanding, settled: w.unhold}
	return w, nil
}

// DefaultName is host:pid:random, unique per running worker.
func DefaultName() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s:%d:%s", strings.ReplaceAll(host, ":", "_"), os.Getpid(), hex.EncodeToString(b))
}

// Name is the worker's lease name.
func (w *Worker) Name() string { return w.name }

// Subscribe calls fn after every change of a row this worker makes (and every erase), from
// the worker's goroutines: fn must be quick and must not call back into the worker.
func (w *Worker) Subscribe(fn func(Change)) (unsubscribe func()) {
	w.mu.Lock()
	id := w.nextSub
	w.nextSub++
	w.subs[id] = fn
	w.mu.Unlock()
	return func() {
		w.mu.Lock()
		delete(w.subs, id)
		w.mu.Unlock()
	}
}

// Publish tells subscribers about a row changed elsewhere (queued, retried by hand).
func (w *Worker) Publish(ctx context.Context, id int64) {
	it, err := w.st.OutboxItem(ctx, id)
	if err != nil {
		w.log.Warn("outbox row changed but cannot be read", "id", id, "err", err)
		return
	}
	w.publish(Change{Item: it})
	w.Wake()
}

func (w *Worker) publish(c Change) {
	w.mu.Lock()
	fns := make([]func(Change), 0, len(w.subs))
	for _, fn := range w.subs {
		fns = append(fns, fn)
	}
	w.mu.Unlock()
	for _, fn := range fns {
		fn(c)
	}
}

// Wake makes a running worker look at the outbox now (new rows were queued).
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Retry makes a failed row due again now, at an operator's request.
func (w *Worker) Retry(ctx context.Context, id int64, operator string) error {
	if err := w.st.Requeue(ctx, id, operator); err != nil {
		return err
	}
	w.Publish(ctx, id)
	return nil
}

// Recover releases rows left in flight by a dead process of this host, so they are worked
// now rather than when their leases run out. Leases of other hosts are left to expire.
func (w *Worker) Recover(ctx context.Context) (int, error) {
	owners, err := w.st.LeaseOwners(ctx)
	if err != nil {
		return 0, err
	}
	host, pid, _ := parseName(w.name)
	n := 0
	for _, o := range owners {
		h, p, ok := parseName(o)
		if !ok || h != host || p == pid || processAlive(p) {
			continue
		}
		k, err := w.st.ReleaseLeases(ctx, o, time.Now())
		if err != nil {
			return n, err
		}
		w.log.Info("released the rows of a worker that died", "worker", o, "rows", k)
		n += k
	}
	return n, nil
}

func parseName(name string) (host string, pid int, ok bool) {
	parts := strings.Split(name, ":")
	if len(parts) != 3 {
		return "", 0, false
	}
	p, err := strconv.Atoi(parts[1])
	return parts[0], p, err == nil && p > 0
}

// Close waits for calls under way and closes the target clients.
func (w *Worker) Close() error {
	w.wg.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	var errs []error
	for id, t := range w.targets {
		errs = append(errs, t.Close())
		delete(w.targets, id)
	}
	return errors.Join(errs...)
}

// Forget drops the cached client of a target whose settings changed.
func (w *Worker) Forget(id store.TargetID) {
	w.mu.Lock()
	t := w.targets[id]
	delete(w.targets, id)
	w.mu.Unlock()
	if t != nil {
		_ = t.Close()
	}
}

// Run works the outbox until ctx ends, then waits for calls under way.
func (w *Worker) Run(ctx context.Context) error {
	if _, err := w.Recover(ctx); err != nil {
		w.log.Warn("recover leases", "err", err)
	}
	defer w.renewing(ctx)() // after the calls under way
	defer w.wg.Wait()
	w.eraseCheck.Store(true)
	for {
		if _, err := w.pass(ctx); err != nil && ctx.Err() == nil {
			w.log.Warn("outbox pass", "err", err)
		}
		wait := w.cfg.Poll
		if at, ok, err := w.st.NextDue(ctx); err == nil && ok {
			wait = min(wait, max(time.Until(at), 10*time.Millisecond))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-w.wake:
		case <-t.C:
			w.eraseCheck.Store(true)
		}
		t.Stop()
	}
}

// RunOnce works due rows until none is left, waiting for rows due within DueSoon, then
// returns.
func (w *Worker) RunOnce(ctx context.Context) error {
	if _, err := w.Recover(ctx); err != nil {
		return err
	}
	defer w.renewing(ctx)() // after the calls under way
	defer w.wg.Wait()
	w.eraseCheck.Store(true)
	for {
		claimed, err := w.pass(ctx)
		if err != nil {
			if ctx.Err() != nil { // the claim was cut short by the end of ctx
				return ctx.Err()
			}
			return err
		}
		if claimed > 0 || w.busy() {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-w.wake:
			case <-time.After(50 * time.Millisecond):
			}
			continue
		}
		if w.eraseCheck.Load() { // the last delete ended after this pass looked
			continue
		}
		at, ok, err := w.st.NextDue(ctx)
		if err != nil {
			return err
		}
		if !ok || time.Until(at) > w.cfg.DueSoon {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(max(time.Until(at), 10*time.Millisecond)):
		}
	}
}

func (w *Worker) busy() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, n := range w.inflight {
		if n > 0 {
			return true
		}
	}
	return false
}

// eraseDue removes from the journal the people every target has deleted.
func (w *Worker) eraseDue(ctx context.Context) error {
	keys, err := w.st.EraseDue(ctx)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if _, err := w.st.Erase(ctx, k, w.name); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		w.publish(Change{Erased: k})
	}
	return nil
}
