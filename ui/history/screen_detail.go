package history

import (
	"image"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"enrollstation/enroll"
)

// problemView is a problem in an operator's words, with its details a click away.
type problemView struct {
	win     fyne.Window
	label   *widget.Label
	details *widget.Button
	current *Problem
	box     *fyne.Container
}

func newProblemView(win fyne.Window) *problemView {
	v := &problemView{win: win, label: widget.NewLabel("")}
	v.label.Importance = widget.DangerImportance
	v.label.Wrapping = fyne.TextWrapWord
	v.details = widget.NewButtonWithIcon(lang.X("history.problem.details", "Details"), theme.InfoIcon(), func() {
		if v.current != nil {
			dialog.ShowInformation(problemText(v.current.Op), v.current.Detail, v.win)
		}
	})
	v.box = container.NewBorder(nil, nil, nil, v.details, v.label)
	v.box.Hide()
	return v
}

func (v *problemView) show(p *Problem) {
	v.current = p
	if p == nil {
		v.box.Hide()
		return
	}
	v.label.SetText(problemText(p.Op))
	v.box.Show()
}

// problemText words what went wrong for the operator.
func problemText(op Op) string {
	switch op {
	case OpSearch:
		return lang.X("history.problem.search", "The search could not be run.")
	case OpDates:
		return lang.X("history.problem.dates", "A date could not be read: type it as YYYY-MM-DD.")
	case OpDetail:
		return lang.X("history.problem.detail", "This person's details could not be read.")
	case OpPhoto:
		return lang.X("history.problem.photo", "The photo could not be shown.")
	case OpRetry:
		return lang.X("history.problem.retry", "The push could not be queued again.")
	case OpErase:
		return lang.X("history.problem.erase", "The erase could not be started or followed.")
	case OpExport:
		return lang.X("history.problem.export", "The export failed.")
	}
	return lang.X("history.problem.other", "Something went wrong.")
}

// detailView shows the selected person.
type detailView struct {
	s        *Screen
	shown    *Detail // the detail drawn, to redraw only on change
	empty    *widget.Label
	body     *fyne.Container
	photo    *canvas.Image
	photoImg image.Image
	loading  *widget.Label
	name     *widget.Label
	fields   *widget.Label
	captures *widget.Label
	pushes   *fyne.Container
	problem  *problemView
	action   *problemView
	photoErr *problemView
	erase    *widget.Button
	close    *widget.Button
	content  fyne.CanvasObject
}

func newDetailView(s *Screen) *detailView {
	v := &detailView{s: s}
	v.empty = widget.NewLabel(lang.X("history.detail.empty", "Select a person to see their details."))
	v.photo = canvas.NewImageFromResource(theme.AccountIcon())
	v.photo.FillMode = canvas.ImageFillContain
	v.photo.SetMinSize(fyne.NewSize(120, 160))
	v.loading = widget.NewLabel("")
	v.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.name.SizeName = theme.SizeNameSubHeadingText
	v.fields = widget.NewLabel("")
	v.fields.Wrapping = fyne.TextWrapWord
	v.captures = widget.NewLabel("")
	v.captures.Wrapping = fyne.TextWrapWord
	v.pushes = container.NewVBox()
	v.problem = newProblemView(s.win)
	v.action = newProblemView(s.win)
	v.photoErr = newProblemView(s.win)
	v.erase = widget.NewButtonWithIcon(lang.X("history.erase.button", "Erase everywhere…"), theme.DeleteIcon(), s.model.PrepareErase)
	v.erase.Importance = widget.DangerImportance
	v.close = widget.NewButtonWithIcon(lang.X("history.detail.close", "Close"), theme.CancelIcon(), s.model.Deselect)

	head := container.NewBorder(nil, nil, container.NewVBox(v.photo, v.loading, v.photoErr.box), nil,
		container.NewVBox(v.name, v.fields))
	v.body = container.NewVBox(head, v.problem.box,
		widget.NewLabelWithStyle(lang.X("history.detail.pushes", "Push state per target"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		v.pushes, v.action.box,
		widget.NewLabelWithStyle(lang.X("history.detail.captures", "Captures"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		v.captures,
		container.NewHBox(v.erase, v.close))
	v.body.Hide()
	v.content = container.NewVScroll(container.NewPadded(container.NewStack(v.empty, v.body)))
	return v
}

func (v *detailView) refresh(st State) {
	v.action.show(st.ActionProblem)
	d := st.Detail
	if d == v.shown {
		return
	}
	v.shown = d
	if d == nil {
		v.body.Hide()
		v.empty.Show()
		v.photoImg = nil
		v.photo.Image, v.photo.Resource = nil, theme.AccountIcon() // the decrypted photo is dropped
		v.photo.Refresh()
		return
	}
	v.empty.Hide()
	v.body.Show()
	p := d.Person
	v.name.SetText(p.Name())
	v.fields.SetText(personFields(p))
	v.problem.show(d.Problem)
	v.photoErr.show(d.PhotoProblem)
	switch {
	case d.PhotoLoading:
		v.loading.SetText(lang.X("history.photo.loading", "Decrypting the photo…"))
	case d.Photo == nil && d.PhotoProblem == nil && !d.Loading:
		v.loading.SetText(lang.X("history.photo.none", "No photo"))
	default:
		v.loading.SetText("")
	}
	if d.Photo != v.photoImg {
		v.photoImg = d.Photo
		if d.Photo != nil {
			v.photo.Resource, v.photo.Image = nil, d.Photo
		} else {
			v.photo.Image, v.photo.Resource = nil, theme.AccountIcon()
		}
		v.photo.Refresh()
	}
	v.captures.SetText(captureLines(d.Captures))
	v.pushes.Objects = nil
	for _, it := range d.Pushes {
		v.pushes.Add(v.s.pushRow(it, d.Retrying))
	}
	if len(d.Pushes) == 0 && !d.Loading {
		v.pushes.Add(widget.NewLabel(lang.X("history.pushes.none", "Not sent to any target")))
	}
	enable(v.erase, !d.Loading && d.Problem == nil)
	v.body.Refresh() // the rows changed: lay the detail out again
}

// personFields are the person's identity, validity and consent, one per line.
func personFields(p enroll.Person) string {
	day := func(t time.Time) string { return t.Local().Format(time.DateOnly) }
	valid := lang.X("history.valid.always", "always")
	switch {
	case !p.ValidFrom.IsZero() && !p.ValidUntil.IsZero():
		valid = day(p.ValidFrom) + " – " + day(p.ValidUntil)
	case !p.ValidFrom.IsZero():
		valid = lang.X("history.valid.from", "from {{.From}}, no end", map[string]any{"From": day(p.ValidFrom)})
	case !p.ValidUntil.IsZero():
		valid = lang.X("history.valid.until", "until {{.Until}}", map[string]any{"Until": day(p.ValidUntil)})
	}
	consent := lang.X("history.consent.none", "not recorded")
	if !p.ConsentAt.IsZero() {
		consent = lang.X("history.consent.at", "{{.At}} by {{.By}}",
			map[string]any{"At": p.ConsentAt.Local().Format("2006-01-02 15:04"), "By": p.ConsentBy})
	}
	dash := func(s string) string {
		if s == "" {
			return "—"
		}
		return s
	}
	return strings.Join([]string{
		lang.X("history.field.key", "Key: {{.V}}", map[string]any{"V": p.Key}),
		lang.X("history.field.card", "Card: {{.V}}", map[string]any{"V": dash(p.CardNumber)}),
		lang.X("history.field.department", "Department: {{.V}}", map[string]any{"V": dash(p.Department)}),
		lang.X("history.field.valid", "Valid: {{.V}}", map[string]any{"V": valid}),
		lang.X("history.field.consent", "Consent: {{.V}}", map[string]any{"V": consent}),
	}, "\n")
}

// captureLines lists captures, newest first: when, which camera, who, how many items.
func captureLines(caps []enroll.Capture) string {
	if len(caps) == 0 {
		return lang.X("history.captures.none", "No capture")
	}
	var lines []string
	for _, c := range caps {
		lines = append(lines, lang.X("history.capture.line", "{{.At}} · camera {{.Serial}} · by {{.Operator}} · {{.N}} items",
			map[string]any{"At": c.SavedAt.Local().Format("2006-01-02 15:04"), "Serial": c.DeviceSerial, "Operator": c.Operator, "N": len(c.Blobs)}))
	}
	return strings.Join(lines, "\n")
}

// pushRow is one target's row: its name, the row's state, the device's own message and,
// when it failed, "Push again".
func (s *Screen) pushRow(it enroll.OutboxItem, retrying []int64) fyne.CanvasObject {
	name := widget.NewLabelWithStyle(it.TargetName, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	state := widget.NewLabel(rowStateText(it))
	state.Importance = rowStateImportance(it.State)
	right := container.NewHBox(state)
	if it.State == enroll.OutboxFailed {
		again := widget.NewButtonWithIcon(lang.X("history.retry", "Push again"), theme.ViewRefreshIcon(), func() { s.model.Retry(it.ID) })
		for _, r := range retrying {
			if r == it.ID {
				again.Disable()
			}
		}
		right.Add(again)
	}
	msg := it.LastError
	if msg == "" {
		msg = it.Note
	}
	if msg == "" {
		return container.NewBorder(nil, nil, name, right)
	}
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	text.Importance = widget.LowImportance
	if it.State == enroll.OutboxFailed {
		text.Importance = widget.DangerImportance
	}
	return container.NewVBox(container.NewBorder(nil, nil, name, right), text)
}

// rowStateText words an outbox row's state: a push or a delete.
func rowStateText(it enroll.OutboxItem) string {
	del := it.Op == "delete"
	switch it.State {
	case enroll.OutboxPending:
		if del {
			return lang.X("history.row.delete.pending", "delete waiting")
		}
		return lang.X("history.row.pending", "pending")
	case enroll.OutboxInFlight:
		if del {
			return lang.X("history.row.delete.inflight", "deleting…")
		}
		return lang.X("history.row.inflight", "pushing…")
	case enroll.OutboxDone:
		if del {
			return lang.X("history.row.delete.done", "deleted")
		}
		return lang.X("history.row.done", "done")
	case enroll.OutboxFailed:
		if del {
			return lang.X("history.row.delete.failed", "delete failed")
		}
		return lang.X("history.row.failed", "failed")
	case enroll.OutboxSuperseded:
		return lang.X("history.row.superseded", "replaced")
	}
	return string(it.State)
}

func rowStateImportance(s enroll.OutboxState) widget.Importance {
	switch s {
	case enroll.OutboxFailed:
		return widget.DangerImportance
	case enroll.OutboxInFlight:
		return widget.HighImportance
	case enroll.OutboxPending:
		return widget.WarningImportance
	case enroll.OutboxDone:
		return widget.SuccessImportance
	}
	return widget.LowImportance
}
