package fwwizard

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"enrollstation/ui/observe"
)

// Screen shows a Model: one view per step under the step's title, Back and Next (or
// Cancel while the upload runs) below. Its widgets are made once, or once per list of
// units; changes of the model only update them, on the UI goroutine.
type Screen struct {
	model *Model
	win   fyne.Window
	ctx   context.Context
	run   func(func())      // runs a function on the UI goroutine: fyne.Do in the app
	dirty observe.Coalescer // a refresh is queued

	title *widget.Label
	views [Steps]fyne.CanvasObject

	// units
	units    *fyne.Container
	unitRows []*unitRow
	loadErr  *detail
	loading  *widget.ProgressBarInfinite
	reread   *widget.Button

	// file
	choose   *widget.Button
	fileName *widget.Label
	fileSize *widget.Label
	fileVer  *widget.Label
	fileErr  *detail
	mode     *widget.RadioGroup
	notNewer *widget.Label

	// confirm
	summary *widget.Label
	warning *widget.Label
	confirm *widget.Check

	// run and result
	runs       *fyne.Container
	runRows    []*runRow
	results    *fyne.Container
	resultRows []*resultRow

	back    *widget.Button
	next    *widget.Button
	cancel  *widget.Button
	again   *widget.Button
	content fyne.CanvasObject
	keys    map[fyne.KeyName]func() // the Alt shortcuts' actions

}

// NewScreen builds the wizard for m in win, reads the units and subscribes to m's changes.
// ctx bounds what the wizard starts (the shell's context). Call it on the UI goroutine.
func NewScreen(ctx context.Context, m *Model, win fyne.Window) *Screen {
	return newScreen(ctx, m, win, fyne.Do)
}

func newScreen(ctx context.Context, m *Model, win fyne.Window, run func(func())) *Screen {
	s := &Screen{model: m, win: win, ctx: ctx, run: run}
	s.build()
	s.shortcuts()
	// The model outlives a screen rebuilt in another language: stop following it with ctx.
	context.AfterFunc(ctx, m.Subscribe(s.changed))
	s.refresh()
	m.Refresh(ctx)
	return s
}

// Content is the screen's root object.
func (s *Screen) Content() fyne.CanvasObject { return s.content }

// changed queues one refresh however many changes arrive before it runs.
func (s *Screen) changed() {
	s.dirty.Post(s.run, s.refresh)
}

func (s *Screen) build() {
	s.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})

	s.units = container.NewVBox()
	s.loadErr = newDetail(s.relayout)
	s.loading = widget.NewProgressBarInfinite()
	s.reread = widget.NewButton(lang.X("fwwizard.units.reread", "Read the versions again"), func() { s.model.Refresh(s.ctx) })
	s.views[StepUnits] = container.NewBorder(
		widget.NewLabel(lang.X("fwwizard.units.hint", "Choose the units to upload to. Each shows the version it runs now.")),
		container.NewVBox(s.loading, s.loadErr.box, container.NewHBox(s.reread)), nil, nil, container.NewVScroll(s.units))

	s.choose = widget.NewButton(lang.X("fwwizard.file.choose", "Choose file…"), s.openDialog)
	s.fileName, s.fileSize, s.fileVer = widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")
	s.fileErr = newDetail(s.relayout)
	normal, forced := lang.X("fwwizard.file.normal", "Normal: install only a newer version"),
		lang.X("fwwizard.file.forced", "Forced: install even the same or an older version")
	s.mode = widget.NewRadioGroup([]string{normal, forced}, func(v string) { s.model.SetForce(v == forced) })
	s.mode.Required = true
	s.notNewer = widget.NewLabel("")
	s.notNewer.Importance = widget.WarningImportance
	s.notNewer.Wrapping = fyne.TextWrapWord
	s.views[StepFile] = container.NewVBox(container.NewHBox(s.choose), s.fileName, s.fileSize, s.fileVer, s.fileErr.box,
		widget.NewSeparator(), s.mode, s.notNewer)

	s.summary = widget.NewLabel("")
	s.summary.Wrapping = fyne.TextWrapWord
	s.warning = widget.NewLabel(lang.X("fwwizard.confirm.warning",
		"Do not switch the cameras off or unplug them during the upload. Each one restarts at the end; wait until this wizard shows its new version."))
	s.warning.Importance = widget.DangerImportance
	s.warning.Wrapping = fyne.TextWrapWord
	s.confirm = widget.NewCheck(lang.X("fwwizard.confirm.check", "The cameras stay powered and connected until the upload ends"),
		func(on bool) { s.model.SetConfirmed(on) })
	s.views[StepConfirm] = container.NewVBox(s.summary, s.warning, s.confirm)

	s.runs = container.NewVBox()
	s.cancel = widget.NewButton(lang.X("fwwizard.run.cancel", "Cancel"), s.model.Cancel)
	s.views[StepRun] = container.NewBorder(widget.NewLabel(lang.X("fwwizard.run.hint",
		"Keep the cameras powered. Cameras that took the whole file go on installing it even if you cancel.")),
		nil, nil, nil, container.NewVScroll(s.runs))
	s.results = container.NewVBox()
	s.views[StepResult] = container.NewVScroll(s.results)

	s.back = widget.NewButton(lang.X("fwwizard.back", "Back"), func() { s.model.Back() })
	s.next = widget.NewButton(lang.X("fwwizard.next", "Next"), func() { _ = s.model.Next(s.ctx) })
	s.next.Importance = widget.HighImportance
	s.again = widget.NewButton(lang.X("fwwizard.again", "Upload again"), func() { _ = s.model.Restart(s.ctx) })
	nav := container.NewHBox(s.back, s.next, s.cancel, s.again)
	body := container.NewStack(s.views[:]...)
	s.content = container.NewBorder(s.title, container.NewBorder(nil, nil, nil, nav), nil, nil, body)
}

// shortcuts make every step's actions reachable from the keyboard (buttons and checks are
// focusable with Tab too): Alt+N next, Alt+B back, Alt+C cancel the upload.
func (s *Screen) shortcuts() {
	if s.win == nil {
		return
	}
	s.keys = map[fyne.KeyName]func(){}
	add := func(key fyne.KeyName, fn func()) {
		s.keys[key] = func() {
			if s.content.Visible() { // the shell shows one screen at a time
				fn()
			}
		}
		s.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierAlt},
			func(fyne.Shortcut) { s.keys[key]() })
	}
	add(fyne.KeyN, func() { _ = s.model.Next(s.ctx) })
	add(fyne.KeyB, func() { s.model.Back() })
	add(fyne.KeyC, s.model.Cancel)
}

// openDialog shows the file open dialog; the chosen file goes to the model.
func (s *Screen) openDialog() {
	dialog.NewFileOpen(s.fileChosen, s.win).Show()
}

// fileChosen takes the file open dialog's answer.
func (s *Screen) fileChosen(r fyne.URIReadCloser, err error) {
	if err != nil || r == nil {
		return // dismissed
	}
	path := r.URI().Path()
	_ = r.Close() // only the path is wanted; the engine opens the file itself
	s.model.ChooseFile(s.ctx, path)
}

// CloseIntercept returns the function the shell installs with Window.SetCloseIntercept:
// it closes at once when no upload runs, and otherwise asks; only an explicit choice
// stops the upload, and the window closes when it has stopped.
//
//	w.SetCloseIntercept(wizard.CloseIntercept(func() { quit(0) }))
func (s *Screen) CloseIntercept(closeWindow func()) func() {
	return func() {
		if !s.model.Running() {
			closeWindow()
			return
		}
		d := dialog.NewConfirm(lang.X("fwwizard.close.title", "A firmware upload is running"),
			lang.X("fwwizard.close.message",
				"Closing stops the upload. A camera that already took the whole file goes on installing it and must stay powered. Stop the upload and close?"),
			func(stop bool) {
				if !stop {
					return
				}
				s.model.Cancel()
				go func() {
					ctx, cancel := context.WithTimeout(context.WithoutCancel(s.ctx), 30*time.Second)
					defer cancel()
					_ = s.model.Wait(ctx)
					s.run(closeWindow)
				}()
			}, s.win)
		d.SetConfirmText(lang.X("fwwizard.close.stop", "Stop and close"))
		d.SetDismissText(lang.X("fwwizard.close.keep", "Keep it open"))
		d.Show()
	}
}

// refresh shows the model's state.
func (s *Screen) refresh() {
	st := s.model.State()
	s.title.SetText(lang.X("fwwizard.title", "Firmware upload — step {{.N}} of {{.Of}}: {{.Step}}",
		map[string]any{"N": int(st.Step) + 1, "Of": Steps, "Step": stepTitle(st.Step)}))
	for i, v := range s.views {
		if Step(i) == st.Step {
			v.Show()
		} else {
			v.Hide()
		}
	}
	s.showUnits(st)
	s.showFile(st)
	s.showConfirm(st)
	s.showRuns(st)
	s.showResults(st)

	setVisible(s.back, st.Step < StepRun)
	setEnabled(s.back, st.CanBack)
	setVisible(s.next, st.Step < StepRun)
	setEnabled(s.next, st.CanNext)
	if st.Step == StepConfirm {
		s.next.SetText(lang.X("fwwizard.start", "Start the upload"))
	} else {
		s.next.SetText(lang.X("fwwizard.next", "Next"))
	}
	setVisible(s.cancel, st.Step == StepRun)
	setEnabled(s.cancel, st.Running && !st.Cancelling)
	if st.Cancelling {
		s.cancel.SetText(lang.X("fwwizard.run.cancelling", "Cancelling…"))
	} else {
		s.cancel.SetText(lang.X("fwwizard.run.cancel", "Cancel"))
	}
	setVisible(s.again, st.Step == StepResult)
	s.relayout()
}

// relayout lays the screen out again: rows, details and buttons shown or hidden, and
// texts that changed, change the room each needs.
func (s *Screen) relayout() { s.content.Refresh() }

func (s *Screen) showFile(st State) {
	f := st.File
	switch {
	case st.FileReading:
		s.fileName.SetText(lang.X("fwwizard.file.reading", "Checking the file…"))
	case f.Name == "":
		s.fileName.SetText(lang.X("fwwizard.file.none", "No file chosen"))
	default:
		s.fileName.SetText(lang.X("fwwizard.file.name", "File: {{.Name}}", map[string]any{"Name": f.Name}))
	}
	known := f.Name != "" && !st.FileReading
	s.fileSize.SetText("")
	s.fileVer.SetText("")
	if known {
		s.fileSize.SetText(lang.X("fwwizard.file.size", "Size: {{.Size}}", map[string]any{"Size": size(f.Size)}))
		if f.Version != "" {
			s.fileVer.SetText(lang.X("fwwizard.file.version", "Version in the file: {{.Version}}", map[string]any{"Version": f.Version}))
		} else {
			s.fileVer.SetText(lang.X("fwwizard.file.no_version", "The file does not say its version; the camera checks it"))
		}
	}
	s.fileErr.set(lang.X("fwwizard.file.error", "This file cannot be used. Choose another one."), st.FileErr)
	want := s.mode.Options[0]
	if st.Force {
		want = s.mode.Options[1]
	}
	if s.mode.Selected != want {
		s.mode.SetSelected(want)
	}
	s.notNewer.SetText("")
	if len(st.NotNewer) > 0 {
		s.notNewer.SetText(lang.X("fwwizard.file.not_newer",
			"{{.Units}} already run this version or a newer one: a normal upload to them will be refused. Choose forced to install it anyway.",
			map[string]any{"Units": strings.Join(unitNames(st.Units, st.NotNewer), ", ")}))
	}
}

func (s *Screen) showConfirm(st State) {
	kind := lang.X("fwwizard.confirm.normal", "normal")
	if st.Force {
		kind = lang.X("fwwizard.confirm.forced", "forced")
	}
	var names []string
	for _, u := range st.Units {
		if u.Selected {
			names = append(names, displayName(u.Name, u.Camera, u.Addr))
		}
	}
	s.summary.SetText(lang.X("fwwizard.confirm.summary", "Upload {{.File}} ({{.Kind}}) to: {{.Units}}",
		map[string]any{"File": st.File.Name, "Kind": kind, "Units": strings.Join(names, ", ")}))
	if s.confirm.Checked != st.Confirmed {
		s.confirm.SetChecked(st.Confirmed)
	}
}

// unitNames names the units at addrs.
func unitNames(units []Unit, addrs []string) []string {
	var out []string
	for _, a := range addrs {
		for _, u := range units {
			if u.Addr == a {
				out = append(out, displayName(u.Name, u.Camera, u.Addr))
			}
		}
	}
	return out
}

func setVisible(o fyne.CanvasObject, on bool) {
	if on && !o.Visible() {
		o.Show()
	} else if !on && o.Visible() {
		o.Hide()
	}
}

func setEnabled(w fyne.Disableable, on bool) {
	if on && w.Disabled() {
		w.Enable()
	} else if !on && !w.Disabled() {
		w.Disable()
	}
}
