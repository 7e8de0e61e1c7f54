package devices

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"enrollstation/enroll"
)

// start begins a per-device action on id unless one runs; the action's work runs in a
// goroutine with its own cancel and timeout.
func (m *Model) start(ctx context.Context, kind ActionKind, id enroll.TargetID, timeout time.Duration,
	work func(ctx context.Context, a *Action) error) bool {
	m.mu.Lock()
	if m.st.Action.Running {
		m.mu.Unlock()
		return false
	}
	row, _ := m.st.Row(id)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	m.cancelAction = cancel
	m.st.Action = Action{Kind: kind, Target: id, Name: row.Target.Name, Running: true}
	m.st.Selected = id
	m.mu.Unlock()
	m.Notify()
	go func() {
		defer cancel()
		a := Action{Kind: kind, Target: id, Name: row.Target.Name}
		err := work(ctx, &a)
		if err != nil {
			a.Err, a.Detail = actionProblem(ctx, kind, err, timeout), err.Error()
			a.Canceled = errors.Is(ctx.Err(), context.Canceled)
		}
		m.update(func(s *State) { s.Action = a })
	}()
	return true
}

// actionProblem says what went wrong with an action in the technician's words.
func actionProblem(ctx context.Context, kind ActionKind, err error, timeout time.Duration) Message {
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return msg("stopped", "Stopped.")
	case kind == ActionCard && errors.Is(ctx.Err(), context.DeadlineExceeded):
		return msg("cardtimeout", "No card was presented within {{.Seconds}} seconds.", "Seconds", int(timeout.Seconds()))
	case errors.Is(err, enroll.ErrNotSupported):
		return msg("unsupported", "This device cannot do that.")
	}
	// In English the engine's words are the message; another language words the
	// failure by its kind and keeps them as the detail.
	return msg("failed."+string(enroll.FailureOf(err)), "{{.Err}}", "Err", enroll.OperatorMessage(err))
}

// Cancel stops the per-device action under way.
func (m *Model) Cancel() {
	m.mu.Lock()
	c := m.cancelAction
	m.mu.Unlock()
	if c != nil {
		c()
	}
}

// TestDoor opens the door of (or pulses the relay of) target id.
func (m *Model) TestDoor(ctx context.Context, id enroll.TargetID) bool {
	return m.start(ctx, ActionDoor, id, ActionTimeout, func(ctx context.Context, _ *Action) error {
		return m.eng.TestDoor(ctx, id)
	})
}

// SetTime sets target id's clock to this computer's.
func (m *Model) SetTime(ctx context.Context, id enroll.TargetID) bool {
	return m.start(ctx, ActionTime, id, ActionTimeout, func(ctx context.Context, _ *Action) error {
		return m.eng.SetTargetTime(ctx, id, time.Now())
	})
}

// LogEntries is how many of a device's log entries ReadLog shows.
const LogEntries = 50

// ReadLog reads the newest entries of target id's own log.
func (m *Model) ReadLog(ctx context.Context, id enroll.TargetID) bool {
	return m.start(ctx, ActionLogs, id, ActionTimeout, func(ctx context.Context, a *Action) error {
		events, err := m.eng.TargetLogs(ctx, id, LogEntries)
		a.Events = events
		return err
	})
}

// CameraModes are the modes SetCameraMode takes.
func CameraModes() []string {
	return []string{enroll.CameraSlave, enroll.CameraRecog, enroll.CameraMaster}
}

// ReadCameraMode reads target id's camera mode.
func (m *Model) ReadCameraMode(ctx context.Context, id enroll.TargetID) bool {
	return m.start(ctx, ActionMode, id, ActionTimeout, func(ctx context.Context, a *Action) error {
		mode, err := m.eng.TargetCameraMode(ctx, id)
		a.Mode = mode
		return err
	})
}

// SetCameraMode sets target id's camera mode.
func (m *Model) SetCameraMode(ctx context.Context, id enroll.TargetID, mode string) bool {
	return m.start(ctx, ActionSetMode, id, ActionTimeout, func(ctx context.Context, a *Action) error {
		a.Mode = mode
		return m.eng.SetTargetCameraMode(ctx, id, mode)
	})
}

// ReadCard waits for a card at target id's reader, for CardReadTimeout at most.
func (m *Model) ReadCard(ctx context.Context, id enroll.TargetID) bool {
	return m.start(ctx, ActionCard, id, CardReadTimeout, func(ctx context.Context, a *Action) error {
		card, err := m.eng.ReadCard(ctx, id)
		a.Card = card
		return err
	})
}

// Reconcile compares target id with the journal; with repair, the missing and different
// people are queued again. The report stays on the target's row as its drift.
func (m *Model) Reconcile(ctx context.Context, id enroll.TargetID, repair bool) bool {
	kind := ActionReconcile
	if repair {
		kind = ActionRepair
	}
	return m.start(ctx, kind, id, ReconcileTimeout, func(ctx context.Context, a *Action) error {
		rep, err := m.eng.Reconcile(ctx, id, repair)
		if err != nil {
			return err
		}
		a.Report = &rep
		m.mu.Lock()
		m.drift[id] = &rep
		for i := range m.st.Rows {
			if m.st.Rows[i].Target.ID == id {
				m.st.Rows[i].Drift = &rep
			}
		}
		m.mu.Unlock()
		return nil
	})
}

// Remove deletes target id (or disables it when it has push history), then refreshes.
func (m *Model) Remove(ctx context.Context, id enroll.TargetID) bool {
	return m.start(ctx, ActionRemove, id, ActionTimeout, func(actx context.Context, _ *Action) error {
		err := m.eng.RemoveTarget(actx, id, m.operator)
		if err == nil {
			m.Refresh(ctx)
		}
		return err
	})
}

// ReadConfig reads configuration key of type typ on target id.
func (m *Model) ReadConfig(ctx context.Context, id enroll.TargetID, key, typ string) bool {
	key = strings.TrimSpace(key)
	if !m.configOK(ActionConfig, id, key, typ, nil) {
		return false
	}
	return m.start(ctx, ActionConfig, id, ActionTimeout, func(ctx context.Context, a *Action) error {
		v, err := m.eng.TargetConfig(ctx, id, key, typ)
		a.ConfigKey, a.ConfigType, a.ConfigValue = key, typ, v
		return err
	})
}

// WriteConfig writes configuration key of type typ on target id.
func (m *Model) WriteConfig(ctx context.Context, id enroll.TargetID, key, typ, value string) bool {
	key = strings.TrimSpace(key)
	if !m.configOK(ActionSetConfig, id, key, typ, &value) {
		return false
	}
	return m.start(ctx, ActionSetConfig, id, ActionTimeout, func(ctx context.Context, a *Action) error {
		a.ConfigKey, a.ConfigType, a.ConfigValue = key, typ, value
		return m.eng.SetTargetConfig(ctx, id, key, typ, value)
	})
}

// configOK checks a configuration request before it goes to the device, and says what is
// wrong in the action's message.
func (m *Model) configOK(kind ActionKind, id enroll.TargetID, key, typ string, value *string) bool {
	var problem Message
	switch {
	case key == "":
		problem = msg("config.key", "Type the configuration key, for example RelayDuration.")
	case !slices.Contains(enroll.ConfigTypes(), typ):
		problem = msg("config.type", "Choose the key's type: bool, int, float or string.")
	case value != nil:
		if _, err := enroll.ParseConfigValue(typ, *value); err != nil {
			problem = msg("config.value", "The value does not fit the type {{.Type}}.", "Type", typ)
		}
	}
	if problem.IsZero() {
		return true
	}
	m.update(func(s *State) {
		if !s.Action.Running {
			s.Action = Action{Kind: kind, Target: id, Err: problem}
		}
	})
	return false
}
