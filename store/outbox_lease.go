// Renewing the leases of claimed rows whose calls run long.

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// renewQuery extends to ?1 the leases of the rows listed in the JSON array ?3 that worker
// ?2 still holds in flight, and names them.
const renewQuery = `UPDATE outbox SET lease_until = ?1
	WHERE state = 'in_flight' AND lease_owner = ?2 AND id IN (SELECT value FROM json_each(?3))
	RETURNING id`

// RenewLeases extends the leases of the rows ids that worker still holds in flight until
// until, so a call that runs long keeps its row: without it, the row is due again once its
// lease ends and another worker pushes it a second time. It returns the rows renewed; a row
// left out is no longer worker's (its lease ran out and another claimed it, or it was
// recorded or released). A lease that ran out unclaimed is renewed: nobody else has the row.
//
// A renewal locks only the rows it renews (as a claim does) and not the journal, so on
// PostgreSQL it waits for no station's writes; a claim taking the same row at once either
// takes it first (the row is not renewed) or skips it.
func (s *Store) RenewLeases(ctx context.Context, worker string, ids []int64, until time.Time) ([]int64, error) {
	if strings.TrimSpace(worker) == "" || until.IsZero() {
		return nil, fmt.Errorf("renew leases: %w: need a worker name and a time", ErrInvalid)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("renew leases of %s: %w", worker, err)
	}
	if err := s.prepare(ctx, renewQuery); err != nil {
		return nil, fmt.Errorf("renew leases of %s: %w", worker, err)
	}
	var renewed []int64
	err = s.writeClaim(ctx, func(tx *sql.Tx) error {
		ts := s.txStmts(tx)
		defer ts.close()
		st, err := ts.get(ctx, renewQuery)
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(ctx, until.UnixMilli(), worker, string(list))
		if err != nil {
			return err
		}
		defer rows.Close()
		renewed = renewed[:0]
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			renewed = append(renewed, id)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("renew leases of %s: %w", worker, err)
	}
	return renewed, nil
}
