package enrollment

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/enroll/capture"
)

// simCamera serves a simulated EF-45 on loopback and returns the Camera for it.
func simCamera(t testing.TB, opts ef45sim.Options) (*EF45Camera, *ef45sim.Device, *httptest.Server) {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.CaptureDuration == 0 {
		opts.CaptureDuration = 800 * time.Millisecond
	}
	if opts.FPS == 0 {
		opts.FPS = 8 // fewer frames to draw: the race detector makes JPEG encoding slow
	}
	dev := ef45sim.New(opts)
	srv := httptest.NewServer(dev)
	t.Cleanup(srv.Close)
	c, err := ef45.New(srv.URL, ef45.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return NewEF45Camera(capture.NewCamera(c, nil), nil), dev, srv
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestEF45CameraInfoReleasesTheLock(t *testing.T) {
	cam, dev, srv := simCamera(t, ef45sim.Options{Version: "1.2.40"})
	if cam.Address() != srv.Listener.Addr().String() {
		t.Errorf("address %q, want %q", cam.Address(), srv.Listener.Addr())
	}
	info, err := cam.Info(testContext(t), false)
	if err != nil {
		t.Fatal(err)
	}
	if info.Version != "1.2.40" || info.Serial != dev.Serial() || info.Mode == "" {
		t.Errorf("info %+v, want version 1.2.40 and serial %s", info, dev.Serial())
	}
	if dev.LockHeld() {
		t.Error("the lock is still held after reading the info")
	}
}

func TestEF45CameraInUseAndTakeOver(t *testing.T) {
	cam, dev, _ := simCamera(t, ef45sim.Options{})
	dev.StealLock()
	info, err := cam.Info(testContext(t), false)
	if !errors.Is(err, ef45.ErrInUse) {
		t.Fatalf("err = %v, want ErrInUse", err)
	}
	if info.Version == "" {
		t.Error("the version, which needs no lock, is missing")
	}
	if info, err = cam.Info(testContext(t), true); err != nil || info.Serial != dev.Serial() {
		t.Fatalf("take over: %+v, %v", info, err)
	}
	if dev.LockHeld() {
		t.Error("the lock taken over is still held")
	}
}

func TestEF45CameraCapture(t *testing.T) {
	cam, dev, _ := simCamera(t, ef45sim.Options{})
	var frames atomic.Int32
	res, err := cam.Capture(testContext(t), false, capture.Options{
		Modes:     ef45.StartModes{Face: true, BothEyes: true},
		Timeout:   30 * time.Second,
		OnPreview: func(p *ef45.Preview) { frames.Add(1) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Data == nil || res.Data.Left.UsableIrisArea <= 0 || frames.Load() == 0 || res.Frames == 0 {
		t.Errorf("result %+v after %d previews", res, frames.Load())
	}
	// The result keeps the lock (and the item) until it is settled.
	if !dev.LockHeld() {
		t.Error("the lock was let go before the capture was settled")
	}
	if err := res.Close(testContext(t)); err != nil {
		t.Fatal(err)
	}
	if dev.LockHeld() {
		t.Error("the lock is still held after the result was closed")
	}
}

func TestEF45CameraLockStolenDuringCapture(t *testing.T) {
	cam, dev, _ := simCamera(t, ef45sim.Options{CaptureDuration: 5 * time.Second})
	var stolen atomic.Bool
	_, err := cam.Capture(testContext(t), false, capture.Options{
		Modes: ef45.StartModes{BothEyes: true}, Timeout: 30 * time.Second,
		OnPreview: func(p *ef45.Preview) {
			if stolen.CompareAndSwap(false, true) {
				dev.StealLock()
			}
		},
	})
	if !errors.Is(err, ef45.ErrLockLost) {
		t.Fatalf("err = %v, want ErrLockLost", err)
	}
	p := problemFor(err, actionCapture, cam.Address(), time.Minute)
	if !p.TakeOver {
		t.Errorf("problem %+v does not offer to take the camera back", p)
	}
}

func TestEF45CameraUnreachable(t *testing.T) {
	cam, _, srv := simCamera(t, ef45sim.Options{})
	srv.Close()
	_, err := cam.Info(testContext(t), false)
	if !errors.Is(err, ef45.ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
	if p := problemFor(err, actionConnect, cam.Address(), time.Minute); !p.Reconnect {
		t.Errorf("problem %+v does not offer to reconnect", p)
	}
}

func TestEF45CameraCaptureTimesOut(t *testing.T) {
	cam, dev, _ := simCamera(t, ef45sim.Options{CaptureDuration: 10 * time.Second})
	_, err := cam.Capture(testContext(t), false, capture.Options{
		Modes: ef45.StartModes{BothEyes: true}, Timeout: 700 * time.Millisecond,
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a deadline", err)
	}
	p := problemFor(err, actionCapture, cam.Address(), 700*time.Millisecond)
	if p.Message != "No capture within 1s. Check the guidance with the person, then press Capture to try again." {
		t.Errorf("message %q", p.Message)
	}
	if dev.LockHeld() {
		t.Error("the lock is still held after the timeout")
	}
}
