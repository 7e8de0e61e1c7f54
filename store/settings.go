package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Setting returns the value of a setting, or an error wrapping ErrNotFound when unset.
// Settings are plain values; secrets belong in the secret store.
func (s *Store) Setting(ctx context.Context, name string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("setting %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("setting %s: %w", name, err)
	}
	return v, nil
}

// SetSetting stores a setting and audits the change with its old and new values.
func (s *Store) SetSetting(ctx context.Context, name, value, operator string) error {
	if strings.TrimSpace(name) == "" || len(name) > 200 {
		return fmt.Errorf("set setting: %w: name must be 1 to 200 characters", ErrInvalid)
	}
	if err := checkText("setting "+name, value, 100000); err != nil {
		return fmt.Errorf("set setting: %w", err)
	}
	now := s.now()
	err := s.write(ctx, func(tx *sql.Tx) error {
		var old sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = ?`, name).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if old.Valid && old.String == value {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (name, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			name, value, now.UnixMilli()); err != nil {
			return err
		}
		detail := fmt.Sprintf("%s set to %q", name, value)
		if old.Valid {
			detail = fmt.Sprintf("%s changed from %q to %q", name, old.String, value)
		}
		return s.audit(ctx, tx, AuditEvent{At: now, Operator: operator, Action: ActionSetting, Detail: detail})
	})
	if err != nil {
		return fmt.Errorf("set setting %s: %w", name, err)
	}
	return nil
}

// Settings returns every setting.
func (s *Store) Settings(ctx context.Context) (map[string]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name, value FROM settings`)
	if err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var n, v string
		if err := rows.Scan(&n, &v); err != nil {
			return nil, fmt.Errorf("settings: %w", err)
		}
		out[n] = v
	}
	return out, rows.Err()
}
