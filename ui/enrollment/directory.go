package enrollment

import (
	"context"
	"strings"
	"sync"
	"time"

	"enrollstation/enroll"
	"enrollstation/ui/observe"
)

// DirectorySource is what the form's department and group pickers need of the engine;
// *enroll.Station has it.
type DirectorySource interface {
	Directory(ctx context.Context) (enroll.Directory, error)
}

// DirectoryPhase is where the pickers' lists stand.
type DirectoryPhase int

// Phases of the pickers' lists.
const (
	DirectoryIdle        DirectoryPhase = iota // not asked yet
	DirectoryLoading                           // the terminals are being asked
	DirectoryLoaded                            // at least one terminal answered
	DirectoryNone                              // no ACTAtek terminal is set up
	DirectoryUnreachable                       // none of them answered, or the journal failed
)

// DirectoryState is a snapshot of the pickers' lists.
type DirectoryState struct {
	Phase DirectoryPhase
	// Departments and Groups are the names to pick from, merged over the terminals; they
	// stay as they were while a new load runs or when it fails.
	Departments, Groups []string
	// Words say what the operator should know (a terminal that did not answer); empty
	// when every terminal answered.
	Words Words
	// Detail names each terminal that did not answer and why.
	Detail string
}

// directoryTimeout bounds a whole load; each terminal has its own, shorter, bound.
const directoryTimeout = 20 * time.Second

// DirectoryModel loads the departments and access groups of the ACTAtek terminals for the
// form's pickers, in the background. It knows nothing of Fyne.
type DirectoryModel struct {
	observe.Notifier

	src DirectorySource

	ctx  context.Context // ends at Close
	stop context.CancelFunc
	wg   sync.WaitGroup

	mu    sync.Mutex
	state DirectoryState
}

// NewDirectoryModel loads from src. Call Close when done.
func NewDirectoryModel(src DirectorySource) *DirectoryModel {
	ctx, stop := context.WithCancel(context.Background())
	return &DirectoryModel{src: src, ctx: ctx, stop: stop}
}

// State returns a snapshot.
func (m *DirectoryModel) State() DirectoryState {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.state
}

// Load asks the terminals again, unless a load runs already; it returns at once.
func (m *DirectoryModel) Load() {
	m.mu.Lock()
	if m.state.Phase == DirectoryLoading || m.ctx.Err() != nil {
		m.mu.Unlock()
		return
	}
	m.state.Phase = DirectoryLoading
	m.wg.Add(1)
	m.mu.Unlock()
	m.Notify()
	go func() {
		defer m.wg.Done()
		ctx, cancel := context.WithTimeout(m.ctx, directoryTimeout)
		defer cancel()
		d, err := m.src.Directory(ctx)
		m.mu.Lock()
		m.state = directoryState(m.state, d, err)
		m.mu.Unlock()
		m.Notify()
	}()
}

// directoryState is what a load found, keeping the last lists when it found none.
func directoryState(last DirectoryState, d enroll.Directory, err error) DirectoryState {
	s := DirectoryState{Departments: last.Departments, Groups: last.Groups}
	if err != nil {
		s.Phase, s.Detail = DirectoryUnreachable, err.Error()
		s.Words = say("enroll.directory.failed", "The terminals' departments and groups could not be read; type them.")
		return s
	}
	var down []string
	for _, t := range d.Terminals {
		if t.Err != "" {
			down = append(down, t.Target.Name+": "+t.Err)
		}
	}
	s.Detail = strings.Join(down, "\n")
	switch {
	case len(d.Terminals) == 0:
		s.Phase, s.Departments, s.Groups = DirectoryNone, nil, nil
		s.Words = say("enroll.directory.none", "No ACTAtek terminal is set up: the department and group are kept in the journal only.")
		return s
	case d.Reachable() == 0:
		s.Phase = DirectoryUnreachable
		s.Words = say("enroll.directory.unreachable", "No ACTAtek terminal answered: type the department and group, or try again later.")
		return s
	}
	s.Phase, s.Departments, s.Groups = DirectoryLoaded, names(d.Departments), names(d.Groups)
	if len(down) > 0 {
		s.Words = say("enroll.directory.partial", "{{.N}} of the terminals did not answer: their departments and groups are not listed.",
			"N", len(down))
	}
	return s
}

func names(ns []enroll.DirectoryName) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Name
	}
	return out
}

// Close stops a load and waits for it.
func (m *DirectoryModel) Close() {
	m.mu.Lock()
	m.stop()
	m.mu.Unlock()
	m.wg.Wait()
}
