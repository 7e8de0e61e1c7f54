package observe

import (
	"sync"
	"testing"
)

func TestSubscribersAreCalledUntilTheyLeave(t *testing.T) {
	var n Notifier
	var a, b int
	stopA := n.Subscribe(func() { a++ })
	n.Subscribe(func() { b++ })
	n.Notify()
	stopA()
	n.Notify()
	if a != 1 || b != 2 {
		t.Fatalf("a=%d b=%d, want 1 and 2", a, b)
	}
}

func TestASubscriberMayUnsubscribeWhileNotified(t *testing.T) {
	var n Notifier
	calls := 0
	var stop func()
	stop = n.Subscribe(func() { calls++; stop() })
	n.Notify()
	n.Notify()
	if calls != 1 {
		t.Fatalf("called %d times", calls)
	}
}

func TestConcurrentUse(t *testing.T) {
	var n Notifier
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stop := n.Subscribe(func() {})
			n.Notify()
			stop()
		}()
	}
	wg.Wait()
}

// A burst of changes while a refresh waits gives one refresh, and a change after it ran
// queues another.
func TestCoalescerRefreshesOnceABurst(t *testing.T) {
	var c Coalescer
	var queue []func()
	run := func(fn func()) { queue = append(queue, fn) }
	refreshes := 0
	for range 5 {
		c.Post(run, func() { refreshes++ })
	}
	if len(queue) != 1 {
		t.Fatalf("%d refreshes queued for one burst", len(queue))
	}
	queue[0]()
	c.Post(run, func() { refreshes++ })
	if len(queue) != 2 {
		t.Fatal("a change after the refresh queued nothing")
	}
	queue[1]()
	if refreshes != 2 {
		t.Fatalf("%d refreshes", refreshes)
	}
}
