// Package uitest holds what the screens' tests share: a stand-in for the UI goroutine
// (this file), and fakes of the engine where a test cannot run the real one, one file per
// screen.
package uitest

import (
	"testing"
	"time"
)

// Loop stands in for Fyne's UI goroutine in tests: screens post their widget changes to
// Run or Do (instead of fyne.Do and fyne.DoAndWait), and the test goroutine runs them in
// PumpUntil, so widgets are only ever touched by the test goroutine.
type Loop struct{ q chan func() }

// NewLoop returns an empty loop.
func NewLoop() *Loop { return &Loop{q: make(chan func(), 4096)} }

// Run posts fn to the test goroutine.
func (l *Loop) Run(fn func()) { l.q <- fn }

// Do posts fn, and with wait returns only once the test goroutine has run it.
func (l *Loop) Do(fn func(), wait bool) {
	if !wait {
		l.q <- fn
		return
	}
	done := make(chan struct{})
	l.q <- func() { fn(); close(done) }
	<-done
}

// Until runs posted work on the calling goroutine until cond holds, and reports false
// when it still does not after d.
func (l *Loop) Until(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		select {
		case fn := <-l.q:
			fn()
		case <-time.After(5 * time.Millisecond):
		}
	}
	return true
}

// PumpUntil is Until that fails the test after a minute: generous, as the machine may be
// busy and the race detector slows the simulators down.
func (l *Loop) PumpUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	if !l.Until(time.Minute, cond) {
		t.Fatalf("timed out waiting for %s", what)
	}
}

// DrainUntilClosed runs posted work until stop is closed: while a model closes, its last
// frames and refreshes still need the UI goroutine.
func (l *Loop) DrainUntilClosed(stop <-chan struct{}) {
	for {
		select {
		case fn := <-l.q:
			fn()
		case <-stop:
			return
		}
	}
}
