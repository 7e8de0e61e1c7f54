package enrollment

import (
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"enrollstation/enroll"
	"enrollstation/ui/uitest"
)

// The Enroll screen in demo mode, driven as an operator would: type the person, tick the
// consent, Enter, accept, and every target's row turns done.
func TestEnrollScreenEndToEndInDemoMode(t *testing.T) {
	f, _ := demoFlow(t)
	test.NewTempApp(t)
	loop := uitest.NewLoop()
	s := newEnrollScreen(f, nil, loop.Do)
	w := test.NewWindow(s.Content())
	defer w.Close()
	f.Capture.Connect()
	loop.PumpUntil(t, "connected", func() bool { return f.Capture.State().Phase == PhaseReady })

	// Enter with an empty form shows what is missing and starts nothing.
	s.given.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	loop.PumpUntil(t, "the form's problems", func() bool { return s.problems.Visible() && s.problems.Text != "" })
	if f.Capture.State().Phase != PhaseReady {
		t.Fatal("a capture started with an empty form")
	}
	test.Type(s.given, "Grace")
	test.Type(s.family, "Hopper")
	test.Tap(s.consent)
	loop.PumpUntil(t, "the form complete", func() bool { return !s.problems.Visible() })
	if got := f.Form(); got.GivenName != "Grace" || got.FamilyName != "Hopper" || !got.Consent || got.Key == "" {
		t.Fatalf("form %+v", got)
	}
	s.family.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	loop.PumpUntil(t, "the review", func() bool { return s.review.Visible() && (s.accept.Visible() || s.acceptAnyway.Visible()) })
	if s.gates.Text == "" {
		t.Error("the review shows no gate")
	}
	if s.accept.Visible() {
		test.Tap(s.accept)
	} else {
		test.Tap(s.acceptAnyway)
	}
	loop.PumpUntil(t, "every push done", func() bool {
		if len(s.pushRows) != 4 {
			return false
		}
		for _, r := range s.pushRows {
			if r.State != enroll.OutboxDone {
				return false
			}
		}
		return true
	})
	if !s.next.Visible() {
		t.Fatal("no Next person button after the save")
	}
	key := f.Form().Key
	test.Tap(s.next)
	if s.given.Text != "" || s.key.Text == key || s.consent.Checked {
		t.Fatalf("the form after Next: given %q, key %q, consent %v", s.given.Text, s.key.Text, s.consent.Checked)
	}
	stop := make(chan struct{})
	go func() { f.Capture.Close(); close(stop) }()
	loop.DrainUntilClosed(stop)
}

// A window rebuilt in another language builds a new Enroll screen on the same flow: the
// old one, closed, no longer follows the flow, its capture or its pushes.
func TestEnrollScreenClosedStopsFollowingTheModels(t *testing.T) {
	f, _ := demoFlow(t)
	test.NewTempApp(t)
	loop := uitest.NewLoop()
	var oldPosts atomic.Int32
	old := newEnrollScreen(f, nil, func(fn func(), wait bool) { oldPosts.Add(1); loop.Do(fn, wait) })
	loop.Until(200*time.Millisecond, func() bool { return false }) // its first refreshes
	old.Close()
	oldPosts.Store(0)
	s := newEnrollScreen(f, nil, loop.Do)
	w := test.NewWindow(s.Content())
	defer w.Close()

	form := f.Form()
	form.GivenName = "Grace"
	f.SetForm(form)
	f.Capture.Connect()
	loop.PumpUntil(t, "the new screen following the flow", func() bool {
		return s.given.Text == "Grace" && f.Capture.State().Phase == PhaseReady
	})
	loop.Until(200*time.Millisecond, func() bool { return false })
	if n := oldPosts.Load(); n != 0 {
		t.Errorf("the closed screen refreshed %d times", n)
	}
	if old.given.Text == "Grace" {
		t.Error("the closed screen shows the new form")
	}
}
