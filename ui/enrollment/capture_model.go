package enrollment

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"enrollstation/enroll"
	"enrollstation/enroll/capture"
	"enrollstation/enroll/preview"
	"enrollstation/ui/observe"
)

// Phase is where the capture screen stands.
type Phase int

// Phases of the capture screen.
const (
	PhaseDisconnected Phase = iota // before the first connection
	PhaseConnecting                // reading the camera's version and serial
	PhaseReady                     // connected; a capture can start
	PhaseCapturing                 // a capture runs; the preview is live
	PhaseDone                      // a capture finished; State.Result holds it
	PhaseFailed                    // the last action failed; State.Problem says why
	PhaseSaving                    // the capture is being saved into the journal
	PhaseSaved                     // the journal holds it; State.Saved says what was queued
)

// String names the phase, for logs.
func (p Phase) String() string {
	switch p {
	case PhaseDisconnected:
		return "disconnected"
	case PhaseConnecting:
		return "connecting"
	case PhaseReady:
		return "ready"
	case PhaseCapturing:
		return "capturing"
	case PhaseDone:
		return "done"
	case PhaseFailed:
		return "failed"
	case PhaseSaving:
		return "saving"
	case PhaseSaved:
		return "saved"
	}
	return fmt.Sprintf("phase(%d)", int(p))
}

// CaptureState is a snapshot of the capture screen.
type CaptureState struct {
	Phase       Phase
	Address     string // the camera's host:port
	Connected   bool   // version and serial were read; a capture may start
	Version     string
	Serial      string
	Status      string // one line saying what is happening, in English (StatusWords for the screen)
	StatusWords Words
	Guidance    capture.Guidance
	Progress    float64       // share of the capture time used, 0..1
	Remaining   time.Duration // capture time left
	Frames      int           // preview frames shown during this capture
	Result      *CaptureSummary
	Problem     *Problem
	// Saved is what the journal holds once a capture is accepted: the person, the capture
	// and one outbox row per target.
	Saved *enroll.Saved
}

// setStatus sets the status line.
func (s *CaptureState) setStatus(w Words) { s.Status, s.StatusWords = w.English(), w }

// CanCapture reports whether the Capture button works.
func (s CaptureState) CanCapture() bool {
	return s.Connected && s.Phase != PhaseCapturing && s.Phase != PhaseConnecting
}

// CanCancel reports whether a capture runs that Cancel would stop.
func (s CaptureState) CanCancel() bool { return s.Phase == PhaseCapturing }

// CaptureModelOptions tune a CaptureModel; zero values take the defaults.
type CaptureModelOptions struct {
	Modes       capture.StartModes // default: face and both eyes
	Timeout     time.Duration      // time a capture may take (default 60 s)
	CallTimeout time.Duration      // deadline of connecting (default 10 s)
	Tick        time.Duration      // how often the remaining time is refreshed (default 250 ms)
	PreviewSize image.Point        // size of the composed preview (default 850×640)
	Logger      *slog.Logger       // default: discard
	// Journal is where accepted captures go (capture.WithQueue(station.Store(), station));
	// without one a capture can only be looked at.
	Journal capture.Journal
	// Operator names who accepts, retakes or discards, in the journal.
	Operator string
}

func (o *CaptureModelOptions) setDefaults() {
	if !o.Modes.Any() {
		o.Modes = capture.StartModes{Face: true, BothEyes: true}
	}
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = 10 * time.Second
	}
	if o.Tick <= 0 {
		o.Tick = 250 * time.Millisecond
	}
	if o.PreviewSize.X <= 0 || o.PreviewSize.Y <= 0 {
		o.PreviewSize = image.Pt(850, 640)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Operator == "" {
		o.Operator = "operator"
	}
}

// CaptureModel is the view model of the capture screen: it connects to the camera, runs
// captures, renders the live preview and keeps the state the screen shows. It knows
// nothing of Fyne. Actions return at once; the work runs in goroutines, and observers are
// told after every change (from those goroutines). It is safe for concurrent use.
type CaptureModel struct {
	cam  Camera
	opts CaptureModelOptions
	log  *slog.Logger

	ctx  context.Context // ends at Close
	stop context.CancelFunc
	wg   sync.WaitGroup

	mu               sync.Mutex
	state            CaptureState
	pending          action             // what Retry and TakeOver repeat
	cancel           context.CancelFunc // of the running capture
	observe.Notifier                    // told after every state change
	sink             func(*image.RGBA)
	colors           preview.Colors

	// The renderer is used by one goroutine at a time: the capture goroutine before the
	// render loop starts, then the render loop, which ends before the capture does.
	result *capture.Result // the last capture, until it is accepted, retaken or discarded

	renderer *preview.Renderer
	latest   atomic.Pointer[capture.Preview] // newest frame not yet rendered; latest wins
	wake     chan struct{}
}

// NewCaptureModel returns the model for cam. Call Close when done.
func NewCaptureModel(cam Camera, opts CaptureModelOptions) *CaptureModel {
	opts.setDefaults()
	ctx, stop := context.WithCancel(context.Background())
	return &CaptureModel{
		cam:      cam,
		opts:     opts,
		log:      opts.Logger.With("camera", cam.Address()),
		ctx:      ctx,
		stop:     stop,
		state:    CaptureState{Phase: PhaseDisconnected, Address: cam.Address(), Status: "Not connected", StatusWords: say("capture.status.disconnected", "Not connected")},
		colors:   preview.DefaultColors(),
		renderer: preview.NewRenderer(opts.PreviewSize.X, opts.PreviewSize.Y),
		wake:     make(chan struct{}, 1),
	}
}

// State returns a snapshot of the current state.
func (m *CaptureModel) State() CaptureState {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.state
}

// SetFrameSink sets where composed preview frames go. sink is called from the render
// goroutine and should return once the frame is on screen: the renderer draws the next
// frame into the other of its two buffers, then into this one again.
func (m *CaptureModel) SetFrameSink(sink func(*image.RGBA)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sink = sink
}

// SetPreviewColors sets the preview's colours from the next capture on.
func (m *CaptureModel) SetPreviewColors(c preview.Colors) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.colors = c
}

// update changes the state under the lock, then tells the observers.
func (m *CaptureModel) update(fn func(s *CaptureState)) {
	m.mu.Lock()
	fn(&m.state)
	m.mu.Unlock()
	m.Notify()
}

// Connect reads the camera's version and serial number.
func (m *CaptureModel) Connect() { m.connect(false) }

// Capture starts a capture when one can start.
func (m *CaptureModel) Capture() { m.capture(false) }

// TakeOver repeats the action that found the camera held by another workstation, taking
// the lock from it.
func (m *CaptureModel) TakeOver() { m.repeat(true) }

// Retry repeats the action that failed.
func (m *CaptureModel) Retry() { m.repeat(false) }

func (m *CaptureModel) repeat(force bool) {
	m.mu.Lock()
	a := m.pending
	m.mu.Unlock()
	if a == actionCapture {
		m.capture(force)
		return
	}
	m.connect(force)
}

// Cancel stops the running capture; the camera is stopped and the lock released.
func (m *CaptureModel) Cancel() {
	m.mu.Lock()
	cancel := m.cancel
	m.mu.Unlock()
	if cancel != nil {
		m.log.Info("capture cancelled by the operator")
		cancel()
	}
}

// Close stops whatever runs (a capture stops the camera and releases the lock) and waits
// for it. Frame sinks must keep working until Close returns, so the UI goroutine must not
// be the one that waits.
func (m *CaptureModel) Close() {
	m.mu.Lock()
	m.stop() // under the lock: an action either registered before, or sees the end
	m.mu.Unlock()
	m.wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), m.opts.CallTimeout)
	defer cancel()
	m.settle(ctx)
}

// busy reports whether an action runs; call with m.mu held.
func (m *CaptureModel) busy() bool {
	return m.state.Phase == PhaseConnecting || m.state.Phase == PhaseCapturing || m.state.Phase == PhaseSaving || m.ctx.Err() != nil
}

func (m *CaptureModel) connect(force bool) {
	m.mu.Lock()
	if m.busy() {
		m.mu.Unlock()
		return
	}
	m.pending = actionConnect
	m.wg.Add(1)
	m.mu.Unlock()
	m.update(func(s *CaptureState) {
		s.Phase, s.Problem = PhaseConnecting, nil
		s.setStatus(say("capture.status.connecting", "Connecting to the EF-45 at {{.Addr}}…", "Addr", s.Address))
	})
	go func() {
		defer m.wg.Done()
		ctx, cancel := context.WithTimeout(m.ctx, m.opts.CallTimeout)
		defer cancel()
		m.log.Info("connecting", "take_over", force)
		info, err := m.cam.Info(ctx, force)
		if err != nil {
			m.log.Warn("connect failed", "err", err)
		} else {
			m.log.Info("connected", "version", info.Version, "serial", info.Serial, "mode", info.Mode)
		}
		m.update(func(s *CaptureState) {
			if info.Version != "" {
				s.Version = info.Version
			}
			if info.Serial != "" {
				s.Serial = info.Serial
			}
			if err != nil {
				s.Phase, s.Connected = PhaseFailed, false
				s.Problem = problemFor(err, actionConnect, s.Address, m.opts.Timeout)
				s.setStatus(say("capture.status.disconnected", "Not connected"))
				return
			}
			s.Phase, s.Connected, s.Problem = PhaseReady, true, nil
			s.setStatus(say("capture.status.connected", "Connected. Press Capture when the person faces the camera."))
		})
	}()
}

func (m *CaptureModel) capture(force bool) {
	m.mu.Lock()
	if m.busy() || !m.state.Connected {
		m.mu.Unlock()
		return
	}
	m.pending = actionCapture
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancel = cancel
	colors, sink := m.colors, m.sink
	m.wg.Add(1)
	m.mu.Unlock()
	m.update(func(s *CaptureState) {
		s.Phase, s.Problem, s.Result, s.Saved = PhaseCapturing, nil, nil, nil
		s.Progress, s.Remaining, s.Frames = 0, m.opts.Timeout, 0
		s.Guidance = capture.GuidanceFor(nil)
		s.setStatus(say("capture.status.capturing", "Capturing. Read the guidance to the person."))
	})
	go func() {
		defer m.wg.Done()
		defer cancel()
		m.latest.Store(nil)
		m.renderer.SetColors(colors)
		m.renderer.Reset()
		if frame, err := m.renderer.Render(nil); err == nil && sink != nil {
			sink(frame) // placeholders, so the last person's eyes are gone at once
		}

		loopCtx, stopLoops := context.WithCancel(ctx)
		var loops sync.WaitGroup
		loops.Go(func() { m.renderLoop(loopCtx, sink) })
		loops.Go(func() { m.tickLoop(loopCtx, time.Now()) })

		m.settle(ctx) // a capture not accepted is dropped before the next one
		m.log.Info("capture started", "take_over", force, "timeout", m.opts.Timeout)
		res, err := m.cam.Capture(ctx, force, capture.Options{
			Modes: m.opts.Modes, Timeout: m.opts.Timeout, OnPreview: m.onPreview,
		})
		stopLoops()
		loops.Wait()
		m.finishCapture(ctx, res, err)
	}()
}

// finishCapture records how a capture ended.
func (m *CaptureModel) finishCapture(ctx context.Context, res *capture.Result, err error) {
	m.mu.Lock()
	m.cancel = nil
	m.mu.Unlock()
	switch {
	case err == nil && res != nil:
		m.mu.Lock()
		m.result = res
		m.mu.Unlock()
		sum := summarize(res)
		m.log.Info("capture done", "encounter", sum.EncounterID, "frames", sum.Frames, "elapsed", sum.Elapsed,
			"left_usable", sum.Left.UsableArea, "right_usable", sum.Right.UsableArea)
		m.update(func(s *CaptureState) {
			s.Phase, s.Result, s.Progress = PhaseDone, sum, 1
			s.setStatus(say("capture.status.complete", "Capture complete."))
		})
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		m.update(func(s *CaptureState) {
			s.Phase, s.Progress, s.Remaining = PhaseReady, 0, 0
			s.Guidance = capture.Guidance{}
			s.setStatus(say("capture.status.cancelled", "Capture cancelled. The camera is stopped."))
		})
	default:
		if err == nil {
			err = errors.New("the camera returned no result")
		}
		m.log.Warn("capture failed", "err", err)
		m.update(func(s *CaptureState) {
			p := problemFor(err, actionCapture, s.Address, m.opts.Timeout)
			s.Phase, s.Problem, s.Guidance = PhaseFailed, p, capture.Guidance{}
			if p.Reconnect {
				s.Connected = false
				m.pending = actionConnect
			}
			s.setStatus(say("capture.status.failed", "The capture did not complete."))
		})
	}
}
