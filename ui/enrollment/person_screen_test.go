package enrollment

import (
	"fmt"
	"strconv"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"enrollstation/enroll"
	"enrollstation/ui/uitest"
)

// The form's helpers on the Enroll screen in demo mode: Read card fills the card number
// from the camera's reader, Cancel stops a read, the pickers list the terminals' names,
// and the person enrolled with a picked department and group is on the terminal in them,
// with the card in the terminal's form. With no terminal answering the form says so.
func TestEnrollScreenFormHelpersInDemoMode(t *testing.T) {
	f, d := demoFlow(t)
	desk := NewDesk(d.Station, f, 0)
	defer desk.Close()
	test.NewTempApp(t)
	loop := uitest.NewLoop()
	s := newEnrollScreen(f, desk, loop.Do)
	w := test.NewWindow(s.Content())
	defer w.Close()
	f.Capture.Connect()
	loop.PumpUntil(t, "connected and the pickers filled", func() bool {
		return f.Capture.State().Phase == PhaseReady && len(s.desk.groups) == 5 && !s.desk.read.Disabled()
	})
	if s.desk.dir.box.Visible() {
		t.Errorf("the pickers say %q with every terminal up", s.desk.dir.line.Text)
	}

	// Cancel while waiting for the card.
	test.Tap(s.desk.read)
	loop.PumpUntil(t, "reading", func() bool { return s.desk.cancel.Visible() && s.desk.read.Disabled() })
	test.Tap(s.desk.cancel)
	loop.PumpUntil(t, "cancelled", func() bool { return desk.Card.State().Phase == CardCancelled && !s.desk.cancel.Visible() })
	if s.card.Text != "" || s.desk.card.line.Text != desk.Card.State().Words.English() {
		t.Fatalf("after cancel: card %q, line %q", s.card.Text, s.desk.card.line.Text)
	}

	// A card held to the camera lands in the card number.
	test.Tap(s.desk.read)
	loop.PumpUntil(t, "a card in the form", func() bool {
		if st := desk.Card.State(); st.Phase == CardFailed {
			t.Fatalf("the read failed: %s (%s)", st.Words.English(), st.Detail)
		}
		return s.card.Text != "" && !s.desk.read.Disabled()
	})
	st := desk.Card.State()
	if st.Phase != CardRead || s.card.Text != st.Card || f.Form().CardNumber != st.Card || s.desk.read.Disabled() {
		t.Fatalf("card entry %q, state %+v, form %q", s.card.Text, st, f.Form().CardNumber)
	}
	card := st.Card
	loop.PumpUntil(t, "the read's line", func() bool { return s.desk.card.line.Text == "Card "+card+" read." })

	test.Type(s.given, "Grace")
	test.Type(s.family, "Hopper")
	test.Type(s.department, "Engineering")
	s.group.SetText("Night shift") // what picking it from the list does
	test.Tap(s.consent)
	loop.PumpUntil(t, "the form complete", func() bool { return !s.problems.Visible() && f.Form().AccessGroup == "Night shift" })
	s.family.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	loop.PumpUntil(t, "the review", func() bool { return s.review.Visible() && (s.accept.Visible() || s.acceptAnyway.Visible()) })
	if !s.desk.read.Disabled() {
		t.Error("Read card works while the capture holds the camera")
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
	key := f.Form().Key
	u, ok, err := d.TerminalUser(t.Context(), 0, key)
	if err != nil || !ok {
		t.Fatalf("lobby user %s: %v, %v", key, ok, err)
	}
	n, err := strconv.ParseUint(card, 10, 32) // the simulator's cards are four bytes
	if err != nil {
		t.Fatal(err)
	}
	wantSN := fmt.Sprintf("%08X", n) // the terminal's hex cardsn
	if u.CardSN != wantSN || len(u.Departments) != 1 || u.Departments[0] != "Engineering" || len(u.Groups) != 1 || u.Groups[0] != "Night shift" {
		t.Fatalf("lobby user %+v (card %s)", u, card)
	}

	// No terminal answers: the pickers say so, and typing still works.
	d.Sims.ACTAtek[0].SetDropRate(1)
	d.Sims.ACTAtek[1].SetDropRate(1)
	s.Shown()
	loop.PumpUntil(t, "the pickers' warning", func() bool {
		return desk.Directory.State().Phase == DirectoryUnreachable && s.desk.dir.box.Visible()
	})
	if s.desk.dir.line.Text != desk.Directory.State().Words.English() || !s.desk.dir.more.Visible() {
		t.Errorf("warning %q", s.desk.dir.line.Text)
	}
	test.Tap(s.next)
	loop.PumpUntil(t, "the read's line gone with the person", func() bool { return !s.desk.card.box.Visible() })
	test.Type(s.group, "Visitors")
	loop.PumpUntil(t, "a typed group", func() bool { return f.Form().AccessGroup == "Visitors" })

	// Enter during a read: the read lets go of the camera, then the capture starts.
	test.Type(s.given, "Alan")
	test.Tap(s.consent)
	test.Tap(s.desk.read)
	loop.PumpUntil(t, "reading again", func() bool { return desk.Card.State().Phase == CardReading && !s.problems.Visible() })
	s.given.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	loop.PumpUntil(t, "the capture after the read", func() bool {
		p := f.Capture.State().Phase
		return desk.Card.State().Phase == CardCancelled && (p == PhaseCapturing || p == PhaseDone || p == PhaseFailed)
	})
	if p := f.Capture.State().Problem; p != nil {
		t.Fatalf("the capture after a read: %s", p.Message)
	}
	loop.PumpUntil(t, "Read card off during the capture", func() bool {
		return s.desk.read.Disabled() || f.Capture.State().Phase == PhaseFailed
	})
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})

	stop := make(chan struct{})
	go func() { f.Capture.Close(); close(stop) }()
	loop.DrainUntilClosed(stop)
}
