package enrollment

import (
	"image"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// decisionButton is a button of the possible-duplicate dialog: Space or Enter presses it
// when it has the focus, and Esc cancels the dialog from it, as from anywhere in it.
type decisionButton struct {
	widget.Button
	escape func()
}

func newDecisionButton(label string, icon fyne.Resource, tapped, escape func()) *decisionButton {
	b := &decisionButton{escape: escape}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey presses the button on Enter as on Space, and cancels on Esc.
func (b *decisionButton) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		b.Tapped(nil)
	case fyne.KeyEscape:
		b.escape()
	default:
		b.Button.TypedKey(ev)
	}
}

// matchCard shows one person already enrolled.
type matchCard struct {
	box                              *fyne.Container
	photo                            *canvas.Image
	name, key, dates, pushes, status *widget.Label
	choose                           *decisionButton
}

// duplicateDialog is the possible-duplicate dialog over the Enroll screen: the person just
// captured on the left, each possible match on the right, and the three decisions.
type duplicateDialog struct {
	m     *DuplicateModel
	host  fyne.CanvasObject // the screen it opens over
	popup *widget.PopUp

	face                        *canvas.Image
	newName, newKey, newIris    *widget.Label
	newGates, problem, busyNote *widget.Label
	matches                     *fyne.Container
	cards                       []*matchCard
	same, newPerson, cancel     *decisionButton
	content                     fyne.CanvasObject
}

func newDuplicateDialog(m *DuplicateModel, host fyne.CanvasObject) *duplicateDialog {
	d := &duplicateDialog{m: m, host: host}
	d.face = portraitImage()
	wrapped := func(imp widget.Importance) *widget.Label {
		l := widget.NewLabel("")
		l.Wrapping, l.Importance = fyne.TextWrapWord, imp
		return l
	}
	d.newName = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.newKey, d.newIris = wrapped(widget.MediumImportance), wrapped(widget.MediumImportance)
	d.newGates, d.problem = wrapped(widget.WarningImportance), wrapped(widget.DangerImportance)
	d.busyNote = widget.NewLabel(lang.X("enroll.duplicate.saving", "Saving…"))
	d.same = newDecisionButton(lang.X("enroll.duplicate.same", "Same person: update"), theme.ConfirmIcon(), m.SamePerson, m.Cancel)
	d.same.Importance = widget.HighImportance
	d.newPerson = newDecisionButton(lang.X("enroll.duplicate.new", "New person: keep both"), theme.ContentAddIcon(), m.NewPerson, m.Cancel)
	d.cancel = newDecisionButton(lang.X("enroll.duplicate.cancel", "Cancel: discard the capture (Esc)"), theme.CancelIcon(), m.Cancel, m.Cancel)

	left := widget.NewCard(lang.X("enroll.duplicate.captured", "Just captured"), "",
		container.NewBorder(nil, nil, container.NewVBox(d.face), nil, container.NewVBox(d.newName, d.newKey, d.newIris, d.newGates)))
	d.matches = container.NewVBox()
	right := widget.NewCard(lang.X("enroll.duplicate.enrolled", "Already enrolled"), "", container.NewVScroll(d.matches))
	title := widget.NewLabelWithStyle(lang.X("enroll.duplicate.title", "Possible duplicate"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	intro := widget.NewLabel(lang.X("enroll.duplicate.intro", "The camera found these eyes already enrolled. Compare the two people, then decide."))
	intro.Wrapping = fyne.TextWrapWord
	buttons := container.NewHBox(d.same, d.newPerson, d.cancel, d.busyNote)
	d.content = container.NewBorder(container.NewVBox(title, intro), container.NewVBox(d.problem, buttons), nil, nil,
		container.NewGridWithColumns(2, left, right))
	return d
}

// portraitImage is an empty photo frame, the account icon until a face is shown.
func portraitImage() *canvas.Image {
	img := canvas.NewImageFromResource(theme.AccountIcon())
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(120, 160))
	return img
}

// setPortrait shows img in c, or the placeholder icon without one.
func setPortrait(c *canvas.Image, img image.Image) {
	if c.Image == img && (img != nil || c.Resource != nil) {
		return
	}
	c.Image, c.Resource = img, nil
	if img == nil {
		c.Resource = theme.AccountIcon()
	}
	c.Refresh()
}

// Visible reports whether the dialog is shown.
func (d *duplicateDialog) Visible() bool { return d.popup != nil && d.popup.Visible() }

// refresh shows the model's state; on the UI goroutine.
func (d *duplicateDialog) refresh() {
	st := d.m.State()
	if !st.Open {
		if d.Visible() {
			d.popup.Hide()
		}
		setPortrait(d.face, nil) // the decrypted photos go with the dialog
		for _, c := range d.cards {
			setPortrait(c.photo, nil)
		}
		return
	}
	n := st.Newcomer
	setPortrait(d.face, n.Face)
	d.newName.SetText(strings.TrimSpace(n.Form.GivenName + " " + n.Form.FamilyName))
	d.newKey.SetText(lang.X("enroll.duplicate.key", "Key: {{.Key}}", map[string]any{"Key": n.Form.Key}))
	d.newIris.SetText(lang.X("enroll.duplicate.iris", "Left iris: {{.Left}}\nRight iris: {{.Right}}",
		map[string]any{"Left": eyeFigures(n.Left), "Right": eyeFigures(n.Right)}))
	var failed []string
	for _, g := range n.FailedGates {
		failed = append(failed, gateText(g))
	}
	d.newGates.SetText(lang.X("enroll.duplicate.gates", "Deciding keeps it despite failed gates: {{.Gates}}", map[string]any{"Gates": strings.Join(failed, "; ")}))
	setShown(d.newGates, len(failed) > 0)

	d.showMatches(st)
	if st.Problem != nil {
		d.problem.SetText(localize(st.Problem.Words, st.Problem.Message))
	}
	setShown(d.problem, st.Problem != nil)
	setShown(d.busyNote, st.Busy)
	for _, b := range []*decisionButton{d.same, d.newPerson, d.cancel} {
		setEnabled(b, st.CanDecide())
	}
	if !d.Visible() {
		d.open()
	}
}

// open shows the dialog over the screen's canvas, the focus on no button so that Tab
// starts from the first.
func (d *duplicateDialog) open() {
	c := fyne.CurrentApp().Driver().CanvasForObject(d.host)
	if c == nil {
		return // the screen is not on a window
	}
	if d.popup == nil || d.popup.Canvas != c {
		d.popup = widget.NewModalPopUp(d.content, c)
	}
	size := c.Size()
	d.popup.Resize(fyne.NewSize(max(size.Width*0.9, d.content.MinSize().Width), max(size.Height*0.85, d.content.MinSize().Height)))
	d.popup.Show()
	c.Unfocus()
}

// showMatches fills one card per match; the cards are made when the dialog opens for a
// new capture, then only updated.
func (d *duplicateDialog) showMatches(st DuplicateState) {
	if len(d.cards) != len(st.Matches) {
		d.cards = nil
		d.matches.RemoveAll()
		for i := range st.Matches {
			c := d.newMatchCard(i)
			d.cards = append(d.cards, c)
			d.matches.Add(c.box)
		}
	}
	for i, mt := range st.Matches {
		c := d.cards[i]
		setPortrait(c.photo, mt.Photo)
		name := mt.Person.Name()
		switch {
		case mt.Known:
		case mt.Loading:
			name = "…"
		case mt.Problem != nil:
			name = lang.X("enroll.duplicate.unread", "Not read from the journal")
		default:
			name = lang.X("enroll.duplicate.unknown", "Not in this station's journal")
		}
		c.name.SetText(name)
		c.key.SetText(lang.X("enroll.duplicate.key", "Key: {{.Key}}", map[string]any{"Key": mt.Key}) + " · " +
			lang.X("enroll.duplicate.found_by", "found by {{.Sources}}", map[string]any{"Sources": sourcesLine(mt.Sources)}))
		c.dates.SetText(matchDates(mt))
		setShown(c.dates, mt.Known)
		var pushes []string
		for _, p := range mt.Pushes {
			pushes = append(pushes, pushLine(PushRow{Target: p.TargetName, State: p.State, Message: p.LastError}))
		}
		c.pushes.SetText(strings.Join(pushes, "\n"))
		setShown(c.pushes, len(pushes) > 0)
		switch {
		case mt.Problem != nil:
			c.status.SetText(localize(mt.Problem.Words, mt.Problem.Message))
			c.status.Importance = widget.DangerImportance
		case mt.Loading || mt.PhotoLoading:
			c.status.SetText(lang.X("enroll.duplicate.loading", "Reading the journal…"))
			c.status.Importance = widget.MediumImportance
		default:
			c.status.SetText("")
		}
		c.status.Refresh()
		setShown(c.status, c.status.Text != "")
		setShown(c.choose, len(st.Matches) > 1)
		setEnabled(c.choose, st.CanDecide())
		if i == st.Chosen {
			c.choose.SetText(lang.X("enroll.duplicate.chosen", "This person is updated"))
			c.choose.Importance = widget.HighImportance
		} else {
			c.choose.SetText(lang.X("enroll.duplicate.choose", "Update this person instead"))
			c.choose.Importance = widget.MediumImportance
		}
		c.choose.Refresh()
	}
}

func (d *duplicateDialog) newMatchCard(i int) *matchCard {
	c := &matchCard{photo: portraitImage(),
		name:   widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		key:    widget.NewLabel(""),
		dates:  widget.NewLabel(""),
		pushes: widget.NewLabel(""),
		status: widget.NewLabel(""),
	}
	for _, l := range []*widget.Label{c.key, c.dates, c.pushes, c.status} {
		l.Wrapping = fyne.TextWrapWord
	}
	c.choose = newDecisionButton("", nil, func() { d.m.Choose(i) }, d.m.Cancel)
	c.box = container.NewBorder(nil, widget.NewSeparator(), container.NewVBox(c.photo), nil,
		container.NewVBox(c.name, c.key, c.dates, c.pushes, c.status, c.choose))
	return c
}

// matchDates says when the match was enrolled and last captured.
func matchDates(mt Match) string {
	day := func(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }
	line := lang.X("enroll.duplicate.enrolled_at", "Enrolled {{.When}}", map[string]any{"When": day(mt.Person.CreatedAt)})
	if !mt.LastCapture.IsZero() {
		line += " · " + lang.X("enroll.duplicate.captured_at", "last captured {{.When}}", map[string]any{"When": day(mt.LastCapture)})
	}
	return line
}

// eyeFigures are one captured eye's figures: usable iris area and the camera's quality.
func eyeFigures(e EyeSummary) string {
	line := lang.X("enroll.duplicate.eye", "{{.Area}} % usable area, quality {{.Quality}}", map[string]any{"Area": e.UsableArea, "Quality": e.Quality})
	if !e.Usable() {
		line += " — " + lang.X("enroll.duplicate.eye_low", "below the enrollment threshold")
	}
	return line
}

// sourcesLine says who found a match, in the operator's language; a source the engine
// names in a way not listed here is shown as it is.
func sourcesLine(sources []string) string {
	out := make([]string, len(sources))
	for i, src := range sources {
		switch {
		case src == "left iris":
			out[i] = lang.X("enroll.duplicate.source.left", "left iris")
		case src == "right iris":
			out[i] = lang.X("enroll.duplicate.source.right", "right iris")
		case src == "subjects check":
			out[i] = lang.X("enroll.duplicate.source.subjects", "the camera's subjects check")
		case strings.HasPrefix(src, "face "):
			out[i] = lang.X("enroll.duplicate.source.face", "face ({{.Variant}})", map[string]any{"Variant": strings.TrimPrefix(src, "face ")})
		default:
			out[i] = src
		}
	}
	return strings.Join(out, ", ")
}
