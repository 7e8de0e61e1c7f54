// Recording how attempts at claimed rows ended.

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Outcome is how one attempt at a claimed row ended, for Finish.
type Outcome struct {
	// Item is the row as it was claimed.
	Item OutboxItem
	// State is OutboxDone, OutboxPending (try again at Next) or OutboxFailed.
	State OutboxState
	// RemoteID and Note are a done row's (see CompleteNote).
	RemoteID, Note string
	// Message is why a pending or failed row did not succeed.
	Message string
	Next    time.Time
}

// finishQuery moves the rows listed in the JSON array ?3 out of flight, where worker ?2
// still holds them, at ?1: each element is [id, ...] with the values set reads. One
// statement per kind of outcome records any number of rows.
func finishQuery(set string) string {
	return `UPDATE outbox SET updated_at = ?1, lease_owner = '', lease_until = 0, ` + set + `
		FROM json_each(?3) j WHERE outbox.id = CAST(j.value->>0 AS BIGINT) AND outbox.state = 'in_flight' AND outbox.lease_owner = ?2
		RETURNING outbox.id, outbox.person_id, outbox.person_key, outbox.target_id`
}

// The changes each kind of outcome makes, reading [id, ...] elements.
var finishSets = map[OutboxState]string{
	OutboxDone:    `state = 'done', remote_id = j.value->>1, note = j.value->>2, done_at = ?1, last_error = ''`,
	OutboxPending: `state = 'pending', last_error = j.value->>1, next_attempt_at = CAST(j.value->>2 AS BIGINT)`,
	OutboxFailed:  `state = 'failed', last_error = j.value->>1`,
}

// pushStatesQuery brings the push state of the people whose ids are in the JSON array ?1
// up to date, writing only those whose state changed.
const pushStatesQuery = `UPDATE people SET push_state = n.state
	FROM (SELECT people.id AS id, ` + pushStateExpr + ` AS state FROM people WHERE people.id IN (SELECT value FROM json_each(?1))) n
	WHERE people.id = n.id AND people.push_state <> n.state`

// finishedStatesQuery is pushStatesQuery for the people of rows Finish has just moved,
// each of whom has rows: their outbox rows are read once, through the person index, and
// summed up per person. With pushStateExpr, PostgreSQL's planner hashes every waiting row of
// the outbox for each batch, and SQLite looks each person up three times.
const finishedStatesQuery = `UPDATE people SET push_state = n.state
	FROM (SELECT o.person_id AS id, CASE
			WHEN sum(CASE WHEN o.state = 'failed' THEN 1 ELSE 0 END) > 0 THEN 'failed'
			WHEN sum(CASE WHEN o.state IN ('pending', 'in_flight') THEN 1 ELSE 0 END) > 0 THEN 'pending'
			WHEN sum(CASE WHEN o.state = 'done' THEN 1 ELSE 0 END) > 0 THEN 'done'
			ELSE 'none' END AS state
		FROM outbox o WHERE o.person_id IN (SELECT value FROM json_each(?1)) GROUP BY o.person_id) n
	WHERE people.id = n.id AND people.push_state <> n.state`

// lockPeopleOfRows locks the people of the outbox rows in the JSON array ?1, in id order,
// before their rows change: outcomes are recorded by several stations at once on
// PostgreSQL (writeOutcomes), and the push state update then reads what the others
// committed for the same people. The order keeps two of them from waiting for each other.
const lockPeopleOfRows = `SELECT p.id FROM people p
	WHERE p.id IN (SELECT o.person_id FROM outbox o WHERE o.id IN (SELECT value FROM json_each(?1)))
	ORDER BY p.id FOR UPDATE OF p`

// finishQueries are the statements recording outcomes runs.
func (s *Store) finishQueries() []string {
	q := []string{finishQuery(finishSets[OutboxDone]), finishQuery(finishSets[OutboxPending]),
		finishQuery(finishSets[OutboxFailed]), finishedStatesQuery}
	if s.pg {
		q = append(q, lockPeopleOfRows)
	}
	return append(q, s.auditQueries()...)
}

// values is the outcome's element of its finishQuery's array.
func (o Outcome) values() ([]any, error) {
	switch o.State {
	case OutboxDone:
		return []any{o.Item.ID, o.RemoteID, clip(o.Note)}, nil
	case OutboxPending:
		return []any{o.Item.ID, clip(o.Message), o.Next.UnixMilli()}, nil
	case OutboxFailed:
		return []any{o.Item.ID, clip(o.Message)}, nil
	}
	return nil, fmt.Errorf("%w: an attempt cannot end as %q", ErrInvalid, o.State)
}

// auditDetail is the audit event's text for an outcome; empty when it needs none (a retry).
func (o Outcome) auditDetail() string {
	switch o.State {
	case OutboxDone:
		detail := fmt.Sprintf("outbox %d done (remote id %q)", o.Item.ID, o.RemoteID)
		if o.Note != "" {
			detail += ": " + clip(o.Note)
		}
		return detail
	case OutboxFailed:
		return fmt.Sprintf("outbox %d failed: %s", o.Item.ID, clip(o.Message))
	}
	return ""
}

// apply is the row as the outcome leaves it, written at now: what a read would return.
func (o Outcome) apply(now time.Time) OutboxItem {
	it := o.Item
	it.State, it.LeaseOwner, it.LeaseUntil, it.UpdatedAt = o.State, "", time.Time{}, now.UTC().Truncate(time.Millisecond)
	switch o.State {
	case OutboxDone:
		it.RemoteID, it.Note, it.LastError, it.DoneAt = o.RemoteID, clip(o.Note), "", it.UpdatedAt
	case OutboxPending:
		it.LastError, it.NextAttemptAt = clip(o.Message), time.UnixMilli(o.Next.UnixMilli()).UTC()
	case OutboxFailed:
		it.LastError = clip(o.Message)
	}
	return it
}

// finished is a row a finishQuery moved out of flight.
type finished struct {
	person    sql.NullInt64
	personKey string
	target    TargetID
}

// Finish records the outcomes of several rows worker holds in one transaction: one sync to
// disk for all of them, so concurrent calls can share a commit. It returns each row as it
// now stands, and per row ErrLeaseLost when the row is no longer worker's (that row is
// left alone, the others are recorded). When err is set nothing was recorded.
func (s *Store) Finish(ctx context.Context, worker string, outs []Outcome) (items []OutboxItem, errs []error, err error) {
	fail := func(err error) ([]OutboxItem, []error, error) {
		return nil, nil, fmt.Errorf("record %d outbox outcomes by %s: %w", len(outs), worker, err)
	}
	byState := map[OutboxState][][]any{}
	ids := make([]int64, len(outs))
	for i, o := range outs {
		ids[i] = o.Item.ID
		v, err := o.values()
		if err != nil {
			return fail(err)
		}
		byState[o.State] = append(byState[o.State], v)
	}
	if err := s.prepare(ctx, s.finishQueries()...); err != nil {
		return fail(err)
	}
	now := s.now()
	done := map[int64]finished{}
	err = s.writeOutcomes(ctx, func(tx *sql.Tx) error {
		ts := s.txStmts(tx)
		defer ts.close()
		clear(done)
		if s.pg {
			if err := execJSON(ctx, ts, lockPeopleOfRows, ids); err != nil {
				return fmt.Errorf("lock their people: %w", err)
			}
		}
		for state, rows := range byState {
			if err := finishRows(ctx, ts, finishQuery(finishSets[state]), now, worker, rows, done); err != nil {
				return err
			}
		}
		var events []AuditEvent
		var people []int64
		seen := map[int64]bool{}
		for _, o := range outs {
			f, ok := done[o.Item.ID]
			if !ok {
				continue
			}
			if d := o.auditDetail(); d != "" {
				events = append(events, AuditEvent{At: now, Operator: worker, Action: ActionPush, PersonKey: f.personKey, Target: f.target, Detail: d})
			}
			// Each person's push state once, after all of their rows changed.
			if p := f.person.Int64; f.person.Valid && !seen[p] {
				seen[p] = true
				people = append(people, p)
			}
		}
		if err := execJSON(ctx, ts, finishedStatesQuery, people); err != nil {
			return fmt.Errorf("push state: %w", err)
		}
		// Last: on PostgreSQL the audit trail's lock is held from here to the commit.
		if err := s.appendAudit(ctx, ts, events); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		return nil
	})
	if err != nil {
		return fail(err)
	}
	items, errs = make([]OutboxItem, len(outs)), make([]error, len(outs))
	for i, o := range outs {
		if _, ok := done[o.Item.ID]; ok {
			items[i] = o.apply(now)
		} else {
			errs[i] = fmt.Errorf("outbox %d by %s: %w", o.Item.ID, worker, ErrLeaseLost)
		}
	}
	return items, errs, nil
}

// finishRows runs one finishQuery for rows and notes the rows it moved in done.
func finishRows(ctx context.Context, ts *txStmts, query string, now time.Time, worker string, rows [][]any, done map[int64]finished) error {
	list, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	st, err := ts.get(ctx, query)
	if err != nil {
		return err
	}
	r, err := st.QueryContext(ctx, now.UnixMilli(), worker, string(list))
	if err != nil {
		return err
	}
	defer r.Close()
	for r.Next() {
		var id int64
		var f finished
		if err := r.Scan(&id, &f.person, &f.personKey, &f.target); err != nil {
			return err
		}
		done[id] = f
	}
	return r.Err()
}

// execJSON runs query with args and then list as a JSON array; nothing when list is empty.
func execJSON[T any](ctx context.Context, ts *txStmts, query string, list []T, args ...any) error {
	if len(list) == 0 {
		return nil
	}
	b, err := json.Marshal(list)
	if err != nil {
		return err
	}
	st, err := ts.get(ctx, query)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, append(args, string(b))...)
	return err
}

// Complete records a successful push or delete, with the id the target gave the record
// (may be empty). It fails with ErrLeaseLost when the row is no longer this worker's.
func (s *Store) Complete(ctx context.Context, id int64, worker, remoteID string) error {
	return s.CompleteNote(ctx, id, worker, remoteID, "")
}

// CompleteNote is Complete with a note for the operator: the row is done, but something
// about it needs saying (the target already held the person and its id was not recovered).
func (s *Store) CompleteNote(ctx context.Context, id int64, worker, remoteID, note string) error {
	return s.finishOne(ctx, "complete", worker, Outcome{Item: OutboxItem{ID: id}, State: OutboxDone, RemoteID: remoteID, Note: note})
}

// Retry records a failed attempt worth repeating, with its message, and when to try next.
func (s *Store) Retry(ctx context.Context, id int64, worker, message string, next time.Time) error {
	return s.finishOne(ctx, "retry", worker, Outcome{Item: OutboxItem{ID: id}, State: OutboxPending, Message: message, Next: next})
}

// Fail records a push that will never succeed as it stands, with the device's own message
// for the operator.
func (s *Store) Fail(ctx context.Context, id int64, worker, message string) error {
	return s.finishOne(ctx, "fail", worker, Outcome{Item: OutboxItem{ID: id}, State: OutboxFailed, Message: message})
}

// finishOne records one outcome in its own transaction.
func (s *Store) finishOne(ctx context.Context, call, worker string, o Outcome) error {
	_, errs, err := s.Finish(ctx, worker, []Outcome{o})
	if err == nil {
		err = errs[0]
	}
	if err != nil {
		return fmt.Errorf("outbox %s %d: %w", call, o.Item.ID, err)
	}
	return nil
}
