// What a retention schedule erases, and when.

package store

import (
	"context"
	"fmt"
	"time"
)

// RetentionEntry is a person a retention schedule erases: the day their data stopped
// being needed (the end of their validity, or their last enrollment when they have no
// end) and the day the schedule erases it.
type RetentionEntry struct {
	PersonKey  string    `json:"person_key"`
	GivenName  string    `json:"given_name"`
	FamilyName string    `json:"family_name"`
	Basis      time.Time `json:"basis"`
	// ValidityEnd says Basis is the end of validity, not the last enrollment.
	ValidityEnd bool      `json:"validity_end"`
	Due         time.Time `json:"due"`
}

// retentionBasis is each person's basis (ms) and whether it is their validity end, for the
// people not already being erased.
const retentionBasis = `SELECT p.person_key, p.given_name, p.family_name, b.basis, p.valid_until IS NOT NULL
	FROM people p JOIN (SELECT id, COALESCE(valid_until,
		(SELECT max(c.saved_at) FROM captures c WHERE c.person_id = people.id), created_at) AS basis FROM people) b ON b.id = p.id
	WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.person_id = p.id AND o.op = 'delete'
		AND o.state IN ('pending', 'in_flight', 'failed'))`

// Retention lists, for a schedule that erases people afterDays days after their basis,
// those due at now (at most limit, longest overdue first) and the next ones to become due
// (at most next, soonest first). People whose erase is already queued are left out.
func (s *Store) Retention(ctx context.Context, afterDays int, now time.Time, limit, next int) (due, upcoming []RetentionEntry, err error) {
	if afterDays < 1 {
		return nil, nil, fmt.Errorf("retention: %w: erase after at least one day", ErrInvalid)
	}
	after := time.Duration(afterDays) * 24 * time.Hour
	cutoff := now.Add(-after).UnixMilli()
	read := func(query string, args ...any) ([]RetentionEntry, error) {
		rows, err := s.r.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []RetentionEntry
		for rows.Next() {
			var e RetentionEntry
			var basis int64
			if err := rows.Scan(&e.PersonKey, &e.GivenName, &e.FamilyName, &basis, &e.ValidityEnd); err != nil {
				return nil, err
			}
			e.Basis = time.UnixMilli(basis).UTC()
			e.Due = e.Basis.Add(after)
			out = append(out, e)
		}
		return out, rows.Err()
	}
	if due, err = read(retentionBasis+` AND b.basis <= ? ORDER BY b.basis, p.id LIMIT ?`, cutoff, limit); err != nil {
		return nil, nil, fmt.Errorf("retention: due: %w", err)
	}
	if upcoming, err = read(retentionBasis+` AND b.basis > ? ORDER BY b.basis, p.id LIMIT ?`, cutoff, next); err != nil {
		return nil, nil, fmt.Errorf("retention: next: %w", err)
	}
	return due, upcoming, nil
}
