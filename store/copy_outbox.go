// Copying the outbox and the audit trail (see CopyTo).

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// outboxIdent is what names an outbox row across journals: its row id does not. Two rows
// of one journal share it only if made for the same person, target, operation and capture
// in the same millisecond; they are then told apart by number (see outboxMatcher).
type outboxIdent struct {
	person, op, capture string
	target              TargetID // the destination's
	created             int64
}

// heldOutbox is a destination row found for an identity.
type heldOutbox struct {
	id    int64
	state OutboxState
}

// outboxMatcher pairs source rows with the destination's, each destination row once. A
// destination row whose capture was erased since matches a source row of any capture.
type outboxMatcher map[outboxIdent][]heldOutbox

func (m outboxMatcher) take(id outboxIdent) (heldOutbox, bool) {
	for _, k := range []outboxIdent{id, {id.person, id.op, "", id.target, id.created}} {
		if list := m[k]; len(list) > 0 {
			m[k] = list[1:]
			return list[0], true
		}
	}
	return heldOutbox{}, false
}

// heldOutboxOf reads the destination's outbox rows of the people with keys.
func heldOutboxOf(ctx context.Context, tx *sql.Tx, keys []string) (outboxMatcher, error) {
	m := outboxMatcher{}
	err := eachRowOf(ctx, tx, `SELECT o.id, o.person_key, o.op, COALESCE(c.capture_key, ''), o.target_id, o.created_at, o.state
		FROM outbox o LEFT JOIN captures c ON c.id = o.capture_id WHERE `+inKeys("o.person_key")+` ORDER BY o.id`,
		[]any{keysJSON(keys)}, func(r *sql.Rows) error {
			var h heldOutbox
			var k outboxIdent
			if err := r.Scan(&h.id, &k.person, &k.op, &k.capture, &k.target, &k.created, &h.state); err != nil {
				return err
			}
			m[k] = append(m[k], h)
			return nil
		})
	return m, err
}

// srcOutbox is a source outbox row.
type srcOutbox struct {
	id                                               int64
	op, capture, person                              string
	hasPerson                                        bool
	target                                           TargetID // the source's
	state                                            OutboxState
	attempts                                         int
	next, leaseUntil, created, updated               int64
	leaseOwner, lastError, remoteID, deleteRef, note string
	done                                             sql.NullInt64
}

// readOutbox reads a batch of the source's outbox rows after row id after.
func readOutbox(ctx context.Context, tx *sql.Tx, after int64) ([]srcOutbox, error) {
	var out []srcOutbox
	err := eachRowOf(ctx, tx, `SELECT o.id, o.op, COALESCE(c.capture_key, ''), o.person_key, o.person_id IS NOT NULL,
			o.target_id, o.state, o.attempts, o.next_attempt_at, o.lease_owner, o.lease_until, o.last_error, o.remote_id,
			o.delete_ref, o.note, o.created_at, o.updated_at, o.done_at
		FROM outbox o LEFT JOIN captures c ON c.id = o.capture_id WHERE o.id > ? ORDER BY o.id LIMIT ?`,
		[]any{after, copyRowsBatch}, func(r *sql.Rows) error {
			var o srcOutbox
			if err := r.Scan(&o.id, &o.op, &o.capture, &o.person, &o.hasPerson, &o.target, &o.state, &o.attempts, &o.next,
				&o.leaseOwner, &o.leaseUntil, &o.lastError, &o.remoteID, &o.deleteRef, &o.note, &o.created, &o.updated, &o.done); err != nil {
				return err
			}
			out = append(out, o)
			return nil
		})
	return out, err
}

func (o srcOutbox) ident(target TargetID) outboxIdent {
	return outboxIdent{o.person, o.op, o.capture, target, o.created}
}

const (
	copyOutboxInsert = `INSERT INTO outbox (op, capture_id, person_id, person_key, target_id, state, attempts, next_attempt_at,
			lease_owner, lease_until, last_error, remote_id, delete_ref, note, created_at, updated_at, done_at)
		SELECT j.value->>0, CAST(j.value->>1 AS BIGINT), CAST(j.value->>2 AS BIGINT), j.value->>3, CAST(j.value->>4 AS BIGINT),
			j.value->>5, CAST(j.value->>6 AS BIGINT), CAST(j.value->>7 AS BIGINT), j.value->>8, CAST(j.value->>9 AS BIGINT),
			j.value->>10, j.value->>11, j.value->>12, j.value->>13, CAST(j.value->>14 AS BIGINT), CAST(j.value->>15 AS BIGINT),
			CAST(j.value->>16 AS BIGINT)
		FROM json_each(?1) j`
	// copySupersede supersedes the destination's waiting pushes with ids in ?1.
	copySupersede = `UPDATE outbox SET state = 'superseded', updated_at = ?2, lease_owner = '', lease_until = 0
		WHERE id IN (SELECT value FROM json_each(?1)) AND state IN ('pending', 'failed')`
)

// copyOutbox copies the outbox a batch at a time, then brings the push state of every
// person copied up to date.
func (c *copier) copyOutbox(ctx context.Context) error {
	var after int64
	for {
		batch, err := readOutbox(ctx, c.tx, after)
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			break
		}
		after = batch[len(batch)-1].id
		if err := c.apply(ctx, func(tx *sql.Tx, probe bool) error { return c.writeOutbox(ctx, tx, batch, probe) }); err != nil {
			return err
		}
	}
	for start := 0; start < len(c.peopleIDs); start += copyRowsBatch {
		ids, _ := json.Marshal(c.peopleIDs[start:min(start+copyRowsBatch, len(c.peopleIDs))])
		if err := c.apply(ctx, func(tx *sql.Tx, probe bool) error {
			if probe {
				var stale int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM people WHERE id IN (SELECT value FROM json_each(?1))
					AND push_state <> `+pushStateExpr, string(ids)).Scan(&stale); err != nil || stale == 0 {
					return err
				}
				return errMustWrite
			}
			_, err := tx.ExecContext(ctx, pushStatesQuery, string(ids))
			return err
		}); err != nil {
			return fmt.Errorf("push states: %w", err)
		}
	}
	return nil
}

func (c *copier) writeOutbox(ctx context.Context, tx *sql.Tx, batch []srcOutbox, probe bool) error {
	seen := map[string]bool{}
	var keys []string
	for _, o := range batch {
		if !seen[o.person] {
			seen[o.person] = true
			keys = append(keys, o.person)
		}
	}
	held, err := heldOutboxOf(ctx, tx, keys)
	if err != nil {
		return err
	}
	// The destination's waiting pushes, by person and target: a save leaves one, the newest.
	type pair struct {
		person string
		target TargetID
	}
	type push struct{ id, created int64 }
	waiting := map[pair]push{}
	for k, list := range held {
		for _, h := range list {
			if w, ok := waiting[pair{k.person, k.target}]; k.op == string(OpPush) && h.state.waiting() &&
				(!ok || k.created > w.created || k.created == w.created && h.id > w.id) {
				waiting[pair{k.person, k.target}] = push{h.id, k.created}
			}
		}
	}
	var add [][]any
	var superseded []int64
	for _, o := range batch {
		target, ok := c.targets[o.target]
		if !ok {
			return fmt.Errorf("outbox %d names target %d, which the source does not hold", o.id, o.target)
		}
		if _, ok := held.take(o.ident(target)); ok {
			c.rep.Outbox.Skipped++
			continue
		}
		var capture, person any
		if id, ok := c.captures[o.capture]; ok && o.capture != "" {
			capture = id
		}
		if id, ok := c.people[o.person]; ok && o.hasPerson {
			person = id
		}
		state := o.state
		if w, ok := waiting[pair{o.person, target}]; ok && o.op == string(OpPush) && state.waiting() {
			// Two waiting pushes: the older gives way, the source's on a tie.
			if w.created >= o.created {
				state = OutboxSuperseded
			} else {
				superseded = append(superseded, w.id)
			}
			c.rep.Superseded++
		}
		add = append(add, []any{o.op, capture, person, o.person, int64(target), string(state), o.attempts, o.next,
			o.leaseOwner, o.leaseUntil, o.lastError, o.remoteID, o.deleteRef, o.note, o.created, o.updated, nullable(o.done)})
	}
	if probe && len(add) > 0 {
		return errMustWrite
	}
	if err := execRows(ctx, tx, copyOutboxInsert, add); err != nil {
		return fmt.Errorf("add outbox rows: %w", err)
	}
	c.rep.Outbox.Copied += len(add)
	if len(superseded) == 0 {
		return nil
	}
	ids, _ := json.Marshal(superseded)
	if _, err := tx.ExecContext(ctx, copySupersede, string(ids), c.dst.now().UnixMilli()); err != nil {
		return fmt.Errorf("supersede older pushes: %w", err)
	}
	return nil
}

// waiting reports whether a push in this state waits for an attempt: a save supersedes it.
func (st OutboxState) waiting() bool { return st == OutboxPending || st == OutboxFailed }

// copiedAuditMeta is the meta row of the destination that keeps the last audit row of
// the source journal with that id appended to its trail.
func copiedAuditMeta(source string) string { return "copied_audit " + source }

// copiedAudit reads that mark: 0 when nothing was appended yet.
func copiedAudit(ctx context.Context, q querier, source string) (int64, error) {
	var v []byte
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE name = ?`, copiedAuditMeta(source)).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("meta %s is damaged: %w", copiedAuditMeta(source), err)
	}
	return n, nil
}

// copyAudit appends the source's audit rows after the destination's mark to its chain,
// moving the mark in the same transaction.
func (c *copier) copyAudit(ctx context.Context) error {
	mark, err := copiedAudit(ctx, c.dst.r, c.rep.Source)
	if err != nil {
		return err
	}
	if err := c.tx.QueryRowContext(ctx, `SELECT count(*) FROM audit WHERE id <= ?`, mark).Scan(&c.rep.Audit.Skipped); err != nil {
		return err
	}
	for {
		events, err := readAudit(ctx, c.tx, `WHERE id > ? ORDER BY id LIMIT ?`, mark, copyRowsBatch)
		if err != nil {
			return err
		}
		if len(events) == 0 {
			return nil
		}
		last := events[len(events)-1].ID
		err = c.dst.write(ctx, func(tx *sql.Tx) error {
			// Read again under the lock: another copy of the same journal may have run.
			now, err := copiedAudit(ctx, tx, c.rep.Source)
			if err != nil {
				return err
			}
			var add []AuditEvent
			for _, e := range events {
				if e.ID <= now {
					c.rep.Audit.Skipped++
					continue
				}
				e.Target = c.targets[e.Target] // 0 for none, and for a target since deleted
				add = append(add, e)
			}
			ts := c.dst.txStmts(tx)
			defer ts.close()
			if err := c.dst.appendAudit(ctx, ts, add); err != nil {
				return err
			}
			c.rep.Audit.Copied += len(add)
			_, err = tx.ExecContext(ctx, `INSERT INTO meta (name, value) VALUES (?1, ?2)
				ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
				copiedAuditMeta(c.rep.Source), []byte(strconv.FormatInt(max(now, last), 10)))
			return err
		})
		if err != nil {
			return err
		}
		mark = last
	}
}
