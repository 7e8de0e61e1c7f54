// Package firstrun is the page a station opens on when it has no camera yet: the EF-45 to
// capture with, checked on the network, and the first targets. Its model is plain Go.
package firstrun

import (
	"context"
	"errors"
	"sync"
	"time"

	"enrollstation/enroll"
	"enrollstation/enroll/capture"
	"enrollstation/ui/observe"
)

// Engine is what the page needs of the station; *enroll.Station has it.
type Engine interface {
	CheckCamera(ctx context.Context, addr string) (capture.Info, error)
	SetCameraAddress(ctx context.Context, addr, operator string) error
	Targets(ctx context.Context) ([]enroll.Target, error)
}

// State is what the page shows.
type State struct {
	Address  string
	Checking bool
	Camera   *capture.Info // the camera that answered at Address
	Problem  error         // why it did not
	Saved    bool          // the address is the station's
	Targets  int           // targets in the journal
}

// Ready reports whether the station can start enrolling: a camera that answered, kept,
// and at least one target.
func (s State) Ready() bool { return s.Saved && s.Camera != nil && s.Targets > 0 }

// Model checks and keeps the camera's address, and counts the targets the page adds.
type Model struct {
	observe.Notifier

	eng      Engine
	operator string

	mu  sync.Mutex
	st  State
	gen int // the newest check; older answers are dropped
}

// NewModel returns the page's model.
func NewModel(eng Engine, operator string) *Model { return &Model{eng: eng, operator: operator} }

// State returns a snapshot.
func (m *Model) State() State {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.st
}

func (m *Model) update(fn func(*State)) {
	m.mu.Lock()
	fn(&m.st)
	m.mu.Unlock()
	m.Notify()
}

// SetAddress takes the typed address; it must be checked again.
func (m *Model) SetAddress(a string) {
	m.update(func(s *State) {
		if s.Address != a {
			s.Address, s.Camera, s.Problem, s.Saved = a, nil, nil, false
		}
	})
}

// Check reads the camera at the typed address and, when it answers, keeps the address.
func (m *Model) Check() {
	m.mu.Lock()
	m.gen++
	gen, addr := m.gen, m.st.Address
	m.st.Checking, m.st.Problem = true, nil
	m.mu.Unlock()
	m.Notify()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		info, err := m.eng.CheckCamera(ctx, addr)
		if errors.Is(err, capture.ErrInUse) && info.Version != "" {
			err = nil // it answered; another workstation holds it for now
		}
		if err == nil {
			err = m.eng.SetCameraAddress(ctx, addr, m.operator)
		}
		m.mu.Lock()
		defer func() { m.mu.Unlock(); m.Notify() }()
		if gen != m.gen {
			return
		}
		m.st.Checking = false
		if err != nil {
			m.st.Problem, m.st.Camera, m.st.Saved = err, nil, false
			return
		}
		m.st.Camera, m.st.Saved = &info, true
	}()
}

// SetTargets says how many targets the journal has, as a screen that lists them read it.
func (m *Model) SetTargets(n int) {
	m.mu.Lock()
	same := m.st.Targets == n
	m.st.Targets = n
	m.mu.Unlock()
	if !same {
		m.Notify()
	}
}

// CountTargets reads how many targets the journal has (after the page added one).
func (m *Model) CountTargets() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ts, err := m.eng.Targets(ctx)
		if err != nil {
			return
		}
		m.update(func(s *State) { s.Targets = len(ts) })
	}()
}
