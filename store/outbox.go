package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// OutboxState is where one push stands.
type OutboxState string

// Outbox states.
const (
	OutboxPending    OutboxState = "pending"    // waiting for its next attempt
	OutboxInFlight   OutboxState = "in_flight"  // claimed by a worker, under a lease
	OutboxDone       OutboxState = "done"       // pushed
	OutboxFailed     OutboxState = "failed"     // failed for good; the device's message is in LastError
	OutboxSuperseded OutboxState = "superseded" // replaced by a newer capture before it was pushed
)

// OutboxOp is what an outbox row asks of its target.
type OutboxOp string

// Outbox operations.
const (
	OpPush   OutboxOp = "push"   // create or update the person's record from a capture
	OpDelete OutboxOp = "delete" // remove the person from the target (erase everywhere)
)

// OutboxItem is one push of one capture to one target, or one delete of a person from a
// target.
type OutboxItem struct {
	ID int64    `json:"id"`
	Op OutboxOp `json:"op"`
	// CaptureID is the capture pushed; empty for a delete, and once the capture is erased.
	CaptureID  string      `json:"capture_id,omitempty"`
	PersonKey  string      `json:"person_key"`
	Target     TargetID    `json:"target"`
	TargetName string      `json:"target_name"`
	TargetKind TargetKind  `json:"target_kind"`
	State      OutboxState `json:"state"`
	// Attempts counts claims, including ones whose worker died.
	Attempts      int       `json:"attempts"`
	NextAttemptAt time.Time `json:"next_attempt_at,omitzero"`
	LeaseOwner    string    `json:"lease_owner,omitempty"`
	LeaseUntil    time.Time `json:"lease_until,omitzero"`
	LastError     string    `json:"last_error,omitempty"`
	// RemoteID is the id the target gave the pushed record (CLUe authId).
	RemoteID string `json:"remote_id,omitempty"`
	// PriorRemoteID is the id from the person's last successful push to this target, so the
	// worker can update rather than create; for a delete, the id to delete.
	PriorRemoteID string `json:"prior_remote_id,omitempty"`
	// Note is what the operator should know about a row that is done with a caveat.
	Note      string    `json:"note,omitempty"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	DoneAt    time.Time `json:"done_at,omitzero"`
}

// maxMessage bounds stored error messages; a device can send a page of HTML.
const maxMessage = 2000

func clip(s string) string {
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage
	for cut > 0 && (s[cut]&0xC0) == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return s[:cut] + "…"
}

// priorRemoteExpr is the remote id a row works from: a delete keeps the one it deletes; a
// push takes the newest id an earlier push of the person to the target was given.
const priorRemoteExpr = `CASE WHEN o.op = 'delete' THEN o.delete_ref ELSE
	(SELECT o2.remote_id FROM outbox o2 WHERE o2.person_key = o.person_key AND o2.target_id = o.target_id
		AND o2.op = 'push' AND o2.id <> o.id AND o2.remote_id <> '' ORDER BY o2.done_at DESC, o2.id DESC LIMIT 1) END`

// outboxColumns are an outbox row o as scanOutbox reads it. The capture's key and the
// target's name and kind are looked up from o alone, so that a claim's RETURNING, which
// names only the updated row, returns the same columns (claimedColumns).
const outboxColumns = `o.id, o.op, COALESCE((SELECT c.capture_key FROM captures c WHERE c.id = o.capture_id), ''),
	o.person_key, o.target_id, (SELECT t.name FROM targets t WHERE t.id = o.target_id),
	(SELECT t.kind FROM targets t WHERE t.id = o.target_id), o.state, o.attempts, o.next_attempt_at, o.lease_owner,
	o.lease_until, o.last_error, o.remote_id, ` + priorRemoteExpr + `, o.note, o.created_at, o.updated_at, o.done_at`

const outboxFrom = ` FROM outbox o`

func scanOutbox(row scanner) (OutboxItem, error) {
	var it OutboxItem
	var next, leaseUntil, created, updated int64
	var prior sql.NullString
	var done sql.NullInt64
	if err := row.Scan(&it.ID, &it.Op, &it.CaptureID, &it.PersonKey, &it.Target, &it.TargetName, &it.TargetKind, &it.State,
		&it.Attempts, &next, &it.LeaseOwner, &leaseUntil, &it.LastError, &it.RemoteID, &prior, &it.Note,
		&created, &updated, &done); err != nil {
		return OutboxItem{}, err
	}
	it.NextAttemptAt = time.UnixMilli(next).UTC()
	if leaseUntil != 0 {
		it.LeaseUntil = time.UnixMilli(leaseUntil).UTC()
	}
	it.PriorRemoteID = prior.String
	it.CreatedAt, it.UpdatedAt, it.DoneAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC(), fromMS(done)
	return it, nil
}

func queryOutbox(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, where string, args ...any) ([]OutboxItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+outboxColumns+outboxFrom+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutboxItem
	for rows.Next() {
		it, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// Requeue makes a failed push due again now, at the operator's request.
func (s *Store) Requeue(ctx context.Context, id int64, operator string) error {
	now := s.now()
	err := s.write(ctx, func(tx *sql.Tx) error {
		var personID sql.NullInt64
		var personKey string
		var target TargetID
		var state OutboxState
		err := tx.QueryRowContext(ctx, `SELECT person_id, person_key, target_id, state FROM outbox WHERE id = ?`, id).
			Scan(&personID, &personKey, &target, &state)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if state != OutboxFailed {
			return fmt.Errorf("%w: only a failed push can be retried; this one is %s", ErrInvalid, state)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'pending', next_attempt_at = ?, updated_at = ? WHERE id = ?`,
			now.UnixMilli(), now.UnixMilli(), id); err != nil {
			return err
		}
		if personID.Valid {
			if err := updatePushState(ctx, tx, personID.Int64); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, AuditEvent{At: now, Operator: operator, Action: ActionRetry, PersonKey: personKey, Target: target,
			Detail: fmt.Sprintf("outbox %d retried", id)})
	})
	if err != nil {
		return fmt.Errorf("requeue outbox %d: %w", id, err)
	}
	return nil
}

// OutboxItem returns one row.
func (s *Store) OutboxItem(ctx context.Context, id int64) (OutboxItem, error) {
	items, err := queryOutbox(ctx, s.r, ` WHERE o.id = ?`, id)
	if err != nil {
		return OutboxItem{}, fmt.Errorf("outbox %d: %w", id, err)
	}
	if len(items) == 0 {
		return OutboxItem{}, fmt.Errorf("outbox %d: %w", id, ErrNotFound)
	}
	return items[0], nil
}

// Outbox lists a person's pushes and deletes, newest first, superseded ones included.
func (s *Store) Outbox(ctx context.Context, personKey string) ([]OutboxItem, error) {
	items, err := queryOutbox(ctx, s.r, ` WHERE o.person_key = ? ORDER BY o.created_at DESC, o.id DESC`, personKey)
	if err != nil {
		return nil, fmt.Errorf("outbox of %s: %w", personKey, err)
	}
	return items, nil
}

// PushStatus returns the current row per target for a person: the newest row of each
// target that was not superseded. This is what the UI shows per target.
func (s *Store) PushStatus(ctx context.Context, personKey string) ([]OutboxItem, error) {
	items, err := queryOutbox(ctx, s.r, ` WHERE o.person_key = ?1 AND o.id IN (
			SELECT max(o3.id) FROM outbox o3 WHERE o3.person_key = ?1 AND o3.state <> 'superseded' GROUP BY o3.target_id)
		ORDER BY (SELECT t.name FROM targets t WHERE t.id = o.target_id), o.id`, personKey)
	if err != nil {
		return nil, fmt.Errorf("push status of %s: %w", personKey, err)
	}
	return items, nil
}

// TargetOutbox returns, for one target, the current row of every person ever sent there:
// the newest that was not superseded. A push row that is done means the journal expects
// the person on the target; a delete row means it expects the person gone.
func (s *Store) TargetOutbox(ctx context.Context, target TargetID) ([]OutboxItem, error) {
	items, err := queryOutbox(ctx, s.r, ` WHERE o.id IN (
			SELECT max(o3.id) FROM outbox o3 WHERE o3.target_id = ?1 AND o3.state <> 'superseded' GROUP BY o3.person_key)
		ORDER BY o.person_key`, int64(target))
	if err != nil {
		return nil, fmt.Errorf("outbox of target %d: %w", target, err)
	}
	return items, nil
}

// OutboxCounts counts outbox rows by state, for a status line.
func (s *Store) OutboxCounts(ctx context.Context) (map[OutboxState]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT state, count(*) FROM outbox GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("outbox counts: %w", err)
	}
	defer rows.Close()
	out := map[OutboxState]int{}
	for rows.Next() {
		var st OutboxState
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("outbox counts: %w", err)
		}
		out[st] = n
	}
	return out, rows.Err()
}

// NextDue returns when the outbox next has work: the earliest pending attempt or lease
// expiry. ok is false when nothing is waiting.
func (s *Store) NextDue(ctx context.Context) (at time.Time, ok bool, err error) {
	var v sql.NullInt64
	// Per target, so each minimum is the first entry of a per-target index.
	err = s.r.QueryRowContext(ctx, `SELECT min(due) FROM (
		SELECT (SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending' AND target_id = t.id) AS due FROM targets t
		UNION ALL
		SELECT (SELECT min(lease_until) FROM outbox WHERE state = 'in_flight' AND target_id = t.id) FROM targets t) AS d`).Scan(&v)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("outbox next due: %w", err)
	}
	return fromMS(v), v.Valid, nil
}
