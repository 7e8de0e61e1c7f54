// Copying a journal into another, by natural keys: a station's journal file into the site's
// PostgreSQL journal, which may already hold other stations' data.

package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
)

// CopyCount is how many rows of one kind a copy wrote, and how many it found already in
// the destination and left alone.
type CopyCount struct {
	Copied  int `json:"copied"`
	Skipped int `json:"skipped"`
}

// CopyReport is what CopyTo did, and what its check of the copy found.
type CopyReport struct {
	// Source is the copied journal's id (see JournalID), by which the destination
	// remembers how much of its audit trail it holds.
	Source   string    `json:"source"`
	Targets  CopyCount `json:"targets"`
	Settings CopyCount `json:"settings"`
	People   CopyCount `json:"people"`
	// PeopleUpdated counts people the destination held already whose record in the
	// source was changed later: the source's fields replaced the destination's.
	PeopleUpdated int       `json:"people_updated"`
	Captures      CopyCount `json:"captures"`
	Blobs         CopyCount `json:"blobs"`
	Outbox        CopyCount `json:"outbox"`
	// Superseded counts waiting pushes that a newer waiting push of the same person to the
	// same target replaced, the older of a source's and the destination's, as a new
	// capture replaces a waiting push.
	Superseded int       `json:"superseded"`
	Waiting    CopyCount `json:"waiting"`
	Audit      CopyCount `json:"audit"`
	Check      CopyCheck `json:"check"`
}

// CopyTotals counts rows of a journal that a copy checks.
type CopyTotals struct {
	People   int                 `json:"people"`
	Captures int                 `json:"captures"`
	Blobs    int                 `json:"blobs"`
	Outbox   map[OutboxState]int `json:"outbox"` // by state
	Waiting  int                 `json:"waiting"`
	Audit    int                 `json:"audit"`
}

// CopyCheck is the comparison of the source with the destination after a copy.
type CopyCheck struct {
	// Source counts the source's rows; Found those of them the destination holds: blobs
	// with equal sealed bytes (by SHA-256), outbox rows in the same state, waiting people
	// waiting or enrolled, audit rows appended to its trail.
	Source CopyTotals `json:"source"`
	Found  CopyTotals `json:"found"`
	// OutboxSuperseded counts waiting pushes of the source that the destination holds
	// superseded by a newer push of the same person to the same target.
	OutboxSuperseded int `json:"outbox_superseded"`
	// Problems lists every difference found; empty when the copy is whole.
	Problems []string `json:"problems"`
	// Destination is the destination's own Verify after the copy.
	Destination Report `json:"destination"`
}

// OK reports whether the copy is whole and the destination verifies clean.
func (c CopyCheck) OK() bool { return len(c.Problems) == 0 && c.Destination.OK() }

func (c *CopyCheck) add(format string, a ...any) {
	if len(c.Problems) < maxProblems {
		c.Problems = append(c.Problems, fmt.Sprintf(format, a...))
	}
}

// Batch sizes of a copy: each batch is one write of the destination.
const (
	copyPeopleBatch = 1000
	copyRowsBatch   = 2000
	// copyBlobBytes bounds the biometric data of one write, and so what is held in memory.
	copyBlobBytes = 16 << 20
)

// CopyTo copies this journal into dst, which must have been opened with the same journal
// key: blobs are sealed for their person, capture and kind, not for row ids, so their
// sealed bytes are copied as they are. Rows are matched by their natural keys, so dst may
// hold other journals' data and CopyTo may run again; a second run copies nothing:
//
//   - targets by name: a target of the same name in dst is used, its settings kept;
//   - settings by name: dst's own values are kept;
//   - people by key: of a person dst holds already, the record changed last wins (a tie
//     keeps dst's); their captures are added either way, so no capture is lost;
//   - captures by their id, with their blobs;
//   - outbox rows, of every state, by person key, target, operation, creation time and
//     capture; a waiting push older than one of dst's for the same person and target is
//     superseded by it, or supersedes it when newer;
//   - the waiting list by person key: people dst holds enrolled or waiting are left out,
//     the others join the end of dst's list in their order; people dst was waiting for
//     and this journal enrolled leave dst's list, as enrolling takes them off it;
//   - the audit trail: this journal's rows are appended to dst's hash chain (new ids,
//     chained), and dst's meta keeps how far, so no row is appended twice. An audit row
//     naming a target names dst's target of that name, or none if it was deleted.
//
// This journal is read in one read transaction; dst is written in batches. Afterwards the
// copy is checked: the source's people, captures, blobs (sealed bytes by SHA-256), outbox
// rows by state, waiting list and audit rows are looked for in dst, and dst is verified.
// A dst whose key differs is refused before anything is written (ErrWrongKey).
func (s *Store) CopyTo(ctx context.Context, dst *Store) (CopyReport, error) {
	rep, err := s.copyTo(ctx, dst)
	if err != nil {
		return rep, fmt.Errorf("copy journal %s to %s: %w", s.path, dst.path, err)
	}
	return rep, nil
}

func (s *Store) copyTo(ctx context.Context, dst *Store) (CopyReport, error) {
	var rep CopyReport
	id, err := s.JournalID(ctx)
	if err != nil {
		return rep, err
	}
	rep.Source = id
	if err := s.sameKey(ctx, dst); err != nil {
		return rep, err
	}
	if other, err := dst.JournalID(ctx); err != nil {
		return rep, err
	} else if other == id {
		return rep, fmt.Errorf("%w: the destination is this same journal", ErrInvalid)
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return rep, err
	}
	defer tx.Rollback()
	c := &copier{src: s, dst: dst, tx: tx, rep: &rep, people: map[string]int64{}, captures: map[string]int64{},
		targets: map[TargetID]TargetID{}}
	for _, step := range []struct {
		name string
		fn   func(context.Context) error
	}{
		{"targets", c.copyTargets}, {"settings", c.copySettings}, {"people and captures", c.copyPeople},
		{"outbox", c.copyOutbox}, {"waiting list", c.copyWaiting}, {"audit trail", c.copyAudit},
	} {
		if err := step.fn(ctx); err != nil {
			return rep, fmt.Errorf("%s: %w", step.name, err)
		}
	}
	if err := c.check(ctx); err != nil {
		return rep, fmt.Errorf("check the copy: %w", err)
	}
	if rep.Check.Destination, err = dst.Verify(ctx); err != nil {
		return rep, err
	}
	return rep, nil
}

// copier carries a copy's state: the source's read transaction and how source rows map
// to the destination's.
type copier struct {
	src, dst *Store
	tx       *sql.Tx
	rep      *CopyReport
	people   map[string]int64      // person key: the destination's row id
	captures map[string]int64      // capture id: the destination's row id
	targets  map[TargetID]TargetID // the source's target: the destination's
	// peopleIDs are the destination's people of the source, for their push states.
	peopleIDs []int64
}

// JournalID names the journal for copies of it: a digest of its key check value, which is
// sealed with a random nonce when the journal is made, so no two journals share it.
func (s *Store) JournalID(ctx context.Context) (string, error) {
	var sealed []byte
	err := s.r.QueryRowContext(ctx, `SELECT value FROM meta WHERE name = 'key_check'`).Scan(&sealed)
	if err != nil {
		return "", fmt.Errorf("journal id of %s: read key check: %w", s.path, err)
	}
	sum := sha256.Sum256(sealed)
	return hex.EncodeToString(sum[:12]), nil
}

// sameKey checks that dst's key check opens with this journal's key: its blobs and audit
// links are then dst's too.
func (s *Store) sameKey(ctx context.Context, dst *Store) error {
	var sealed []byte
	if err := dst.r.QueryRowContext(ctx, `SELECT value FROM meta WHERE name = 'key_check'`).Scan(&sealed); err != nil {
		return fmt.Errorf("read the destination's key check: %w", err)
	}
	if !s.sealer.opensKeyCheck(sealed) {
		return fmt.Errorf("%w: the destination journal was made with another key; nothing was copied", ErrWrongKey)
	}
	return nil
}

// errMustWrite is how a batch run on a read transaction says it has something to write.
var errMustWrite = errors.New("the batch has rows to write")

// apply runs a batch: first in a read transaction of dst, probing, where fn returns
// errMustWrite rather than write; only then again in a write of dst. A batch with nothing
// to copy so takes no write lock, and a second run holds up no station of the site.
func (c *copier) apply(ctx context.Context, fn func(tx *sql.Tx, probe bool) error) error {
	saved, n := *c.rep, len(c.peopleIDs)
	tx, err := c.dst.readTx(ctx)
	if err != nil {
		return err
	}
	err = fn(tx, true)
	tx.Rollback()
	if !errors.Is(err, errMustWrite) {
		return err
	}
	*c.rep, c.peopleIDs = saved, c.peopleIDs[:n] // counted again by the write
	return c.dst.write(ctx, func(tx *sql.Tx) error { return fn(tx, false) })
}

// keysJSON is keys as the JSON rows the copy's statements read with j.value->>0.
func keysJSON(keys []string) string {
	rows := make([][1]string, len(keys))
	for i, k := range keys {
		rows[i][0] = k
	}
	b, _ := json.Marshal(rows) // strings always marshal
	return string(b)
}

// inKeys is the condition "col is one of the keys in the JSON rows ?1".
func inKeys(col string) string { return col + ` IN (SELECT j.value->>0 FROM json_each(?1) j)` }

// nullable is a nullable column's value for a JSON row.
func nullable(v sql.NullInt64) any {
	if !v.Valid {
		return nil
	}
	return v.Int64
}

func (c *copier) copyTargets(ctx context.Context) error {
	src, err := listTargets(ctx, c.tx)
	if err != nil {
		return err
	}
	return c.apply(ctx, func(tx *sql.Tx, probe bool) error {
		have, err := listTargets(ctx, tx)
		if err != nil {
			return err
		}
		byName := map[string]TargetID{}
		for _, t := range have {
			byName[t.Name] = t.ID
		}
		c.rep.Targets = CopyCount{}
		for _, t := range src {
			if id, ok := byName[t.Name]; ok {
				c.targets[t.ID] = id
				c.rep.Targets.Skipped++
				continue
			}
			if probe {
				return errMustWrite
			}
			opts, err := json.Marshal(t.Options)
			if err != nil {
				return err
			}
			var id int64
			if err := tx.QueryRowContext(ctx, `
				INSERT INTO targets (kind, name, address, account, secret_ref, cert_pin, options, enabled, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				string(t.Kind), t.Name, t.Address, t.Account, t.SecretRef, t.CertPin, string(opts), t.Enabled,
				t.CreatedAt.UnixMilli(), t.UpdatedAt.UnixMilli()).Scan(&id); err != nil {
				return fmt.Errorf("target %q: %w", t.Name, err)
			}
			c.targets[t.ID] = TargetID(id)
			c.rep.Targets.Copied++
		}
		return nil
	})
}

// execRows runs query with rows as the JSON array ?1; nothing when there are none.
func execRows(ctx context.Context, tx *sql.Tx, query string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, query, string(b))
	return err
}

// eachRowOf is eachRow for a query with arguments.
func eachRowOf(ctx context.Context, tx *sql.Tx, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// eachKey runs a query of one text column with args and hands each value to fn.
func eachKey(ctx context.Context, tx *sql.Tx, query string, arg any, fn func(string)) error {
	return eachRowOf(ctx, tx, query, []any{arg}, func(rows *sql.Rows) error {
		var k string
		err := rows.Scan(&k)
		fn(k)
		return err
	})
}
