// Package observe is how view models tell their screens that they changed: one small
// notifier that every view model embeds, with unsubscribe.
package observe

import (
	"sync"
	"sync/atomic"
)

// Notifier calls its subscribers after each change. The zero value is ready to use, and it
// is safe for concurrent use. Subscribers run on the goroutine that calls Notify: a screen
// hands its widget changes to fyne.Do.
type Notifier struct {
	mu   sync.Mutex
	next int
	subs map[int]func()
}

// Subscribe calls fn after every change until the returned function is called.
func (n *Notifier) Subscribe(fn func()) (unsubscribe func()) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.subs == nil {
		n.subs = map[int]func(){}
	}
	id := n.next
	n.next++
	n.subs[id] = fn
	return func() {
		n.mu.Lock()
		delete(n.subs, id)
		n.mu.Unlock()
	}
}

// Notify calls every subscriber once, outside the notifier's lock, so a subscriber may
// subscribe or unsubscribe.
func (n *Notifier) Notify() {
	n.mu.Lock()
	fns := make([]func(), 0, len(n.subs))
	for _, fn := range n.subs {
		fns = append(fns, fn)
	}
	n.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// Coalescer hands a screen's refresh to its UI goroutine at most once at a time: however
// many changes come in while one refresh waits, the screen refreshes once, and shows the
// newest state. The zero value is ready to use.
type Coalescer struct{ queued atomic.Bool }

// Post queues refresh on run (fyne.Do in the app) unless one is queued already.
func (c *Coalescer) Post(run func(func()), refresh func()) {
	if c.queued.CompareAndSwap(false, true) {
		run(func() {
			c.queued.Store(false)
			refresh()
		})
	}
}
