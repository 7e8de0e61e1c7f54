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
