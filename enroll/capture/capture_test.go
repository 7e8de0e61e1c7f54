package capture

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
)

func simSession(t *testing.T, opts ef45sim.Options) (*ef45sim.Device, *ef45.Session) {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 3
	}
	if opts.CaptureDuration == 0 {
		opts.CaptureDuration = 500 * time.Millisecond
	}
	dev := ef45sim.New(opts)
	srv := httptest.NewServer(dev)
	t.Cleanup(srv.Close)
	c, err := ef45.New(srv.URL, ef45.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Open(t.Context(), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return dev, s
}

func TestCaptureDeliversPreviewFramesThenData(t *testing.T) {
	ctx := t.Context()
	_, s := simSession(t, ef45sim.Options{})
	// Leave the camera in Recog mode: the capture must switch it to Slave itself.
	if err := s.Camera.Set(ctx, ef45.ModeRecog, false); err != nil {
		t.Fatal(err)
	}
	var seen atomic.Int32
	res, err := Capture(ctx, s, Options{Modes: ef45.StartModes{BothEyes: true, Face: true},
		OnPreview: func(p *ef45.Preview) {
			if !p.HasFrame() {
				t.Error("OnPreview got an empty frame")
			}
			seen.Add(1)
		}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Frames == 0 || int(seen.Load()) != res.Frames {
		t.Fatalf("frames %d, callbacks %d", res.Frames, seen.Load())
	}
	if res.Data == nil || res.Data.EncounterID == "" || len(res.Data.Left.EnrolTemplate) == 0 {
		t.Fatalf("no usable data: %+v", res.Data)
	}
	if res.Elapsed <= 0 {
		t.Fatal("no capture time")
	}
	// Nothing is deleted before the caller has kept it.
	if items, _ := s.Biometrics.List(ctx); len(items) != 1 {
		t.Fatalf("buffer holds %d items before Release, want 1", len(items))
	}
	if err := res.Release(ctx, s); err != nil {
		t.Fatal(err)
	}
	if items, _ := s.Biometrics.List(ctx); len(items) != 0 {
		t.Fatalf("buffer holds %d items after Release", len(items))
	}
}

func TestCaptureEmptiesAnOldBufferFirst(t *testing.T) {
	ctx := t.Context()
	_, s := simSession(t, ef45sim.Options{})
	first, err := Capture(ctx, s, Options{Modes: ef45.StartModes{EitherEye: true}})
	if err != nil {
		t.Fatal(err)
	}
	// Not released: the next capture must not return the stale item.
	second, err := Capture(ctx, s, Options{Modes: ef45.StartModes{EitherEye: true}})
	if err != nil {
		t.Fatal(err)
	}
	if second.Data.EncounterID == first.Data.EncounterID {
		t.Fatal("the second capture returned the first one's stale item")
	}
}

func TestCancelStopsTheCamera(t *testing.T) {
	_, s := simSession(t, ef45sim.Options{CaptureDuration: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	frames := make(chan struct{}, 1)
	go func() {
		<-frames
		cancel()
	}()
	_, err := Capture(ctx, s, Options{Modes: ef45.StartModes{BothEyes: true}, OnPreview: func(*ef45.Preview) {
		select {
		case frames <- struct{}{}:
		default:
		}
	}})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "cancelled") {
		t.Fatalf("got %v", err)
	}
	// The camera is stopped: a new start is accepted rather than refused with -200.
	if err := s.Camera.Start(t.Context(), ef45.StartModes{BothEyes: true}); err != nil {
		t.Fatalf("start after cancel: %v", err)
	}
}

func TestCaptureTimesOut(t *testing.T) {
	_, s := simSession(t, ef45sim.Options{CaptureDuration: time.Hour})
	_, err := Capture(t.Context(), s, Options{Modes: ef45.StartModes{BothEyes: true}, Timeout: 400 * time.Millisecond})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no capture within") {
		t.Fatalf("got %v", err)
	}
}

func TestLockStolenMidCapture(t *testing.T) {
	dev, s := simSession(t, ef45sim.Options{CaptureDuration: time.Hour})
	var once atomic.Bool
	_, err := Capture(t.Context(), s, Options{Modes: ef45.StartModes{BothEyes: true}, OnPreview: func(*ef45.Preview) {
		if once.CompareAndSwap(false, true) {
			dev.StealLock()
		}
	}})
	if !errors.Is(err, ef45.ErrLockLost) {
		t.Fatalf("got %v, want ErrLockLost", err)
	}
}

func TestCaptureRidesOutFlakyAnswers(t *testing.T) {
	dev, s := simSession(t, ef45sim.Options{})
	var once atomic.Bool
	// Once the camera runs, one answer in ten is a 500 or garbage: the polling loops ride
	// that out (a run of more than five failures in a row is what stops them).
	res, err := Capture(t.Context(), s, Options{Modes: ef45.StartModes{BothEyes: true}, OnPreview: func(*ef45.Preview) {
		if once.CompareAndSwap(false, true) {
			dev.SetFaults(ef45sim.Faults{MalformedRate: 0.06, ErrorRate: 0.04})
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Data == nil || len(res.Data.Right.EnrolTemplate) == 0 {
		t.Fatal("no data")
	}
}

func TestCaptureNeedsAMode(t *testing.T) {
	_, s := simSession(t, ef45sim.Options{})
	if _, err := Capture(t.Context(), s, Options{}); err == nil {
		t.Fatal("a capture without a mode started")
	}
}
