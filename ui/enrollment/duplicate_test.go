package enrollment

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"enrollstation/devices/ef45"
	"enrollstation/enroll"
	"enrollstation/enroll/capture"
	"enrollstation/enroll/demo"
	"enrollstation/ui/uitest"
)

// duplicateRig is the Enroll screen in demo mode with a person enrolled whose eyes the
// camera knows, and the same eyes captured again for someone else: the dialog is open.
type duplicateRig struct {
	f     *Flow
	d     *demo.Demo
	s     *EnrollScreen
	w     fyne.Window
	loop  *uitest.Loop
	first PersonForm // the person enrolled first
	again PersonForm // the form of the second capture
}

func openDuplicate(t *testing.T) *duplicateRig {
	t.Helper()
	f, d := demoFlow(t)
	f.Duplicates.SetJournal(d.Station.Store())
	test.NewTempApp(t)
	r := &duplicateRig{f: f, d: d, loop: uitest.NewLoop()}
	r.s = newEnrollScreen(f, nil, r.loop.Do)
	r.w = test.NewWindow(r.s.Content())
	r.w.Resize(fyne.NewSize(1280, 800))
	// As the shell does: keys typed with no widget focused go to the screen.
	r.w.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) { r.s.TypedKey(k) })
	t.Cleanup(func() {
		stop := make(chan struct{})
		go func() { f.Capture.Close(); close(stop) }()
		r.loop.DrainUntilClosed(stop)
		r.w.Close()
	})
	f.Capture.Connect()
	r.loop.PumpUntil(t, "connected", func() bool { return f.Capture.State().Phase == PhaseReady })

	r.first = r.enroll(t, "Ada", "Lovelace")
	r.rememberOnCamera(t, r.first.Key)
	d.Sims.Camera.SetNextPerson(1) // the same eyes come back

	f.Next()
	r.again = f.Form()
	r.again.GivenName, r.again.FamilyName, r.again.Consent = "Augusta", "King", true
	f.SetForm(r.again)
	if !f.Start() {
		t.Fatalf("the second capture did not start: %+v", f.Problems())
	}
	r.loop.PumpUntil(t, "the dialog with the match read", func() bool {
		st := f.Duplicates.State()
		return r.s.dup.Visible() && len(st.Matches) > 0 && !st.Matches[0].Loading && !st.Matches[0].PhotoLoading
	})
	r.loop.PumpUntil(t, "the match's card filled", func() bool {
		return len(r.s.dup.cards) > 0 && r.s.dup.cards[0].pushes.Text != "" && r.s.dup.cards[0].photo.Image != nil
	})
	return r
}

// enroll captures and saves a person through the flow.
func (r *duplicateRig) enroll(t *testing.T, given, family string) PersonForm {
	t.Helper()
	form := r.f.Form()
	form.GivenName, form.FamilyName, form.Consent = given, family, true
	r.f.SetForm(form)
	if !r.f.Start() {
		t.Fatalf("the capture did not start: %+v", r.f.Problems())
	}
	r.loop.PumpUntil(t, "captured", func() bool { p := r.f.Capture.State().Phase; return p == PhaseDone || p == PhaseFailed })
	st := r.f.Capture.State()
	if st.Phase != PhaseDone || len(st.Result.Duplicates) != 0 {
		t.Fatalf("first capture: %+v", st)
	}
	r.f.Accept(capture.Decisions{AcceptFailedGates: !st.Result.Passed()})
	r.loop.PumpUntil(t, "saved", func() bool { s := r.f.Capture.State(); return s.Phase == PhaseSaved || s.Problem != nil })
	if st := r.f.Capture.State(); st.Phase != PhaseSaved || st.Saved.PersonKey != form.Key {
		t.Fatalf("first save: %+v, problem %+v", st.Saved, st.Problem)
	}
	return form
}

// rememberOnCamera puts the person's iris templates on the capture camera as a subject,
// as a push to that EF-45 would.
func (r *duplicateRig) rememberOnCamera(t *testing.T, key string) {
	t.Helper()
	ctx := t.Context()
	st := r.d.Station.Store()
	caps, err := st.Captures(ctx, key)
	if err != nil || len(caps) != 1 {
		t.Fatalf("captures of %s: %d, %v", key, len(caps), err)
	}
	c, err := st.Capture(ctx, caps[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	sub := &ef45.Subject{UserUUID: key, FirstName: "Ada", LastName: "Lovelace"}
	for _, b := range c.Blobs {
		if b.Kind == enroll.BlobKind("eye_template") {
			if b.Variant == "left" {
				sub.LeftEyeTemplate = b.Data
			} else {
				sub.RightEyeTemplate = b.Data
			}
		}
	}
	cam, err := capture.OpenCamera(r.d.Camera, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := cam.WithSession(ctx, false, func(s *ef45.Session) error { return s.Subjects.Create(ctx, sub) }); err != nil {
		t.Fatal(err)
	}
}

// press moves the focus with Tab until b has it, then types key on it.
func (r *duplicateRig) press(t *testing.T, b *decisionButton, key fyne.KeyName) {
	t.Helper()
	c := r.w.Canvas()
	if !tabTo(c, b) {
		t.Fatalf("Tab never reaches %q", b.Text)
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: key})
}

// tabTo presses Tab until f has the focus; false when it never gets it.
func tabTo(c fyne.Canvas, f fyne.Focusable) bool {
	for range 30 {
		if c.FocusNext(); c.Focused() == f {
			return true
		}
	}
	return false
}

// people is everyone in the journal.
func (r *duplicateRig) people(t *testing.T) []enroll.Person {
	t.Helper()
	page, err := r.d.Station.Store().SearchPeople(t.Context(), enroll.Query{})
	if err != nil {
		t.Fatal(err)
	}
	return page.People
}

// The same eyes captured again for another form open the dialog with both people, and
// each decision, taken from the keyboard, ends as it says.
func TestDuplicateDialogDecidedByKeyboard(t *testing.T) {
	t.Run("same person updates the one enrolled", func(t *testing.T) {
		r := openDuplicate(t)
		r.checkBothShown(t)
		r.press(t, r.s.dup.same, fyne.KeySpace)
		r.loop.PumpUntil(t, "saved", func() bool { s := r.f.Capture.State(); return s.Phase == PhaseSaved || s.Problem != nil })
		if st := r.f.Capture.State(); st.Saved == nil || st.Saved.PersonKey != r.first.Key {
			t.Fatalf("saved %+v, problem %+v: want under %s", st.Saved, st.Problem, r.first.Key)
		}
		people := r.people(t)
		if len(people) != 1 || people[0].Key != r.first.Key || people[0].Name() != "Augusta King" {
			t.Fatalf("journal holds %+v: want %s alone, updated to the new form", people, r.first.Key)
		}
		caps, err := r.d.Station.Store().Captures(t.Context(), r.first.Key)
		if err != nil || len(caps) != 2 {
			t.Errorf("%s has %d captures (%v), want the new one beside the first", r.first.Key, len(caps), err)
		}
		r.checkClosed(t)
	})
	t.Run("new person keeps both", func(t *testing.T) {
		r := openDuplicate(t)
		r.checkBothShown(t)
		r.press(t, r.s.dup.newPerson, fyne.KeyReturn)
		r.loop.PumpUntil(t, "saved", func() bool { s := r.f.Capture.State(); return s.Phase == PhaseSaved || s.Problem != nil })
		if st := r.f.Capture.State(); st.Saved == nil || st.Saved.PersonKey != r.again.Key {
			t.Fatalf("saved %+v, problem %+v: want under %s", st.Saved, st.Problem, r.again.Key)
		}
		names := map[string]string{}
		for _, p := range r.people(t) {
			names[p.Key] = p.Name()
		}
		want := map[string]string{r.first.Key: "Ada Lovelace", r.again.Key: "Augusta King"}
		if len(names) != 2 || names[r.first.Key] != want[r.first.Key] || names[r.again.Key] != want[r.again.Key] {
			t.Fatalf("journal holds %v, want %v", names, want)
		}
		r.checkClosed(t)
	})
	t.Run("cancel saves nothing", func(t *testing.T) {
		r := openDuplicate(t)
		r.checkBothShown(t)
		r.w.Canvas().Unfocus()
		r.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
		r.loop.PumpUntil(t, "ready again", func() bool { return r.f.Capture.State().Phase == PhaseReady })
		if st := r.f.Capture.State(); st.Result != nil || st.Saved != nil {
			t.Fatalf("after cancel: result %+v, saved %+v", st.Result, st.Saved)
		}
		if people := r.people(t); len(people) != 1 || people[0].Name() != "Ada Lovelace" {
			t.Fatalf("journal holds %+v, want Ada Lovelace alone, unchanged", people)
		}
		caps, err := r.d.Station.Store().Captures(t.Context(), r.first.Key)
		if err != nil || len(caps) != 1 {
			t.Errorf("%s has %d captures (%v), want the first only", r.first.Key, len(caps), err)
		}
		r.checkClosed(t)
	})
}

// checkBothShown checks the dialog's two sides: the form and the capture on the left, the
// person enrolled first on the right, read from the journal with photo and pushes.
func (r *duplicateRig) checkBothShown(t *testing.T) {
	t.Helper()
	st := r.f.Duplicates.State()
	n := st.Newcomer
	if n.Form.Key != r.again.Key || n.Form.GivenName != "Augusta" || n.Face == nil || n.Left.UsableArea == 0 {
		t.Errorf("left side: form %+v, face %v, left eye %+v", n.Form, n.Face != nil, n.Left)
	}
	if len(st.Matches) != 1 {
		t.Fatalf("matches %+v, want the person enrolled first", st.Matches)
	}
	mt := st.Matches[0]
	if mt.Key != r.first.Key || !mt.Known || mt.Person.Name() != "Ada Lovelace" || mt.Person.CreatedAt.IsZero() ||
		mt.LastCapture.IsZero() || mt.Photo == nil || len(mt.Pushes) != 4 || mt.Problem != nil {
		t.Errorf("match: key %s, known %v, person %+v, last capture %v, photo %v, pushes %d, problem %+v",
			mt.Key, mt.Known, mt.Person, mt.LastCapture, mt.Photo != nil, len(mt.Pushes), mt.Problem)
	}
	d := r.s.dup
	if d.newName.Text != "Augusta King" || len(d.cards) != 1 || d.cards[0].name.Text != "Ada Lovelace" ||
		d.cards[0].photo.Image == nil || d.face.Image == nil || d.cards[0].pushes.Text == "" {
		t.Errorf("dialog shows %q beside %d cards", d.newName.Text, len(d.cards))
	}
	if d.cards[0].choose.Visible() {
		t.Error("a single match offers a choice of whom to update")
	}
	for _, b := range []*decisionButton{d.same, d.newPerson, d.cancel} {
		if b.Disabled() {
			t.Errorf("%q is disabled", b.Text)
		}
	}
}

// checkClosed checks that the dialog is gone once decided, its images with it.
func (r *duplicateRig) checkClosed(t *testing.T) {
	t.Helper()
	r.loop.PumpUntil(t, "the dialog closed", func() bool { return !r.s.dup.Visible() })
	if st := r.f.Duplicates.State(); st.Open || len(st.Matches) != 0 || st.Newcomer.Face != nil {
		t.Errorf("closed dialog state %+v", st)
	}
}
