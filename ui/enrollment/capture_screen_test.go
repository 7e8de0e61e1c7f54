package enrollment

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"net/http"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/enroll/capture"
	"enrollstation/ui/uitest"
)

// screenFixture is a capture screen in a test window, driven through a uitest.Loop.
type screenFixture struct {
	t      *testing.T
	model  *CaptureModel
	screen *CaptureScreen
	loop   *uitest.Loop
	win    fyne.Window
}

func newScreenFixture(t *testing.T, cam Camera, opts CaptureModelOptions) *screenFixture {
	t.Helper()
	test.NewTempApp(t)
	if opts.PreviewSize == (image.Point{}) {
		opts.PreviewSize = image.Pt(170, 128)
	}
	m := NewCaptureModel(cam, opts)
	loop := uitest.NewLoop()
	s := newCaptureScreen(m, loop.Do)
	win := test.NewTempWindow(t, s.Content())
	win.Resize(fyne.NewSize(900, 700))
	t.Cleanup(func() {
		// Close waits for the model's goroutines, which may wait on the UI loop.
		stop := make(chan struct{})
		go func() { m.Close(); close(stop) }()
		loop.DrainUntilClosed(stop)
	})
	return &screenFixture{t: t, model: m, screen: s, loop: loop, win: win}
}

func (f *screenFixture) until(what string, cond func() bool) {
	f.t.Helper()
	f.loop.PumpUntil(f.t, what, cond)
}

// untilOK is until for waits that a failure ends: it stops at once, saying why.
func (f *screenFixture) untilOK(what string, cond func() bool) {
	f.t.Helper()
	f.loop.PumpUntil(f.t, what, func() bool {
		if st := f.model.State(); st.Phase == PhaseFailed {
			f.t.Fatalf("waiting for %s, the capture failed: %s", what, st.Problem.Message)
		}
		return cond()
	})
}

func (f *screenFixture) connect() {
	f.t.Helper()
	f.model.Connect()
	f.until("connected", func() bool { return f.screen.capture.Disabled() == false })
}

func TestScreenIsBuiltForALivePreview(t *testing.T) {
	f := newScreenFixture(t, newFakeCamera(), CaptureModelOptions{})
	s := f.screen
	if s.preview.ScaleMode != canvas.ImageScaleFastest || s.preview.FillMode != canvas.ImageFillContain {
		t.Errorf("preview scale %v fill %v, want fastest and contain", s.preview.ScaleMode, s.preview.FillMode)
	}
	if s.title.Text != "EF-45 at 192.0.2.7:9980" {
		t.Errorf("title %q", s.title.Text)
	}
	if !s.capture.Disabled() || !s.cancel.Disabled() || s.takeOver.Visible() || !s.reconnect.Visible() {
		t.Error("before connecting only Reconnect should work")
	}
	if s.result.Visible() || s.progress.Visible() || s.problem.Visible() || s.guidance.Visible() {
		t.Error("result, progress, problem and guidance should be hidden before a capture")
	}
}

func TestScreenCaptureFlow(t *testing.T) {
	cam := newFakeCamera()
	proceed := make(chan struct{})
	cam.capture = func(ctx context.Context, opts capture.Options) (*capture.Result, error) {
		opts.OnPreview(previewAt(t, 560, 80))
		<-proceed
		opts.OnPreview(previewAt(t, 400, 120))
		<-proceed
		return captureResult(), nil
	}
	f := newScreenFixture(t, cam, CaptureModelOptions{Timeout: 20 * time.Second})
	s := f.screen
	f.connect()
	if got := s.identity.Text; got != "Version 1.2.40 · Serial EF45-000042" {
		t.Errorf("identity line %q", got)
	}
	if s.reconnect.Visible() {
		t.Error("Reconnect shown while connected")
	}
	blank := s.preview.Image

	test.Tap(s.capture)
	f.until("the first guidance", func() bool { return s.guidance.Text == "Come closer" })
	if s.guidance.Importance != widget.WarningImportance || !s.guidance.Visible() {
		t.Errorf("guidance importance %v, visible %v", s.guidance.Importance, s.guidance.Visible())
	}
	if s.preview.Image == blank {
		t.Error("the preview image was not swapped for a rendered frame")
	}
	if !s.capture.Disabled() || s.cancel.Disabled() || !s.progress.Visible() {
		t.Error("while capturing: Capture disabled, Cancel enabled, progress shown")
	}
	if !strings.HasSuffix(s.progress.TextFormatter(), "s left") {
		t.Errorf("progress text %q", s.progress.TextFormatter())
	}
	first := s.preview.Image.(*image.RGBA)

	proceed <- struct{}{}
	f.until("hold still", func() bool { return s.guidance.Text == "Hold still" })
	if s.guidance.Importance != widget.SuccessImportance {
		t.Errorf("in position: importance %v, want success", s.guidance.Importance)
	}
	if s.preview.Image.(*image.RGBA) == first {
		t.Error("the next frame was drawn into the buffer on screen")
	}

	proceed <- struct{}{}
	f.until("the result", func() bool { return s.result.Visible() })
	checks := map[string][2]string{
		"frames":  {s.resultFrames.Text, "42"},
		"time":    {s.resultTime.Text, "3.2 s"},
		"left":    {s.resultLeft.Text, "84 % usable area, quality 92, good"},
		"right":   {s.resultRight.Text, "77 % usable area, quality 88, good"},
		"face":    {s.resultFace.Text, "captured"},
		"summary": {s.progress.TextFormatter(), "Done"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s: %q, want %q", name, c[0], c[1])
		}
	}
	if s.resultWarning.Visible() || s.guidance.Visible() || s.capture.Disabled() || !s.cancel.Disabled() {
		t.Error("after a good capture: no warning, no guidance, Capture enabled, Cancel disabled")
	}
	if s.progress.Value != 1 {
		t.Errorf("progress %v, want 1", s.progress.Value)
	}
}

func TestScreenTakeOver(t *testing.T) {
	cam := newFakeCamera()
	cam.infoErrs = []error{fmt.Errorf("camera info: %w", &ef45.Error{Call: "lock", Status: http.StatusConflict, Kind: ef45.ErrInUse})}
	f := newScreenFixture(t, cam, CaptureModelOptions{})
	s := f.screen
	f.model.Connect()
	f.until("the take-over offer", func() bool { return s.takeOver.Visible() })
	if !s.problem.Visible() || !strings.Contains(s.problem.Text, "in use by another workstation") {
		t.Errorf("problem label %q (visible %v)", s.problem.Text, s.problem.Visible())
	}
	if !s.capture.Disabled() {
		t.Error("Capture enabled while another workstation holds the camera")
	}
	if s.identity.Text != "Version 1.2.40" {
		t.Errorf("identity %q: the version is known without the lock", s.identity.Text)
	}
	test.Tap(s.takeOver)
	f.until("connected", func() bool { return !s.capture.Disabled() })
	if s.takeOver.Visible() || s.problem.Visible() {
		t.Error("the problem and the take-over offer stay after taking over")
	}
}

func TestScreenCancel(t *testing.T) {
	cam := newFakeCamera()
	cam.capture = func(ctx context.Context, opts capture.Options) (*capture.Result, error) {
		opts.OnPreview(previewAt(t, 400, 120))
		<-ctx.Done()
		return nil, fmt.Errorf("enroll capture: cancelled: %w", ctx.Err())
	}
	f := newScreenFixture(t, cam, CaptureModelOptions{})
	s := f.screen
	f.connect()
	test.Tap(s.capture)
	f.until("capturing", func() bool { return !s.cancel.Disabled() && s.guidance.Text == "Hold still" })
	test.Tap(s.cancel)
	f.until("cancelled", func() bool { return strings.Contains(s.status.Text, "cancelled") })
	if !s.cancel.Disabled() || s.capture.Disabled() || s.progress.Visible() || s.guidance.Visible() {
		t.Error("after cancel: Cancel disabled, Capture enabled, no progress, no guidance")
	}
}

func TestScreenShowsATimeoutAndAPoorResult(t *testing.T) {
	cam := newFakeCamera()
	calls := 0
	cam.capture = func(ctx context.Context, opts capture.Options) (*capture.Result, error) {
		if calls++; calls == 1 {
			return nil, fmt.Errorf("enroll capture: no capture within %s: %w", opts.Timeout, context.DeadlineExceeded)
		}
		res := captureResult()
		res.Data.Right.UsableIrisArea = 55
		return res, nil
	}
	f := newScreenFixture(t, cam, CaptureModelOptions{Timeout: 45 * time.Second})
	s := f.screen
	f.connect()
	test.Tap(s.capture)
	f.until("the timeout", func() bool { return s.problem.Visible() })
	if !strings.HasPrefix(s.problem.Text, "No capture within 45s.") || s.reconnect.Visible() || s.takeOver.Visible() {
		t.Errorf("problem %q; reconnect %v take over %v", s.problem.Text, s.reconnect.Visible(), s.takeOver.Visible())
	}
	test.Tap(s.capture)
	f.until("the result", func() bool { return s.result.Visible() })
	if s.problem.Visible() {
		t.Error("the old problem is still shown")
	}
	if s.resultRight.Text != "55 % usable area, quality 88, needs 70 % usable area" {
		t.Errorf("right eye %q", s.resultRight.Text)
	}
	if !s.resultWarning.Visible() || !strings.Contains(s.resultWarning.Text, "Capture again") {
		t.Errorf("warning %q (visible %v)", s.resultWarning.Text, s.resultWarning.Visible())
	}
}

func TestResultWarningAndLines(t *testing.T) {
	good := EyeSummary{UsableArea: 80, Quality: 90, QualityOK: true}
	dup := &CaptureSummary{Left: good, Right: EyeSummary{UsableArea: 80, Quality: 90, QualityOK: true, Duplicate: "u-1"}}
	if w := resultWarning(dup); !strings.Contains(w, "already enrolled") {
		t.Errorf("duplicate warning %q", w)
	}
	if w := resultWarning(&CaptureSummary{Left: good, Right: good}); w != "" {
		t.Errorf("good capture warns %q", w)
	}
	if got := eyeLine(EyeSummary{UsableArea: 90, Quality: 20}); got != "90 % usable area, quality 20, quality too low" {
		t.Errorf("eye line %q", got)
	}
	if got := identityLine(CaptureState{}); got != "Version and serial not read yet" {
		t.Errorf("identity %q", got)
	}
}

func TestOpaqueComposesOverTheBackground(t *testing.T) {
	bg := color.RGBA{0, 0, 0, 0xff}
	if got := opaque(color.NRGBA{255, 255, 255, 128}, bg); got.A != 0xff || got.R < 120 || got.R > 135 {
		t.Errorf("half-transparent white over black = %v, want mid grey", got)
	}
	if got := opaque(color.RGBA{10, 20, 30, 0xff}, color.RGBA{200, 200, 200, 0xff}); got != (color.RGBA{10, 20, 30, 0xff}) {
		t.Errorf("opaque colour changed: %v", got)
	}
}

// The whole screen against the simulated camera over loopback HTTP.
func TestScreenWithSimulatedCamera(t *testing.T) {
	cam, dev, _ := simCamera(t, ef45sim.Options{Seed: 3, CaptureDuration: 1500 * time.Millisecond})
	f := newScreenFixture(t, cam, CaptureModelOptions{Timeout: 20 * time.Second, PreviewSize: image.Pt(425, 320)})
	s := f.screen
	f.connect()
	if want := "Serial " + dev.Serial(); !strings.Contains(s.identity.Text, want) {
		t.Errorf("identity %q, want %q", s.identity.Text, want)
	}
	blank := s.preview.Image
	test.Tap(s.capture)
	f.untilOK("a preview frame and guidance", func() bool {
		return s.preview.Image != blank && f.model.State().Frames > 0 && s.guidance.Text != ""
	})
	frame := s.preview.Image.(*image.RGBA)
	if frame.Rect.Size() != image.Pt(425, 320) {
		t.Errorf("preview frame %v", frame.Rect)
	}
	f.untilOK("the result", func() bool { return s.result.Visible() })
	st := f.model.State()
	if st.Result.Frames == 0 || st.Result.Left.UsableArea == 0 || !strings.Contains(s.resultLeft.Text, "% usable area") {
		t.Errorf("result %+v, left line %q", st.Result, s.resultLeft.Text)
	}
	// The capture holds the camera until the operator settles it; discarding lets it go.
	if !dev.LockHeld() {
		t.Error("the camera was let go before the capture was settled")
	}
	f.model.Discard()
	f.untilOK("the camera released", func() bool { return !dev.LockHeld() && f.model.State().Phase == PhaseReady })
}

// Dropped connections, 500s and garbled answers during a capture: the screen keeps going,
// or says in plain words why it stopped.
func TestScreenWithAFaultyCamera(t *testing.T) {
	cam, dev, _ := simCamera(t, ef45sim.Options{Seed: 5, CaptureDuration: 1200 * time.Millisecond})
	f := newScreenFixture(t, cam, CaptureModelOptions{Timeout: 20 * time.Second})
	s := f.screen
	f.connect()
	dev.SetFaults(ef45sim.Faults{Latency: 5 * time.Millisecond, ErrorRate: 0.05, MalformedRate: 0.05, DropRate: 0.05})
	test.Tap(s.capture)
	f.until("the end of the capture on screen", func() bool {
		ph := f.model.State().Phase
		return (ph == PhaseDone && s.result.Visible()) || (ph == PhaseFailed && s.problem.Visible())
	})
	st := f.model.State()
	if st.Phase == PhaseFailed {
		for _, jargon := range []string{"HTTP", "500", "EOF", "lock_uid"} {
			if strings.Contains(st.Problem.Message, jargon) && !strings.Contains(st.Problem.Message, "camera") {
				t.Errorf("problem %q is not in operator words", st.Problem.Message)
			}
		}
		if !s.problem.Visible() || s.problem.Text != st.Problem.Message {
			t.Errorf("problem label %q (visible %v)", s.problem.Text, s.problem.Visible())
		}
		return
	}
	if !s.result.Visible() || st.Result == nil {
		t.Error("a finished capture shows no result")
	}
}
