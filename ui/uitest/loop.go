// Package uitest holds what the screens' tests share: a stand-in for the UI goroutine
// (this file), and fakes of the engine where a test cannot run the real one, one file per
// screen.
package uitest

import (
	"testing"
	"time"
)

// Loop stands in for Fyne's UI goroutine in tests: screens post their widget changes to
// Run (instead of fyne.Do), and the test goroutine runs them in PumpUntil, so widgets are
// only ever touched by the test goroutine.
type Loop struct{ q chan func() }

// NewLoop returns an empty loop.
func NewLoop() *Loop { return &Loop{q: make(chan func(), 1024)} }

// Run posts fn to the test goroutine.
func (l *Loop) Run(fn func()) { l.q <- fn }

// PumpUntil runs posted work on the calling goroutine until cond holds, failing the test
// after 30 s.
func (l *Loop) PumpUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		select {
		case fn := <-l.q:
			fn()
		case <-time.After(5 * time.Millisecond):
		}
	}
}
