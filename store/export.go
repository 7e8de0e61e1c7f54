package store

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// ExportCSV writes every person and their push state per target as CSV, one row per
// person, and returns how many rows it wrote. Biometric data is never exported. Cells of
// the caller's text (the person key included: "-1" is a formula too) that a spreadsheet
// would run as a formula are prefixed with a quote.
func (s *Store) ExportCSV(ctx context.Context, w io.Writer) (int, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return 0, fmt.Errorf("export csv: %w", err)
	}
	defer tx.Rollback()
	targets, err := listTargets(ctx, tx)
	if err != nil {
		return 0, fmt.Errorf("export csv: %w", err)
	}
	header := []string{"person_key", "given_name", "family_name", "card_number", "department", "access_groups",
		"valid_from", "valid_until", "consent_at", "consent_by", "enrolled_at", "push_state"}
	col := map[TargetID]int{}
	for _, t := range targets {
		col[t.ID] = len(header)
		header = append(header, "push: "+t.Name)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return 0, fmt.Errorf("export csv: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+personColumns+`,
		(SELECT string_agg(o.target_id || '=' || o.state, ',') FROM outbox o WHERE o.id IN (
			SELECT max(o3.id) FROM outbox o3 WHERE o3.person_id = p.id AND o3.state <> 'superseded' GROUP BY o3.target_id))
		FROM people p ORDER BY p.id`)
	if err != nil {
		return 0, fmt.Errorf("export csv: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var states sql.NullString
		p, err := scanPerson(multiScanner{rows, []any{&states}})
		if err != nil {
			return n, fmt.Errorf("export csv: %w", err)
		}
		rec := make([]string, len(header))
		copy(rec, []string{cell(p.Key), cell(p.GivenName), cell(p.FamilyName), cell(p.CardNumber), cell(p.Department),
			cell(strings.Join(p.AccessGroups, "; ")), csvTime(p.ValidFrom), csvTime(p.ValidUntil), csvTime(p.ConsentAt),
			cell(p.ConsentBy), csvTime(p.CreatedAt), string(p.PushState)})
		for _, kv := range strings.Split(states.String, ",") {
			k, v, ok := strings.Cut(kv, "=")
			id, err := strconv.ParseInt(k, 10, 64)
			if !ok || err != nil {
				continue
			}
			if i, ok := col[TargetID(id)]; ok {
				rec[i] = v
			}
		}
		if err := cw.Write(rec); err != nil {
			return n, fmt.Errorf("export csv: %w", err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("export csv: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, fmt.Errorf("export csv: %w", err)
	}
	return n, nil
}

// multiScanner scans a person's columns followed by extra ones.
type multiScanner struct {
	row   scanner
	extra []any
}

func (m multiScanner) Scan(dest ...any) error { return m.row.Scan(append(dest, m.extra...)...) }

// cell defuses text a spreadsheet would take for a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// listTargets reads targets inside a transaction.
func listTargets(ctx context.Context, tx *sql.Tx) ([]Target, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+targetColumns+` FROM targets ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Target
	for rows.Next() {
		t, err := scanTarget(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
