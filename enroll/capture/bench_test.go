package capture

import (
	"testing"
	"time"

	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/store"
)

// BenchmarkEnrollment is one enrollment end to end against a zero-latency simulator at its
// fastest timeline (the capture done at once, 60 fps): lock, prepare, start, poll, the
// ~5 MB item, gates, duplicate check, accept into a journal with one target, release. What
// it measures is the engine's own overhead. The capture ends before a preview frame, so
// the geometry gates fail and are overridden, as an operator would.
func BenchmarkEnrollment(b *testing.B) {
	ctx := b.Context()
	r := newRig(b, ef45sim.Options{CaptureDuration: time.Nanosecond, FPS: ef45sim.MaxFPS})
	target, err := r.journal.AddTarget(ctx, store.Target{Kind: store.TargetEF45, Name: "door", Address: "192.0.2.1:9980", Enabled: true}, "bench")
	if err != nil {
		b.Fatal(err)
	}
	opts := SessionOptions{Gates: lenient(), Capture: Options{PreviewInterval: time.Millisecond, DataInterval: time.Millisecond}}
	b.ResetTimer()
	start := time.Now()
	for i := 0; b.Loop(); i++ {
		res, err := r.session(opts).Run(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := res.Accept(ctx, r.journal, person(""), []store.TargetID{target.ID}, Decisions{Operator: "bench", Duplicate: NewPerson, AcceptFailedGates: true}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/enrollment")
}
