package devices

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"enrollstation/enroll"
	"enrollstation/ui/observe"
)

// RefreshEvery is how often the screen asks the devices how they are.
const RefreshEvery = 30 * time.Second

// Screen is the Devices screen over a Model.
type Screen struct {
	m     *Model
	ctx   context.Context
	win   fyne.Window
	dirty observe.Coalescer
	run   func(func()) // runs on the UI goroutine: fyne.Do
	state State

	content fyne.CanvasObject
	list    *widget.List
	status  *widget.Label
	refresh *widget.Button
	adds    []*widget.Button

	detail   *fyne.Container
	title    *widget.Label
	health   *widget.Label
	door     *widget.Button
	card     *widget.Button
	clock    *widget.Button
	logs     *widget.Button
	modes    *widget.Select
	readMode *widget.Button
	setMode  *widget.Button
	modeRow  *fyne.Container
	cfgKey   *widget.Entry
	cfgType  *widget.Select
	cfgValue *widget.Entry
	cfgRead  *widget.Button
	cfgWrite *widget.Button
	cfgRow   *fyne.Container
	check    *widget.Button
	repair   *widget.Button
	edit     *widget.Button
	remove   *widget.Button
	cancel   *widget.Button
	progress *widget.ProgressBarInfinite
	result   *widget.Label
	problem  *widget.Label
	details  *widget.Button
	errRow   *fyne.Container
	detailed *widget.Label
	findings *widget.Label
	sure     *widget.Button
	notSure  *widget.Button
	confirm  *fyne.Container

	form *formView
}

// NewScreen builds the screen on the UI goroutine and starts its background refresh, which
// stops with ctx.
func NewScreen(ctx context.Context, m *Model, win fyne.Window) *Screen {
	return newScreen(ctx, m, win, fyne.Do)
}

func newScreen(ctx context.Context, m *Model, win fyne.Window, run func(func())) *Screen {
	s := &Screen{m: m, ctx: ctx, win: win, run: run}
	s.build()
	// The model outlives a screen rebuilt in another language: stop following it with ctx.
	context.AfterFunc(ctx, m.Subscribe(func() {
		s.dirty.Post(s.run, s.render)
	}))
	s.render()
	m.AutoRefresh(ctx, RefreshEvery)
	return s
}

// Content is the screen's widget tree.
func (s *Screen) Content() fyne.CanvasObject { return s.content }

// TypedKey handles the screen's keys: F5 refreshes, Escape stops the action under way or
// closes the form.
func (s *Screen) TypedKey(k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyF5:
		s.m.Refresh(s.ctx)
		return true
	case fyne.KeyEscape:
		if s.state.Form != nil {
			s.m.CloseForm()
		} else {
			s.m.Cancel()
		}
		return true
	}
	return false
}

func (s *Screen) build() {
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	s.refresh = widget.NewButtonWithIcon(lang.X("devices.refresh", "Refresh"), theme.ViewRefreshIcon(), func() { s.m.Refresh(s.ctx) })
	for _, k := range []struct {
		kind enroll.TargetKind
		key  string
		def  string
	}{
		{enroll.TargetEF45, "devices.add.ef45", "Add EF-45"},
		{enroll.TargetACTAtek, "devices.add.actatek", "Add ACTAtek"},
		{enroll.TargetCLUe, "devices.add.clue", "Add CLUe place"},
	} {
		s.adds = append(s.adds, widget.NewButtonWithIcon(lang.X(k.key, k.def), theme.ContentAddIcon(), func() { s.m.NewForm(k.kind) }))
	}
	s.list = widget.NewList(func() int { return len(s.state.Rows) },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			line := widget.NewLabel("")
			line.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(name, line)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(s.state.Rows) {
				return
			}
			r := s.state.Rows[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(r.Target.Name + " — " + kindName(r.Target.Kind))
			line := box.Objects[1].(*widget.Label)
			line.SetText(rowLine(r))
			line.Importance = widget.MediumImportance
			if r.Checked && !r.Health.Reachable {
				line.Importance = widget.DangerImportance
			}
			line.Refresh()
		})
	s.list.OnSelected = func(i widget.ListItemID) {
		if i < len(s.state.Rows) && s.state.Rows[i].Target.ID != s.state.Selected {
			s.m.Select(s.state.Rows[i].Target.ID)
		}
	}
	top := container.NewHBox(s.refresh)
	for _, b := range s.adds {
		top.Add(b)
	}
	left := container.NewBorder(container.NewVBox(top, s.status), nil, nil, nil, s.list)

	s.buildDetail()
	s.form = newFormView(s)
	s.detail = container.NewStack(s.detailBox(), s.form.content)
	split := container.NewHSplit(left, container.NewPadded(s.detail))
	split.Offset = 0.45
	s.content = split
}

func (s *Screen) buildDetail() {
	s.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.health = widget.NewLabel("")
	s.health.Wrapping = fyne.TextWrapWord
	id := func() enroll.TargetID { return s.state.Selected }
	s.door = widget.NewButton(lang.X("devices.action.door", "Test door / relay"), func() { s.m.TestDoor(s.ctx, id()) })
	s.card = widget.NewButton(lang.X("devices.action.card", "Test card reader"), func() { s.m.ReadCard(s.ctx, id()) })
	s.clock = widget.NewButton(lang.X("devices.action.time", "Set the time"), func() { s.m.SetTime(s.ctx, id()) })
	s.logs = widget.NewButton(lang.X("devices.action.logs", "Device log"), func() { s.m.ReadLog(s.ctx, id()) })
	s.modes = widget.NewSelect(CameraModes(), nil)
	s.modes.PlaceHolder = lang.X("devices.select_one", "(Select one)")
	s.modes.PlaceHolder = lang.X("devices.mode.choose", "Camera mode")
	s.readMode = widget.NewButton(lang.X("devices.action.readmode", "Read mode"), func() { s.m.ReadCameraMode(s.ctx, id()) })
	s.setMode = widget.NewButton(lang.X("devices.action.setmode", "Set mode"), func() {
		if s.modes.Selected != "" {
			s.m.SetCameraMode(s.ctx, id(), s.modes.Selected)
		}
	})
	s.modeRow = container.NewBorder(nil, nil, nil, container.NewHBox(s.readMode, s.setMode), s.modes)
	s.cfgKey = widget.NewEntry()
	s.cfgKey.SetPlaceHolder(lang.X("devices.config.key", "Configuration key"))
	s.cfgType = widget.NewSelect(enroll.ConfigTypes(), nil)
	s.cfgType.PlaceHolder = lang.X("devices.select_one", "(Select one)")
	s.cfgType.PlaceHolder = lang.X("devices.config.type", "Type")
	s.cfgValue = widget.NewEntry()
	s.cfgValue.SetPlaceHolder(lang.X("devices.config.value", "Value"))
	s.cfgRead = widget.NewButton(lang.X("devices.action.readconfig", "Read"), func() {
		s.m.ReadConfig(s.ctx, id(), s.cfgKey.Text, s.cfgType.Selected)
	})
	s.cfgWrite = widget.NewButton(lang.X("devices.action.writeconfig", "Write"), func() {
		s.m.WriteConfig(s.ctx, id(), s.cfgKey.Text, s.cfgType.Selected, s.cfgValue.Text)
	})
	s.cfgRow = container.NewBorder(nil, nil, nil, container.NewHBox(s.cfgRead, s.cfgWrite),
		container.NewGridWithColumns(3, s.cfgKey, s.cfgType, s.cfgValue))
	s.check = widget.NewButton(lang.X("devices.action.reconcile", "Reconcile"), func() { s.m.Reconcile(s.ctx, id(), false) })
	s.repair = widget.NewButton(lang.X("devices.action.repair", "Repair"), func() { s.m.Reconcile(s.ctx, id(), true) })
	s.edit = widget.NewButtonWithIcon(lang.X("devices.action.edit", "Edit"), theme.DocumentCreateIcon(), func() { s.m.EditForm(id()) })
	s.remove = widget.NewButtonWithIcon(lang.X("devices.action.remove", "Remove"), theme.DeleteIcon(), s.confirmRemove)
	s.cancel = widget.NewButtonWithIcon(lang.X("devices.action.cancel", "Cancel"), theme.CancelIcon(), s.m.Cancel)
	s.progress = widget.NewProgressBarInfinite()
	s.result = widget.NewLabel("")
	s.result.Wrapping = fyne.TextWrapWord
	s.problem = widget.NewLabel("")
	s.problem.Wrapping = fyne.TextWrapWord
	s.problem.Importance = widget.DangerImportance
	s.detailed = widget.NewLabel("")
	s.detailed.Wrapping = fyne.TextWrapWord
	s.detailed.Hide()
	s.details = widget.NewButton(lang.X("devices.details", "Details"), func() { show(s.detailed, !s.detailed.Visible()) })
	s.sure = widget.NewButtonWithIcon(lang.X("devices.remove.yes", "Remove it"), theme.ConfirmIcon(), func() {
		s.confirm.Hide()
		s.m.Remove(s.ctx, s.state.Selected)
	})
	s.sure.Importance = widget.DangerImportance
	s.notSure = widget.NewButton(lang.X("devices.remove.no", "Keep it"), func() { s.confirm.Hide() })
	s.confirm = container.NewVBox(widget.NewLabel(lang.X("devices.remove.confirm",
		"Remove this device? One with pushes is disabled instead, so its history stays.")), container.NewHBox(s.sure, s.notSure))
	s.confirm.Hide()
	s.errRow = container.NewBorder(nil, nil, nil, s.details, s.problem)
	s.findings = widget.NewLabel("")
	s.findings.Wrapping = fyne.TextWrapWord
}

func (s *Screen) detailBox() fyne.CanvasObject {
	actions := container.NewGridWithColumns(2, s.door, s.card, s.clock, s.logs, s.check, s.repair, s.edit, s.remove)
	running := container.NewBorder(nil, nil, nil, s.cancel, s.progress)
	return container.NewVScroll(container.NewVBox(s.title, s.health, actions, s.modeRow, s.cfgRow, s.confirm, running, s.result,
		s.errRow, s.detailed, s.findings))
}

// confirmRemove asks before a removal, in place, so the keyboard reaches it too.
func (s *Screen) confirmRemove() {
	if _, ok := s.state.Row(s.state.Selected); ok {
		s.confirm.Show()
		if s.win != nil {
			s.win.Canvas().Focus(s.notSure)
		}
	}
}

// render shows the model's state; it runs on the UI goroutine.
func (s *Screen) render() {
	s.state = s.m.State()
	st := s.state
	switch {
	case !st.RefreshErr.IsZero():
		s.status.SetText(text(st.RefreshErr))
	case st.Refreshing:
		s.status.SetText(lang.X("devices.status.refreshing", "Asking the devices how they are…"))
	case !st.RefreshedAt.IsZero():
		s.status.SetText(lang.X("devices.status.at", "Checked at {{.At}}", map[string]any{"At": st.RefreshedAt.Format("15:04:05")}))
	}
	s.list.Refresh()
	for i, r := range st.Rows {
		if r.Target.ID == st.Selected {
			s.list.Select(i)
		}
	}
	s.renderDetail()
	s.form.render(st.Form)
	if st.Form != nil {
		s.detail.Objects[0].Hide()
		s.form.content.Show()
	} else {
		s.form.content.Hide()
		s.detail.Objects[0].Show()
	}
	s.detail.Refresh() // lay out again the messages and fields just shown or hidden
}

func (s *Screen) renderDetail() {
	st := s.state
	r, ok := st.Row(st.Selected)
	a := st.Action
	if !ok {
		s.title.SetText(lang.X("devices.none", "No device selected. Add one with the buttons above."))
		s.health.SetText("")
	} else {
		s.title.SetText(r.Target.Name + " — " + r.Target.Address)
		s.health.SetText(healthText(r))
	}
	enable := func(b *widget.Button, on bool) {
		if on && ok && !a.Running {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	enable(s.door, r.DoorTest)
	enable(s.card, r.CardRead)
	enable(s.clock, r.SetTime)
	enable(s.logs, r.Logs)
	enable(s.readMode, r.CameraMode)
	enable(s.setMode, r.CameraMode)
	show(s.modeRow, ok && r.CameraMode)
	enable(s.cfgRead, r.Config)
	enable(s.cfgWrite, r.Config)
	show(s.cfgRow, ok && r.Config)
	enable(s.check, r.Target.Enabled)
	enable(s.repair, r.Target.Enabled)
	enable(s.edit, true)
	enable(s.remove, true)
	show(s.progress, a.Running)
	show(s.cancel, a.Running)
	if a.Target != st.Selected {
		a = Action{}
	}
	if (a.Kind == ActionMode || a.Kind == ActionSetMode) && a.Err.IsZero() && !a.Running && s.modes.Selected != a.Mode {
		s.modes.SetSelected(a.Mode)
	}
	if a.Kind == ActionConfig && a.Err.IsZero() && !a.Running && s.cfgValue.Text != a.ConfigValue {
		s.cfgValue.SetText(a.ConfigValue)
	}
	setText(s.result, actionText(a))
	setText(s.problem, text(a.Err))
	show(s.details, a.Detail != "")
	show(s.errRow, !a.Err.IsZero())
	s.detailed.SetText(a.Detail)
	if a.Detail == "" {
		s.detailed.Hide()
	}
	setText(s.findings, reportText(a.Report)+eventsText(a))
}

// setText sets a label's text, hiding it when empty so it takes no room.
func setText(l *widget.Label, text string) {
	l.SetText(text)
	show(l, text != "")
}

func show(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}
