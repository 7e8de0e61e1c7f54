package enrollment

import (
	"context"
	"image"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"enrollstation/enroll/capture"
	"enrollstation/enroll/demo"
	"enrollstation/ui/uitest"
)

// With 2 s of latency on every device answer, the screen never waits on the network:
// typing and taps take effect at once while calls are under way, preview frames are still
// drawn, and Cancel stops the capture. The simulated person never settles, so the capture
// runs until Cancel, however slow the machine.
func TestScreenStaysResponsiveWithSlowDevices(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d, err := demo.Start(ctx, demo.Options{People: -1, DoorEvery: time.Hour, Latency: 2 * time.Second,
		CaptureDuration: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	cam, err := capture.OpenCamera(d.Camera, nil)
	if err != nil {
		t.Fatal(err)
	}
	st := d.Station
	m := NewCaptureModel(NewEF45Camera(cam, st.Store()), CaptureModelOptions{
		Journal: capture.WithQueue(st.Store(), st), Operator: "op1", PreviewSize: image.Pt(170, 128), CallTimeout: 30 * time.Second,
		Timeout: time.Hour})
	f := NewFlow(m, NewPushList(st, "op1", nil), st, "op1")
	defer f.Close()
	test.NewTempApp(t)
	loop := uitest.NewLoop()
	s := newEnrollScreen(f, nil, loop.Do)
	w := test.NewWindow(s.Content())
	defer w.Close()

	// quick asserts that an action on the UI goroutine returns at once: far below the 2 s
	// any device call takes here (the margin is for a loaded machine under -race).
	quick := func(what string, fn func()) {
		t.Helper()
		start := time.Now()
		fn()
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Errorf("%s took %v on the UI goroutine", what, d)
		}
	}
	quick("connect", f.Capture.Connect) // the camera answers in 2 s; the tap does not wait
	quick("typing", func() { test.Type(s.given, "Slow") })
	quick("typing", func() { test.Type(s.family, "Network") })
	quick("consent", func() { test.Tap(s.consent) })
	if got := f.Form(); got.GivenName != "Slow" || !got.Consent {
		t.Fatalf("form while connecting: %+v", got)
	}
	loop.PumpUntil(t, "connected", func() bool { return f.Capture.State().Phase == PhaseReady })
	quick("capture", func() { test.Tap(s.capture.capture) })
	failed := func() {
		if st := f.Capture.State(); st.Phase == PhaseFailed {
			t.Fatalf("the capture failed: %+v", st.Problem)
		}
	}
	loop.PumpUntil(t, "a preview frame", func() bool { failed(); return f.Capture.State().Frames > 0 })
	// The screen swaps between two buffers, so "drawn" is the image changing again after a
	// frame came: a later frame reached the widget while the calls were slow.
	shown := s.capture.preview.Image
	loop.PumpUntil(t, "a frame drawn", func() bool { failed(); return s.capture.preview.Image != shown })
	quick("cancel", func() { test.Tap(s.capture.cancel) })
	loop.PumpUntil(t, "the capture stopped", func() bool { return f.Capture.State().Phase == PhaseReady })
	stop := make(chan struct{})
	go func() { f.Capture.Close(); close(stop) }()
	loop.DrainUntilClosed(stop)
}
