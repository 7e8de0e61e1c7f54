package enrollment

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"sync"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/enroll/capture"
)

// The test doubles of the ui package live here.

// fakeCamera is a Camera whose answers a test scripts.
type fakeCamera struct {
	mu           sync.Mutex
	info         CameraInfo
	infoErrs     []error // returned by successive Info calls; nil or exhausted: success
	infoForce    []bool
	captureForce []bool
	// capture runs a capture; nil returns captureResult() at once.
	capture func(ctx context.Context, opts capture.Options) (*capture.Result, error)
}

func newFakeCamera() *fakeCamera {
	return &fakeCamera{info: CameraInfo{Version: "1.2.40", Serial: "EF45-000042", Mode: ef45.ModeSlave}}
}

func (f *fakeCamera) Address() string { return "192.0.2.7:9980" }

func (f *fakeCamera) Info(ctx context.Context, force bool) (CameraInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.infoForce = append(f.infoForce, force)
	if len(f.infoErrs) > 0 {
		err := f.infoErrs[0]
		f.infoErrs = f.infoErrs[1:]
		if err != nil {
			return CameraInfo{Version: f.info.Version}, err
		}
	}
	return f.info, nil
}

func (f *fakeCamera) Capture(ctx context.Context, force bool, opts capture.Options) (*capture.Result, error) {
	f.mu.Lock()
	f.captureForce = append(f.captureForce, force)
	run := f.capture
	f.mu.Unlock()
	if run == nil {
		return captureResult(), nil
	}
	return run(ctx, opts)
}

func (f *fakeCamera) calls() (info, capture []bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bool(nil), f.infoForce...), append([]bool(nil), f.captureForce...)
}

// captureResult is a good capture: both eyes usable, a face.
func captureResult() *capture.Result {
	d := &ef45.BiometricData{EncounterID: "enc-1"}
	d.Left = ef45.Eye{UsableIrisArea: 84, QualityScore: 92, QualityOK: true}
	d.Right = ef45.Eye{UsableIrisArea: 77, QualityScore: 88, QualityOK: true}
	d.Faces[ef45.FaceFarOff].Image = []byte{0xff, 0xd8}
	return &capture.Result{Data: d, Frames: 42, Elapsed: 3200 * time.Millisecond}
}

// grey JPEGs stand in for the camera's eye and face images.
func testJPEG(tb testing.TB, w, h int, c color.Color) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// previewAt is a frame with the person at mm millimetres and both irises of radius r.
func previewAt(tb testing.TB, mm int, r int) *ef45.Preview {
	tb.Helper()
	eye := testJPEG(tb, 64, 48, color.Gray{Y: 120})
	return &ef45.Preview{
		LeftEye: eye, RightEye: eye, FaceImage: testJPEG(tb, 36, 48, color.RGBA{180, 140, 120, 255}),
		AvgDistance: ef45.Int(mm * 1000), LeftDistance: -1, RightDistance: -1,
		LeftIrisCenterX: 32, LeftIrisCenterY: 24, LeftIrisRadius: ef45.Int(r),
		RightIrisCenterX: 32, RightIrisCenterY: 24, RightIrisRadius: ef45.Int(r),
	}
}

// waitState waits until the model's state satisfies cond.
func waitState(t testing.TB, m *CaptureModel, what string, cond func(CaptureState) bool) CaptureState {
	t.Helper()
	changed := make(chan struct{}, 1)
	unsub := m.Subscribe(func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer unsub()
	deadline := time.After(30 * time.Second)
	for {
		if st := m.State(); cond(st) {
			return st
		}
		select {
		case <-changed:
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			t.Fatalf("timed out waiting for %s; state: %+v", what, m.State())
		}
	}
}

// frameSink records the frames the model shows.
type frameSink struct {
	mu     sync.Mutex
	frames []*image.RGBA
	gate   chan struct{} // when set, each frame waits for a token: a slow screen
}

func (s *frameSink) show(f *image.RGBA) {
	if s.gate != nil {
		<-s.gate
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.frames = append(s.frames, f)
}

func (s *frameSink) shown() []*image.RGBA {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*image.RGBA(nil), s.frames...)
}
