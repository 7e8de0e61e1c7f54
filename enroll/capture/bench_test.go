package capture

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/enroll/push"
	"enrollstation/enroll/target"
	"enrollstation/store"
	"enrollstation/store/secrets"
)

// BenchmarkEnrollment is one enrollment end to end against zero-latency simulators, the
// capturing camera at its fastest timeline (the capture done at once, 60 fps): lock,
// prepare, start, poll, the ~5 MB item, gates, duplicate check, accept into a journal with
// one EF-45 target, release, then the outbox worker pushes the person to that target (a
// second simulator) until the row is done. What it measures is the engine's own overhead.
// The capture ends before a preview frame, so the geometry gates fail and are overridden,
// as an operator would.
func BenchmarkEnrollment(b *testing.B) {
	ctx := b.Context()
	r := newRig(b, ef45sim.Options{CaptureDuration: time.Nanosecond, FPS: ef45sim.MaxFPS})
	door := httptest.NewServer(ef45sim.New(ef45sim.Options{Seed: 9}))
	b.Cleanup(door.Close)
	sec := secrets.NewFile(filepath.Join(b.TempDir(), "secrets.json"))
	w, err := push.New(push.Config{Store: r.journal, Open: func(ctx context.Context, t store.Target) (target.Target, error) {
		return target.OpenWith(ctx, t, sec, target.Options{})
	}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = w.Close() })
	door1, err := r.journal.AddTarget(ctx, store.Target{Kind: store.TargetEF45, Name: "door",
		Address: strings.TrimPrefix(door.URL, "http://"), Enabled: true}, "bench")
	if err != nil {
		b.Fatal(err)
	}
	j := WithQueue(r.journal, workerQueue{w})
	opts := SessionOptions{Gates: lenient(), Capture: Options{PreviewInterval: time.Millisecond, DataInterval: time.Millisecond}}
	b.ResetTimer()
	start := time.Now()
	var pushing time.Duration
	for b.Loop() {
		res, err := r.session(opts).Run(ctx)
		if err != nil {
			b.Fatal(err)
		}
		saved, err := res.Accept(ctx, j, person(""), []store.TargetID{door1.ID}, Decisions{Operator: "bench", Duplicate: NewPerson, AcceptFailedGates: true})
		if err != nil {
			b.Fatal(err)
		}
		pushStart := time.Now()
		if err := w.RunOnce(ctx); err != nil {
			b.Fatal(err)
		}
		pushing += time.Since(pushStart)
		rows, err := r.journal.Outbox(ctx, saved.PersonKey)
		if err != nil || len(rows) != 1 || rows[0].State != store.OutboxDone {
			b.Fatalf("outbox of %s after the push: %+v, %v; want one row done", saved.PersonKey, rows, err)
		}
	}
	total := time.Since(start)
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/enrollment")
	// The split says which half of the engine to look at first.
	b.ReportMetric(float64((total-pushing).Microseconds())/1000/float64(b.N), "ms/capture+accept")
	b.ReportMetric(float64(pushing.Microseconds())/1000/float64(b.N), "ms/push")
}

// workerQueue tells the outbox worker of rows a save queued, as the station does.
type workerQueue struct{ w *push.Worker }

func (q workerQueue) Queued(ctx context.Context, ids ...int64) {
	for _, id := range ids {
		q.w.Publish(ctx, id)
	}
}
