package enrollment

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"enrollstation/enroll"
	"enrollstation/enroll/capture"
	"enrollstation/ui/observe"
)

// EnrollScreen is the Enroll screen: the person's form on the left, the capture with its
// live preview in the middle, and below it the review (accept, retake, discard) and the
// pushes to every target.
type EnrollScreen struct {
	flow    *Flow
	capture *CaptureScreen
	run     uiRunner
	dirty   observe.Coalescer

	key, given, family, card, from, until *widget.Entry
	department, group                     *widget.SelectEntry
	consent                               *widget.Check
	problems                              *widget.Label
	desk                                  deskWidgets // Read card and the pickers' lists

	accept, acceptAnyway, retake, discard, next *widget.Button
	dup                                         *duplicateDialog
	gates                                       *widget.Label
	duplicates                                  *widget.Label
	review                                      *fyne.Container

	pushes    *widget.List
	pushRows  []PushRow
	pushTitle *widget.Label

	content fyne.CanvasObject
	syncing bool // the entries are being set from the flow's form, not typed
	// unsubscribe stops following the models, which outlive a screen rebuilt in another
	// language.
	unsubscribe []func()
}

// NewEnrollScreen builds the Enroll screen over f, with the form's helpers of d (nil: none).
// Call it on the UI goroutine.
func NewEnrollScreen(f *Flow, d *Desk) *EnrollScreen { return newEnrollScreen(f, d, fyneRunner) }

func newEnrollScreen(f *Flow, d *Desk, run uiRunner) *EnrollScreen {
	s := &EnrollScreen{flow: f, run: run, capture: newCaptureScreen(f.Capture, run), desk: deskWidgets{desk: d}}
	s.capture.SetOnCapture(s.start)
	s.capture.HideResult()
	s.build()
	s.unsubscribe = append(s.unsubscribe,
		f.Subscribe(s.changed),
		f.Capture.Subscribe(s.changed),
		f.Pushes.Subscribe(s.changed),
		f.Duplicates.Subscribe(s.changed))
	if d != nil {
		s.unsubscribe = append(s.unsubscribe, d.Card.Subscribe(s.changed), d.Directory.Subscribe(s.changed))
	}
	s.refresh()
	s.Shown() // the first screen: shown from the start
	return s
}

// Close stops the screen, and its capture panel, following the models: they outlive a
// screen rebuilt in another language.
func (s *EnrollScreen) Close() {
	for _, u := range s.unsubscribe {
		u()
	}
	s.unsubscribe = nil
	s.capture.Close()
}

// Content is the screen's root object.
func (s *EnrollScreen) Content() fyne.CanvasObject { return s.content }

func (s *EnrollScreen) build() {
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.OnChanged = func(string) { s.typed() }
		e.OnSubmitted = func(string) { s.start() } // Enter in the form starts the capture
		return e
	}
	s.key = entry(lang.X("enroll.form.key.hint", "generated unless typed"))
	s.given = entry(lang.X("enroll.form.given.hint", "given name"))
	s.family = entry(lang.X("enroll.form.family.hint", "family name"))
	s.card = entry(lang.X("enroll.form.card.hint", "digits, or empty"))
	s.department = s.pick(lang.X("enroll.form.department.hint", "optional"))
	s.group = s.pick(lang.X("enroll.form.group.hint", "optional"))
	s.from = entry("YYYY-MM-DD")
	s.until = entry("YYYY-MM-DD")
	s.consent = widget.NewCheck(lang.X("enroll.form.consent", "Agrees to face and iris capture"), func(bool) { s.typed() })
	s.problems = widget.NewLabel("")
	s.problems.Importance = widget.DangerImportance
	s.problems.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(lang.X("enroll.form.key", "Key"), s.key),
		widget.NewFormItem(lang.X("enroll.form.given", "Given name"), s.given),
		widget.NewFormItem(lang.X("enroll.form.family", "Family name"), s.family),
		widget.NewFormItem(lang.X("enroll.form.card", "Card number"), s.cardRow()),
		widget.NewFormItem(lang.X("enroll.form.department", "Department"), s.department),
		widget.NewFormItem(lang.X("enroll.form.group", "Access group"), s.group),
		widget.NewFormItem(lang.X("enroll.form.from", "Valid from"), s.from),
		widget.NewFormItem(lang.X("enroll.form.until", "Valid until"), s.until),
	)
	person := widget.NewCard(lang.X("enroll.form.title", "Person"), "", container.NewVBox(form, s.desk.dir.box, s.consent, s.problems))

	s.accept = widget.NewButtonWithIcon(lang.X("enroll.review.accept", "Accept"), theme.ConfirmIcon(), func() {
		s.flow.Accept(capture.Decisions{})
	})
	s.accept.Importance = widget.HighImportance
	s.acceptAnyway = widget.NewButtonWithIcon(lang.X("enroll.review.accept_anyway", "Accept as it is"), theme.WarningIcon(), func() {
		s.flow.Accept(capture.Decisions{AcceptFailedGates: true})
	})
	s.acceptAnyway.Importance = widget.WarningImportance
	s.retake = widget.NewButtonWithIcon(lang.X("enroll.review.retake", "Retake (F5)"), theme.ViewRefreshIcon(), s.flow.Capture.Retake)
	s.discard = widget.NewButtonWithIcon(lang.X("enroll.review.discard", "Discard"), theme.DeleteIcon(), s.flow.Capture.Discard)
	s.next = widget.NewButtonWithIcon(lang.X("enroll.review.next", "Next person"), theme.ContentAddIcon(), s.nextPerson)
	s.gates = widget.NewLabel("")
	s.gates.Wrapping = fyne.TextWrapWord
	s.duplicates = widget.NewLabel("")
	s.duplicates.Importance = widget.WarningImportance
	s.duplicates.Wrapping = fyne.TextWrapWord
	// The gates' lines scroll, so a long review never grows the window.
	figures := container.NewVScroll(container.NewVBox(s.gates, s.duplicates))
	figures.SetMinSize(fyne.NewSize(0, 3*theme.TextSize()*1.6))
	s.review = container.NewBorder(nil,
		container.NewHBox(s.accept, s.acceptAnyway, s.retake, s.discard, s.next), nil, nil, figures)

	s.pushTitle = widget.NewLabelWithStyle(lang.X("enroll.pushes.title", "Pushes"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.pushes = widget.NewList(func() int { return len(s.pushRows) },
		func() fyne.CanvasObject {
			retry := widget.NewButtonWithIcon(lang.X("enroll.pushes.retry", "Retry"), theme.ViewRefreshIcon(), nil)
			return container.NewBorder(nil, nil, nil, retry, widget.NewLabel(""))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(s.pushRows) {
				return
			}
			r := s.pushRows[id]
			c := o.(*fyne.Container)
			label, retry := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Button)
			label.SetText(pushLine(r))
			label.Importance = pushImportance(r.State)
			label.Refresh()
			retry.OnTapped = func() { s.flow.Pushes.Retry(r.ID) }
			setShown(retry, r.State == enroll.OutboxFailed)
		})
	pushes := container.NewBorder(s.pushTitle, nil, nil, nil, s.pushes)

	middle := container.NewBorder(nil, s.review, nil, nil, s.capture.Content())
	right := container.NewVScroll(person)
	work := container.NewVSplit(middle, pushes)
	work.Offset = 0.78 // the preview first; the pushes below, a few rows
	split := container.NewHSplit(right, work)
	split.Offset = 0.3
	s.content = split
	s.dup = newDuplicateDialog(s.flow.Duplicates, s.content)
}

// form reads the typed person.
func (s *EnrollScreen) form() PersonForm {
	return PersonForm{PersonFields: enroll.PersonFields{Key: s.key.Text, GivenName: s.given.Text, FamilyName: s.family.Text,
		CardNumber: s.card.Text, Department: s.department.Text, AccessGroup: s.group.Text, ValidFrom: s.from.Text,
		ValidUntil: s.until.Text}, Consent: s.consent.Checked}
}

// typed hands what the operator typed to the flow.
func (s *EnrollScreen) typed() {
	if !s.syncing {
		s.flow.SetForm(s.form())
	}
}

// showForm puts the flow's form in the entries where it differs (a new person, a form
// filled for the operator).
func (s *EnrollScreen) showForm(f PersonForm) {
	if f == s.form() {
		return
	}
	s.syncing = true
	defer func() { s.syncing = false }()
	for e, v := range map[*widget.Entry]string{s.key: f.Key, s.given: f.GivenName, s.family: f.FamilyName,
		s.card: f.CardNumber, &s.department.Entry: f.Department, &s.group.Entry: f.AccessGroup, s.from: f.ValidFrom, s.until: f.ValidUntil} {
		if e.Text != v {
			e.SetText(v)
		}
	}
	s.consent.SetChecked(f.Consent)
}

// start checks the person and starts the capture.
func (s *EnrollScreen) start() {
	s.flow.SetForm(s.form())
	if len(s.flow.Form().Problems()) == 0 && s.startAfterCard() {
		return
	}
	s.flow.Start()
}

// nextPerson clears the form for the next person.
func (s *EnrollScreen) nextPerson() {
	s.flow.Next()
	s.showForm(s.flow.Form())
}

// TypedKey takes the screen's keys from the window: Esc cancels (a possible duplicate:
// discards the capture), F5 retakes.
func (s *EnrollScreen) TypedKey(k *fyne.KeyEvent) bool {
	if s.flow.Duplicates.State().Open {
		if k.Name != fyne.KeyEscape {
			return false // the dialog decides first
		}
		s.flow.Duplicates.Cancel()
		return true
	}
	switch k.Name {
	case fyne.KeyEscape:
		s.flow.Capture.Cancel()
		if s.desk.desk != nil {
			s.desk.desk.Card.Cancel()
		}
	case fyne.KeyF5:
		s.flow.Capture.Retake()
	default:
		return false
	}
	return true
}

func (s *EnrollScreen) changed() {
	s.dirty.Post(func(fn func()) { s.run(fn, false) }, s.refresh)
}

// refresh shows the flow's state; on the UI goroutine.
func (s *EnrollScreen) refresh() {
	s.showForm(s.flow.Form())
	var lines []string
	for _, p := range s.flow.Problems() {
		lines = append(lines, lang.X(p.Key, p.Text))
	}
	s.problems.SetText(strings.Join(lines, "\n"))
	setShown(s.problems, len(lines) > 0)
	s.refreshDesk()

	st := s.flow.Capture.State()
	reviewing := st.Phase == PhaseDone && st.Result != nil
	setShown(s.review, reviewing || st.Phase == PhaseSaved || st.Phase == PhaseSaving)
	if reviewing {
		r := st.Result
		var g []string
		for _, gr := range r.Gates {
			mark := "✓"
			if !gr.Pass {
				mark = "✗"
			}
			g = append(g, mark+" "+gateText(gr))
		}
		s.gates.SetText(strings.Join(g, "\n"))
		var d []string
		for _, dup := range r.Duplicates {
			who := dup.PersonKey
			if dup.Person != nil {
				who = dup.Person.Name() + " (" + dup.PersonKey + ")"
			}
			d = append(d, lang.X("enroll.review.duplicate", "May already be enrolled as {{.Who}}", map[string]any{"Who": who}))
		}
		s.duplicates.SetText(strings.Join(d, "\n"))
		setShown(s.duplicates, len(d) > 0)
	}
	dup := reviewing && len(st.Result.Duplicates) > 0
	setShown(s.accept, reviewing && !dup && st.Result.Passed())
	setShown(s.acceptAnyway, reviewing && !dup && !st.Result.Passed())
	setShown(s.retake, reviewing)
	setShown(s.discard, reviewing)
	setShown(s.next, st.Phase == PhaseSaved)
	setShown(s.gates, reviewing)

	s.dup.refresh()

	s.pushRows = s.flow.Pushes.Rows()
	setShown(s.pushTitle, len(s.pushRows) > 0)
	s.pushes.Refresh()
}

// pushLine is one target's row: its name, state, and the device's words when it failed.
func pushLine(r PushRow) string {
	state := map[enroll.OutboxState]string{
		enroll.OutboxPending:    lang.X("enroll.pushes.pending", "waiting"),
		enroll.OutboxInFlight:   lang.X("enroll.pushes.pushing", "pushing…"),
		enroll.OutboxDone:       lang.X("enroll.pushes.done", "done"),
		enroll.OutboxFailed:     lang.X("enroll.pushes.failed", "failed"),
		enroll.OutboxSuperseded: lang.X("enroll.pushes.superseded", "replaced by a newer capture"),
	}[r.State]
	line := r.Target + ": " + state
	if r.Message != "" && r.State != enroll.OutboxDone {
		line += " — " + r.Message
	}
	return line
}

func pushImportance(s enroll.OutboxState) widget.Importance {
	switch s {
	case enroll.OutboxDone:
		return widget.SuccessImportance
	case enroll.OutboxFailed:
		return widget.DangerImportance
	case enroll.OutboxInFlight:
		return widget.HighImportance
	}
	return widget.MediumImportance
}
