// Package fwwizard is the EF-45 firmware upload wizard: choose the cameras (with their
// versions read live), choose the file, normal or forced, confirm the power warning, watch
// the upload per camera through the reboot, and read each camera's result. Model is its
// Fyne-free view model; Screen shows it.
package fwwizard

import (
	"context"
	"errors"
	"sync"
	"time"

	"enrollstation/enroll"
	"enrollstation/enroll/firmware"
	"enrollstation/ui/observe"
)

// Step is a step of the wizard, in order.
type Step int

// The steps.
const (
	StepUnits   Step = iota // choose the EF-45 units
	StepFile                // choose the file, normal or forced
	StepConfirm             // confirm the power warning
	StepRun                 // the upload runs
	StepResult              // each unit's result
)

// Steps is how many steps the wizard has.
const Steps = int(StepResult) + 1

// Station is what the wizard needs of the station: the journal's targets.
// *enroll.Station satisfies it.
type Station interface {
	Targets(ctx context.Context) ([]enroll.Target, error)
}

// Updater is what the wizard needs of the firmware engine. *firmware.Updater satisfies it.
type Updater interface {
	Versions(ctx context.Context, addrs []string) []firmware.DeviceVersion
	UploadAll(ctx context.Context, devices []firmware.Device, job firmware.Job) []firmware.Outcome
}

// Config is what a Model works with.
type Config struct {
	Station Station
	Updater Updater
	// Camera is the capture camera's address; it is offered too when set.
	Camera string
	// Operator is who the journal's audit rows name.
	Operator string
	// ReadTimeout bounds reading the targets and versions (default 10 s).
	ReadTimeout time.Duration
	// Tick is how often the reboot wait is shown anew while a camera restarts (default 1 s).
	Tick time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Errors of the wizard's actions.
var (
	ErrNotReady = errors.New("this step is not complete")
	ErrRunning  = errors.New("an upload is running")
)

// Unit is an EF-45 the wizard offers.
type Unit struct {
	Addr   string
	Name   string // the target's name; empty for the capture camera when it is no target
	Target enroll.TargetID
	Camera bool // the capture camera
	// Reading: its version is being read.
	Reading bool
	Version string
	// Restarting: it answers that it is installing firmware or restarting.
	Restarting bool
	// Busy: an upload to it is running already.
	Busy bool
	// Err says why its version could not be read (it is then unreachable).
	Err      error
	Selected bool
}

// Selectable reports whether the unit can be chosen: its version was read and no upload
// to it runs.
func (u Unit) Selectable() bool { return !u.Reading && u.Err == nil && !u.Busy && u.Version != "" }

// File is the chosen firmware file.
type File struct {
	Path    string
	Name    string
	Size    int64
	Version string // the version its header names; empty when the file does not say
}

// Device is one unit's upload, running or finished.
type Device struct {
	Addr       string
	Name       string         // the unit's name; empty for the capture camera when it is no target
	Camera     bool           // the capture camera
	Phase      firmware.Phase // empty until its upload begins
	Sent       int64
	Total      int64
	OldVersion string
	NewVersion string
	// RebootWait is how long the camera has been awaited after done (PhaseReboot).
	RebootWait time.Duration
	Finished   bool
	Forced     bool
	// Failure is set when its upload failed.
	Failure *Failure
}

// Failure is a failed upload: where it stopped, what the camera is left in, why.
type Failure struct {
	Phase   firmware.Phase // empty when the upload did not begin
	State   firmware.State // empty when the upload did not begin: the camera is untouched
	Cause   firmware.Cause
	Version string // the firmware the camera keeps, when known
	Sent    int64
	Total   int64
	Wait    time.Duration // how long the restart was awaited (PhaseReboot)
	Details string        // the engine's full message
}

// State is a snapshot of the wizard for the screen.
type State struct {
	Step    Step
	Units   []Unit
	Loading bool  // the targets or versions are being read
	LoadErr error // the journal's targets could not be read
	File    File  // zero until a file is chosen
	// FileReading: the chosen file is being checked.
	FileReading bool
	FileErr     error
	Force       bool
	// NotNewer holds the addresses of the chosen units that already run the file's
	// version or a newer one: a normal upload to them would be refused.
	NotNewer  []string
	Confirmed bool
	Devices   []Device
	Running   bool
	// Cancelling: Cancel was asked and the uploads are stopping.
	Cancelling bool
	CanNext    bool
	CanBack    bool
}

// Model is the wizard's view model. It is safe for concurrent use; subscribers are called
// after every change, from any goroutine.
type Model struct {
	observe.Notifier
	cfg Config

	mu        sync.Mutex
	st        State
	loadSeq   int
	fileSeq   int
	rebootAt  map[string]time.Time // when each running device entered PhaseReboot
	cancelRun context.CancelFunc
	runDone   chan struct{} // closed when the running upload ends
}

// New returns the wizard at its first step; call Refresh to read the units.
func New(cfg Config) *Model {
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = 10 * time.Second
	}
	if cfg.Tick <= 0 {
		cfg.Tick = time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Model{cfg: cfg}
}

// State returns a snapshot.
func (m *Model) State() State {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.st
	s.Units = append([]Unit(nil), m.st.Units...)
	s.Devices = append([]Device(nil), m.st.Devices...)
	now := m.cfg.Now()
	for i, d := range s.Devices {
		if at, ok := m.rebootAt[d.Addr]; ok && d.Phase == firmware.PhaseReboot && !d.Finished {
			s.Devices[i].RebootWait = now.Sub(at)
		}
	}
	s.NotNewer = m.notNewerLocked()
	s.CanNext = m.canNextLocked() == nil
	s.CanBack = m.canBackLocked()
	return s
}

// Running reports whether an upload runs: the window must not close by mistake then.
func (m *Model) Running() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.st.Running
}

// update changes the state under the lock and notifies.
func (m *Model) update(fn func()) {
	m.mu.Lock()
	fn()
	m.mu.Unlock()
	m.Notify()
}

func (m *Model) notNewerLocked() []string {
	v := m.st.File.Version
	if v == "" || m.st.Force {
		return nil
	}
	var out []string
	for _, u := range m.st.Units {
		if u.Selected && u.Version != "" && firmware.CompareVersions(v, u.Version) <= 0 {
			out = append(out, u.Addr)
		}
	}
	return out
}

func (m *Model) canNextLocked() error {
	s := &m.st
	chosen := false
	for _, u := range s.Units {
		chosen = chosen || u.Selected
	}
	fileOK := s.File.Path != "" && !s.FileReading && s.FileErr == nil
	switch s.Step {
	case StepUnits:
		if chosen {
			return nil
		}
	case StepFile:
		if fileOK {
			return nil
		}
	case StepConfirm:
		// A refresh may have dropped a unit since it was chosen: check all again.
		if s.Confirmed && !s.Running && chosen && fileOK {
			return nil
		}
	case StepRun:
		return ErrRunning
	}
	return ErrNotReady
}

func (m *Model) canBackLocked() bool {
	return m.st.Step == StepFile || m.st.Step == StepConfirm
}

// Next goes to the next step; from the confirmation it starts the upload, under ctx.
// It returns ErrNotReady when the step is not complete.
func (m *Model) Next(ctx context.Context) error {
	m.mu.Lock()
	if err := m.canNextLocked(); err != nil {
		m.mu.Unlock()
		return err
	}
	if m.st.Step == StepConfirm {
		m.startLocked(ctx)
		m.mu.Unlock()
		m.Notify()
		return nil
	}
	m.st.Step++
	m.st.Confirmed = false // the power warning is confirmed each time it is shown
	m.mu.Unlock()
	m.Notify()
	return nil
}

// Back goes to the previous step, from the file or the confirmation; it reports whether it
// moved.
func (m *Model) Back() bool {
	m.mu.Lock()
	if !m.canBackLocked() {
		m.mu.Unlock()
		return false
	}
	m.st.Step--
	m.st.Confirmed = false
	m.mu.Unlock()
	m.Notify()
	return true
}

// Select chooses or drops the unit at addr; a unit that is not Selectable cannot be
// chosen. It reports whether the unit is now as asked.
func (m *Model) Select(addr string, on bool) bool {
	ok := false
	m.update(func() {
		if m.st.Step != StepUnits {
			return
		}
		for i, u := range m.st.Units {
			if u.Addr == addr && (!on || u.Selectable()) {
				m.st.Units[i].Selected = on
				ok = true
			}
		}
	})
	return ok
}

// SetForce chooses a forced upload (which installs the same or an older version too) or a
// normal one.
func (m *Model) SetForce(force bool) {
	m.update(func() {
		if !m.st.Running {
			m.st.Force = force
		}
	})
}

// SetConfirmed records the operator's confirmation of the power warning.
func (m *Model) SetConfirmed(ok bool) {
	m.update(func() {
		if m.st.Step == StepConfirm {
			m.st.Confirmed = ok
		}
	})
}

// ChooseFile checks the file at path and reads its header, in the background.
func (m *Model) ChooseFile(ctx context.Context, path string) {
	m.mu.Lock()
	if m.st.Running {
		m.mu.Unlock()
		return // the running upload's file stays the one shown
	}
	m.fileSeq++
	seq := m.fileSeq
	m.st.FileReading, m.st.FileErr, m.st.File = true, nil, File{Path: path}
	m.mu.Unlock()
	m.Notify()
	go func() {
		info, err := firmware.Inspect(path)
		if err == nil {
			err = ctx.Err()
		}
		m.update(func() {
			if seq != m.fileSeq {
				return // another file was chosen since
			}
			m.st.FileReading = false
			if err != nil {
				m.st.FileErr = err
				return
			}
			m.st.File = File{Path: info.Path, Name: info.Name, Size: info.Size, Version: info.Version}
		})
	}()
}
