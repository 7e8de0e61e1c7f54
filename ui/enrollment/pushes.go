package enrollment

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"enrollstation/enroll"
	"enrollstation/ui/observe"
)

// Pushes is what the push list needs of the engine; *enroll.Station has it.
type Pushes interface {
	Subscribe(fn func(enroll.Change)) (unsubscribe func())
	Outbox(ctx context.Context, personKey string) ([]enroll.OutboxItem, error)
	Retry(ctx context.Context, id int64, operator string) error
}

// PushRow is one target's push of the person being followed.
type PushRow struct {
	ID       int64
	Target   string
	State    enroll.OutboxState
	Message  string // the device's own words when it failed or is retried
	Attempts int
	Updated  time.Time // when the row last changed
}

// Pushing reports whether the row is being sent right now.
func (r PushRow) Pushing() bool { return r.State == enroll.OutboxInFlight }

// PushList follows the pushes of one saved capture, live: pending, pushing, done, or
// failed with the device's message, and retries a failed one on request.
type PushList struct {
	observe.Notifier

	eng      Pushes
	operator string
	log      *slog.Logger

	mu    sync.Mutex
	rows  map[int64]PushRow
	order []int64
	unsub func()
	err   error
}

// NewPushList returns an empty list; Follow fills it.
func NewPushList(eng Pushes, operator string, log *slog.Logger) *PushList {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &PushList{eng: eng, operator: operator, log: log, rows: map[int64]PushRow{}}
}

// Follow shows the rows ids of a saved capture (saved.Outbox) and keeps them up to date.
// It reads them once, then takes every change the worker publishes.
func (l *PushList) Follow(ctx context.Context, s enroll.Saved) {
	l.mu.Lock()
	if l.unsub != nil {
		l.unsub()
	}
	l.rows, l.order, l.err = map[int64]PushRow{}, slices.Clone(s.Outbox), nil
	l.mu.Unlock()
	// Subscribe first: a change between the read and the subscription is not lost.
	unsub := l.eng.Subscribe(func(c enroll.Change) {
		if c.Item.ID != 0 {
			l.apply(c.Item)
		}
	})
	l.mu.Lock()
	l.unsub = unsub
	l.mu.Unlock()
	items, err := l.eng.Outbox(ctx, s.PersonKey)
	l.mu.Lock()
	l.err = err
	l.mu.Unlock()
	for _, it := range items {
		l.apply(it)
	}
	l.Notify()
}

// apply takes a row's newest state, if it is one the list follows.
func (l *PushList) apply(it enroll.OutboxItem) {
	l.mu.Lock()
	if !slices.Contains(l.order, it.ID) {
		l.mu.Unlock()
		return
	}
	if old, ok := l.rows[it.ID]; ok && it.UpdatedAt.Before(old.Updated) {
		l.mu.Unlock()
		return // an older read arriving after a newer change
	}
	l.rows[it.ID] = PushRow{ID: it.ID, Target: it.TargetName, State: it.State, Message: it.LastError,
		Attempts: it.Attempts, Updated: it.UpdatedAt}
	l.mu.Unlock()
	l.Notify()
}

// Rows are the followed rows in the order of the save, those not read yet left out.
func (l *PushList) Rows() []PushRow {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]PushRow, 0, len(l.order))
	for _, id := range l.order {
		if r, ok := l.rows[id]; ok {
			out = append(out, r)
		}
	}
	return out
}

// Done reports whether every followed row is done.
func (l *PushList) Done() bool {
	rows := l.Rows()
	l.mu.Lock()
	want := len(l.order)
	l.mu.Unlock()
	if len(rows) == 0 || len(rows) < want {
		return false
	}
	for _, r := range rows {
		if r.State != enroll.OutboxDone {
			return false
		}
	}
	return true
}

// Err is why the rows could not be read, if they could not.
func (l *PushList) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Retry makes a failed row due again now.
func (l *PushList) Retry(id int64) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := l.eng.Retry(ctx, id, l.operator); err != nil {
			l.log.Warn("retry push", "id", id, "err", err)
			l.mu.Lock()
			l.err = err
			l.mu.Unlock()
			l.Notify()
		}
	}()
}

// Close stops following.
func (l *PushList) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.unsub != nil {
		l.unsub()
		l.unsub = nil
	}
}
