// Checking a copy (see CopyTo): the source's rows looked for in the destination.

package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
)

// check compares the source, in the copy's read transaction, with the destination as
// it now stands, and fills in the report's Check.
func (c *copier) check(ctx context.Context) error {
	chk := &c.rep.Check
	chk.Problems = []string{}
	chk.Source.Outbox, chk.Found.Outbox = map[OutboxState]int{}, map[OutboxState]int{}
	dtx, err := c.dst.readTx(ctx)
	if err != nil {
		return err
	}
	defer dtx.Rollback()
	for _, step := range []func(context.Context, *sql.Tx) error{c.checkPeople, c.checkCaptures, c.checkOutbox, c.checkWaiting, c.checkAudit} {
		if err := step(ctx, dtx); err != nil {
			return err
		}
	}
	return nil
}

// sourceKeys reads a batch of one text column of the source's table, by row id after after.
func (c *copier) sourceKeys(ctx context.Context, table, col string, after int64) (keys []string, last int64, err error) {
	err = eachRowOf(ctx, c.tx, `SELECT id, `+col+` FROM `+table+` WHERE id > ? ORDER BY id LIMIT ?`,
		[]any{after, copyRowsBatch}, func(r *sql.Rows) error {
			var k string
			if err := r.Scan(&last, &k); err != nil {
				return err
			}
			keys = append(keys, k)
			return nil
		})
	return keys, last, err
}

func (c *copier) checkPeople(ctx context.Context, dtx *sql.Tx) error {
	for after := int64(0); ; {
		keys, last, err := c.sourceKeys(ctx, "people", "person_key", after)
		if err != nil || len(keys) == 0 {
			return err
		}
		after = last
		found := map[string]bool{}
		if err := eachKey(ctx, dtx, `SELECT person_key FROM people WHERE `+inKeys("person_key"), keysJSON(keys),
			func(k string) { found[k] = true }); err != nil {
			return err
		}
		c.rep.Check.Source.People += len(keys)
		for _, k := range keys {
			if found[k] {
				c.rep.Check.Found.People++
			} else {
				c.rep.Check.add("person %s is missing from the destination", k)
			}
		}
	}
}

// blobID names a blob across journals.
type blobID struct{ capture, person, kind, variant string }

// blobHashes reads the SHA-256 of sealed blobs matching where, with args: the server
// computes them on PostgreSQL, so the bytes need not travel.
func blobHashes(ctx context.Context, tx *sql.Tx, pg bool, where string, args ...any) (map[blobID][sha256.Size]byte, error) {
	col := `b.sealed`
	if pg {
		col = `sha256(b.sealed)`
	}
	out := map[blobID][sha256.Size]byte{}
	err := eachRowOf(ctx, tx, `SELECT c.capture_key, p.person_key, b.kind, b.variant, `+col+`
		FROM blobs b JOIN captures c ON c.id = b.capture_id JOIN people p ON p.id = c.person_id WHERE `+where, args,
		func(r *sql.Rows) error {
			var id blobID
			var v []byte
			if err := r.Scan(&id.capture, &id.person, &id.kind, &id.variant, &v); err != nil {
				return err
			}
			var h [sha256.Size]byte
			if pg {
				copy(h[:], v)
			} else {
				h = sha256.Sum256(v)
			}
			out[id] = h
			return nil
		})
	return out, err
}

func (c *copier) checkCaptures(ctx context.Context, dtx *sql.Tx) error {
	for after := int64(0); ; {
		keys, last, err := c.sourceKeys(ctx, "captures", "capture_key", after)
		if err != nil || len(keys) == 0 {
			return err
		}
		owner := map[string]string{}
		if err := eachRowOf(ctx, dtx, `SELECT c.capture_key, p.person_key FROM captures c JOIN people p ON p.id = c.person_id
			WHERE `+inKeys("c.capture_key"), []any{keysJSON(keys)}, func(r *sql.Rows) error {
			var k, p string
			err := r.Scan(&k, &p)
			owner[k] = p
			return err
		}); err != nil {
			return err
		}
		c.rep.Check.Source.Captures += len(keys)
		for _, k := range keys {
			if _, ok := owner[k]; ok {
				c.rep.Check.Found.Captures++
			} else {
				c.rep.Check.add("capture %s is missing from the destination", k)
			}
		}
		src, err := blobHashes(ctx, c.tx, c.src.pg, `c.id > ?1 AND c.id <= ?2`, after, last)
		if err != nil {
			return err
		}
		dst, err := blobHashes(ctx, dtx, c.dst.pg, inKeys("c.capture_key"), keysJSON(keys))
		if err != nil {
			return err
		}
		c.rep.Check.Source.Blobs += len(src)
		for id, h := range src {
			d, ok := dst[id]
			switch {
			case !ok && owner[id.capture] != "" && owner[id.capture] != id.person:
				c.rep.Check.add("capture %s belongs to person %s in the destination, not %s", id.capture, owner[id.capture], id.person)
			case !ok:
				c.rep.Check.add("blob %s/%s of capture %s is missing from the destination", id.kind, id.variant, id.capture)
			case !bytes.Equal(d[:], h[:]):
				c.rep.Check.add("blob %s/%s of capture %s differs in the destination", id.kind, id.variant, id.capture)
			default:
				c.rep.Check.Found.Blobs++
			}
		}
		after = last
	}
}

func (c *copier) checkOutbox(ctx context.Context, dtx *sql.Tx) error {
	chk := &c.rep.Check
	for after := int64(0); ; {
		batch, err := readOutbox(ctx, c.tx, after)
		if err != nil || len(batch) == 0 {
			return err
		}
		after = batch[len(batch)-1].id
		var keys []string
		for _, o := range batch {
			keys = append(keys, o.person)
		}
		held, err := heldOutboxOf(ctx, dtx, keys)
		if err != nil {
			return err
		}
		for _, o := range batch {
			chk.Source.Outbox[o.state]++
			h, ok := held.take(o.ident(c.targets[o.target]))
			waiting := o.op == string(OpPush) && (o.state == OutboxPending || o.state == OutboxFailed)
			switch {
			case !ok:
				chk.add("outbox row %d (%s of %s to target %d) is missing from the destination", o.id, o.op, o.person, o.target)
			case h.state == o.state:
				chk.Found.Outbox[o.state]++
			case waiting && h.state == OutboxSuperseded:
				chk.OutboxSuperseded++
			default:
				chk.add("outbox row %d (%s of %s) is %s in the source but %s in the destination (row %d)",
					o.id, o.op, o.person, o.state, h.state, h.id)
			}
		}
	}
}

func (c *copier) checkWaiting(ctx context.Context, dtx *sql.Tx) error {
	for after := int64(0); ; {
		keys, last, err := c.sourceKeys(ctx, "waiting", "person_key", after)
		if err != nil || len(keys) == 0 {
			return err
		}
		after = last
		found := map[string]bool{}
		for _, q := range []string{`SELECT person_key FROM people WHERE ` + inKeys("person_key"),
			`SELECT person_key FROM waiting WHERE ` + inKeys("person_key")} {
			if err := eachKey(ctx, dtx, q, keysJSON(keys), func(k string) { found[k] = true }); err != nil {
				return err
			}
		}
		c.rep.Check.Source.Waiting += len(keys)
		for _, k := range keys {
			if found[k] {
				c.rep.Check.Found.Waiting++
			} else {
				c.rep.Check.add("waiting person %s is neither waiting nor enrolled in the destination", k)
			}
		}
	}
}

func (c *copier) checkAudit(ctx context.Context, dtx *sql.Tx) error {
	var n int
	var last sql.NullInt64
	if err := c.tx.QueryRowContext(ctx, `SELECT count(*), max(id) FROM audit`).Scan(&n, &last); err != nil {
		return err
	}
	c.rep.Check.Source.Audit = n
	mark, err := copiedAudit(ctx, dtx, c.rep.Source)
	if err != nil {
		return err
	}
	if mark < last.Int64 {
		c.rep.Check.add("audit rows after row %d of the source are missing from the destination (the source ends at row %d)", mark, last.Int64)
		return nil
	}
	c.rep.Check.Found.Audit = n
	return nil
}
