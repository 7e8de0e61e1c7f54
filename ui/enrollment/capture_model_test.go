package enrollment

import (
	"context"
	"fmt"
	"image"
	"net/http"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/enroll/capture"
)

func newTestModel(t *testing.T, cam Camera, opts CaptureModelOptions) (*CaptureModel, *frameSink) {
	t.Helper()
	if opts.PreviewSize == (image.Point{}) {
		opts.PreviewSize = image.Pt(170, 128)
	}
	m := NewCaptureModel(cam, opts)
	sink := &frameSink{}
	m.SetFrameSink(sink.show)
	t.Cleanup(m.Close)
	return m, sink
}

func connected(t *testing.T, m *CaptureModel) CaptureState {
	t.Helper()
	m.Connect()
	return waitState(t, m, "connected", func(s CaptureState) bool { return s.Phase == PhaseReady })
}

func TestModelConnectReadsVersionAndSerial(t *testing.T) {
	m, _ := newTestModel(t, newFakeCamera(), CaptureModelOptions{})
	if st := m.State(); st.Phase != PhaseDisconnected || st.CanCapture() || st.Address != "192.0.2.7:9980" {
		t.Fatalf("initial state %+v", st)
	}
	m.Capture() // not connected: nothing happens
	st := connected(t, m)
	if st.Version != "1.2.40" || st.Serial != "EF45-000042" || !st.Connected || !st.CanCapture() || st.Problem != nil {
		t.Errorf("state after connect: %+v", st)
	}
}

func TestModelConnectInUseOffersTakeOver(t *testing.T) {
	cam := newFakeCamera()
	cam.infoErrs = []error{fmt.Errorf("camera info: %w", &ef45.Error{Call: "lock", Status: http.StatusConflict, Kind: ef45.ErrInUse})}
	m, _ := newTestModel(t, cam, CaptureModelOptions{})
	m.Connect()
	st := waitState(t, m, "failure", func(s CaptureState) bool { return s.Phase == PhaseFailed })
	if st.Problem == nil || !st.Problem.TakeOver || !strings.Contains(st.Problem.Message, "in use by another workstation") {
		t.Fatalf("problem %+v, want an offer to take over", st.Problem)
	}
	if st.Version != "1.2.40" || st.CanCapture() {
		t.Errorf("state %+v: the version is known, but no capture may start", st)
	}
	m.TakeOver()
	st = waitState(t, m, "connected after take over", func(s CaptureState) bool { return s.Phase == PhaseReady })
	if info, _ := cam.calls(); len(info) != 2 || info[0] || !info[1] {
		t.Errorf("Info force flags %v, want [false true]", info)
	}
	if st.Problem != nil || st.Serial != "EF45-000042" {
		t.Errorf("state after take over: %+v", st)
	}
}

func TestModelConnectUnreachableOffersReconnect(t *testing.T) {
	cam := newFakeCamera()
	refused := &ef45.Error{Call: "read version", Err: syscall.ECONNREFUSED, Kind: ef45.ErrUnreachable}
	cam.infoErrs = []error{fmt.Errorf("camera info: %w", refused)}
	m, _ := newTestModel(t, cam, CaptureModelOptions{})
	m.Connect()
	st := waitState(t, m, "failure", func(s CaptureState) bool { return s.Phase == PhaseFailed })
	want := "Cannot reach the EF-45 at 192.0.2.7:9980"
	if st.Problem == nil || !st.Problem.Reconnect || st.Problem.TakeOver || !strings.HasPrefix(st.Problem.Message, want) {
		t.Fatalf("problem %+v, want %q with Reconnect", st.Problem, want)
	}
	m.Retry()
	waitState(t, m, "connected after retry", func(s CaptureState) bool { return s.Phase == PhaseReady })
}

func TestModelCaptureShowsPreviewGuidanceAndResult(t *testing.T) {
	cam := newFakeCamera()
	proceed := make(chan struct{})
	cam.capture = func(ctx context.Context, opts capture.Options) (*capture.Result, error) {
		if opts.Timeout != 5*time.Second || !opts.Modes.BothEyes || !opts.Modes.Face {
			return nil, fmt.Errorf("capture options %+v", opts)
		}
		opts.OnPreview(previewAt(t, 520, 80))
		<-proceed
		opts.OnPreview(previewAt(t, 400, 120))
		<-proceed
		return captureResult(), nil
	}
	m, sink := newTestModel(t, cam, CaptureModelOptions{Timeout: 5 * time.Second})
	connected(t, m)
	m.Capture()
	st := waitState(t, m, "first guidance", func(s CaptureState) bool { return s.Guidance.Text == "Come closer" })
	if st.Phase != PhaseCapturing || !st.CanCancel() || st.CanCapture() || st.Guidance.Level != capture.LevelWarn {
		t.Errorf("state while capturing: %+v", st)
	}
	m.Capture() // a second capture does not start while one runs
	proceed <- struct{}{}
	st = waitState(t, m, "in position", func(s CaptureState) bool { return s.Guidance.Ready })
	if st.Guidance.Text != "Hold still" || st.Frames != 2 {
		t.Errorf("guidance %+v after %d frames", st.Guidance, st.Frames)
	}
	proceed <- struct{}{}
	st = waitState(t, m, "done", func(s CaptureState) bool { return s.Phase == PhaseDone })
	want := &CaptureSummary{EncounterID: "enc-1", Frames: 42, Elapsed: 3200 * time.Millisecond, Face: true, FaceImage: []byte{0xff, 0xd8},
		Left:  EyeSummary{UsableArea: 84, Quality: 92, QualityOK: true},
		Right: EyeSummary{UsableArea: 77, Quality: 88, QualityOK: true}}
	if st.Result == nil || !reflect.DeepEqual(*st.Result, *want) {
		t.Errorf("result %+v, want %+v", st.Result, want)
	}
	if st.Progress != 1 || !st.CanCapture() || st.CanCancel() {
		t.Errorf("state when done: %+v", st)
	}
	if _, capture := cam.calls(); len(capture) != 1 {
		t.Errorf("%d captures ran, want 1", len(capture))
	}

	// The placeholder frame and the two previews, in the two alternating buffers.
	frames := sink.shown()
	if len(frames) != 3 {
		t.Fatalf("%d frames shown, want 3 (placeholder and two previews)", len(frames))
	}
	if frames[0] == frames[1] || frames[1] == frames[2] || frames[0] != frames[2] {
		t.Error("consecutive frames did not alternate between two buffers")
	}
	if frames[0].Rect != image.Rect(0, 0, 170, 128) {
		t.Errorf("frame size %v, want the preview size", frames[0].Rect)
	}
}

// A slow screen never slows the capture: frames pile up in one slot, and the newest wins.
func TestModelLatestFrameWins(t *testing.T) {
	cam := newFakeCamera()
	sent := make(chan time.Duration, 1)
	proceed := make(chan struct{})
	cam.capture = func(ctx context.Context, opts capture.Options) (*capture.Result, error) {
		far, near := previewAt(t, 600, 60), previewAt(t, 400, 120)
		start := time.Now()
		for range 30 {
			opts.OnPreview(far)
		}
		opts.OnPreview(near)
		sent <- time.Since(start)
		<-proceed
		return captureResult(), nil
	}
	m, sink := newTestModel(t, cam, CaptureModelOptions{})
	sink.gate = make(chan struct{})
	connected(t, m)
	m.Capture()
	sink.gate <- struct{}{} // the placeholder
	if d := <-sent; d > time.Second {
		t.Errorf("31 OnPreview calls took %v with the screen blocked; they must not wait for it", d)
	}
	close(sink.gate) // the screen catches up
	st := waitState(t, m, "the newest frame", func(s CaptureState) bool { return s.Guidance.Ready })
	if st.Frames > 3 {
		t.Errorf("%d of 31 frames were drawn; frames waiting for a busy screen should be dropped", st.Frames)
	}
	close(proceed)
	waitState(t, m, "done", func(s CaptureState) bool { return s.Phase == PhaseDone })
}

func TestModelCancelStopsTheCapture(t *testing.T) {
	cam := newFakeCamera()
	stopped := make(chan struct{})
	cam.capture = func(ctx context.Context, opts capture.Options) (*capture.Result, error) {
		<-ctx.Done()
		close(stopped)
		return nil, fmt.Errorf("enroll capture: cancelled: %w", ctx.Err())
	}
	m, _ := newTestModel(t, cam, CaptureModelOptions{})
	connected(t, m)
	m.Capture()
	waitState(t, m, "capturing", func(s CaptureState) bool { return s.Phase == PhaseCapturing })
	m.Cancel()
	<-stopped
	st := waitState(t, m, "ready again", func(s CaptureState) bool { return s.Phase == PhaseReady })
	if st.Problem != nil || !strings.Contains(st.Status, "cancelled") || !st.CanCapture() {
		t.Errorf("state after cancel: %+v", st)
	}
}

func TestModelCaptureTimeout(t *testing.T) {
	cam := newFakeCamera()
	cam.capture = func(ctx context.Context, opts capture.Options) (*capture.Result, error) {
		return nil, fmt.Errorf("enroll capture: no capture within %s: %w", opts.Timeout, context.DeadlineExceeded)
	}
	m, _ := newTestModel(t, cam, CaptureModelOptions{Timeout: 30 * time.Second})
	connected(t, m)
	m.Capture()
	st := waitState(t, m, "failure", func(s CaptureState) bool { return s.Phase == PhaseFailed })
	if st.Problem == nil || !strings.HasPrefix(st.Problem.Message, "No capture within 30s.") {
		t.Fatalf("problem %+v", st.Problem)
	}
	if st.Problem.Reconnect || st.Problem.TakeOver || !st.Connected || !st.CanCapture() {
		t.Errorf("after a timeout the operator just captures again; state %+v", st)
	}
}

func TestModelLockLostOffersTakeOverOfTheCapture(t *testing.T) {
	cam := newFakeCamera()
	calls := 0
	cam.capture = func(ctx context.Context, opts capture.Options) (*capture.Result, error) {
		if calls++; calls == 1 {
			return nil, fmt.Errorf("enroll capture: %w", &ef45.Error{Call: "read preview", Status: http.StatusForbidden, Kind: ef45.ErrLockLost})
		}
		return captureResult(), nil
	}
	m, _ := newTestModel(t, cam, CaptureModelOptions{})
	connected(t, m)
	m.Capture()
	st := waitState(t, m, "failure", func(s CaptureState) bool { return s.Phase == PhaseFailed })
	if st.Problem == nil || !st.Problem.TakeOver || !strings.Contains(st.Problem.Message, "took over") {
		t.Fatalf("problem %+v", st.Problem)
	}
	m.TakeOver()
	waitState(t, m, "done", func(s CaptureState) bool { return s.Phase == PhaseDone })
	if _, capture := cam.calls(); len(capture) != 2 || capture[0] || !capture[1] {
		t.Errorf("capture force flags %v, want [false true]", capture)
	}
}

func TestModelUnreachableDuringCaptureAsksToReconnect(t *testing.T) {
	cam := newFakeCamera()
	cam.capture = func(ctx context.Context, opts capture.Options) (*capture.Result, error) {
		return nil, fmt.Errorf("enroll capture: %w", &ef45.Error{Call: "start camera", Err: syscall.ECONNRESET, Kind: ef45.ErrUnreachable})
	}
	m, _ := newTestModel(t, cam, CaptureModelOptions{})
	connected(t, m)
	m.Capture()
	st := waitState(t, m, "failure", func(s CaptureState) bool { return s.Phase == PhaseFailed })
	if st.Connected || st.CanCapture() || st.Problem == nil || !st.Problem.Reconnect {
		t.Fatalf("state %+v, want disconnected with Reconnect", st)
	}
	m.Retry() // repeats the connection, not the capture
	waitState(t, m, "connected", func(s CaptureState) bool { return s.Phase == PhaseReady })
	if info, capture := cam.calls(); len(info) != 2 || len(capture) != 1 {
		t.Errorf("Retry made %d info and %d capture calls, want 2 and 1", len(info), len(capture))
	}
}

func TestModelProgressCountsDown(t *testing.T) {
	cam := newFakeCamera()
	cam.capture = func(ctx context.Context, opts capture.Options) (*capture.Result, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	m, _ := newTestModel(t, cam, CaptureModelOptions{Timeout: 2 * time.Second, Tick: 5 * time.Millisecond})
	connected(t, m)
	m.Capture()
	st := waitState(t, m, "progress", func(s CaptureState) bool { return s.Progress > 0 })
	if st.Progress > 1 || st.Remaining <= 0 || st.Remaining >= 2*time.Second {
		t.Errorf("progress %v, remaining %v", st.Progress, st.Remaining)
	}
	m.Cancel()
	waitState(t, m, "ready", func(s CaptureState) bool { return s.Phase == PhaseReady })
}

func TestModelMalformedFrameKeepsTheLastGoodOne(t *testing.T) {
	cam := newFakeCamera()
	proceed := make(chan struct{})
	cam.capture = func(ctx context.Context, opts capture.Options) (*capture.Result, error) {
		opts.OnPreview(previewAt(t, 400, 120))
		<-proceed
		bad := previewAt(t, 520, 120)
		bad.LeftEye = []byte("garbage")
		opts.OnPreview(bad)
		<-proceed
		return captureResult(), nil
	}
	m, sink := newTestModel(t, cam, CaptureModelOptions{})
	connected(t, m)
	m.Capture()
	waitState(t, m, "first frame", func(s CaptureState) bool { return s.Frames == 1 })
	proceed <- struct{}{}
	// The damaged frame is not shown, but its guidance still counts: the person is far.
	st := waitState(t, m, "guidance of the damaged frame", func(s CaptureState) bool { return s.Guidance.Text == "Come closer" })
	if st.Frames != 1 || len(sink.shown()) != 2 {
		t.Errorf("%d frames counted, %d shown; the damaged frame must not be shown", st.Frames, len(sink.shown()))
	}
	close(proceed)
	waitState(t, m, "done", func(s CaptureState) bool { return s.Phase == PhaseDone })
}

func TestModelCloseStopsARunningCapture(t *testing.T) {
	cam := newFakeCamera()
	cam.capture = func(ctx context.Context, opts capture.Options) (*capture.Result, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	m := NewCaptureModel(cam, CaptureModelOptions{PreviewSize: image.Pt(100, 80)})
	connected(t, m)
	m.Capture()
	waitState(t, m, "capturing", func(s CaptureState) bool { return s.Phase == PhaseCapturing })
	done := make(chan struct{})
	go func() { m.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return while a capture ran")
	}
	m.Connect() // after Close nothing starts
	if st := m.State(); st.Phase == PhaseConnecting {
		t.Error("Connect started after Close")
	}
}

func TestModelSubscribeAndUnsubscribe(t *testing.T) {
	m, _ := newTestModel(t, newFakeCamera(), CaptureModelOptions{})
	calls := make(chan struct{}, 100)
	unsub := m.Subscribe(func() { calls <- struct{}{} })
	connected(t, m)
	if len(calls) == 0 {
		t.Fatal("the observer was not told of the connection")
	}
	unsub()
	n := len(calls)
	m.Capture()
	waitState(t, m, "done", func(s CaptureState) bool { return s.Phase == PhaseDone })
	if len(calls) != n {
		t.Error("an unsubscribed observer was still called")
	}
}

func TestPhaseString(t *testing.T) {
	want := []string{"disconnected", "connecting", "ready", "capturing", "done", "failed"}
	for i, w := range want {
		if got := Phase(i).String(); got != w {
			t.Errorf("Phase(%d) = %q, want %q", i, got, w)
		}
	}
	if got := Phase(99).String(); got != "phase(99)" {
		t.Errorf("unknown phase = %q", got)
	}
}

func TestSummarize(t *testing.T) {
	res := captureResult()
	res.Data.Left.DuplicateUUID = "subject-9"
	res.Data.Faces[ef45.FaceFarOff].Image = nil
	s := summarize(res)
	if s.Left.Duplicate != "subject-9" || s.Face || s.EncounterID != "enc-1" || s.Frames != 42 {
		t.Errorf("summary %+v", s)
	}
	if empty := summarize(&capture.Result{Frames: 3}); empty.Frames != 3 || empty.Left.Usable() {
		t.Errorf("summary without data %+v", empty)
	}
}

func TestEyeSummaryUsable(t *testing.T) {
	cases := []struct {
		e    EyeSummary
		want bool
	}{
		{EyeSummary{UsableArea: 70, QualityOK: true}, true},
		{EyeSummary{UsableArea: 69, QualityOK: true}, false},
		{EyeSummary{UsableArea: 95, QualityOK: false}, false},
	}
	for _, tc := range cases {
		if got := tc.e.Usable(); got != tc.want {
			t.Errorf("%+v.Usable() = %v, want %v", tc.e, got, tc.want)
		}
	}
}
