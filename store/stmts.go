package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmtCache holds statements prepared once on one pool: the outbox's hot path runs a few
// statements per row, and preparing them again each time was most of its cost.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func (c *stmtCache) lookup(q string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[q]
}

// get returns q prepared on db, preparing it on first use. It holds no lock while it
// prepares: on the writer, a transaction under way looks statements up meanwhile.
func (c *stmtCache) get(ctx context.Context, db *sql.DB, q string) (*sql.Stmt, error) {
	if st := c.lookup(q); st != nil {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev := c.m[q]; prev != nil { // another caller prepared it meanwhile
		st.Close()
		return prev, nil
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[q] = st
	return st, nil
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for q, st := range c.m {
		errs = append(errs, st.Close())
		delete(c.m, q)
	}
	return errors.Join(errs...)
}

// prepare readies queries on the writer. It must run outside a transaction (the writer
// has a single connection).
func (s *Store) prepare(ctx context.Context, queries ...string) error {
	for _, q := range queries {
		if _, err := s.prep.get(ctx, s.w, q); err != nil {
			return err
		}
	}
	return nil
}

// reader returns q prepared on the readers' pool, for reads made once per outbox row.
func (s *Store) reader(ctx context.Context, q string) (*sql.Stmt, error) {
	return s.rprep.get(ctx, s.r, q)
}

// txStmts are the statements of one transaction: the writer's prepared ones where there
// are, else prepared in the transaction, once.
type txStmts struct {
	s  *Store
	tx *sql.Tx
	m  map[string]*sql.Stmt
}

func (s *Store) txStmts(tx *sql.Tx) *txStmts {
	return &txStmts{s: s, tx: tx, m: map[string]*sql.Stmt{}}
}

func (t *txStmts) get(ctx context.Context, query string) (*sql.Stmt, error) {
	if st := t.m[query]; st != nil {
		return st, nil
	}
	var st *sql.Stmt
	if parent := t.s.prep.lookup(query); parent != nil {
		st = t.tx.StmtContext(ctx, parent)
	} else {
		var err error
		if st, err = t.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
	}
	t.m[query] = st
	return st, nil
}

func (t *txStmts) close() {
	for _, st := range t.m {
		st.Close()
	}
}
