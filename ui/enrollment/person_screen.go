package enrollment

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The person form's helpers on the Enroll screen: Read card beside the card number, and
// the department and access-group pickers filled from the terminals.

// deskWidgets are the widgets of the form's helpers.
type deskWidgets struct {
	desk         *Desk // nil: no helpers, plain entries
	read, cancel *widget.Button
	card, dir    *explained
	deps, groups []string // the pickers' options as shown
}

// explained is a line for the operator with its technical detail one click away.
type explained struct {
	line, detail *widget.Label
	more         *widget.Button
	box          *fyne.Container
}

func newExplained() *explained {
	e := &explained{line: widget.NewLabel(""), detail: widget.NewLabel("")}
	e.line.Wrapping, e.detail.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
	e.detail.TextStyle = fyne.TextStyle{Monospace: true}
	e.more = widget.NewButton(lang.X("enroll.details", "Details"), func() { setShown(e.detail, !e.detail.Visible()) })
	e.more.Importance = widget.LowImportance
	e.box = container.NewVBox(container.NewBorder(nil, nil, nil, e.more, e.line), e.detail)
	e.detail.Hide()
	return e
}

// set shows w (nothing when empty) with detail behind the Details button.
func (e *explained) set(w Words, detail string, imp widget.Importance) {
	if w.Key == "" {
		e.box.Hide()
		return
	}
	e.line.SetText(lang.X(w.Key, w.Template, w.Args))
	e.line.Importance = imp
	e.line.Refresh()
	e.detail.SetText(detail)
	setShown(e.more, detail != "")
	if detail == "" {
		e.detail.Hide()
	}
	e.box.Show()
}

// pick is a department or group picker: a list to choose from, where typing still works.
func (s *EnrollScreen) pick(placeholder string) *widget.SelectEntry {
	e := widget.NewSelectEntry(nil)
	e.SetPlaceHolder(placeholder)
	e.OnChanged = func(string) { s.typed() }
	e.OnSubmitted = func(string) { s.start() }
	return e
}

// cardRow is the card number with Read card (and Cancel while reading) under it, and
// what the read says.
func (s *EnrollScreen) cardRow() fyne.CanvasObject {
	d := &s.desk
	d.card, d.dir = newExplained(), newExplained()
	d.card.box.Hide()
	d.dir.box.Hide()
	if d.desk == nil {
		return s.card
	}
	d.read = widget.NewButtonWithIcon(lang.X("enroll.card.read_button", "Read card"), theme.LoginIcon(), d.desk.Card.Read)
	d.cancel = widget.NewButtonWithIcon(lang.X("enroll.card.cancel", "Cancel"), theme.CancelIcon(), d.desk.Card.Cancel)
	d.cancel.Hide()
	// The buttons go under the number, not beside it: the form's column is narrow, and the
	// number must stay readable in full.
	return container.NewVBox(s.card, container.NewHBox(d.read, d.cancel), d.card.box)
}

// Shown reads the terminals' departments and groups again; the shell calls it each time
// the screen is brought up.
func (s *EnrollScreen) Shown() {
	if s.desk.desk != nil {
		s.desk.desk.Directory.Load()
	}
}

// cameraFree reports whether the capture leaves the camera free for a card read: a capture
// running, being reviewed or saved holds its lock.
func cameraFree(p Phase) bool {
	switch p {
	case PhaseConnecting, PhaseCapturing, PhaseDone, PhaseSaving:
		return false
	}
	return true
}

// refreshDesk shows the card read and the pickers' lists; on the UI goroutine.
func (s *EnrollScreen) refreshDesk() {
	d := &s.desk
	if d.desk == nil {
		return
	}
	cs := d.desk.Card.State()
	reading := cs.Phase == CardReading
	setShown(d.cancel, reading)
	if cs.CanRead() && cameraFree(s.flow.Capture.State().Phase) {
		d.read.Enable()
	} else {
		d.read.Disable()
	}
	imp := widget.MediumImportance
	switch cs.Phase {
	case CardFailed:
		imp = widget.DangerImportance
	case CardRead:
		imp = widget.SuccessImportance
	}
	if cs.Phase == CardRead && s.flow.Form().CardNumber != cs.Card {
		cs.Words = Words{} // the next person, or a number typed over it: old news
	}
	d.card.set(cs.Words, cs.Detail, imp)

	ds := d.desk.Directory.State()
	if !slices.Equal(d.deps, ds.Departments) {
		d.deps = ds.Departments
		s.department.SetOptions(ds.Departments)
	}
	if !slices.Equal(d.groups, ds.Groups) {
		d.groups = ds.Groups
		s.group.SetOptions(ds.Groups)
	}
	imp = widget.WarningImportance
	if ds.Phase == DirectoryNone {
		imp = widget.MediumImportance
	}
	d.dir.set(ds.Words, ds.Detail, imp)
}

// startAfterCard starts the capture, after a card read that holds the camera has let go
// of it.
func (s *EnrollScreen) startAfterCard() bool {
	if s.desk.desk == nil || s.desk.desk.Card.State().Phase != CardReading {
		return false
	}
	s.desk.desk.Card.CancelThen(func() { s.run(func() { s.flow.Start() }, false) })
	return true
}
