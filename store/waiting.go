package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// The waiting list holds people imported from a list who are not enrolled yet, in the order
// they were imported. Enrolling a person (SaveCapture) or erasing them takes them off it.

// WaitingOutcome is what AddWaiting did with one person.
type WaitingOutcome string

// Outcomes of AddWaiting, per person.
const (
	WaitingAdded       WaitingOutcome = "added"       // new on the list
	WaitingKept        WaitingOutcome = "kept"        // the key was known; the journal's data stays
	WaitingOverwritten WaitingOutcome = "overwritten" // the key was known; the imported data replaces it on the list
)

// AddWaiting puts people at the end of the waiting list, in one transaction. A person whose
// key the journal knows already (enrolled, or waiting) is left as it is unless overwrite,
// in which case the imported fields take their place on the list (a person enrolled before
// is then called again, to be enrolled with them). The outcome of each person is returned
// in order. Nothing is written when one person is invalid.
func (s *Store) AddWaiting(ctx context.Context, people []Person, overwrite bool) ([]WaitingOutcome, error) {
	for _, p := range people {
		if err := checkPerson(p); err != nil {
			return nil, fmt.Errorf("add to the waiting list: %w", err)
		}
	}
	now := s.now().UnixMilli()
	var out []WaitingOutcome
	err := s.write(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		for _, p := range people {
			var inPeople, inWaiting int
			if err := tx.QueryRowContext(ctx, `SELECT
				(SELECT count(*) FROM people WHERE person_key = ?1),
				(SELECT count(*) FROM waiting WHERE person_key = ?1)`, p.Key).Scan(&inPeople, &inWaiting); err != nil {
				return err
			}
			known := inPeople+inWaiting > 0
			if known && !overwrite {
				out = append(out, WaitingKept)
				continue
			}
			groups, err := json.Marshal(nonNil(p.AccessGroups))
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `
				INSERT INTO waiting (position, person_key, given_name, family_name, card_number, department,
					access_groups, valid_from, valid_until, added_at, updated_at)
				VALUES ((SELECT coalesce(max(position), 0) + 1 FROM waiting), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (person_key) DO UPDATE SET
					given_name = excluded.given_name, family_name = excluded.family_name,
					card_number = excluded.card_number, department = excluded.department,
					access_groups = excluded.access_groups, valid_from = excluded.valid_from,
					valid_until = excluded.valid_until, updated_at = excluded.updated_at`,
				p.Key, p.GivenName, p.FamilyName, p.CardNumber, p.Department, string(groups),
				ms(p.ValidFrom), ms(p.ValidUntil), now, now)
			if err != nil {
				return fmt.Errorf("person %s: %w", p.Key, err)
			}
			if known {
				out = append(out, WaitingOverwritten)
			} else {
				out = append(out, WaitingAdded)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("add to the waiting list: %w", err)
	}
	return out, nil
}

const waitingColumns = `person_key, given_name, family_name, card_number, department, access_groups,
	valid_from, valid_until, added_at, updated_at`

func scanWaiting(row scanner) (Person, error) {
	var p Person
	var groups string
	var validFrom, validUntil sql.NullInt64
	var added, updated int64
	if err := row.Scan(&p.Key, &p.GivenName, &p.FamilyName, &p.CardNumber, &p.Department, &groups,
		&validFrom, &validUntil, &added, &updated); err != nil {
		return Person{}, err
	}
	if err := json.Unmarshal([]byte(groups), &p.AccessGroups); err != nil {
		return Person{}, fmt.Errorf("waiting person %s: access groups are damaged: %w", p.Key, err)
	}
	if len(p.AccessGroups) == 0 {
		p.AccessGroups = nil
	}
	p.ValidFrom, p.ValidUntil = fromMS(validFrom), fromMS(validUntil)
	p.CreatedAt, p.UpdatedAt = fromMS(sql.NullInt64{Int64: added, Valid: true}), fromMS(sql.NullInt64{Int64: updated, Valid: true})
	return p, nil
}

// Waiting is the waiting list in order, first to be called first. Consent and push state
// are never set: nobody on it is enrolled yet.
func (s *Store) Waiting(ctx context.Context) ([]Person, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+waitingColumns+` FROM waiting ORDER BY position`)
	if err != nil {
		return nil, fmt.Errorf("waiting list: %w", err)
	}
	defer rows.Close()
	var out []Person
	for rows.Next() {
		p, err := scanWaiting(rows)
		if err != nil {
			return nil, fmt.Errorf("waiting list: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("waiting list: %w", err)
	}
	return out, nil
}

// NextWaiting is the first person on the waiting list; ErrNotFound when it is empty. The
// person stays on the list until enrolled or removed.
func (s *Store) NextWaiting(ctx context.Context) (Person, error) {
	p, err := scanWaiting(s.r.QueryRowContext(ctx, `SELECT `+waitingColumns+` FROM waiting ORDER BY position LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return Person{}, fmt.Errorf("next on the waiting list: %w", ErrNotFound)
	}
	if err != nil {
		return Person{}, fmt.Errorf("next on the waiting list: %w", err)
	}
	return p, nil
}

// RemoveWaiting takes the person with key off the waiting list; ErrNotFound when not on it.
func (s *Store) RemoveWaiting(ctx context.Context, key string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		n, err := removeWaiting(ctx, tx, key)
		if err == nil && n == 0 {
			return ErrNotFound
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("remove %s from the waiting list: %w", key, err)
	}
	return nil
}

// removeWaiting deletes key's row of the waiting list, in a write of the caller.
func removeWaiting(ctx context.Context, tx *sql.Tx, key string) (int64, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM waiting WHERE person_key = ?`, key)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
