// The worker side of the outbox: claiming due rows and recording how their attempts ended.

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// ClaimDue hands worker up to limit rows that are due at now: pending rows whose next
// attempt has come, and rows in flight whose lease has run out (their worker died). Each is
// leased to worker until now+lease and its attempt count goes up by one. Claims run in a
// write transaction, so concurrent claimers, in this program or another, never get the same
// row. Worker names must be unique per running worker. A delete waits while a push of the
// same person to the same target is in flight, so that the push cannot undo it.
func (s *Store) ClaimDue(ctx context.Context, worker string, now time.Time, lease time.Duration, limit int) ([]OutboxItem, error) {
	return s.claim(ctx, worker, 0, now, lease, limit)
}

// ClaimDueTarget is ClaimDue for the rows of one target, so a worker can bound how many
// calls each target gets at once.
func (s *Store) ClaimDueTarget(ctx context.Context, worker string, target TargetID, now time.Time, lease time.Duration, limit int) ([]OutboxItem, error) {
	if target <= 0 {
		return nil, fmt.Errorf("claim outbox: %w: target %d", ErrInvalid, target)
	}
	return s.claim(ctx, worker, target, now, lease, limit)
}

func (s *Store) claim(ctx context.Context, worker string, target TargetID, now time.Time, lease time.Duration, limit int) ([]OutboxItem, error) {
	if strings.TrimSpace(worker) == "" || lease <= 0 || limit <= 0 {
		return nil, fmt.Errorf("claim outbox: %w: need a worker name, a positive lease and a positive limit", ErrInvalid)
	}
	if err := s.prepare(ctx, claimQueries()...); err != nil {
		return nil, fmt.Errorf("claim outbox for %s: %w", worker, err)
	}
	var items []OutboxItem
	err := s.write(ctx, func(tx *sql.Tx) error {
		ts := s.txStmts(tx)
		defer ts.close()
		var err error
		items, err = claimTx(ctx, ts, worker, target, now, lease, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim outbox for %s: %w", worker, err)
	}
	return items, nil
}

// ClaimDueTargets is ClaimDueTarget for several targets in one transaction: want says how
// many rows each target has room for. Targets with nothing due are left out of the answer.
func (s *Store) ClaimDueTargets(ctx context.Context, worker string, want map[TargetID]int, now time.Time, lease time.Duration) (map[TargetID][]OutboxItem, error) {
	if strings.TrimSpace(worker) == "" || lease <= 0 {
		return nil, fmt.Errorf("claim outbox: %w: need a worker name and a positive lease", ErrInvalid)
	}
	for t, n := range want {
		if t <= 0 || n <= 0 {
			return nil, fmt.Errorf("claim outbox: %w: target %d, limit %d", ErrInvalid, t, n)
		}
	}
	if err := s.prepare(ctx, claimQueries()...); err != nil {
		return nil, fmt.Errorf("claim outbox for %s: %w", worker, err)
	}
	out := map[TargetID][]OutboxItem{}
	err := s.write(ctx, func(tx *sql.Tx) error {
		ts := s.txStmts(tx)
		defer ts.close()
		clear(out)
		for t, n := range want {
			items, err := claimTx(ctx, ts, worker, t, now, lease, n)
			if err != nil {
				return err
			}
			if len(items) > 0 {
				out[t] = items
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim outbox for %s: %w", worker, err)
	}
	return out, nil
}

// claimUpdate leases up to ?5 due rows of target ?4 (every target when 0) to worker ?1.
const claimUpdate = `
	UPDATE outbox SET state = 'in_flight', lease_owner = ?1, lease_until = ?2, attempts = attempts + 1, updated_at = ?3
	WHERE id IN (
		SELECT id FROM (
			SELECT id, next_attempt_at AS due FROM outbox o WHERE state = 'pending' AND next_attempt_at <= ?3
				AND (?4 = 0 OR target_id = ?4)
				AND NOT (op = 'delete' AND EXISTS (SELECT 1 FROM outbox p WHERE p.person_key = o.person_key
					AND p.target_id = o.target_id AND p.op = 'push' AND p.state = 'in_flight'))
			UNION ALL
			SELECT id, lease_until AS due FROM outbox WHERE state = 'in_flight' AND lease_until <= ?3
				AND (?4 = 0 OR target_id = ?4)
		) ORDER BY due, id LIMIT ?5)
	RETURNING id`

// claimRead reads the rows whose ids are in the JSON array ?1: one statement for any
// number of rows, so it is prepared once.
const claimRead = `SELECT ` + outboxColumns + outboxFrom + ` WHERE o.id IN (SELECT value FROM json_each(?1)) ORDER BY o.next_attempt_at, o.id`

func claimQueries() []string { return []string{claimUpdate, claimRead} }

// claimTx claims up to limit due rows of target (every target when 0) inside a transaction.
func claimTx(ctx context.Context, ts *txStmts, worker string, target TargetID, now time.Time, lease time.Duration, limit int) ([]OutboxItem, error) {
	up, err := ts.get(ctx, claimUpdate)
	if err != nil {
		return nil, err
	}
	rows, err := up.QueryContext(ctx, worker, now.Add(lease).UnixMilli(), now.UnixMilli(), int64(target), limit)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	rd, err := ts.get(ctx, claimRead)
	if err != nil {
		return nil, err
	}
	r, err := rd.QueryContext(ctx, string(list))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	items := make([]OutboxItem, 0, len(ids))
	for r.Next() {
		it, err := scanOutbox(r)
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return items, r.Err()
}

// stmtCache holds statements prepared once on the writer: an outbox outcome runs a few
// statements, and preparing them again for each transaction was most of its cost.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// prepare readies queries on the writer. It must run outside a transaction (the writer
// has a single connection), and it holds no lock while it waits for that connection: a
// transaction under way looks statements up in the cache.
func (s *Store) prepare(ctx context.Context, queries ...string) error {
	for _, q := range queries {
		s.prep.mu.Lock()
		ready := s.prep.m[q] != nil
		s.prep.mu.Unlock()
		if ready {
			continue
		}
		st, err := s.w.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		s.prep.mu.Lock()
		if s.prep.m == nil {
			s.prep.m = map[string]*sql.Stmt{}
		}
		if s.prep.m[q] == nil {
			s.prep.m[q], st = st, nil
		}
		s.prep.mu.Unlock()
		if st != nil { // another caller prepared it meanwhile
			st.Close()
		}
	}
	return nil
}

// txStmts are the statements of one transaction: the writer's prepared ones where there
// are, else prepared in the transaction, once.
type txStmts struct {
	s  *Store
	tx *sql.Tx
	m  map[string]*sql.Stmt
}

func (s *Store) txStmts(tx *sql.Tx) *txStmts {
	return &txStmts{s: s, tx: tx, m: map[string]*sql.Stmt{}}
}

func (t *txStmts) get(ctx context.Context, query string) (*sql.Stmt, error) {
	if st := t.m[query]; st != nil {
		return st, nil
	}
	t.s.prep.mu.Lock()
	parent := t.s.prep.m[query]
	t.s.prep.mu.Unlock()
	var st *sql.Stmt
	if parent != nil {
		st = t.tx.StmtContext(ctx, parent)
	} else {
		var err error
		if st, err = t.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
	}
	t.m[query] = st
	return st, nil
}

func (t *txStmts) close() {
	for _, st := range t.m {
		st.Close()
	}
}

// finishQuery is the statement that moves a row out of flight with set.
func finishQuery(set string) string {
	return `UPDATE outbox SET updated_at = ?, lease_owner = '', lease_until = 0, ` + set + `
		WHERE id = ? AND state = 'in_flight' AND lease_owner = ? RETURNING person_id, person_key, target_id`
}

// pushStateQuery brings one person's push state up to date.
const pushStateQuery = `UPDATE people SET push_state = ` + pushStateExpr + ` WHERE id = ?`

// finishQueries are the statements recording an outcome runs.
func finishQueries() []string {
	return []string{finishQuery(doneSet), finishQuery(retrySet), finishQuery(failSet), auditInsert, pushStateQuery}
}

// finishRow moves a row this worker holds out of flight inside a transaction. It returns
// the person whose push state must follow (0 when none), or ErrLeaseLost.
func finishRow(ctx context.Context, ts *txStmts, now time.Time, id int64, worker string, set string, args []any, ev *AuditEvent) (int64, error) {
	st, err := ts.get(ctx, finishQuery(set))
	if err != nil {
		return 0, err
	}
	a := append([]any{now.UnixMilli()}, args...)
	a = append(a, id, worker)
	var personID sql.NullInt64
	var personKey string
	var target TargetID
	err = st.QueryRowContext(ctx, a...).Scan(&personID, &personKey, &target)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrLeaseLost
	}
	if err != nil {
		return 0, err
	}
	if ev != nil {
		ev.At, ev.PersonKey, ev.Target = now, personKey, target
		ins, err := ts.get(ctx, auditInsert)
		if err != nil {
			return 0, err
		}
		if _, err := ins.ExecContext(ctx, auditArgs(*ev)...); err != nil {
			return 0, fmt.Errorf("audit: %w", err)
		}
	}
	return personID.Int64, nil
}

// updatePushStates brings the push state of each person up to date, once each.
func updatePushStates(ctx context.Context, ts *txStmts, people []int64) error {
	st, err := ts.get(ctx, pushStateQuery)
	if err != nil {
		return err
	}
	for _, p := range people {
		if _, err := st.ExecContext(ctx, p); err != nil {
			return fmt.Errorf("push state: %w", err)
		}
	}
	return nil
}

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

// The changes an outcome makes to its row.
const (
	doneSet  = `state = 'done', remote_id = ?, note = ?, done_at = ?, last_error = ''`
	retrySet = `state = 'pending', last_error = ?, next_attempt_at = ?`
	failSet  = `state = 'failed', last_error = ?`
)

// set is the outcome's change to its row, and its audit event (nil when none).
func (o Outcome) set(now time.Time) (string, []any, *AuditEvent, error) {
	id := o.Item.ID
	switch o.State {
	case OutboxDone:
		detail := fmt.Sprintf("outbox %d done (remote id %q)", id, o.RemoteID)
		if o.Note != "" {
			detail += ": " + clip(o.Note)
		}
		return doneSet,
			[]any{o.RemoteID, clip(o.Note), now.UnixMilli()}, &AuditEvent{Action: ActionPush, Detail: detail}, nil
	case OutboxPending:
		return retrySet, []any{clip(o.Message), o.Next.UnixMilli()}, nil, nil
	case OutboxFailed:
		return failSet, []any{clip(o.Message)},
			&AuditEvent{Action: ActionPush, Detail: fmt.Sprintf("outbox %d failed: %s", id, clip(o.Message))}, nil
	}
	return "", nil, nil, fmt.Errorf("%w: an attempt cannot end as %q", ErrInvalid, o.State)
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

// Finish records the outcomes of several rows worker holds in one transaction: one sync to
// disk for all of them, so concurrent calls can share a commit. It returns each row as it
// now stands, and per row ErrLeaseLost when the row is no longer worker's (that row is
// left alone, the others are recorded). When err is set nothing was recorded.
func (s *Store) Finish(ctx context.Context, worker string, outs []Outcome) (items []OutboxItem, errs []error, err error) {
	if err := s.prepare(ctx, finishQueries()...); err != nil {
		return nil, nil, fmt.Errorf("record %d outbox outcomes by %s: %w", len(outs), worker, err)
	}
	now := s.now()
	items, errs = make([]OutboxItem, len(outs)), make([]error, len(outs))
	err = s.write(ctx, func(tx *sql.Tx) error {
		ts := s.txStmts(tx)
		defer ts.close()
		var people []int64
		seen := map[int64]bool{}
		for i, o := range outs {
			set, args, ev, err := o.set(now)
			if err != nil {
				return err
			}
			if ev != nil {
				ev.Operator = worker
			}
			person, err := finishRow(ctx, ts, now, o.Item.ID, worker, set, args, ev)
			if errors.Is(err, ErrLeaseLost) {
				errs[i] = fmt.Errorf("outbox %d by %s: %w", o.Item.ID, worker, err)
				continue
			}
			if err != nil {
				return fmt.Errorf("outbox %d: %w", o.Item.ID, err)
			}
			items[i] = o.apply(now)
			if person != 0 && !seen[person] {
				seen[person] = true
				people = append(people, person)
			}
		}
		// Each person's push state once, after all of their rows changed.
		return updatePushStates(ctx, ts, people)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("record %d outbox outcomes by %s: %w", len(outs), worker, err)
	}
	return items, errs, nil
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

// finishOne records one outcome in its own transaction, and keeps the person's push state.
func (s *Store) finishOne(ctx context.Context, call, worker string, o Outcome) error {
	if err := s.prepare(ctx, finishQueries()...); err != nil {
		return fmt.Errorf("outbox %s %d by %s: %w", call, o.Item.ID, worker, err)
	}
	now := s.now()
	set, args, ev, err := o.set(now)
	if err != nil {
		return err
	}
	if ev != nil {
		ev.Operator = worker
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		ts := s.txStmts(tx)
		defer ts.close()
		person, err := finishRow(ctx, ts, now, o.Item.ID, worker, set, args, ev)
		if err != nil || person == 0 {
			return err
		}
		return updatePushStates(ctx, ts, []int64{person})
	})
	if err != nil {
		return fmt.Errorf("outbox %s %d by %s: %w", call, o.Item.ID, worker, err)
	}
	return nil
}
