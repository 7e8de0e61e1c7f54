package firstrun

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"enrollstation/ui/observe"
)

// Screen shows the first-run page: the camera, then the targets (the Devices screen's
// own list and form, given as targets), then Start.
type Screen struct {
	m     *Model
	run   func(func())
	dirty observe.Coalescer

	address *widget.Entry
	check   *widget.Button
	camera  *widget.Label
	start   *widget.Button
	content fyne.CanvasObject
}

// NewScreen builds the page; onStart runs when the operator starts enrolling.
func NewScreen(m *Model, targets fyne.CanvasObject, onStart func()) *Screen {
	return newScreen(m, targets, onStart, fyne.Do)
}

func newScreen(m *Model, targets fyne.CanvasObject, onStart func(), run func(func())) *Screen {
	s := &Screen{m: m, run: run}
	s.address = widget.NewEntry()
	s.address.SetPlaceHolder("192.0.2.10:9980")
	s.address.OnChanged = m.SetAddress
	s.address.OnSubmitted = func(string) { m.Check() }
	s.check = widget.NewButtonWithIcon(lang.X("firstrun.check", "Check"), theme.SearchIcon(), m.Check)
	s.camera = widget.NewLabel(lang.X("firstrun.camera.none", "Type the EF-45's address and check it."))
	s.camera.Wrapping = fyne.TextWrapWord
	s.start = widget.NewButtonWithIcon(lang.X("firstrun.start", "Start enrolling"), theme.NavigateNextIcon(), onStart)
	s.start.Importance = widget.HighImportance
	s.start.Disable()
	intro := widget.NewLabel(lang.X("firstrun.intro", "This station has no camera yet. Give the EF-45 it captures with, and add at least one place to push to: an EF-45 at a door, an ACTAtek terminal or a CLUe place."))
	intro.Wrapping = fyne.TextWrapWord
	camera := widget.NewCard(lang.X("firstrun.camera", "The camera"), "",
		container.NewVBox(container.NewBorder(nil, nil, nil, s.check, s.address), s.camera))
	s.content = container.NewBorder(
		container.NewVBox(widget.NewLabelWithStyle(lang.X("firstrun.title", "Set up this station"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), intro, camera,
			widget.NewLabelWithStyle(lang.X("firstrun.targets", "Targets"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})),
		container.NewHBox(s.start), nil, nil, targets)
	m.Subscribe(func() {
		s.dirty.Post(s.run, s.refresh)
	})
	m.CountTargets()
	return s
}

// Content is the page's root object.
func (s *Screen) Content() fyne.CanvasObject { return s.content }

func (s *Screen) refresh() {
	st := s.m.State()
	switch {
	case st.Checking:
		s.camera.SetText(lang.X("firstrun.camera.checking", "Asking the camera…"))
		s.camera.Importance = widget.MediumImportance
	case st.Problem != nil:
		s.camera.SetText(lang.X("firstrun.camera.problem", "The camera did not answer: {{.Err}}", map[string]any{"Err": st.Problem.Error()}))
		s.camera.Importance = widget.DangerImportance
	case st.Camera != nil:
		s.camera.SetText(lang.X("firstrun.camera.ok", "EF-45 version {{.Version}}, serial {{.Serial}}: kept as this station's camera.",
			map[string]any{"Version": st.Camera.Version, "Serial": st.Camera.Serial}))
		s.camera.Importance = widget.SuccessImportance
	}
	s.camera.Refresh()
	if st.Checking {
		s.check.Disable()
	} else {
		s.check.Enable()
	}
	if st.Ready() {
		s.start.Enable()
	} else {
		s.start.Disable()
	}
}
