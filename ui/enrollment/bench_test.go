package enrollment

import (
	"image"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/enroll/capture"
	"enrollstation/ui/uitest"
)

// BenchmarkDemoEnrollment is one enrollment in demo mode driven through the view models,
// as the operator's taps would: from Capture to every target's push done. The simulated
// person takes the camera's own 3 s to walk in and settle; the rest is the station's.
func BenchmarkDemoEnrollment(b *testing.B) {
	f, _ := demoFlow(b)
	f.Capture.Connect()
	waitState(b, f.Capture, "connected", func(s CaptureState) bool { return s.Phase == PhaseReady })
	var total time.Duration
	for b.Loop() {
		form := NewPersonForm()
		form.GivenName, form.FamilyName, form.Consent = "Bench", "Person", true
		f.SetForm(form)
		start := time.Now()
		if !f.Start() {
			b.Fatalf("not started: %+v", f.Problems())
		}
		st := waitState(b, f.Capture, "captured", func(s CaptureState) bool { return s.Phase == PhaseDone || s.Phase == PhaseFailed })
		if st.Phase != PhaseDone {
			b.Fatalf("capture: %+v", st.Problem)
		}
		f.Accept(capture.Decisions{AcceptFailedGates: true, Duplicate: capture.NewPerson})
		waitState(b, f.Capture, "saved", func(s CaptureState) bool { return s.Phase == PhaseSaved })
		for !f.Pushes.Done() {
			if time.Since(start) > time.Minute {
				b.Fatalf("pushes not done: %+v", f.Pushes.Rows())
			}
			time.Sleep(5 * time.Millisecond)
		}
		total += time.Since(start)
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s/enrollment")
}

// BenchmarkPreviewFPSInWindow is the live preview as the Enroll screen shows it: the
// simulator sends 30 frames a second for a 4 s capture, the screen draws each composed
// frame at the default size, and fps counts the frames drawn from the first to the last.
func BenchmarkPreviewFPSInWindow(b *testing.B) {
	test.NewTempApp(b)
	cam, _, _ := simCamera(b, ef45sim.Options{FPS: 30, CaptureDuration: 4 * time.Second})
	m := NewCaptureModel(cam, CaptureModelOptions{})
	loop := uitest.NewLoop()
	s := newCaptureScreen(m, loop.Do)
	w := test.NewWindow(s.Content())
	defer w.Close()
	var drawn atomic.Int64
	var first, last atomic.Int64 // unix nanoseconds of the first and last frame drawn
	m.SetFrameSink(func(f *image.RGBA) {
		s.showFrame(f)
		// The first frame of a capture is the placeholders drawn before the camera starts.
		now := time.Now().UnixNano()
		if drawn.Add(1) == 2 {
			first.Store(now)
		}
		last.Store(now)
	})
	m.Connect()
	loop.PumpUntil(b, "connected", func() bool { return m.State().Phase == PhaseReady })
	var fps float64
	for b.Loop() {
		drawn.Store(0)
		m.Capture()
		loop.PumpUntil(b, "the capture", func() bool { p := m.State().Phase; return p == PhaseDone || p == PhaseFailed })
		if m.State().Phase != PhaseDone {
			b.Fatalf("capture: %+v", m.State().Problem)
		}
		// From the first frame drawn to the last: the lock and the camera's start come first.
		if n := drawn.Load(); n > 2 {
			fps = float64(n-2) / time.Duration(last.Load()-first.Load()).Seconds()
		}
	}
	stop := make(chan struct{})
	go func() { m.Close(); close(stop) }()
	loop.DrainUntilClosed(stop)
	b.ReportMetric(fps, "fps-drawn")
}
