package capture

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"enrollstation/devices/ef45"
)

// State is where a Session is, as a screen shows it.
type State int

// The states of a Session.
const (
	Idle             State = iota // not started
	Connecting                    // taking the lock, preparing the camera
	WaitingForPerson              // the camera runs; nobody in front of it yet
	Adjusting                     // someone is there; the guidance says what to correct
	Capturing                     // in position; the camera is taking the capture
	Captured                      // the item arrived: gates and duplicates are known
	Failed                        // the capture did not complete (Update.Err says why)
	Cancelled                     // the operator cancelled; the camera is stopped
)

var stateNames = [...]string{
	Idle: "idle", Connecting: "connecting", WaitingForPerson: "waiting for the person",
	Adjusting: "adjusting", Capturing: "capturing", Captured: "captured",
	Failed: "failed", Cancelled: "cancelled",
}

// String names the state in words.
func (s State) String() string {
	if s < 0 || int(s) >= len(stateNames) {
		return "unknown"
	}
	return stateNames[s]
}

// Update is what a Session publishes on every change: its state, the guidance line, the
// preview frames seen, and, once the capture ends, its result or error.
type Update struct {
	State    State
	Guidance Guidance
	Frames   int
	Result   *Result // with Captured
	Err      error   // with Failed (and Cancelled: the context's error)
}

// SessionOptions shape a Session.
type SessionOptions struct {
	// Capture shapes each capture (modes, timeout, polling, OnPreview for the frames).
	Capture Options
	// Force takes the lock over from another workstation.
	Force bool
	// Gates judge each capture; nil means DefaultGates.
	Gates *Gates
	// People is the journal the duplicate check looks people up in; nil skips that step.
	People People
	// Elsewhere are the other devices the duplicate check asks (the journal's EF-45
	// targets, which hold the people of every desk); nil asks the camera alone.
	Elsewhere Elsewhere
}

// Session is the EF-45 workflow of spec 003 for one person: lock, camera mode Slave, empty
// the buffer, start, preview and biometric polling with guidance, then the gates and the
// duplicate check. It keeps the lock and the item in the camera's buffer until the Result
// is accepted (into the journal), retaken or discarded. Cancel stops the camera.
type Session struct {
	cam   *Camera
	opts  SessionOptions
	gates Gates

	mu     sync.Mutex
	cur    Update
	subs   map[int]func(Update)
	nextID int
	cancel context.CancelFunc
	es     *ef45.Session // the lock, held from Run until the result is settled
}

// NewSession returns a Session on the camera; Run starts it.
func (c *Camera) NewSession(opts SessionOptions) *Session {
	g := DefaultGates()
	if opts.Gates != nil {
		g = *opts.Gates
	}
	return &Session{cam: c, opts: opts, gates: g, subs: map[int]func(Update){}}
}

// Camera is the session's camera.
func (s *Session) Camera() *Camera { return s.cam }

// Gates are the gates the session judges captures by.
func (s *Session) Gates() Gates { return s.gates }

// Update returns the latest update.
func (s *Session) Update() Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}

// Subscribe calls fn with the current update at once, then on every change, from the
// session's goroutine: fn must return quickly (a screen hands it to its UI thread).
// Calling the returned function stops the calls.
func (s *Session) Subscribe(fn func(Update)) (unsubscribe func()) {
	s.mu.Lock()
	id := s.nextID
	s.nextID++
	s.subs[id] = fn
	cur := s.cur
	s.mu.Unlock()
	fn(cur)
	return func() {
		s.mu.Lock()
		delete(s.subs, id)
		s.mu.Unlock()
	}
}

// publish changes the update and tells the subscribers, in order, outside the lock.
func (s *Session) publish(change func(u *Update)) {
	s.mu.Lock()
	change(&s.cur)
	u := s.cur
	fns := make([]func(Update), 0, len(s.subs))
	for id := 0; id < s.nextID; id++ {
		if fn, ok := s.subs[id]; ok {
			fns = append(fns, fn)
		}
	}
	s.mu.Unlock()
	for _, fn := range fns {
		fn(u)
	}
}

// Cancel stops a running capture: the camera is told to stop at once and Run returns an
// error wrapping context.Canceled. It does nothing when no capture runs.
func (s *Session) Cancel() {
	s.mu.Lock()
	cancel := s.cancel
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// Run takes the lock (unless it still holds it from a retake) and runs one capture. On
// success the state is Captured and the Result carries the gates' verdicts and the
// possible duplicates; the lock and the item stay until the Result is accepted, retaken
// or discarded. On failure or cancel the camera is stopped and the lock released.
func (s *Session) Run(ctx context.Context) (*Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.mu.Lock()
	if s.cancel != nil {
		s.mu.Unlock()
		return nil, errors.New("capture: a capture is already running on this session")
	}
	s.cancel = cancel
	es := s.es
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.cancel = nil
		s.mu.Unlock()
	}()

	s.publish(func(u *Update) { *u = Update{State: Connecting, Guidance: GuidanceFor(nil)} })
	if es == nil {
		var err error
		if es, err = s.cam.Open(ctx, s.opts.Force); err != nil {
			return nil, s.fail(ctx, err)
		}
		s.mu.Lock()
		s.es = es
		s.mu.Unlock()
	}
	rv, err := es.Subjects.RecordVersion(ctx)
	if err != nil {
		return nil, s.fail(ctx, fmt.Errorf("capture: %w", err))
	}

	opts := s.opts.Capture
	onPreview := opts.OnPreview
	frames := 0
	opts.OnPreview = func(p *ef45.Preview) {
		frames++
		g := s.gates.Guidance(p)
		s.publish(func(u *Update) { u.State, u.Guidance, u.Frames = stateFor(p, g), g, frames })
		if onPreview != nil {
			onPreview(p)
		}
	}
	s.publish(func(u *Update) { u.State = WaitingForPerson })
	res, err := Capture(ctx, es, opts)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	res.RecordVersion = rv
	res.owner = s
	res.Gates = s.gates.Check(res.Data, res.LastPreview)
	dups, err := checkDuplicates(ctx, es, s.opts.People, s.opts.Elsewhere, s.cam.Address(), res.Data)
	if err != nil {
		// The capture is kept: a check that could not run is a gate the operator sees.
		res.Gates = append(res.Gates, GateResult{Name: "duplicate check", Figure: "not done: " + err.Error(), Limit: "done",
			Code: GateDuplicateCheck, Detail: err.Error()})
	}
	res.Duplicates = dups
	s.publish(func(u *Update) { u.State, u.Result, u.Err, u.Frames = Captured, res, nil, res.Frames })
	return res, nil
}

// stateFor reads a preview: no eyes found and no distance is nobody there yet.
func stateFor(p *ef45.Preview, g Guidance) State {
	switch {
	case g.Ready:
		return Capturing
	case g.Hint == HintLookAtCamera && p.LeftIrisRadius <= 0 && p.RightIrisRadius <= 0:
		if _, known := p.DistanceMM(); !known {
			return WaitingForPerson
		}
	}
	return Adjusting
}

// fail ends a run: the camera stopped (Capture already did, when it ran), the lock
// released, the state Failed or Cancelled.
func (s *Session) fail(ctx context.Context, err error) error {
	s.mu.Lock()
	es := s.es
	s.es = nil
	s.mu.Unlock()
	if es != nil {
		_ = s.cam.Release(ctx, es) // the failure is what the operator must see
	}
	state := Failed
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		state = Cancelled
	}
	s.publish(func(u *Update) { u.State, u.Err, u.Result, u.Guidance = state, err, nil, Guidance{} })
	return err
}

// Close releases the lock if the session still holds it (a result neither accepted nor
// discarded stays in the camera's buffer until the next capture empties it).
func (s *Session) Close(ctx context.Context) error {
	s.Cancel()
	s.mu.Lock()
	es := s.es
	s.es = nil
	s.mu.Unlock()
	if es == nil {
		return nil
	}
	return s.cam.Release(ctx, es)
}

// session returns the lock the session holds, or an error when it holds none.
func (s *Session) session() (*ef45.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.es == nil {
		return nil, errors.New("capture: the session no longer holds the camera")
	}
	return s.es, nil
}

// settle releases the item and, unless keep, the lock; the state goes back to Idle.
func (s *Session) settle(ctx context.Context, r *Result, keep bool) error {
	es, err := s.session()
	if err != nil {
		return err
	}
	relCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	err = r.Release(relCtx, es)
	if !keep {
		s.mu.Lock()
		s.es = nil
		s.mu.Unlock()
		if rerr := s.cam.Release(relCtx, es); err == nil {
			err = rerr
		}
	}
	s.publish(func(u *Update) { *u = Update{State: Idle} })
	return err
}

// Close releases the camera's lock if the session that captured r still holds it: after
// Retake, when the next capture runs on a new session.
func (r *Result) Close(ctx context.Context) error {
	if r.owner == nil {
		return nil
	}
	return r.owner.Close(ctx)
}
