package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// TargetKind is the kind of place a capture is pushed to.
type TargetKind string

// Target kinds.
const (
	TargetEF45    TargetKind = "ef45"    // another EF-45 camera (subject with iris templates)
	TargetACTAtek TargetKind = "actatek" // ACTAtek terminal (user, facial template, photo)
	TargetCLUe    TargetKind = "clue"    // Suprema CLUe place (access "auth" with face images)
)

// Target is a place captures are pushed to. It never holds a secret: SecretRef names the
// entry in the secret store (package secrets) that does.
type Target struct {
	ID        TargetID   `json:"id"`
	Kind      TargetKind `json:"kind"`
	Name      string     `json:"name"`
	Address   string     `json:"address"`              // URL or host:port
	Account   string     `json:"account,omitempty"`    // user name or place id
	SecretRef string     `json:"secret_ref,omitempty"` // name of the password, API key or token secret
	CertPin   string     `json:"cert_pin,omitempty"`   // expected TLS certificate fingerprint
	// Options are per-target settings (for CLUe: base URL, path prefix; for ACTAtek: group).
	Options   map[string]string `json:"options,omitempty"`
	Enabled   bool              `json:"enabled"`
	CreatedAt time.Time         `json:"created_at,omitzero"`
	UpdatedAt time.Time         `json:"updated_at,omitzero"`
}

func checkTarget(t Target) error {
	switch t.Kind {
	case TargetEF45, TargetACTAtek, TargetCLUe:
	default:
		return fmt.Errorf("%w: target kind %q (want ef45, actatek or clue)", ErrInvalid, t.Kind)
	}
	if strings.TrimSpace(t.Name) == "" {
		return fmt.Errorf("%w: target has no name", ErrInvalid)
	}
	for _, f := range []struct{ name, v string }{
		{"name", t.Name}, {"address", t.Address}, {"account", t.Account}, {"secret reference", t.SecretRef}, {"certificate pin", t.CertPin},
	} {
		if err := checkText("target "+f.name, f.v, 500); err != nil {
			return err
		}
	}
	return nil
}

// AddTarget stores a new target and returns it with its id.
func (s *Store) AddTarget(ctx context.Context, t Target, operator string) (Target, error) {
	if err := checkTarget(t); err != nil {
		return Target{}, fmt.Errorf("add target: %w", err)
	}
	opts, err := json.Marshal(t.Options)
	if err != nil {
		return Target{}, fmt.Errorf("add target: %w", err)
	}
	now := s.now()
	err = s.write(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `
			INSERT INTO targets (kind, name, address, account, secret_ref, cert_pin, options, enabled, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			string(t.Kind), t.Name, t.Address, t.Account, t.SecretRef, t.CertPin, string(opts), t.Enabled,
			now.UnixMilli(), now.UnixMilli()).Scan(&id)
		if err != nil {
			if isUnique(err) {
				return fmt.Errorf("%w: a target is already called %q", ErrInvalid, t.Name)
			}
			return err
		}
		t.ID = TargetID(id)
		return s.audit(ctx, tx, AuditEvent{At: now, Operator: operator, Action: ActionTarget, Target: t.ID,
			Detail: fmt.Sprintf("added %s target %q at %s", t.Kind, t.Name, t.Address)})
	})
	if err != nil {
		return Target{}, fmt.Errorf("add target %q: %w", t.Name, err)
	}
	t.CreatedAt, t.UpdatedAt = now.UTC().Truncate(time.Millisecond), now.UTC().Truncate(time.Millisecond)
	return t, nil
}

// UpdateTarget replaces a target's settings (all but its id and creation time).
func (s *Store) UpdateTarget(ctx context.Context, t Target, operator string) error {
	if err := checkTarget(t); err != nil {
		return fmt.Errorf("update target %d: %w", t.ID, err)
	}
	opts, err := json.Marshal(t.Options)
	if err != nil {
		return fmt.Errorf("update target %d: %w", t.ID, err)
	}
	now := s.now()
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE targets SET kind = ?, name = ?, address = ?, account = ?, secret_ref = ?, cert_pin = ?, options = ?,
				enabled = ?, updated_at = ? WHERE id = ?`,
			string(t.Kind), t.Name, t.Address, t.Account, t.SecretRef, t.CertPin, string(opts), t.Enabled,
			now.UnixMilli(), int64(t.ID))
		if err != nil {
			if isUnique(err) {
				return fmt.Errorf("%w: a target is already called %q", ErrInvalid, t.Name)
			}
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		state := "enabled"
		if !t.Enabled {
			state = "disabled"
		}
		return s.audit(ctx, tx, AuditEvent{At: now, Operator: operator, Action: ActionTarget, Target: t.ID,
			Detail: fmt.Sprintf("changed %s target %q at %s, %s", t.Kind, t.Name, t.Address, state)})
	})
	if err != nil {
		return fmt.Errorf("update target %d: %w", t.ID, err)
	}
	return nil
}

// DeleteTarget removes a target that has never been pushed to. A target with outbox rows
// keeps its history: disable it instead.
func (s *Store) DeleteTarget(ctx context.Context, id TargetID, operator string) error {
	now := s.now()
	err := s.write(ctx, func(tx *sql.Tx) error {
		var name string
		err := tx.QueryRowContext(ctx, `SELECT name FROM targets WHERE id = ?`, int64(id)).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE target_id = ?`, int64(id)).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: %q has %d pushes in the outbox; disable it instead", ErrInvalid, name, n)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM targets WHERE id = ?`, int64(id)); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{At: now, Operator: operator, Action: ActionTarget, Target: id,
			Detail: fmt.Sprintf("deleted target %q", name)})
	})
	if err != nil {
		return fmt.Errorf("delete target %d: %w", id, err)
	}
	return nil
}

const targetColumns = `id, kind, name, address, account, secret_ref, cert_pin, options, enabled, created_at, updated_at`

func scanTarget(row scanner) (Target, error) {
	var t Target
	var opts string
	var created, updated int64
	if err := row.Scan(&t.ID, &t.Kind, &t.Name, &t.Address, &t.Account, &t.SecretRef, &t.CertPin, &opts,
		&t.Enabled, &created, &updated); err != nil {
		return Target{}, err
	}
	if err := json.Unmarshal([]byte(opts), &t.Options); err != nil {
		return Target{}, fmt.Errorf("target %d: options are damaged: %w", t.ID, err)
	}
	t.CreatedAt, t.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	return t, nil
}

// Target returns one target.
func (s *Store) Target(ctx context.Context, id TargetID) (Target, error) {
	t, err := scanTarget(s.r.QueryRowContext(ctx, `SELECT `+targetColumns+` FROM targets WHERE id = ?`, int64(id)))
	if errors.Is(err, sql.ErrNoRows) {
		return Target{}, fmt.Errorf("target %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Target{}, fmt.Errorf("target %d: %w", id, err)
	}
	return t, nil
}

// Targets lists every target by name.
func (s *Store) Targets(ctx context.Context) ([]Target, error) {
	// Prepared once: the push worker lists the targets on every pass.
	st, err := s.reader(ctx, `SELECT `+targetColumns+` FROM targets ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("list targets: %w", err)
	}
	rows, err := st.QueryContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("list targets: %w", err)
	}
	defer rows.Close()
	var out []Target
	for rows.Next() {
		t, err := scanTarget(rows)
		if err != nil {
			return nil, fmt.Errorf("list targets: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list targets: %w", err)
	}
	return out, nil
}
