package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Erased says what Erase removed.
type Erased struct {
	PersonKey string `json:"person_key"`
	Captures  int    `json:"captures"`
	Blobs     int    `json:"blobs"`
	Pushes    int    `json:"pushes"`
}

// Erase removes a person from the journal: their personal data, captures, biometric blobs
// and outbox rows. An audit row (person key, operator, counts) is kept. The bytes are then
// gone from the file as well: secure_delete overwrites freed pages with zeros, and a
// checkpoint copies those pages into the main file and truncates the write-ahead log.
// Removing the person from devices and the cloud is the caller's job, before this.
func (s *Store) Erase(ctx context.Context, personKey, operator string) (Erased, error) {
	if strings.TrimSpace(operator) == "" {
		return Erased{}, fmt.Errorf("erase %s: %w: name the operator", personKey, ErrInvalid)
	}
	out := Erased{PersonKey: personKey}
	now := s.now()
	err := s.write(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM people WHERE person_key = ?`, personKey).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM captures WHERE person_id = ?1),
			(SELECT count(*) FROM blobs b JOIN captures c ON c.id = b.capture_id WHERE c.person_id = ?1),
			(SELECT count(*) FROM outbox WHERE person_id = ?1 AND op = 'push')`, id).Scan(&out.Captures, &out.Blobs, &out.Pushes)
		if err != nil {
			return err
		}
		// Captures and blobs follow by ON DELETE CASCADE. Delete rows of an erase stay: they
		// record each remote delete, by key only.
		if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE person_id = ? AND op = 'push'`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM people WHERE id = ?`, id); err != nil {
			return err
		}
		if _, err := removeWaiting(ctx, tx, personKey); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{At: now, Operator: operator, Action: ActionErase, PersonKey: personKey,
			Detail: fmt.Sprintf("erased %d captures, %d biometric blobs, %d pushes", out.Captures, out.Blobs, out.Pushes)})
	})
	if err != nil {
		return Erased{}, fmt.Errorf("erase %s: %w", personKey, err)
	}
	if err := s.checkpoint(ctx); err != nil {
		return out, fmt.Errorf("erase %s: erased, but the old bytes may remain in the file until the next checkpoint: %w", personKey, err)
	}
	return out, nil
}

// checkpoint copies the write-ahead log into the main file and truncates it to zero. A
// reader in the middle of a transaction (in any program) holds it up; it is retried for a
// few seconds.
//
// On PostgreSQL the erased rows' old versions stay in the tables until vacuumed: VACUUM
// makes their space free for new rows at once.
func (s *Store) checkpoint(ctx context.Context) error {
	if s.pg {
		if _, err := s.w.ExecContext(ctx, `VACUUM people, captures, blobs, outbox`); err != nil {
			return fmt.Errorf("vacuum: %w", err)
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		var busy, logFrames, done int
		if err := s.w.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		if busy == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("checkpoint: another reader kept the log busy: %w", ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
