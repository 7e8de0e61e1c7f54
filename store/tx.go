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
		if err := s.lockJournal(ctx, tx, lockExclusive, false); err != nil {
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

// writeOutcomes is write for the outcomes of pushes: its commit is not synced to disk. A
// power cut may take back the last of these, and then a claimed row is due again or a
// recorded push is made once more, which pushes allow (they are idempotent); it never takes
// back a capture or an operator's change, because those commit synced, and a synced commit
// makes everything before it durable too.
//
// On PostgreSQL it holds the journal's lock shared: the stations record outcomes at the same
// time. That is safe because an outcome changes only rows its worker holds leased, the push
// state of their people, which Finish locks in id order first, and the audit trail, whose
// appends take a lock of their own last.
func (s *Store) writeOutcomes(ctx context.Context, fn func(*sql.Tx) error) error {
	return s.unsynced(ctx, lockShared, fn)
}

// writeClaim is writeOutcomes for claims. On PostgreSQL it takes no journal lock: claims
// lock the rows they take (FOR UPDATE SKIP LOCKED), so stations claim at the same time.
func (s *Store) writeClaim(ctx context.Context, fn func(*sql.Tx) error) error {
	return s.unsynced(ctx, lockNone, fn)
}

func (s *Store) unsynced(ctx context.Context, lock journalLock, fn func(*sql.Tx) error) (err error) {
	if s.pg {
		tx, err := s.w.BeginTx(ctx, nil)
		return commit(tx, err, func(tx *sql.Tx) error {
			if err := s.lockJournal(ctx, tx, lock, true); err != nil {
				return err
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
