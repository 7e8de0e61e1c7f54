package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// QueueErase starts erasing a person everywhere: one delete row per target, each carrying
// the remote id to delete, made in one transaction with an audit row. Waiting pushes of the
// person are superseded; one in flight finishes first (ClaimDue holds the delete back until
// it has). The person's data stays in the journal until every delete is done (EraseDue).
// Asking again while deletes are waiting returns the waiting ones.
func (s *Store) QueueErase(ctx context.Context, personKey, operator string, targets []TargetID) ([]int64, error) {
	if strings.TrimSpace(operator) == "" {
		return nil, fmt.Errorf("queue erase of %s: %w: name the operator", personKey, ErrInvalid)
	}
	now := s.now()
	var ids []int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		var personID int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM people WHERE person_key = ?`, personKey).Scan(&personID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM outbox WHERE person_key = ? AND op = 'delete'
			AND state IN ('pending', 'in_flight', 'failed') ORDER BY id`, personKey)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(ids) > 0 {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'superseded', updated_at = ?
			WHERE person_key = ? AND op = 'push' AND state IN ('pending', 'failed')`, now.UnixMilli(), personKey); err != nil {
			return err
		}
		for _, t := range targets {
			var id int64
			err := tx.QueryRowContext(ctx, `
				INSERT INTO outbox (op, person_id, person_key, target_id, state, next_attempt_at, delete_ref, created_at, updated_at)
				VALUES ('delete', ?1, ?2, ?3, 'pending', ?4, COALESCE((SELECT remote_id FROM outbox
					WHERE person_key = ?2 AND target_id = ?3 AND op = 'push' AND remote_id <> ''
					ORDER BY done_at DESC, id DESC LIMIT 1), ''), ?4, ?4) RETURNING id`,
				personID, personKey, int64(t), now.UnixMilli()).Scan(&id)
			if err != nil {
				return fmt.Errorf("delete on target %d: %w", t, err)
			}
			ids = append(ids, id)
		}
		if err := updatePushState(ctx, tx, personID); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{At: now, Operator: operator, Action: ActionErase, PersonKey: personKey,
			Detail: fmt.Sprintf("erase queued: delete on %d targets, then the journal's data", len(targets))})
	})
	if err != nil {
		return nil, fmt.Errorf("queue erase of %s: %w", personKey, err)
	}
	return ids, nil
}

// EraseDue lists the people whose erase has deleted them from every target: each still in
// the journal, with delete rows all done and newer than any push of theirs. The caller
// erases them from the journal (Erase).
func (s *Store) EraseDue(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT DISTINCT o.person_key FROM outbox o JOIN people p ON p.person_key = o.person_key
		WHERE o.op = 'delete'
			AND NOT EXISTS (SELECT 1 FROM outbox d WHERE d.person_key = o.person_key AND d.op = 'delete'
				AND d.state IN ('pending', 'in_flight', 'failed'))
			AND (SELECT max(id) FROM outbox d WHERE d.person_key = o.person_key AND d.op = 'delete') >
				COALESCE((SELECT max(id) FROM outbox q WHERE q.person_key = o.person_key AND q.op = 'push'), 0)
		ORDER BY o.person_key`)
	if err != nil {
		return nil, fmt.Errorf("outbox erases due: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("outbox erases due: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// Repush queues a new push of the person's newest capture to one target (a repair after
// reconcile found the target missing or differing), superseding a waiting one.
func (s *Store) Repush(ctx context.Context, personKey string, target TargetID, operator, reason string) (int64, error) {
	now := s.now()
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		var personID, captureID int64
		err := tx.QueryRowContext(ctx, `SELECT p.id, c.id FROM people p JOIN captures c ON c.person_id = p.id
			WHERE p.person_key = ? ORDER BY c.saved_at DESC, c.id DESC LIMIT 1`, personKey).Scan(&personID, &captureID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if id, err = addOutbox(ctx, tx, personID, captureID, target, now); err != nil {
			return err
		}
		if err := updatePushState(ctx, tx, personID); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{At: now, Operator: operator, Action: ActionRetry, PersonKey: personKey, Target: target,
			Detail: clip(fmt.Sprintf("outbox %d queued: %s", id, reason))})
	})
	if err != nil {
		return 0, fmt.Errorf("repush %s to target %d: %w", personKey, target, err)
	}
	return id, nil
}

// LeaseOwners lists the workers holding rows in flight, so that a starting worker can
// release the leases of a process of its own that died.
func (s *Store) LeaseOwners(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT lease_owner FROM outbox WHERE state = 'in_flight' ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("outbox lease owners: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			return nil, fmt.Errorf("outbox lease owners: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// ReleaseLeases makes the rows in flight under owner due again now, without waiting for
// their leases to run out: the caller knows the owner is dead. It returns how many.
func (s *Store) ReleaseLeases(ctx context.Context, owner string, now time.Time) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'pending', lease_owner = '', lease_until = 0,
			next_attempt_at = ?1, updated_at = ?1 WHERE state = 'in_flight' AND lease_owner = ?2`, now.UnixMilli(), owner)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("release leases of %s: %w", owner, err)
	}
	return int(n), nil
}
