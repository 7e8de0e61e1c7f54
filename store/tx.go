package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
)

// write runs fn in a write transaction and commits when it returns nil. On SQLite it is
// BEGIN IMMEDIATE; on PostgreSQL it takes the journal's write lock first, so writers of
// every station queue exactly as they do on one file.
func (s *Store) write(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	return commit(tx, err, func(tx *sql.Tx) error {
		if err := s.lockJournal(ctx, tx); err != nil {
			return err
		}
		return fn(tx)
	})
}

// commit runs fn in tx, just begun with err, and commits it when fn returns nil.
func commit(tx *sql.Tx, err error, fn func(*sql.Tx) error) error {
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// writeUnsynced is write for the outbox's own bookkeeping (claims and outcomes): its commit
// is not synced to disk. A power cut may take back the last of these, and then a claimed
// row is due again or a recorded push is made once more, which pushes allow (they are
// idempotent); it never takes back a capture or an operator's change, because those commit
// synced, and a synced commit makes everything before it durable too.
func (s *Store) writeUnsynced(ctx context.Context, fn func(*sql.Tx) error) error {
	return s.unsynced(ctx, true, fn)
}

// writeClaim is writeUnsynced for claims. On PostgreSQL it takes no journal lock: claims
// lock the rows they take (FOR UPDATE SKIP LOCKED), so stations claim at the same time.
func (s *Store) writeClaim(ctx context.Context, fn func(*sql.Tx) error) error {
	return s.unsynced(ctx, false, fn)
}

func (s *Store) unsynced(ctx context.Context, lock bool, fn func(*sql.Tx) error) (err error) {
	if s.pg {
		tx, err := s.w.BeginTx(ctx, nil)
		return commit(tx, err, func(tx *sql.Tx) error {
			// The server's own equivalent: the commit returns before its WAL record is flushed.
			if _, err := tx.ExecContext(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
				return err
			}
			if lock {
				if err := s.lockJournal(ctx, tx); err != nil {
					return err
				}
			}
			return fn(tx)
		})
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = NORMAL`); err != nil {
		return err
	}
	defer func() {
		if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA synchronous = FULL`); rerr != nil {
			// A writer left unsynced must not serve the next save: drop it.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			err = errors.Join(err, fmt.Errorf("restore synced commits: %w", rerr))
		}
	}()
	tx, err := conn.BeginTx(ctx, nil)
	return commit(tx, err, fn)
}

// readTx begins a read-only transaction whose statements all see one snapshot: SQLite's
// transactions do; PostgreSQL's need REPEATABLE READ for it.
func (s *Store) readTx(ctx context.Context) (*sql.Tx, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.pg {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return s.r.BeginTx(ctx, opts)
}
