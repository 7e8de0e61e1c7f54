package preview

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/ef45"
)

// benchFrames is how many distinct simulator frames the benchmarks cycle through.
const benchFrames = 24

// BenchmarkPreviewCompose measures the preview's hot path on the simulator's own frames
// (two 640×480 grey eyes, a 360×480 colour face) at the capture screen's 850×640: decode,
// scale and overlay, per frame, p50 and p99, and the allocations per frame. In the same run
// it measures the floor the goal is set against, plain image/jpeg decoding of the same
// frame's three images one after another, and the ratio of the two medians. "two-cores"
// runs with the process's GOMAXPROCS (2 on the target machine); "one-core" with
// GOMAXPROCS=1, where the time per frame is the CPU a frame costs.
func BenchmarkPreviewCompose(b *testing.B) {
	frames := simFrames(b, b.Context(), benchFrames)
	floor := floorMS(b, frames)
	b.Run("two-cores", func(b *testing.B) { benchCompose(b, frames, floor) })
	b.Run("one-core", func(b *testing.B) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		benchCompose(b, frames, floor)
	})
}

func benchCompose(b *testing.B, frames []*ef45.Preview, floor float64) {
	r := NewRenderer(850, 640)
	for _, p := range frames { // warm-up: every buffer reaches its size
		if _, err := r.Render(p); err != nil {
			b.Fatal(err)
		}
	}
	durs := make([]time.Duration, 0, 1<<16)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n := 0
	for b.Loop() {
		start := time.Now()
		if _, err := r.Render(frames[n%len(frames)]); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(start))
		n++
	}
	runtime.ReadMemStats(&after)
	p50 := percentileMS(durs, 0.50)
	b.ReportMetric(p50, "ms-p50")
	b.ReportMetric(percentileMS(durs, 0.99), "ms-p99")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(n), "allocs/frame")
	b.ReportMetric(floor, "floor-ms-p50")
	b.ReportMetric(p50/floor, "ratio-to-floor")
}

// floorMS is the median time image/jpeg takes to decode a frame's three images serially.
func floorMS(b *testing.B, frames []*ef45.Preview) float64 {
	b.Helper()
	var durs []time.Duration
	for range 4 {
		for _, p := range frames {
			start := time.Now()
			for _, img := range [][]byte{p.FaceImage, p.LeftEye, p.RightEye} {
				if _, err := jpeg.Decode(bytes.NewReader(img)); err != nil {
					b.Fatal(err)
				}
			}
			durs = append(durs, time.Since(start))
		}
	}
	return percentileMS(durs, 0.50)
}

func percentileMS(durs []time.Duration, q float64) float64 {
	s := slices.Clone(durs)
	slices.Sort(s)
	i := min(int(q*float64(len(s))), len(s)-1)
	return float64(s[i].Microseconds()) / 1000
}

// BenchmarkPreviewSustainedFPS runs the preview loop against the simulator at 30 fps over
// loopback through a real client for three seconds: poll, and decode and compose every new
// frame, as the capture screen does. The simulator's frames are drawn before the clock
// starts, so its own drawing (a camera does that in hardware) does not take the station's
// cores; the figure is the distinct frames shown per second.
func BenchmarkPreviewSustainedFPS(b *testing.B) {
	const fps, run = 30, 3 * time.Second
	ctx := b.Context()
	c := newSimCamera(b, ctx, fps, 10*time.Minute)
	frame := time.Second / fps
	total := int((run+time.Second)/frame) + 1
	for k := range total { // draw the frames now; the simulator keeps them
		c.at(time.Duration(k)*frame + frame/2)
		if _, err := c.session.Camera.Preview(ctx); err != nil {
			b.Fatal(err)
		}
	}
	r := NewRenderer(850, 640)
	for b.Loop() {
		shown, elapsed, err := sustain(ctx, c, r, run, frame/3)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(shown)/elapsed.Seconds(), "fps")
	}
}

// sustain polls every interval for run and composes each frame not shown before.
func sustain(ctx context.Context, c *simCamera, r *Renderer, run, interval time.Duration) (int, time.Duration, error) {
	c.live(0)
	start := time.Now()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	var last []byte
	shown := 0
	for time.Since(start) < run {
		p, err := c.session.Camera.Preview(ctx)
		if err != nil {
			return 0, 0, err
		}
		if !bytes.Equal(p.FaceImage, last) {
			if _, err := r.Render(p); err != nil {
				return 0, 0, err
			}
			last = p.FaceImage
			shown++
		}
		<-tick.C
	}
	return shown, time.Since(start), nil
}

// BenchmarkPreviewRSS renders 10,000 frames after a warm-up and reports how much the
// process's resident memory grew meanwhile: reused buffers keep it flat.
func BenchmarkPreviewRSS(b *testing.B) {
	frames := simFrames(b, b.Context(), benchFrames)
	r := NewRenderer(850, 640)
	for b.Loop() {
		for i := range 500 {
			if _, err := r.Render(frames[i%len(frames)]); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		before := rssMB(b)
		for i := range 10_000 {
			if _, err := r.Render(frames[i%len(frames)]); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		b.ReportMetric(rssMB(b)-before, "MB-RSS-growth")
	}
}

// rssMB is the process's resident set (VmRSS of /proc/self/status) in MB.
func rssMB(b *testing.B) float64 {
	b.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		b.Skipf("no /proc on this system: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				b.Fatalf("VmRSS %q: %v", v, err)
			}
			return float64(kb) / 1024
		}
	}
	b.Fatal(fmt.Errorf("no VmRSS in /proc/self/status: %w", sc.Err()))
	return 0
}
