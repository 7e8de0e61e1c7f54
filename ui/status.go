// Package ui is the application shell: the window's navigation between the screens and
// the outbox status line. The screens live in their own packages.
package ui

import (
	"context"
	"sync"
	"time"

	"enrollstation/enroll"
	"enrollstation/ui/observe"
)

// Outbox is what the status line needs of the engine; *enroll.Station has it.
type Outbox interface {
	Subscribe(fn func(enroll.Change)) (unsubscribe func())
	OutboxCounts(ctx context.Context) (map[enroll.OutboxState]int, error)
}

// OutboxStatus is the status line's model: how many pushes wait, run or failed, kept up to
// date from the engine's changes. Counting reads the journal, so it runs in its own
// goroutine, at most once per settle interval however many changes come in.
type OutboxStatus struct {
	observe.Notifier

	eng    Outbox
	settle time.Duration

	mu     sync.Mutex
	counts map[enroll.OutboxState]int
	err    error
	queued bool

	ctx   context.Context
	stop  context.CancelFunc
	unsub func()
	wg    sync.WaitGroup
}

// NewOutboxStatus starts following eng; Close stops it.
func NewOutboxStatus(eng Outbox) *OutboxStatus {
	ctx, stop := context.WithCancel(context.Background())
	s := &OutboxStatus{eng: eng, settle: 200 * time.Millisecond, ctx: ctx, stop: stop}
	s.unsub = eng.Subscribe(func(enroll.Change) { s.recount() })
	s.recount()
	return s
}

// Counts are the last counts read, and why they could not be read if they could not.
func (s *OutboxStatus) Counts() (map[enroll.OutboxState]int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts, s.err
}

// recount reads the counts again soon, once for every burst of changes.
func (s *OutboxStatus) recount() {
	s.mu.Lock()
	if s.queued || s.ctx.Err() != nil {
		s.mu.Unlock()
		return
	}
	s.queued = true
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		select {
		case <-time.After(s.settle):
		case <-s.ctx.Done():
			return
		}
		s.mu.Lock()
		s.queued = false
		s.mu.Unlock()
		ctx, cancel := context.WithTimeout(s.ctx, 5*time.Second)
		defer cancel()
		counts, err := s.eng.OutboxCounts(ctx)
		s.mu.Lock()
		if err == nil {
			s.counts = counts
		}
		s.err = err
		s.mu.Unlock()
		s.Notify()
	}()
}

// Close stops following the engine.
func (s *OutboxStatus) Close() {
	s.unsub()
	s.stop()
	s.wg.Wait()
}
