package enrollment

import (
	"testing"
	"time"

	"enrollstation/enroll/capture"
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
