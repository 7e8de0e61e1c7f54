package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Action names what an audit row records.
type Action string

// Audited actions.
const (
	ActionEnroll    Action = "enroll"             // a capture saved
	ActionPush      Action = "push"               // a push done or failed for good
	ActionRetry     Action = "retry"              // an operator retried a failed push
	ActionErase     Action = "erase"              // a person erased
	ActionDuplicate Action = "duplicate_decision" // an operator's decision on a duplicate hit
	ActionSetting   Action = "setting"            // a setting changed
	ActionTarget    Action = "target"             // a target added, changed or deleted
	ActionFirmware  Action = "firmware_upload"    // firmware sent to a device
	ActionRetention Action = "retention"          // a retention sweep, or its schedule changed
)

// AuditEvent is one row of the audit trail: who did what, when. It names a person by key
// only, and never holds a secret or biometric data.
type AuditEvent struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Operator  string    `json:"operator"`
	Action    Action    `json:"action"`
	PersonKey string    `json:"person_key,omitempty"`
	Target    TargetID  `json:"target,omitempty"`
	Detail    string    `json:"detail,omitempty"`
}

// audit appends e inside tx.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, e AuditEvent) error {
	ts := s.txStmts(tx)
	defer ts.close()
	if err := s.appendAudit(ctx, ts, []AuditEvent{e}); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// auditColumns are an audit row's fields, as scanAudit reads them.
const auditColumns = `id, at, operator, action, person_key, target_id, detail`

// scanAudit reads auditColumns, then into more whatever follows them.
func scanAudit(row scanner, more ...any) (AuditEvent, error) {
	var e AuditEvent
	var at int64
	if err := row.Scan(append([]any{&e.ID, &at, &e.Operator, &e.Action, &e.PersonKey, &e.Target, &e.Detail}, more...)...); err != nil {
		return e, err
	}
	e.At = time.UnixMilli(at).UTC()
	return e, nil
}

// Audit appends an event to the trail (duplicate decisions, firmware uploads and other
// actions taken outside the journal). At defaults to now.
func (s *Store) Audit(ctx context.Context, e AuditEvent) error {
	if e.Action == "" || strings.TrimSpace(e.Operator) == "" {
		return fmt.Errorf("audit: %w: an event needs an action and an operator", ErrInvalid)
	}
	if e.At.IsZero() {
		e.At = s.now()
	}
	if err := s.write(ctx, func(tx *sql.Tx) error { return s.audit(ctx, tx, e) }); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditQuery selects audit rows; zero fields match everything.
type AuditQuery struct {
	PersonKey string
	Action    Action
	Since     time.Time
	// Limit caps the rows returned, newest first: 100 when zero.
	Limit int
}

// AuditLog returns audit rows, newest first.
func (s *Store) AuditLog(ctx context.Context, q AuditQuery) ([]AuditEvent, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	var where []string
	var args []any
	if q.PersonKey != "" {
		where = append(where, `person_key = ?`)
		args = append(args, q.PersonKey)
	}
	if q.Action != "" {
		where = append(where, `action = ?`)
		args = append(args, string(q.Action))
	}
	if !q.Since.IsZero() {
		where = append(where, `at >= ?`)
		args = append(args, q.Since.UnixMilli())
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit`+cond+
		` ORDER BY at DESC, id DESC LIMIT ?`, append(args, q.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEvent
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return out, nil
}
