package fwwizard

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// detail is a message in the operator's words with the full error one click away.
type detail struct {
	msg  *widget.Label
	more *widget.Button
	text *widget.Label
	box  *fyne.Container
}

// newDetail builds one; relayout is called after the details are shown or hidden, since
// the containers around it must make room.
func newDetail(relayout func()) *detail {
	d := &detail{msg: widget.NewLabel(""), text: widget.NewLabel("")}
	d.msg.Importance = widget.DangerImportance
	d.msg.Wrapping = fyne.TextWrapWord
	d.text.Wrapping = fyne.TextWrapWord
	d.text.Hide()
	d.more = widget.NewButton(lang.X("fwwizard.details", "Details"), func() {
		if d.text.Visible() {
			d.text.Hide()
		} else {
			d.text.Show()
		}
		relayout()
	})
	d.box = container.NewVBox(d.msg, container.NewHBox(d.more), d.text)
	d.box.Hide()
	return d
}

// set shows msg with err's text behind the Details button, or hides it all when err is nil.
func (d *detail) set(msg string, err error) {
	if err == nil {
		d.setText("", "")
		return
	}
	d.setText(msg, err.Error())
}

// setText shows msg, and details behind the button; either may be empty, and both empty
// hide it all.
func (d *detail) setText(msg, details string) {
	if msg == "" && details == "" {
		d.box.Hide()
		d.text.Hide()
		return
	}
	d.msg.SetText(msg)
	d.msg.Hidden = msg == ""
	d.text.SetText(details)
	d.more.Hidden = details == ""
	d.box.Show()
}

// unitRow is one unit in the list: a check with its name, and what its version read found.
type unitRow struct {
	addr   string
	check  *widget.Check
	status *widget.Label
	err    *detail
	box    *fyne.Container
}

func (s *Screen) newUnitRow(u Unit) *unitRow {
	r := &unitRow{addr: u.Addr, status: widget.NewLabel(""), err: newDetail(s.relayout)}
	r.check = widget.NewCheck(unitLabel(u), func(on bool) { s.model.Select(r.addr, on) })
	r.box = container.NewVBox(container.NewHBox(r.check, r.status), r.err.box)
	return r
}

func (s *Screen) showUnits(st State) {
	same := len(st.Units) == len(s.unitRows)
	for i := 0; same && i < len(st.Units); i++ {
		same = st.Units[i].Addr == s.unitRows[i].addr
	}
	if !same {
		s.unitRows = nil
		objs := make([]fyne.CanvasObject, 0, len(st.Units))
		for _, u := range st.Units {
			r := s.newUnitRow(u)
			s.unitRows = append(s.unitRows, r)
			objs = append(objs, r.box)
		}
		s.units.Objects = objs
		s.units.Refresh()
	}
	for i, u := range st.Units {
		r := s.unitRows[i]
		r.check.Text = unitLabel(u)
		if r.check.Checked != u.Selected {
			r.check.SetChecked(u.Selected)
		}
		setEnabled(r.check, u.Selectable() || u.Selected)
		r.check.Refresh()
		r.status.SetText(unitStatus(u))
		if u.Err != nil && !u.Restarting {
			r.status.Importance = widget.DangerImportance
		} else {
			r.status.Importance = widget.MediumImportance
		}
		r.status.Refresh()
		// The status says it in words; the device's own answer is one click away.
		if u.Err != nil {
			r.err.setText("", u.Err.Error())
		} else {
			r.err.setText("", "")
		}
	}
	switch {
	case st.LoadErr != nil:
		s.loadErr.set(lang.X("fwwizard.units.load_error", "The list of devices could not be read from the journal."), st.LoadErr)
	case !st.Loading && len(st.Units) == 0:
		s.loadErr.setText(lang.X("fwwizard.units.none", "No EF-45 is set up. Add one on the Devices screen."), "")
	default:
		s.loadErr.set("", nil)
	}
	setEnabled(s.reread, !st.Loading)
	setVisible(s.loading, st.Loading && st.Step == StepUnits)
}

// runRow is one unit's upload: its name, a progress bar of the bytes sent, the phase.
type runRow struct {
	addr  string
	name  *widget.Label
	bar   *widget.ProgressBar
	phase *widget.Label
	box   *fyne.Container
}

// resultRow is one unit's result: old → new version, or the failure with its details.
type resultRow struct {
	name    *widget.Label
	outcome *widget.Label
	failure *detail
	box     *fyne.Container
}

// devicesChanged reports whether rows were built for another list of devices.
func devicesChanged(devs []Device, n int, addr func(int) string) bool {
	if len(devs) != n {
		return true
	}
	for i, d := range devs {
		if d.Addr != addr(i) {
			return true
		}
	}
	return false
}

func (s *Screen) showRuns(st State) {
	if devicesChanged(st.Devices, len(s.runRows), func(i int) string { return s.runRows[i].addr }) {
		s.runRows, s.resultRows = nil, nil
		var runs, results []fyne.CanvasObject
		for _, d := range st.Devices {
			r := &runRow{addr: d.Addr, name: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
				bar: widget.NewProgressBar(), phase: widget.NewLabel("")}
			r.phase.Wrapping = fyne.TextWrapWord
			r.box = container.NewVBox(r.name, r.bar, r.phase)
			s.runRows = append(s.runRows, r)
			runs = append(runs, r.box)
			rr := &resultRow{name: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
				outcome: widget.NewLabel(""), failure: newDetail(s.relayout)}
			rr.outcome.Wrapping = fyne.TextWrapWord
			rr.box = container.NewVBox(rr.name, rr.outcome, rr.failure.box, widget.NewSeparator())
			s.resultRows = append(s.resultRows, rr)
			results = append(results, rr.box)
		}
		s.runs.Objects, s.results.Objects = runs, results
		s.runs.Refresh()
		s.results.Refresh()
	}
	for i, d := range st.Devices {
		r := s.runRows[i]
		r.name.SetText(displayName(d.Name, d.Camera, d.Addr))
		r.bar.Max = float64(max(d.Total, 1))
		r.bar.SetValue(float64(d.Sent))
		switch {
		case d.Finished && d.Failure != nil:
			r.phase.SetText(lang.X("fwwizard.result.failed", "Not updated"))
		case d.Finished:
			r.phase.SetText(successWords(d))
		default:
			r.phase.SetText(phaseNow(d))
		}
	}
}

func (s *Screen) showResults(st State) {
	for i, d := range st.Devices {
		if i >= len(s.resultRows) {
			break
		}
		r := s.resultRows[i]
		r.name.SetText(displayName(d.Name, d.Camera, d.Addr))
		switch {
		case !d.Finished:
			r.outcome.SetText(phaseNow(d))
			r.outcome.Importance = widget.MediumImportance
			r.failure.set("", nil)
		case d.Failure != nil:
			r.outcome.SetText(lang.X("fwwizard.result.failed", "Not updated"))
			r.outcome.Importance = widget.DangerImportance
			r.failure.setText(failureWords(*d.Failure), d.Failure.Details)
		default:
			r.outcome.SetText(successWords(d))
			r.outcome.Importance = widget.SuccessImportance
			r.failure.set("", nil)
		}
		r.outcome.Refresh()
	}
}
