// The worker side of the outbox: claiming due rows and recording how their attempts ended.

package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
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
	if err := s.prepare(ctx, s.claimQueries()...); err != nil {
		return nil, fmt.Errorf("claim outbox for %s: %w", worker, err)
	}
	var items []OutboxItem
	err := s.writeClaim(ctx, func(tx *sql.Tx) error {
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

// Claim is what ClaimDueTargets hands a worker: the rows per target, and the people and
// captures of the push rows as they stand at the claim, read in the same transaction (on
// the writer, whose cache holds what it wrote).
type Claim struct {
	Items    map[TargetID][]OutboxItem
	People   map[string]Person  // by key
	Captures map[string]Capture // by capture id, the blobs the request names decrypted
}

// Len is how many rows were claimed.
func (c Claim) Len() int {
	n := 0
	for _, items := range c.Items {
		n += len(items)
	}
	return n
}

// ClaimRequest says what ClaimDueTargets claims.
type ClaimRequest struct {
	// Want is how many rows each target has room for.
	Want map[TargetID]int
	// Now is the time due rows are due by; Lease how long they are the worker's.
	Now   time.Time
	Lease time.Duration
	// Have reports captures the worker holds already (by capture id): they are not read
	// again. Nil reads every one.
	Have func(captureID string) bool
	// Blobs names the blobs of each capture to read; nil reads them all. A capture holds
	// about 2 MB, of which a push to a terminal sends a tenth: the rest stays sealed on disk.
	Blobs []BlobWant
}

// BlobWant names blobs of a capture: those of a kind with one variant, or with any ("*").
type BlobWant struct {
	Kind    BlobKind
	Variant string
	// Unless makes the blob a fallback: it is read only when the capture has no blob of
	// this kind (the colour face, when there is no Photo). Empty: always read.
	Unless BlobKind
}

// AnyVariant is the BlobWant variant that matches every variant of its kind.
const AnyVariant = "*"

// ClaimDueTargets is ClaimDueTarget for several targets in one transaction. Targets with
// nothing due are left out of the answer.
func (s *Store) ClaimDueTargets(ctx context.Context, worker string, req ClaimRequest) (Claim, error) {
	want, now, lease := req.Want, req.Now, req.Lease
	if strings.TrimSpace(worker) == "" || lease <= 0 {
		return Claim{}, fmt.Errorf("claim outbox: %w: need a worker name and a positive lease", ErrInvalid)
	}
	for t, n := range want {
		if t <= 0 || n <= 0 {
			return Claim{}, fmt.Errorf("claim outbox: %w: target %d, limit %d", ErrInvalid, t, n)
		}
	}
	blobs := readBlobs(req.Blobs)
	if err := s.prepare(ctx, append(s.claimQueries(), append(claimReads, blobs.query)...)...); err != nil {
		return Claim{}, fmt.Errorf("claim outbox for %s: %w", worker, err)
	}
	var c Claim
	err := s.writeClaim(ctx, func(tx *sql.Tx) error {
		ts := s.txStmts(tx)
		defer ts.close()
		c = Claim{Items: map[TargetID][]OutboxItem{}, People: map[string]Person{}, Captures: map[string]Capture{}}
		var ids, read []int64 // every row; the push rows whose capture is to be read
		for t, n := range want {
			items, err := claimTx(ctx, ts, worker, t, now, lease, n)
			if err != nil {
				return err
			}
			if len(items) > 0 {
				c.Items[t] = items
			}
			for _, it := range items {
				ids = append(ids, it.ID)
				if it.Op == OpPush && it.CaptureID != "" && (req.Have == nil || !req.Have(it.CaptureID)) {
					read = append(read, it.ID)
				}
			}
		}
		return s.readClaimed(ctx, ts, ids, read, blobs, &c)
	})
	if err != nil {
		return Claim{}, fmt.Errorf("claim outbox for %s: %w", worker, err)
	}
	return c, nil
}

// claimDelete says a due row is not a delete waiting for a push of the same person to
// the same target that is in flight.
const claimDelete = `NOT (op = 'delete' AND EXISTS (SELECT 1 FROM outbox p WHERE p.person_key = o.person_key
	AND p.target_id = o.target_id AND p.op = 'push' AND p.state = 'in_flight'))`

// claimAll leases up to ?4 due rows of every target to worker ?1. It reads every row in
// the outbox; workers claim per target (claimTarget), which reads only what it takes.
//
// The claims' limits and target are CASTs: SQLite plans a bare bound parameter in these
// places for its value, and prepares the statement again whenever the value changes. The
// limit changes at almost every claim (a claim tops its targets up), and the target
// alternates between the targets a worker claims for.
var claimAll = `
	UPDATE outbox SET state = 'in_flight', lease_owner = ?1, lease_until = ?2, attempts = attempts + 1, updated_at = ?3
	WHERE id IN (
		SELECT id FROM (
			SELECT id, next_attempt_at AS due FROM outbox o WHERE state = 'pending' AND next_attempt_at <= ?3 AND ` + claimDelete + `
			UNION ALL
			SELECT id, lease_until AS due FROM outbox WHERE state = 'in_flight' AND lease_until <= ?3
		) ORDER BY due, id LIMIT CAST(?4 AS INTEGER))
	RETURNING ` + claimedColumns

// claimTarget leases up to ?5 due rows of target ?4 to worker ?1. Each side walks its
// per-target index in order and stops at the limit, so a claim reads what it takes.
var claimTarget = `
	UPDATE outbox SET state = 'in_flight', lease_owner = ?1, lease_until = ?2, attempts = attempts + 1, updated_at = ?3
	WHERE id IN (
		SELECT id FROM (
			SELECT * FROM (SELECT id, next_attempt_at AS due FROM outbox o
				WHERE state = 'pending' AND target_id = CAST(?4 AS INTEGER) AND next_attempt_at <= ?3 AND ` + claimDelete + `
				ORDER BY next_attempt_at, id LIMIT CAST(?5 AS INTEGER))
			UNION ALL
			SELECT * FROM (SELECT id, lease_until AS due FROM outbox
				WHERE state = 'in_flight' AND target_id = CAST(?4 AS INTEGER) AND lease_until <= ?3
				ORDER BY lease_until, id LIMIT CAST(?5 AS INTEGER))
		) ORDER BY due, id LIMIT CAST(?5 AS INTEGER))
	RETURNING ` + claimedColumns

// pgClaim is claimTarget on PostgreSQL (claimAll without the target), where stations claim
// at the same time: each side locks the rows it reads, skipping rows another claim has
// locked, so two claims never take one row and neither waits for the other.
var pgClaim = `
	WITH pending AS (SELECT id, next_attempt_at AS due FROM outbox o
			WHERE state = 'pending' %[1]s AND next_attempt_at <= ?3 AND ` + claimDelete + `
			ORDER BY next_attempt_at, id LIMIT ?%[2]d FOR UPDATE SKIP LOCKED),
		expired AS (SELECT id, lease_until AS due FROM outbox
			WHERE state = 'in_flight' %[1]s AND lease_until <= ?3
			ORDER BY lease_until, id LIMIT ?%[2]d FOR UPDATE SKIP LOCKED)
	UPDATE outbox SET state = 'in_flight', lease_owner = ?1, lease_until = ?2, attempts = attempts + 1, updated_at = ?3
	WHERE id IN (SELECT id FROM (SELECT * FROM pending UNION ALL SELECT * FROM expired) AS d ORDER BY due, id LIMIT ?%[2]d)
	RETURNING ` + claimedColumns

var (
	pgClaimAll    = fmt.Sprintf(pgClaim, "", 4)
	pgClaimTarget = fmt.Sprintf(pgClaim, "AND target_id = ?4", 5)
)

// claimedColumns are outboxColumns as a claim returns them for the rows it has just
// updated, so that no second statement reads them: RETURNING names the row by its table.
var claimedColumns = strings.ReplaceAll(outboxColumns, "o.", "outbox.")

// claimSQL is the claim of one target's rows (every target's when all) on the journal's engine.
func (s *Store) claimSQL(all bool) string {
	switch {
	case s.pg && all:
		return pgClaimAll
	case s.pg:
		return pgClaimTarget
	case all:
		return claimAll
	}
	return claimTarget
}

func (s *Store) claimQueries() []string {
	return []string{s.claimSQL(true), s.claimSQL(false)}
}

// claimTx claims up to limit due rows of target (every target when 0) inside a transaction.
func claimTx(ctx context.Context, ts *txStmts, worker string, target TargetID, now time.Time, lease time.Duration, limit int) ([]OutboxItem, error) {
	q, args := ts.s.claimSQL(false), []any{worker, now.Add(lease).UnixMilli(), now.UnixMilli(), int64(target), limit}
	if target == 0 {
		q, args = ts.s.claimSQL(true), []any{worker, now.Add(lease).UnixMilli(), now.UnixMilli(), limit}
	}
	up, err := ts.get(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := up.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var items []OutboxItem
	for rows.Next() {
		it, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// RETURNING follows no order: hand them out oldest due first, as they were chosen.
	slices.SortFunc(items, func(a, b OutboxItem) int {
		return cmp.Or(a.NextAttemptAt.Compare(b.NextAttemptAt), cmp.Compare(a.ID, b.ID))
	})
	return items, nil
}
