package history

import (
	"context"
	"errors"
	"fmt"

	"enrollstation/enroll"
)

// ErasePlan is what "erase everywhere" will delete, where, for the operator to confirm.
type ErasePlan struct {
	PersonKey string
	Name      string
	// Targets are the enabled targets, each asked to delete the person.
	Targets []enroll.Target
	// Captures and Blobs count the journal's biometric data to delete with the personal
	// details, once every target has deleted the person.
	Captures, Blobs int
	Loading         bool
	Problem         *Problem
}

// EraseProgress follows an erase: a delete row per target, then the journal's part.
type EraseProgress struct {
	PersonKey string
	Name      string
	// Queued is set once the deletes are in the outbox.
	Queued bool
	// Steps are the delete rows, one per target, as the worker moves them.
	Steps []enroll.OutboxItem
	// JournalErased is set once the journal's blobs and personal data are gone: the end.
	JournalErased bool
	Problem       *Problem
}

// Fraction is how far the erase is, 0 to 1: each target's delete and the journal's part.
func (e EraseProgress) Fraction() float64 {
	if e.JournalErased {
		return 1
	}
	done := 0
	for _, s := range e.Steps {
		if s.State == enroll.OutboxDone {
			done++
		}
	}
	return float64(done) / float64(len(e.Steps)+1)
}

// Failed reports whether a step failed for good and waits for the operator.
func (e EraseProgress) Failed() bool {
	for _, s := range e.Steps {
		if s.State == enroll.OutboxFailed {
			return true
		}
	}
	return false
}

// PrepareErase reads what erasing the selected person everywhere would delete, and waits
// for ConfirmErase or CancelErase.
func (m *Model) PrepareErase() {
	m.mu.Lock()
	key := m.st.Selected
	if key == "" || m.st.Detail == nil {
		m.mu.Unlock()
		return
	}
	name := m.st.Detail.Person.Name()
	m.st.ErasePlan = &ErasePlan{PersonKey: key, Name: name, Loading: true}
	m.mu.Unlock()
	m.Notify()
	m.goDo(func(ctx context.Context) {
		plan := ErasePlan{PersonKey: key, Name: name}
		targets, err := m.engine.Targets(ctx)
		var caps []enroll.Capture
		if err == nil {
			caps, err = m.engine.Captures(ctx, key)
		}
		if err != nil {
			plan.Problem = problem(OpErase, fmt.Errorf("read what the erase of %s would delete: %w", key, err))
		}
		for _, t := range targets {
			if t.Enabled {
				plan.Targets = append(plan.Targets, t)
			}
		}
		plan.Captures = len(caps)
		for _, c := range caps {
			plan.Blobs += len(c.Blobs)
		}
		m.mu.Lock()
		if p := m.st.ErasePlan; p == nil || p.PersonKey != key {
			m.mu.Unlock()
			return
		}
		m.st.ErasePlan = &plan
		m.mu.Unlock()
		m.Notify()
	})
}

// CancelErase drops the plan without erasing anything.
func (m *Model) CancelErase() {
	m.mu.Lock()
	m.st.ErasePlan = nil
	m.mu.Unlock()
	m.Notify()
}

// ConfirmErase erases the planned person everywhere: a delete per target through the
// outbox, then the journal's data once all are done. The progress follows the engine's
// change notifications until the journal's part is done.
func (m *Model) ConfirmErase() {
	m.mu.Lock()
	plan := m.st.ErasePlan
	if plan == nil || plan.Loading || plan.Problem != nil {
		m.mu.Unlock()
		return
	}
	m.st.ErasePlan = nil
	m.eraseDone = ""
	// Set before the erase is queued: the worker may finish it before Erase returns.
	m.st.Erase = &EraseProgress{PersonKey: plan.PersonKey, Name: plan.Name}
	m.mu.Unlock()
	m.Notify()
	key := plan.PersonKey
	m.goDo(func(ctx context.Context) {
		err := m.engine.Erase(ctx, key, m.operator)
		if err != nil {
			m.editErase(key, func(e *EraseProgress) {
				e.Problem = problem(OpErase, fmt.Errorf("erase %s everywhere: %w", key, err))
			})
			return
		}
		m.editErase(key, func(e *EraseProgress) {
			e.Queued = true
			// With no target, the station erases the journal's part at once.
			if len(plan.Targets) == 0 {
				e.JournalErased = true
			}
		})
		if len(plan.Targets) == 0 {
			m.erased(key)
			return
		}
		m.loadEraseSteps(key)
	})
}

// DismissErase forgets a finished (or failed) erase's progress. An erase still under way
// goes on in the outbox.
func (m *Model) DismissErase() {
	m.mu.Lock()
	m.st.Erase = nil
	m.mu.Unlock()
	m.Notify()
}

// editErase replaces the progress of key's erase with a changed copy and notifies.
func (m *Model) editErase(key string, fn func(e *EraseProgress)) {
	m.mu.Lock()
	if m.st.Erase == nil || m.st.Erase.PersonKey != key {
		m.mu.Unlock()
		return
	}
	e := *m.st.Erase
	fn(&e)
	m.st.Erase = &e
	m.mu.Unlock()
	m.Notify()
}

// eraseChanged follows the erase under way: its delete rows, then the journal's part.
func (m *Model) eraseChanged(c enroll.Change) {
	if c.Erased != "" {
		m.mu.Lock()
		m.eraseDone = c.Erased
		m.mu.Unlock()
		// The progress ends with the steps read after the end, so that a finished erase
		// never shows a step as it stood earlier.
		m.loadEraseSteps(c.Erased)
		m.erased(c.Erased)
		return
	}
	if c.Item.Op == "delete" {
		m.loadEraseSteps(c.Item.PersonKey)
	}
}

// loadEraseSteps reads the erase's delete rows: the current row per target, which after
// the erase is queued is its delete.
func (m *Model) loadEraseSteps(key string) {
	m.mu.Lock()
	m.eraseGen++
	gen := m.eraseGen
	m.mu.Unlock()
	m.goDo(func(ctx context.Context) {
		items, err := m.engine.PushStatus(ctx, key)
		var steps []enroll.OutboxItem
		for _, it := range items {
			if it.Op == "delete" {
				steps = append(steps, it)
			}
		}
		m.mu.Lock()
		// Only the newest read applies: it began after every change seen so far.
		if gen != m.eraseGen || errors.Is(err, context.Canceled) || m.st.Erase == nil || m.st.Erase.PersonKey != key {
			m.mu.Unlock()
			return
		}
		e := *m.st.Erase
		if err != nil {
			e.Problem = problem(OpErase, fmt.Errorf("follow the erase of %s: %w", key, err))
		} else {
			e.Steps = steps
		}
		e.JournalErased = e.JournalErased || m.eraseDone == key
		m.st.Erase = &e
		m.mu.Unlock()
		m.Notify()
	})
}

// erased closes the detail of a person gone from the journal and reads the page again.
func (m *Model) erased(key string) {
	m.mu.Lock()
	shown := m.st.Selected == key
	m.mu.Unlock()
	if shown {
		m.Deselect()
	}
	m.Refresh()
}
