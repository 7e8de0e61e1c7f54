// Package devices is the technician's Devices screen: the targets with their health, add,
// edit and remove, and the per-device tests (door, card reader, reconcile and repair). The
// view model (this file, form.go) does not import Fyne; screen.go draws it.
package devices

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"enrollstation/enroll"
	"enrollstation/ui/observe"
)

// Engine is what the screen needs of the engine; *enroll.Station has it.
type Engine interface {
	TargetsHealth(ctx context.Context, timeout time.Duration) ([]enroll.TargetStatus, error)
	SaveTarget(ctx context.Context, t enroll.Target, secret, operator string) (enroll.Target, error)
	RemoveTarget(ctx context.Context, id enroll.TargetID, operator string) error
	ReadTerminalCertificate(ctx context.Context, url string) (enroll.TerminalCertificate, error)
	TestDoor(ctx context.Context, id enroll.TargetID) error
	ReadCard(ctx context.Context, id enroll.TargetID) (string, error)
	SetTargetTime(ctx context.Context, id enroll.TargetID, now time.Time) error
	TargetCameraMode(ctx context.Context, id enroll.TargetID) (string, error)
	SetTargetCameraMode(ctx context.Context, id enroll.TargetID, mode string) error
	TargetLogs(ctx context.Context, id enroll.TargetID, n int) ([]enroll.DeviceEvent, error)
	TargetConfig(ctx context.Context, id enroll.TargetID, key, typ string) (string, error)
	SetTargetConfig(ctx context.Context, id enroll.TargetID, key, typ, value string) error
	Reconcile(ctx context.Context, id enroll.TargetID, repair bool) (enroll.Report, error)
}

// Timeouts of the model's calls. A card read waits for a person to present a card, so it
// is given longer than the other calls.
const (
	HealthTimeout    = 8 * time.Second
	ActionTimeout    = 30 * time.Second
	CardReadTimeout  = 30 * time.Second
	ReconcileTimeout = 2 * time.Minute
)

// Message is a text for the technician: Key names its translation ("devices.msg." + Key)
// and Text is the English, both with Args as their fields. A device's own words come with
// no Key and are shown as they are.
type Message struct {
	Key  string
	Text string
	Args map[string]any
}

// IsZero says there is no message.
func (m Message) IsZero() bool { return m.Key == "" && m.Text == "" }

func msg(key, text string, args ...any) Message {
	m := Message{Key: key, Text: text}
	if len(args) > 0 {
		m.Args = map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			m.Args[args[i].(string)] = args[i+1]
		}
	}
	return m
}

// Row is one target in the list.
type Row struct {
	enroll.TargetStatus
	// Drift is the report of the last reconcile of this target in this session, nil when
	// none ran.
	Drift *enroll.Report
}

// ActionKind names a per-device action.
type ActionKind string

// Per-device actions.
const (
	ActionDoor      ActionKind = "door"
	ActionCard      ActionKind = "card"
	ActionReconcile ActionKind = "reconcile"
	ActionRepair    ActionKind = "repair"
	ActionRemove    ActionKind = "remove"
	ActionTime      ActionKind = "time"
	ActionMode      ActionKind = "mode" // read the camera mode
	ActionSetMode   ActionKind = "setmode"
	ActionLogs      ActionKind = "logs"
	ActionConfig    ActionKind = "config" // read a configuration key
	ActionSetConfig ActionKind = "setconfig"
)

// Action is the last per-device action, under way or done.
type Action struct {
	Kind    ActionKind
	Target  enroll.TargetID
	Name    string // the target's name, for the messages
	Running bool
	// Err is the failure in the operator's words; Detail the whole error. Canceled is set
	// when the technician stopped it.
	Err      Message
	Detail   string
	Canceled bool
	// Card is the card number a card reader test read.
	Card string
	// Mode is the camera mode read or set.
	Mode string
	// Events are the newest entries of the device's own log, newest first.
	Events []enroll.DeviceEvent
	// ConfigKey, ConfigType and ConfigValue are the configuration key read or written.
	ConfigKey, ConfigType, ConfigValue string
	// Report is the outcome of a reconcile or repair.
	Report *enroll.Report
}

// State is what the screen shows.
type State struct {
	Rows       []Row
	Refreshing bool
	// RefreshErr is why the list could not be read (Detail: the whole error).
	RefreshErr    Message
	RefreshDetail string
	RefreshedAt   time.Time
	Selected      enroll.TargetID
	Action        Action
	// Form is the add or edit form when open.
	Form *FormState
}

// Row returns the row of target id.
func (s State) Row(id enroll.TargetID) (Row, bool) {
	for _, r := range s.Rows {
		if r.Target.ID == id {
			return r, true
		}
	}
	return Row{}, false
}

// Model is the Devices screen's view model.
type Model struct {
	observe.Notifier
	eng      Engine
	operator string

	mu           sync.Mutex
	st           State
	drift        map[enroll.TargetID]*enroll.Report
	cancelAction context.CancelFunc
	refreshing   bool
	again        bool // a refresh was asked for while one ran
	cancelForm   context.CancelFunc
}

// NewModel is the model over eng; operator names the technician in the audit trail.
func NewModel(eng Engine, operator string) *Model {
	return &Model{eng: eng, operator: operator, drift: map[enroll.TargetID]*enroll.Report{}}
}

// State is a snapshot of the model.
func (m *Model) State() State {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.st
	s.Rows = slices.Clone(s.Rows)
	if s.Form != nil {
		f := *s.Form
		f.Problems = slices.Clone(f.Problems)
		s.Form = &f
	}
	return s
}

// update changes the state under the lock, then tells the subscribers.
func (m *Model) update(fn func(*State)) {
	m.mu.Lock()
	fn(&m.st)
	m.mu.Unlock()
	m.Notify()
}

// Refresh reads the targets and asks each one how it is, in the background. A refresh
// asked for while one runs runs once more after it.
func (m *Model) Refresh(ctx context.Context) {
	m.mu.Lock()
	if m.refreshing {
		m.again = true
		m.mu.Unlock()
		return
	}
	m.refreshing = true
	m.st.Refreshing = true
	m.mu.Unlock()
	m.Notify()
	go m.refresh(ctx)
}

func (m *Model) refresh(ctx context.Context) {
	for {
		all, err := m.eng.TargetsHealth(ctx, HealthTimeout)
		m.mu.Lock()
		if err != nil {
			m.st.RefreshErr, m.st.RefreshDetail = refreshProblem(err), err.Error()
		} else {
			rows := make([]Row, len(all))
			for i, s := range all {
				rows[i] = Row{TargetStatus: s, Drift: m.drift[s.Target.ID]}
			}
			m.st.Rows, m.st.RefreshErr, m.st.RefreshDetail = rows, Message{}, ""
			m.st.RefreshedAt = time.Now()
			if _, ok := m.st.Row(m.st.Selected); !ok {
				m.st.Selected = 0
				if len(rows) > 0 {
					m.st.Selected = rows[0].Target.ID
				}
			}
		}
		again := m.again && ctx.Err() == nil
		m.again = false
		if !again {
			m.refreshing, m.st.Refreshing = false, false
		}
		m.mu.Unlock()
		m.Notify()
		if !again {
			return
		}
	}
}

func refreshProblem(err error) Message {
	if errors.Is(err, context.Canceled) {
		return msg("refresh.stopped", "The refresh was stopped.")
	}
	return msg("refresh.journal", "The list of devices could not be read from the journal.")
}

// AutoRefresh refreshes now and then every interval until ctx ends.
func (m *Model) AutoRefresh(ctx context.Context, every time.Duration) {
	m.Refresh(ctx)
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				m.Refresh(ctx)
			}
		}
	}()
}

// Select makes id the target the actions apply to.
func (m *Model) Select(id enroll.TargetID) {
	m.update(func(s *State) {
		if s.Selected != id && !s.Action.Running {
			s.Action = Action{}
		}
		s.Selected = id
	})
}
