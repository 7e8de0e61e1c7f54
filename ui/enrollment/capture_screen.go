package enrollment

import (
	"fmt"
	"image"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"enrollstation/assets"
	"enrollstation/enroll/capture"
	"enrollstation/enroll/preview"
	"enrollstation/ui/observe"
)

// uiRunner runs fn on the UI goroutine, waiting for it when wait is set. In the app it is
// fyne.Do / fyne.DoAndWait.
type uiRunner func(fn func(), wait bool)

func fyneRunner(fn func(), wait bool) {
	if wait {
		fyne.DoAndWait(fn)
		return
	}
	fyne.Do(fn)
}

// CaptureScreen shows a CaptureModel: the camera's identity, the live preview with the
// guidance line, the capture controls and the result. Its widgets are made once; state
// changes and frames only update them, on the UI goroutine.
type CaptureScreen struct {
	model *CaptureModel
	run   uiRunner
	dirty observe.Coalescer // a refresh is queued on the UI goroutine

	title    *widget.Label
	identity *widget.Label
	status   *widget.Label
	preview  *canvas.Image
	guidance *widget.Label
	progress *widget.ProgressBar
	problem  *widget.Label

	capture   *widget.Button
	cancel    *widget.Button
	takeOver  *widget.Button
	reconnect *widget.Button

	result        *widget.Card
	resultFrames  *widget.Label
	resultTime    *widget.Label
	resultLeft    *widget.Label
	resultRight   *widget.Label
	resultFace    *widget.Label
	resultWarning *widget.Label

	progressText string // what the progress bar says; read by its formatter on the UI goroutine
	content      fyne.CanvasObject
	onCapture    func() // what the Capture button does: the model's Capture unless a flow says
	noResult     bool   // a flow shows the review itself
	unsubscribe  func()
}

// HideResult leaves the result card out: the Enroll screen's review shows the gates.
func (s *CaptureScreen) HideResult() {
	s.noResult = true
	s.result.Hide()
}

// SetOnCapture makes the Capture button run fn (a flow that checks the person first).
func (s *CaptureScreen) SetOnCapture(fn func()) { s.onCapture = fn }

// NewCaptureScreen builds the screen for m and subscribes it to m's changes. Call it on the
// UI goroutine.
func NewCaptureScreen(m *CaptureModel) *CaptureScreen { return newCaptureScreen(m, fyneRunner) }

func newCaptureScreen(m *CaptureModel, run uiRunner) *CaptureScreen {
	s := &CaptureScreen{model: m, run: run}
	s.build()
	m.SetPreviewColors(previewColors())
	// A theme change (light/dark) reaches the preview from the next capture on.
	fyne.CurrentApp().Settings().AddListener(func(fyne.Settings) { m.SetPreviewColors(previewColors()) })
	m.SetFrameSink(s.showFrame)
	s.unsubscribe = m.Subscribe(s.changed)
	s.refresh()
	return s
}

// Close stops the screen following the model, which outlives a screen rebuilt in another
// language; the next screen built on the model takes the preview's frames over.
func (s *CaptureScreen) Close() { s.unsubscribe() }

// Content is the screen's root object, for Window.SetContent.
func (s *CaptureScreen) Content() fyne.CanvasObject { return s.content }

func (s *CaptureScreen) build() {
	s.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.identity = widget.NewLabel("")
	s.status = widget.NewLabel("")
	s.status.Truncation = fyne.TextTruncateEllipsis

	icon := canvas.NewImageFromResource(assets.Icon())
	icon.FillMode = canvas.ImageFillContain
	side := theme.Size(theme.SizeNameInlineIcon) * 2
	icon.SetMinSize(fyne.NewSquareSize(side))
	header := container.NewBorder(nil, nil, icon, nil,
		container.NewVBox(s.title, s.identity))

	size := s.model.opts.PreviewSize
	s.preview = canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, size.X, size.Y)))
	s.preview.FillMode = canvas.ImageFillContain
	// The GPU scales the frame; smooth scaling on the CPU would cost more than drawing it.
	s.preview.ScaleMode = canvas.ImageScaleFastest
	// Small enough that form, preview and result fit a 1024×768 window; it grows with it.
	s.preview.SetMinSize(fyne.NewSize(float32(size.X)/2.5, float32(size.Y)/2.5))

	s.guidance = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.guidance.SizeName = theme.SizeNameHeadingText
	s.progress = widget.NewProgressBar()
	s.progress.TextFormatter = func() string { return s.progressText }
	s.problem = widget.NewLabel("")
	s.problem.Importance = widget.DangerImportance
	s.problem.Wrapping = fyne.TextWrapWord

	s.onCapture = s.model.Capture
	s.capture = widget.NewButtonWithIcon(lang.X("capture.button.capture", "Capture"), theme.MediaRecordIcon(), func() { s.onCapture() })
	s.capture.Importance = widget.HighImportance
	s.cancel = widget.NewButtonWithIcon(lang.X("capture.button.cancel", "Cancel"), theme.CancelIcon(), s.model.Cancel)
	s.takeOver = widget.NewButtonWithIcon(lang.X("capture.button.take_over", "Take over"), theme.LoginIcon(), s.model.TakeOver)
	s.takeOver.Importance = widget.WarningImportance
	s.reconnect = widget.NewButtonWithIcon(lang.X("capture.button.reconnect", "Reconnect"), theme.ViewRefreshIcon(), s.model.Retry)
	buttons := container.NewHBox(layout.NewSpacer(), s.reconnect, s.takeOver, s.cancel, s.capture)

	s.resultFrames = widget.NewLabel("")
	s.resultTime = widget.NewLabel("")
	s.resultLeft = widget.NewLabel("")
	s.resultRight = widget.NewLabel("")
	s.resultFace = widget.NewLabel("")
	s.resultWarning = widget.NewLabel("")
	s.resultWarning.Importance = widget.WarningImportance
	s.resultWarning.Wrapping = fyne.TextWrapWord
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel(lang.X("capture.result.frames", "Frames")), s.resultFrames,
		widget.NewLabel(lang.X("capture.result.time", "Capture time")), s.resultTime,
		widget.NewLabel(lang.X("capture.result.left", "Left eye")), s.resultLeft,
		widget.NewLabel(lang.X("capture.result.right", "Right eye")), s.resultRight,
		widget.NewLabel(lang.X("capture.result.face", "Face")), s.resultFace,
	)
	s.result = widget.NewCard(lang.X("capture.result.title", "Capture result"), "", container.NewVBox(form, s.resultWarning))

	bottom := container.NewVBox(s.guidance, s.progress, s.problem, buttons, s.status)
	// The result sits beside the preview, which keeps its height for the review.
	s.content = container.NewBorder(header, bottom, nil, s.result, s.preview)
}

// changed is the model's observer. Refreshes are coalesced: however many changes come in,
// at most one refresh waits on the UI goroutine, and it shows the newest state.
func (s *CaptureScreen) changed() {
	s.dirty.Post(func(fn func()) { s.run(fn, false) }, s.refresh)
}

// showFrame is the model's frame sink: swap the image and redraw, on the UI goroutine, and
// return once done so the renderer may reuse the other buffer.
func (s *CaptureScreen) showFrame(frame *image.RGBA) {
	s.run(func() {
		s.preview.Image = frame
		s.preview.Refresh()
	}, true)
}

// refresh shows the model's current state. It runs on the UI goroutine.
func (s *CaptureScreen) refresh() {
	st := s.model.State()

	s.title.SetText(lang.X("capture.title", "EF-45 at {{.Addr}}", map[string]any{"Addr": st.Address}))
	s.identity.SetText(identityLine(st))
	s.status.SetText(localize(st.StatusWords, st.Status))

	g := st.Guidance
	if st.Phase != PhaseCapturing {
		g = capture.Guidance{}
	}
	s.guidance.Importance = guidanceImportance(g.Level)
	if g.Text != "" {
		g.Text = lang.X(fmt.Sprintf("capture.hint.%d", int(g.Hint)), g.Text)
	}
	s.guidance.SetText(g.Text)
	if g.Text == "" {
		s.guidance.Hide()
	} else {
		s.guidance.Show()
	}

	switch st.Phase {
	case PhaseCapturing:
		s.progressText = lang.X("capture.progress.left", "{{.N}} s left", map[string]any{"N": int(st.Remaining.Round(time.Second) / time.Second)})
		s.progress.SetValue(st.Progress)
		s.progress.Show()
	case PhaseDone:
		s.progressText = lang.X("capture.progress.done", "Done")
		s.progress.SetValue(1)
		s.progress.Show()
	default:
		s.progress.Hide()
	}

	if st.Problem != nil {
		s.problem.SetText(localize(st.Problem.Words, st.Problem.Message))
		s.problem.Show()
	} else {
		s.problem.SetText("")
		s.problem.Hide()
	}
	setShown(s.takeOver, st.Problem != nil && st.Problem.TakeOver)
	setShown(s.reconnect, st.Phase != PhaseConnecting && (!st.Connected || (st.Problem != nil && st.Problem.Reconnect)))
	setEnabled(s.capture, st.CanCapture())
	setEnabled(s.cancel, st.CanCancel())

	if st.Phase == PhaseDone && st.Result != nil && !s.noResult {
		s.showResult(st.Result)
		s.result.Show()
	} else {
		s.result.Hide()
	}
}

func (s *CaptureScreen) showResult(r *CaptureSummary) {
	s.resultFrames.SetText(fmt.Sprintf("%d", r.Frames))
	s.resultTime.SetText(formatSeconds(r.Elapsed))
	s.resultLeft.SetText(eyeLine(r.Left))
	s.resultRight.SetText(eyeLine(r.Right))
	if r.Face {
		s.resultFace.SetText("captured")
	} else {
		s.resultFace.SetText("none")
	}
	s.resultWarning.SetText(resultWarning(r))
	if s.resultWarning.Text == "" {
		s.resultWarning.Hide()
	} else {
		s.resultWarning.Show()
	}
}

// identityLine is the line under the title: version and serial once known.
func identityLine(st CaptureState) string {
	switch {
	case st.Version != "" && st.Serial != "":
		return lang.X("capture.identity.both", "Version {{.Version}} · Serial {{.Serial}}", map[string]any{"Version": st.Version, "Serial": st.Serial})
	case st.Version != "":
		return lang.X("capture.identity.version", "Version {{.Version}}", map[string]any{"Version": st.Version})
	}
	return lang.X("capture.identity.none", "Version and serial not read yet")
}

// eyeLine describes one eye of a result: usable iris area and quality, and the verdict.
func eyeLine(e EyeSummary) string {
	verdict := "good"
	switch {
	case !e.QualityOK:
		verdict = "quality too low"
	case e.UsableArea < minUsableIrisArea:
		verdict = fmt.Sprintf("needs %d %% usable area", minUsableIrisArea)
	}
	return fmt.Sprintf("%d %% usable area, quality %d, %s", e.UsableArea, e.Quality, verdict)
}

// resultWarning is what the operator must act on before keeping a capture.
func resultWarning(r *CaptureSummary) string {
	switch {
	case r.Left.Duplicate != "" || r.Right.Duplicate != "":
		return lang.X("capture.warning.duplicate", "This iris is already enrolled under another identity. Check before keeping this capture.")
	case !r.Left.Usable() || !r.Right.Usable():
		return lang.X("capture.warning.quality", "An eye is below the quality needed. Capture again.")
	}
	return ""
}

func formatSeconds(d time.Duration) string {
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func guidanceImportance(l capture.Level) widget.Importance {
	switch l {
	case capture.LevelGood:
		return widget.SuccessImportance
	case capture.LevelWarn:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

// localize is w in the operator's language; english when the model gave no Words.
func localize(w Words, english string) string {
	if w.Key == "" {
		return english
	}
	return lang.X(w.Key, w.Template, w.Args)
}

func setShown(o fyne.CanvasObject, shown bool) {
	if shown {
		o.Show()
	} else {
		o.Hide()
	}
}

func setEnabled(w fyne.Disableable, enabled bool) {
	if enabled {
		w.Enable()
	} else {
		w.Disable()
	}
}

// previewColors takes the preview's colours from the current theme.
func previewColors() preview.Colors {
	bg := opaque(theme.Color(theme.ColorNameBackground), color.RGBA{0, 0, 0, 0xff})
	return preview.Colors{
		Background:  bg,
		Placeholder: opaque(theme.Color(theme.ColorNameInputBackground), bg),
		Good:        opaque(theme.Color(theme.ColorNameSuccess), bg),
		Adjust:      opaque(theme.Color(theme.ColorNameWarning), bg),
		Marker:      opaque(theme.Color(theme.ColorNamePrimary), bg),
		Text:        opaque(theme.Color(theme.ColorNameForeground), bg),
	}
}

// opaque composes c over bg: the preview frame has no transparency.
func opaque(c color.Color, bg color.RGBA) color.RGBA {
	r, g, b, a := c.RGBA() // premultiplied, 16 bit
	over := func(v uint32, under uint8) uint8 {
		return uint8((v + uint32(under)*0x101*(0xffff-a)/0xffff) >> 8)
	}
	return color.RGBA{over(r, bg.R), over(g, bg.G), over(b, bg.B), 0xff}
}
