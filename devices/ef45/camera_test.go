package ef45_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
)

func TestCameraSettingsRoundTrip(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, ef45sim.Options{Serial: "EF45-TEST-42"})
	s := openSession(t, newClient(t, d))
	if err := s.Camera.Set(ctx, ef45.ModeRecog, true); err != nil {
		t.Fatal(err)
	}
	got, err := s.Camera.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.CameraMode != ef45.ModeRecog || !got.AudioEnabled || got.SerialNumber != "EF45-TEST-42" {
		t.Fatalf("settings %+v", got)
	}
}

func TestSetTime(t *testing.T) {
	d := newDevice(t, ef45sim.Options{})
	s := openSession(t, newClient(t, d))
	if err := s.Camera.SetTime(context.Background(), time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	logs, err := s.Logs.List(context.Background(), &ef45.LogOptions{ListOptions: ef45.ListOptions{Page: 1, PageSize: 1}, Newest: true})
	if err != nil || len(logs.Items) == 0 {
		t.Fatalf("logs: %v", err)
	}
	// Entries after the change carry the device's new clock.
	if y := logs.Items[0].Timestamp.Year(); y != 2030 {
		t.Fatalf("newest log at %v, want the device clock of 2030", logs.Items[0].Timestamp.Time)
	}
}

func TestStartNeedsSlaveModeAndAMode(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, ef45sim.Options{})
	s := openSession(t, newClient(t, d))

	err := s.Camera.Start(ctx, ef45.StartModes{})
	if err == nil || errors.Is(err, ef45.ErrRejected) {
		t.Fatalf("no mode: %v; want a local refusal before any call", err)
	}
	var local *ef45.Error
	if !errors.As(err, &local) || errors.Is(err, ef45.ErrUnreachable) || !strings.Contains(local.OperatorMessage(), "capture mode") {
		t.Fatalf("a local refusal is reported as %q (unreachable: %v)", local.OperatorMessage(), errors.Is(err, ef45.ErrUnreachable))
	}
	if err := s.Camera.Set(ctx, ef45.ModeRecog, false); err != nil {
		t.Fatal(err)
	}
	if err := s.Camera.Start(ctx, ef45.StartModes{BothEyes: true}); !errors.Is(err, ef45.ErrRejected) {
		t.Fatalf("start in Recog mode: %v, want ErrRejected", err)
	}
	if err := s.Camera.Set(ctx, ef45.ModeSlave, false); err != nil {
		t.Fatal(err)
	}
	if err := s.Camera.Start(ctx, ef45.StartModes{BothEyes: true}); err != nil {
		t.Fatalf("start: %v", err)
	}
	err = s.Camera.Start(ctx, ef45.StartModes{BothEyes: true})
	var e *ef45.Error
	if !errors.As(err, &e) || e.Code != "-200" {
		t.Fatalf("second start: %v, want SDK code -200", err)
	}
	if err := s.Camera.Stop(ctx); err != nil {
		t.Fatalf("stop: %v", err)
	}
}

func TestPreviewConvergesWhileTheCameraRuns(t *testing.T) {
	ctx := context.Background()
	// The device clock moves one frame per poll, so every frame of the timeline is seen
	// however slowly the machine answers.
	clock := &frameClock{now: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC), step: time.Second / 30}
	d := newDevice(t, ef45sim.Options{FPS: 30, CaptureDuration: 3 * time.Second, Now: clock.Now})
	s := openSession(t, newClient(t, d))

	idle, err := s.Camera.Preview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if mm, known := idle.DistanceMM(); idle.HasFrame() || known {
		t.Fatalf("idle preview has a frame or a distance: %d mm", mm)
	}
	if err := s.Camera.Set(ctx, ef45.ModeSlave, false); err != nil {
		t.Fatal(err)
	}
	if err := s.Camera.Start(ctx, ef45.StartModes{BothEyes: true, Face: true}); err != nil {
		t.Fatal(err)
	}
	// Watch the preview until the camera stops by itself (empty frames again).
	var first, last *ef45.Preview
	messages := map[int]bool{}
	for polls := 0; polls < 200; polls++ {
		clock.advance()
		p, err := s.Camera.Preview(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !p.HasFrame() && first != nil {
			break
		}
		if p.HasFrame() {
			if first == nil {
				first = p
			}
			last = p
			messages[int(p.Message)] = true
		}
	}
	if first == nil {
		t.Fatal("no preview frame while the camera ran")
	}
	firstMM, _ := first.DistanceMM()
	lastMM, _ := last.DistanceMM()
	if firstMM <= lastMM || lastMM < 350 || lastMM > 450 {
		t.Fatalf("distance went from %d to %d mm; want it to converge into 350-450", firstMM, lastMM)
	}
	if last.LeftIrisRadius < 100 || last.LeftIrisRadius <= first.LeftIrisRadius {
		t.Fatalf("iris radius went from %d to %d", first.LeftIrisRadius, last.LeftIrisRadius)
	}
	guided := false
	for m := 1; m <= 3; m++ {
		guided = guided || messages[m]
	}
	if !guided {
		t.Fatalf("no guidance message along the way: %v", messages)
	}
}

// frameClock is a device clock that moves only when the test says so.
type frameClock struct {
	mu   sync.Mutex
	now  time.Time
	step time.Duration
}

func (c *frameClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *frameClock) advance() {
	c.mu.Lock()
	c.now = c.now.Add(c.step)
	c.mu.Unlock()
}

func TestMatchTemplateProducesMatchData(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, ef45sim.Options{})
	s := openSession(t, newClient(t, d))
	if err := s.Camera.Set(ctx, ef45.ModeRecog, false); err != nil {
		t.Fatal(err)
	}
	if err := s.Camera.StartMatchTemplate(ctx, "6c45cc76-6291-11e8-b384-503f98000288", []byte("template")); err != nil {
		t.Fatal(err)
	}
	var items []ef45.MatchData
	for deadline := time.Now().Add(5 * time.Second); len(items) == 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var err error
		if items, err = s.MatchData.List(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(items) == 0 || items[0].EncounterID == "" {
		t.Fatalf("no match data: %+v", items)
	}
	if err := s.MatchData.Delete(ctx, items[0].EncounterID); err != nil {
		t.Fatal(err)
	}
	if left, _ := s.MatchData.List(ctx); len(left) != 0 {
		t.Fatalf("match data left after delete: %d", len(left))
	}
}

func TestDistanceMM(t *testing.T) {
	cases := []struct {
		avg, left, right ef45.Int
		mm               int
		known            bool
	}{
		{400000, -1, -1, 400, true},
		{-1, 380000, 420000, 400, true},
		{-1, -1, 360000, 360, true},
		{0, 0, 0, 0, false},
		{-1, -1, -1, 0, false},
	}
	for _, tc := range cases {
		mm, known := (&ef45.Preview{AvgDistance: tc.avg, LeftDistance: tc.left, RightDistance: tc.right}).DistanceMM()
		if mm != tc.mm || known != tc.known {
			t.Errorf("DistanceMM(%d,%d,%d) = %d,%v; want %d,%v", tc.avg, tc.left, tc.right, mm, known, tc.mm, tc.known)
		}
	}
}
