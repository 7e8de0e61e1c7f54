package history

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"enrollstation/enroll"
)

// eraseView is the erase's two dialogs: the confirmation that names what is deleted where,
// then each step's progress until the journal's part is done.
type eraseView struct {
	s *Screen

	confirm     *dialog.CustomDialog
	confirmOpen bool
	planText    *widget.Label
	planProblem *problemView
	confirmBtn  *widget.Button
	cancelBtn   *widget.Button

	progress     *dialog.CustomDialog
	progressKey  string // the erase the progress dialog shows or was closed on
	progressOpen bool
	shown        *EraseProgress
	title        *widget.Label
	steps        *fyne.Container
	journal      *widget.Label
	bar          *widget.ProgressBar
	problem      *problemView
	closeBtn     *widget.Button
}

func newEraseView(s *Screen) *eraseView {
	v := &eraseView{s: s}
	v.planText = widget.NewLabel("")
	v.planText.Wrapping = fyne.TextWrapWord
	v.planProblem = newProblemView(s.win)
	v.confirmBtn = widget.NewButtonWithIcon(lang.X("history.erase.confirm", "Erase everywhere"), theme.DeleteIcon(), s.model.ConfirmErase)
	v.confirmBtn.Importance = widget.DangerImportance
	v.cancelBtn = widget.NewButtonWithIcon(lang.X("history.erase.cancel", "Cancel"), theme.CancelIcon(), s.model.CancelErase)
	v.confirm = dialog.NewCustomWithoutButtons(lang.X("history.erase.title", "Erase everywhere?"),
		container.NewVBox(v.planText, v.planProblem.box), s.win)
	v.confirm.SetButtons([]fyne.CanvasObject{v.cancelBtn, v.confirmBtn})
	v.confirm.SetOnClosed(func() {
		// Closed by Escape or by the buttons: an open plan is dropped either way.
		if v.confirmOpen {
			v.confirmOpen = false
			s.model.CancelErase()
		}
	})

	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.steps = container.NewVBox()
	v.journal = widget.NewLabel("")
	v.bar = widget.NewProgressBar()
	v.problem = newProblemView(s.win)
	v.closeBtn = widget.NewButton("", v.closeProgress)
	v.progress = dialog.NewCustomWithoutButtons(lang.X("history.erase.progress", "Erasing everywhere"),
		container.NewVBox(v.title, v.steps, v.journal, v.bar, v.problem.box), s.win)
	v.progress.SetButtons([]fyne.CanvasObject{v.closeBtn})
	return v
}

func (v *eraseView) refresh(st State) {
	v.refreshPlan(st.ErasePlan)
	v.refreshProgress(st.Erase)
}

func (v *eraseView) refreshPlan(p *ErasePlan) {
	if p == nil {
		if v.confirmOpen {
			v.confirmOpen = false
			v.confirm.Hide()
		}
		return
	}
	if p.Loading {
		v.planText.SetText(lang.X("history.erase.reading", "Reading what would be deleted…"))
	} else {
		v.planText.SetText(planText(p))
	}
	v.planProblem.show(p.Problem)
	enable(v.confirmBtn, !p.Loading && p.Problem == nil)
	if !v.confirmOpen {
		v.confirmOpen = true
		v.confirm.Show()
		v.s.win.Canvas().Focus(v.cancelBtn) // the safe choice is the one Enter takes
	}
	fit(v.confirm)
}

// fit lays a dialog out again for content that changed while it is shown: a popup keeps
// its size otherwise, and longer text would run under its buttons.
func fit(d dialog.Dialog) { d.Resize(fyne.NewSize(dialogWidth, 0)) }

// dialogWidth is wide enough for a target's line without wrapping on most screens.
const dialogWidth = 560

// planText names what the erase deletes, where.
func planText(p *ErasePlan) string {
	var b strings.Builder
	b.WriteString(lang.X("history.erase.intro", "This erases {{.Name}} ({{.Key}}) everywhere:",
		map[string]any{"Name": p.Name, "Key": p.PersonKey}))
	for _, t := range p.Targets {
		b.WriteString("\n• ")
		b.WriteString(lang.X("history.erase.target", "{{.Target}}, {{.Kind}}: the person's record and biometric data",
			map[string]any{"Target": t.Name, "Kind": kindText(t.Kind)}))
	}
	b.WriteString("\n• ")
	b.WriteString(lang.X("history.erase.journal", "this station's journal: {{.Captures}} captures with {{.Blobs}} biometric items, and the personal details, once every target has deleted the person",
		map[string]any{"Captures": p.Captures, "Blobs": p.Blobs}))
	b.WriteString("\n\n")
	b.WriteString(lang.X("history.erase.audit", "The audit trail keeps a record of each step. This cannot be undone."))
	return b.String()
}

func (v *eraseView) refreshProgress(e *EraseProgress) {
	if e == nil {
		if v.progressOpen {
			v.progressOpen = false
			v.progress.Hide()
		}
		v.progressKey, v.shown = "", nil
		return
	}
	if e == v.shown {
		return
	}
	v.shown = e
	v.title.SetText(lang.X("history.erase.of", "Erasing {{.Name}} ({{.Key}})", map[string]any{"Name": e.Name, "Key": e.PersonKey}))
	v.steps.Objects = nil
	for _, it := range e.Steps {
		v.steps.Add(v.s.pushRow(it, nil))
	}
	if !e.Queued && e.Problem == nil {
		v.steps.Add(widget.NewLabel(lang.X("history.erase.queuing", "Queuing the deletes…")))
	}
	v.steps.Refresh()
	switch {
	case e.JournalErased:
		v.journal.SetText(lang.X("history.erase.journal.done", "Journal: erased. The person is gone everywhere."))
		v.journal.Importance = widget.SuccessImportance
	case e.Failed():
		v.journal.SetText(lang.X("history.erase.journal.blocked", "Journal: kept until every failed delete is pushed again."))
		v.journal.Importance = widget.WarningImportance
	default:
		v.journal.SetText(lang.X("history.erase.journal.waiting", "Journal: waiting for every target to delete the person."))
		v.journal.Importance = widget.MediumImportance
	}
	v.journal.Refresh()
	v.bar.SetValue(e.Fraction())
	v.problem.show(e.Problem)
	if e.JournalErased || e.Problem != nil {
		v.closeBtn.SetText(lang.X("history.erase.close", "Close"))
	} else {
		v.closeBtn.SetText(lang.X("history.erase.background", "Continue in the background"))
	}
	// A new erase opens the dialog; one the operator closed stays closed.
	if v.progressKey != e.PersonKey {
		v.progressKey = e.PersonKey
		v.progressOpen = true
		v.progress.Show()
	}
	if v.progressOpen {
		fit(v.progress)
	}
}

// closeProgress hides the progress; a finished erase is forgotten, one under way goes on
// in the outbox.
func (v *eraseView) closeProgress() {
	v.progressOpen = false
	v.progress.Hide()
	if e := v.s.model.State().Erase; e != nil && (e.JournalErased || e.Problem != nil) {
		v.s.model.DismissErase()
	}
}

// kindText names a kind of target for the operator.
func kindText(k enroll.TargetKind) string {
	switch k {
	case enroll.TargetEF45:
		return lang.X("history.kind.ef45", "EF-45 camera")
	case enroll.TargetACTAtek:
		return lang.X("history.kind.actatek", "ACTAtek terminal")
	case enroll.TargetCLUe:
		return lang.X("history.kind.clue", "CLUe cloud")
	}
	return string(k)
}
