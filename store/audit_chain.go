// The audit trail's hash chain: tamper evidence for the record of who did what.

package store

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
)

// deriveKey is HMAC-SHA256(key, label): a key of its own for each use of the journal key.
func deriveKey(key []byte, label string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// link is an audit row's hash: an HMAC, under the chain key, of the previous row's hash and
// of the row's fields as stored. Without the journal key nobody can write a row, or mend
// the chain after an edit, that Verify accepts.
func (s *sealer) link(prev []byte, e AuditEvent) []byte {
	m := hmac.New(sha256.New, s.chain)
	m.Write(lengthPrefixed("enrollstation audit v1", string(prev), strconv.FormatInt(e.ID, 10),
		strconv.FormatInt(e.At.UnixMilli(), 10), e.Operator, string(e.Action), e.PersonKey,
		strconv.FormatInt(int64(e.Target), 10), e.Detail))
	return m.Sum(nil)
}

// auditHeadAD is the associated data of the sealed chain head in meta.
const auditHeadAD = "enrollstation meta audit_head"

// The chain's statements: the newest row, appending rows, and the head. PostgreSQL appends
// them all at once, given as a JSON array of [id, at, operator, action, person_key,
// target_id, detail, prev hex, hash hex], for one round trip. SQLite, in process, inserts
// them one by one: binding each row's values costs a third less than the JSON's encoding
// and decoding.
const (
	auditLast    = `SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1`
	auditHeadGet = `SELECT value FROM meta WHERE name = 'audit_head'`
	auditAppend  = `INSERT INTO audit (id, at, operator, action, person_key, target_id, detail, prev_hash, hash)
		SELECT CAST(j.value->>0 AS BIGINT), CAST(j.value->>1 AS BIGINT), j.value->>2, j.value->>3, j.value->>4,
			CAST(j.value->>5 AS BIGINT), j.value->>6, unhex(j.value->>7), unhex(j.value->>8) FROM json_each(?1) j`
	auditInsert = `INSERT INTO audit (id, at, operator, action, person_key, target_id, detail, prev_hash, hash)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`
	auditHeadPut = `INSERT INTO meta (name, value) VALUES ('audit_head', ?1)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`
)

// auditQueries are the statements appending to the trail, for the writer to prepare.
func (s *Store) auditQueries() []string {
	if s.pg {
		return []string{auditHeadGet, auditLast, auditAppend, auditHeadPut, lockAuditQuery}
	}
	return []string{auditHeadGet, auditLast, auditInsert, auditHeadPut}
}

// auditTip is the row the next one follows: the one the sealed head names, so that rows
// cut off the end stay a visible gap after later appends; the newest row when the head is
// missing or does not open (Verify reports that).
func (s *Store) auditTip(ctx context.Context, ts *txStmts) (int64, []byte, error) {
	get, err := ts.get(ctx, auditHeadGet)
	if err != nil {
		return 0, nil, err
	}
	var sealed []byte
	switch err := get.QueryRowContext(ctx).Scan(&sealed); {
	case err == nil:
		if id, hash, err := s.sealer.auditHead(sealed); err == nil {
			return id, hash, nil
		}
	case !errors.Is(err, sql.ErrNoRows):
		return 0, nil, fmt.Errorf("read the audit head: %w", err)
	}
	last, err := ts.get(ctx, auditLast)
	if err != nil {
		return 0, nil, err
	}
	id, prev := int64(0), []byte{}
	if err := last.QueryRowContext(ctx).Scan(&id, &prev); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, nil, fmt.Errorf("read the newest audit row: %w", err)
	}
	return id, prev, nil
}

// appendAudit adds events to the trail inside the transaction of ts, each chained to the
// one before, and moves the sealed head to the last of them.
func (s *Store) appendAudit(ctx context.Context, ts *txStmts, events []AuditEvent) error {
	if len(events) == 0 {
		return nil
	}
	if s.pg {
		// Outcomes append under a shared journal lock (writeOutcomes): taken last, so
		// that it is held for no more than the append and the commit.
		lock, err := ts.get(ctx, lockAuditQuery)
		if err != nil {
			return err
		}
		if _, err := lock.ExecContext(ctx, int32(auditLockKey)); err != nil {
			return fmt.Errorf("take the audit trail's lock: %w", err)
		}
	}
	id, prev, err := s.auditTip(ctx, ts)
	if err != nil {
		return err
	}
	var insert *sql.Stmt
	if !s.pg {
		if insert, err = ts.get(ctx, auditInsert); err != nil {
			return err
		}
	}
	var rows [][]any // PostgreSQL's
	for _, e := range events {
		id++
		e.ID, e.Detail = id, clip(e.Detail)
		h := s.sealer.link(prev, e)
		if insert == nil {
			rows = append(rows, []any{e.ID, e.At.UnixMilli(), e.Operator, string(e.Action), e.PersonKey, int64(e.Target), e.Detail,
				hex.EncodeToString(prev), hex.EncodeToString(h)})
		} else if _, err := insert.ExecContext(ctx, e.ID, e.At.UnixMilli(), e.Operator, string(e.Action), e.PersonKey,
			int64(e.Target), e.Detail, prev, h); err != nil {
			return err
		}
		prev = h
	}
	if err := execJSON(ctx, ts, auditAppend, rows); err != nil {
		return err
	}
	return s.putAuditHead(ctx, ts, id, prev)
}

// putAuditHead seals the newest row's id and hash into meta: rows cut off the end of the
// trail leave the head pointing past them.
func (s *Store) putAuditHead(ctx context.Context, ts *txStmts, id int64, hash []byte) error {
	sealed, err := s.sealer.seal(binary.BigEndian.AppendUint64(bytes.Clone(hash), uint64(id)), []byte(auditHeadAD))
	if err != nil {
		return err
	}
	put, err := ts.get(ctx, auditHeadPut)
	if err != nil {
		return err
	}
	_, err = put.ExecContext(ctx, sealed)
	return err
}

// auditHead opens the sealed head: the newest row's id and hash.
func (s *sealer) auditHead(sealed []byte) (int64, []byte, error) {
	plain, err := s.open(sealed, []byte(auditHeadAD))
	if err != nil || len(plain) != sha256.Size+8 {
		return 0, nil, errCannotDecrypt
	}
	return int64(binary.BigEndian.Uint64(plain[sha256.Size:])), plain[:sha256.Size], nil
}

// readAudit reads the audit rows that rest (WHERE..., ORDER BY...) selects.
func readAudit(ctx context.Context, tx *sql.Tx, rest string, args ...any) ([]AuditEvent, error) {
	var events []AuditEvent
	err := eachRowOf(ctx, tx, `SELECT `+auditColumns+` FROM audit `+rest, args, func(rows *sql.Rows) error {
		e, err := scanAudit(rows)
		events = append(events, e)
		return err
	})
	return events, err
}

// chainAudit links every row of the trail in id order, for the rows written before the
// chain existed (migration 6).
func chainAudit(ctx context.Context, tx *sql.Tx, sl *sealer) error {
	events, err := readAudit(ctx, tx, `ORDER BY id`)
	if err != nil {
		return err
	}
	if len(events) == 0 {
		return nil
	}
	prev := []byte{} // the first row follows nothing
	for _, e := range events {
		h := sl.link(prev, e)
		if _, err := tx.ExecContext(ctx, `UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?`, prev, h, e.ID); err != nil {
			return err
		}
		prev = h
	}
	sealed, err := sl.seal(binary.BigEndian.AppendUint64(bytes.Clone(prev), uint64(events[len(events)-1].ID)), []byte(auditHeadAD))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO meta (name, value) VALUES ('audit_head', ?)`, sealed)
	return err
}

// verifyAudit walks the trail in id order and reports every break in the chain: a row
// whose fields no longer give its hash was edited; a row that does not follow the one
// before it tells of rows deleted between them; a head that does not name the last row
// tells of rows cut off the end.
func (s *Store) verifyAudit(ctx context.Context, tx *sql.Tx, r *Report) error {
	var prev []byte
	var lastID int64
	err := eachRow(ctx, tx, `SELECT `+auditColumns+`, prev_hash, hash FROM audit ORDER BY id`, func(rows *sql.Rows) error {
		var before, hash []byte
		e, err := scanAudit(rows, &before, &hash)
		if err != nil {
			return err
		}
		r.Audit++
		switch {
		case !hmac.Equal(hash, s.sealer.link(before, e)):
			r.add("audit row %d was changed after it was written (%s by %s)", e.ID, e.Action, e.Operator)
		case !bytes.Equal(before, prev) && lastID == 0:
			r.add("audit rows before row %d were deleted", e.ID)
		case !bytes.Equal(before, prev):
			r.add("audit rows between row %d and row %d were deleted", lastID, e.ID)
		}
		prev, lastID = hash, e.ID
		return nil
	})
	if err != nil {
		return err
	}
	var sealed []byte
	err = tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE name = 'audit_head'`).Scan(&sealed)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if lastID != 0 {
			r.add("audit trail: its sealed head is missing from meta")
		}
		return nil
	case err != nil:
		return err
	}
	headID, headHash, err := s.sealer.auditHead(sealed)
	switch {
	case err != nil:
		r.add("audit trail: its sealed head does not open with this key")
	case headID > lastID:
		r.add("audit rows after row %d were deleted (the trail ended at row %d)", lastID, headID)
	case headID != lastID || !hmac.Equal(headHash, prev):
		r.add("audit trail: row %d is not the row its head names (row %d)", lastID, headID)
	}
	return nil
}
