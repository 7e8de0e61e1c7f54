// What a claim reads with its rows: their people and captures.

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
)

// claimedPush selects the push rows among the outbox ids in the JSON array ?1.
const claimedPush = `SELECT %s FROM outbox WHERE op = 'push' AND id IN (SELECT value FROM json_each(?1))`

// The reads of a claim, each one statement for all its rows.
var (
	claimPeople = `SELECT ` + personColumns + ` FROM people p WHERE p.id IN (` + fmt.Sprintf(claimedPush, "person_id") + `)`
	claimCaps   = `SELECT ` + captureColumns + ` FROM captures c JOIN people p ON p.id = c.person_id
		WHERE c.id IN (` + fmt.Sprintf(claimedPush, "capture_id") + `)`
	claimedBlobs = `SELECT capture_id, kind, variant, media_type, size, sealed FROM blobs
		WHERE capture_id IN (` + fmt.Sprintf(claimedPush, "capture_id") + `)`
	claimBlobs = claimedBlobs + ` ORDER BY capture_id, id`
	claimReads = []string{claimPeople, claimCaps}
)

// blobRead is the statement that reads a claim's blobs, and its arguments after the rows.
type blobRead struct {
	query string
	args  []any
}

// readBlobs is the statement that reads the blobs wants names (every blob when nil). Each
// want is a term of it, with its values bound from ?2 on: the text depends only on the wants' shape,
// so a worker's claims share one prepared statement, and no row is matched against a list
// decoded again for each blob.
func readBlobs(wants []BlobWant) blobRead {
	if wants == nil {
		return blobRead{query: claimBlobs}
	}
	var r blobRead
	param := func(v string) string {
		r.args = append(r.args, v)
		return fmt.Sprintf("?%d", len(r.args)+1)
	}
	terms := []string{"FALSE"} // no wants: no blob
	for _, w := range wants {
		t := "blobs.kind = " + param(string(w.Kind))
		if w.Variant != AnyVariant {
			t += " AND blobs.variant = " + param(w.Variant)
		}
		if w.Unless != "" {
			t += " AND NOT EXISTS (SELECT 1 FROM blobs u WHERE u.capture_id = blobs.capture_id AND u.kind = " +
				param(string(w.Unless)) + ")"
		}
		terms = append(terms, "("+t+")")
	}
	r.query = claimedBlobs + " AND (" + strings.Join(terms, " OR ") + ") ORDER BY capture_id, id"
	return r
}

// readClaimed reads the people of the claimed rows ids, and the captures of the rows
// read with the blobs br reads, into c. A person or capture that does not read (damaged
// data) is left out rather than failing the claim: the worker then reads it for its row,
// and that row alone reports the damage.
func (s *Store) readClaimed(ctx context.Context, ts *txStmts, ids, read []int64, br blobRead, c *Claim) error {
	if len(ids) == 0 {
		return nil
	}
	b, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	if err := queryEach(ctx, ts, claimPeople, []any{string(b)}, func(row scanner) error {
		if p, err := scanPerson(row); err == nil {
			c.People[p.Key] = p
		}
		return nil
	}); err != nil {
		return fmt.Errorf("people: %w", err)
	}
	if len(read) == 0 {
		return nil
	}
	if b, err = json.Marshal(read); err != nil {
		return err
	}
	list := string(b)
	byRow := map[int64]string{}
	if err := queryEach(ctx, ts, claimCaps, []any{list}, func(row scanner) error {
		if id, cp, err := scanCapture(row); err == nil {
			c.Captures[cp.ID], byRow[id] = cp, cp.ID
		}
		return nil
	}); err != nil {
		return fmt.Errorf("captures: %w", err)
	}
	err = queryEach(ctx, ts, br.query, append([]any{list}, br.args...), func(row scanner) error {
		var capture int64
		var bl Blob
		var sealed sql.RawBytes // opened before the next row: no copy of every blob
		if err := row.Scan(&capture, &bl.Kind, &bl.Variant, &bl.MediaType, &bl.Size, &sealed); err != nil {
			return err
		}
		key, ok := byRow[capture]
		if !ok {
			return nil
		}
		cp := c.Captures[key]
		var err error
		if bl.Data, err = s.sealer.openBlob(sealed, blobRef{cp.PersonKey, cp.ID, bl.Kind, bl.Variant}); err != nil {
			delete(c.Captures, key)
			delete(byRow, capture)
			return nil
		}
		cp.Blobs = append(cp.Blobs, bl)
		c.Captures[key] = cp
		return nil
	})
	if err != nil {
		return fmt.Errorf("blobs: %w", err)
	}
	return nil
}

// queryEach runs query with args and calls fn for each row.
func queryEach(ctx context.Context, ts *txStmts, query string, args []any, fn func(scanner) error) error {
	st, err := ts.get(ctx, query)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, args...)
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
