package capture

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"enrollstation/store"
)

// Journal is what accepting a capture needs of the journal. *store.Store satisfies it.
type Journal interface {
	SaveCapture(ctx context.Context, p store.Person, c store.Capture, targets []store.TargetID) (store.Saved, error)
	Audit(ctx context.Context, e store.AuditEvent) error
	People
}

// Queuer is told of the outbox rows a saved capture added, so the worker pushes them at
// once; *enroll.Station satisfies it.
type Queuer interface {
	Queued(ctx context.Context, ids ...int64)
}

// queuedJournal is a Journal that also tells a Queuer of the rows a save adds.
type queuedJournal struct {
	Journal
	q Queuer
}

func (j queuedJournal) Queued(ctx context.Context, ids ...int64) { j.q.Queued(ctx, ids...) }

// WithQueue returns j that, once Accept has saved a capture, tells q of its outbox rows
// before the camera is released: capture.WithQueue(station.Store(), station).
func WithQueue(j Journal, q Queuer) Journal { return queuedJournal{j, q} }

// Audit actions of the capture workflow, beside store.ActionDuplicate.
const (
	// ActionGateOverride: a capture that failed a gate was accepted by the operator.
	ActionGateOverride store.Action = "gate_override"
	// ActionRetake: the operator chose to capture again instead of accepting.
	ActionRetake store.Action = "capture_retake"
	// ActionDiscard: the operator dropped a capture (or cancelled at a duplicate).
	ActionDiscard store.Action = "capture_discard"
)

// DuplicateDecision is the operator's answer to a possible duplicate.
type DuplicateDecision int

// The decisions on a possible duplicate. Cancelling is Result.Discard.
const (
	// Undecided: no decision; Accept refuses a capture with duplicates.
	Undecided DuplicateDecision = iota
	// NewPerson: it is someone else; enrol the person given as new.
	NewPerson
	// SamePerson: it is the person already enrolled; the capture updates that person.
	SamePerson
)

// String names the decision for the audit trail.
func (d DuplicateDecision) String() string {
	switch d {
	case NewPerson:
		return "accepted as a new person"
	case SamePerson:
		return "same person: updated"
	}
	return "undecided"
}

// Decisions are the operator's choices on a capture, journaled on accept.
type Decisions struct {
	// Operator names who decided (the audit rows' and the capture's operator).
	Operator string
	// AcceptFailedGates accepts a capture that failed a gate.
	AcceptFailedGates bool
	// Duplicate answers possible duplicates.
	Duplicate DuplicateDecision
	// SamePersonKey says which duplicate is the person, with SamePerson; empty means the
	// first duplicate the journal knows, or else the first one.
	SamePersonKey string
}

// Errors of Accept.
var (
	// ErrGatesFailed: a gate failed and the operator did not accept it.
	ErrGatesFailed = errors.New("the capture failed a quality gate: capture again, or accept it as it is")
	// ErrDuplicateUndecided: the capture may be someone already enrolled.
	ErrDuplicateUndecided = errors.New("the person may already be enrolled: decide whether it is the same person, a new person, or cancel")
	// ErrNotReleased: the capture is saved, but the camera's item or lock was not released.
	ErrNotReleased = errors.New("the capture is saved, but the camera was not released")
)

// FailedGates returns the gates this capture did not pass.
func (r *Result) FailedGates() []GateResult { return FailedGates(r.Gates) }

// samePerson picks the duplicate the operator named, or the first the journal knows.
func (r *Result) samePerson(key string) (string, error) {
	if len(r.Duplicates) == 0 {
		return "", errors.New("capture: \"same person\" was chosen, but no duplicate was found")
	}
	if key != "" {
		for _, d := range r.Duplicates {
			if d.PersonKey == key {
				return key, nil
			}
		}
		return "", fmt.Errorf("capture: %s is not among the possible duplicates", key)
	}
	for _, d := range r.Duplicates {
		if d.Person != nil {
			return d.PersonKey, nil
		}
	}
	return r.Duplicates[0].PersonKey, nil
}

// Accept keeps the capture: in one journal transaction (SaveCapture) the person, the
// capture with its blobs sealed and one outbox row per target; then the decisions are
// journaled (an audit row for a gate override, one for a duplicate decision); only then
// is the item deleted from the camera's buffer and the lock released. The gates and the
// decisions are also kept in the capture's quality (store.Review), and a journal made with
// WithQueue is told of the outbox rows right after the save. When saving fails
// the item stays in the camera and the session keeps the lock, so Accept can be tried
// again. With SamePerson the capture is saved under the duplicate's key (p's other fields
// update that person). A release failure after the save wraps ErrNotReleased and still
// returns what was saved.
func (r *Result) Accept(ctx context.Context, j Journal, p store.Person, targets []store.TargetID, d Decisions) (store.Saved, error) {
	if strings.TrimSpace(d.Operator) == "" {
		return store.Saved{}, errors.New("capture accept: name the operator")
	}
	failed := r.FailedGates()
	if len(failed) > 0 && !d.AcceptFailedGates {
		return store.Saved{}, fmt.Errorf("capture accept: %w (%s)", ErrGatesFailed, describeGates(failed))
	}
	if len(r.Duplicates) > 0 {
		switch d.Duplicate {
		case NewPerson:
		case SamePerson:
			key, err := r.samePerson(d.SamePersonKey)
			if err != nil {
				return store.Saved{}, err
			}
			p.Key = key
		default:
			return store.Saved{}, fmt.Errorf("capture accept: %w (%s)", ErrDuplicateUndecided, r.duplicateKeys(true))
		}
	}
	if p.Key == "" {
		p.Key = store.NewPersonKey() // known before the save, for the audit rows
	}
	c := r.toStore(d.Operator)
	c.Quality.Review = r.review(d, failed)
	saved, err := j.SaveCapture(ctx, p, c, targets)
	if err != nil {
		return store.Saved{}, fmt.Errorf("capture accept: %w (the capture stays in the camera)", err)
	}
	if q, ok := j.(Queuer); ok {
		q.Queued(ctx, saved.Outbox...)
	}
	var events []store.AuditEvent
	if len(failed) > 0 {
		events = append(events, store.AuditEvent{Operator: d.Operator, Action: ActionGateOverride, PersonKey: saved.PersonKey,
			Detail: fmt.Sprintf("capture %s accepted with failed gates: %s", saved.CaptureID, describeGates(failed))})
	}
	if len(r.Duplicates) > 0 {
		events = append(events, store.AuditEvent{Operator: d.Operator, Action: store.ActionDuplicate, PersonKey: saved.PersonKey,
			Detail: fmt.Sprintf("capture %s: possible duplicate of %s, %s", saved.CaptureID, r.duplicateKeys(false), d.Duplicate)})
	}
	for _, e := range events {
		if err := j.Audit(ctx, e); err != nil {
			return saved, fmt.Errorf("capture accept: journal the decision: %w (the capture is saved and stays in the camera)", err)
		}
	}
	if r.owner == nil {
		return saved, nil
	}
	if err := r.owner.settle(ctx, r, false); err != nil {
		return saved, fmt.Errorf("%w: %w", ErrNotReleased, err)
	}
	return saved, nil
}

// review is what the capture's quality JSON keeps of the gates and the decisions.
func (r *Result) review(d Decisions, failed []GateResult) *store.Review {
	rv := &store.Review{Operator: d.Operator, GatesOverridden: len(failed) > 0}
	for _, g := range r.Gates {
		rv.Gates = append(rv.Gates, store.GateCheck{Name: g.Name, Figure: g.Figure, Limit: g.Limit, Pass: g.Pass})
	}
	for _, dup := range r.Duplicates {
		rv.Duplicates = append(rv.Duplicates, dup.PersonKey)
	}
	if len(r.Duplicates) > 0 {
		rv.DuplicateDecision = d.Duplicate.String()
	}
	return rv
}

// Retake journals that the operator captures again (naming the failed gates), deletes the
// item from the camera's buffer and keeps the lock; the Session's Run captures again.
func (r *Result) Retake(ctx context.Context, j Journal, operator string) error {
	if err := r.journalChoice(ctx, j, operator, ActionRetake, "captured again"); err != nil {
		return err
	}
	if r.owner == nil {
		return errors.New("capture retake: the capture ran outside a session")
	}
	return r.owner.settle(ctx, r, true)
}

// Discard journals that the operator dropped the capture (at a duplicate: cancelled),
// deletes the item from the camera's buffer and releases the lock. Nothing is saved.
func (r *Result) Discard(ctx context.Context, j Journal, operator string) error {
	action, what := ActionDiscard, "discarded"
	if len(r.Duplicates) > 0 {
		action, what = store.ActionDuplicate, "possible duplicate of "+r.duplicateKeys(false)+", cancelled"
	}
	if err := r.journalChoice(ctx, j, operator, action, what); err != nil {
		return err
	}
	if r.owner == nil {
		return nil
	}
	return r.owner.settle(ctx, r, false)
}

func (r *Result) journalChoice(ctx context.Context, j Journal, operator string, action store.Action, what string) error {
	detail := fmt.Sprintf("capture %s %s", r.Data.EncounterID, what)
	if failed := r.FailedGates(); len(failed) > 0 {
		detail += "; failed gates: " + describeGates(failed)
	}
	e := store.AuditEvent{Operator: operator, Action: action, Detail: detail}
	if len(r.Duplicates) > 0 {
		e.PersonKey = r.Duplicates[0].PersonKey
	}
	if err := j.Audit(ctx, e); err != nil {
		return fmt.Errorf("capture: journal the choice: %w", err)
	}
	return nil
}

func (r *Result) duplicateKeys(names bool) string {
	keys := make([]string, len(r.Duplicates))
	for i, d := range r.Duplicates {
		keys[i] = d.PersonKey
		if names && d.Person != nil {
			keys[i] += " (" + d.Person.Name() + ")"
		}
	}
	return strings.Join(keys, ", ")
}
