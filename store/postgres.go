// The journal on PostgreSQL: one database shared by the stations of a site. The store's
// statements are written once, in the SQL both engines take, with SQLite's few spellings
// of its own (?N parameters, json_each, unhex) turned into PostgreSQL's by pgSQL when a
// connection prepares them.

package store

import (
	"context"
	"crypto/tls"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// IsPostgres reports whether location names a PostgreSQL database (a postgres:// or
// postgresql:// URL) rather than a journal file.
func IsPostgres(location string) bool {
	return strings.HasPrefix(location, "postgres://") || strings.HasPrefix(location, "postgresql://")
}

// Exists reports whether a journal is at location: the file, or the journal's tables in
// the database, which must answer.
func Exists(ctx context.Context, location string) (bool, error) {
	if !IsPostgres(location) {
		_, err := os.Stat(location)
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		return err == nil, err
	}
	db, err := openPostgres(location, false)
	if err != nil {
		return false, err
	}
	defer db.Close()
	v, err := pgVersion(ctx, db)
	if err != nil {
		return false, fmt.Errorf("journal at %s: %w", Redact(location), err)
	}
	return v > 0, nil
}

// Redact returns location with any password in it replaced by "xxxxx", for display and logs.
func Redact(location string) string {
	if !IsPostgres(location) {
		return location
	}
	u, err := url.Parse(location)
	if err != nil {
		return "postgres://(unreadable URL)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// isUnique reports whether err is a unique constraint's refusal, on either engine.
func isUnique(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// journalLockKey is the PostgreSQL advisory lock every write of the journal but a claim
// holds to its commit ("ENRL" in ASCII), with the journal's schema as its second key: two
// journals in one database do not wait for each other.
const journalLockKey = 0x454e524c

// auditLockKey is the advisory lock an append to the audit trail holds to its commit
// ("AUDT"): the chain has one tip, so its appends follow each other.
const auditLockKey = 0x41554454

// journalLock is how a write on PostgreSQL holds the journal's lock.
type journalLock int

const (
	// lockNone: claims lock only the rows they take (FOR UPDATE SKIP LOCKED).
	lockNone journalLock = iota
	// lockShared: recorded outcomes run beside each other, never beside another write.
	lockShared
	// lockExclusive: every other write, alone, as on one SQLite file.
	lockExclusive
)

// lockJournal takes the journal's lock inside tx as mode says, on PostgreSQL, in one round
// trip with the settings of the outbox's bookkeeping when bookkeeping: the commit returns
// before its WAL record is flushed (SQLite's synchronous = NORMAL), and the statements run
// on their generic plans. Those fit every claim and outcome, whose plans do not depend on
// the values bound, and the server then plans each statement once per session, not at each
// claim: a tenth less CPU per row with three stations. On SQLite BEGIN IMMEDIATE has the
// lock.
func (s *Store) lockJournal(ctx context.Context, tx *sql.Tx, mode journalLock, bookkeeping bool) error {
	if !s.pg {
		return nil
	}
	var calls []string
	var args []any
	if bookkeeping {
		calls = append(calls, `set_config('synchronous_commit', 'off', true)`, `set_config('plan_cache_mode', 'force_generic_plan', true)`)
	}
	if mode != lockNone {
		fn := `pg_advisory_xact_lock`
		if mode == lockShared {
			fn = `pg_advisory_xact_lock_shared`
		}
		calls = append(calls, fn+advisoryKeys)
		args = append(args, int32(journalLockKey))
	}
	if len(calls) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT `+strings.Join(calls, `, `), args...); err != nil {
		return fmt.Errorf("take the journal's write lock: %w", err)
	}
	return nil
}

// advisoryKeys are the arguments of an advisory lock of the journal: the lock's key ?1
// and the journal's schema.
const advisoryKeys = `(?1, hashtext(current_schema()))`

// lockAuditQuery takes the audit trail's lock on PostgreSQL.
const lockAuditQuery = `SELECT pg_advisory_xact_lock` + advisoryKeys

// openPostgres opens the writer (one connection, as on SQLite) and the readers (read-only
// sessions) on the database at location.
func openPostgres(location string, writer bool) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(location)
	if err != nil {
		return nil, fmt.Errorf("read the PostgreSQL URL: %w", err)
	}
	if err := checkTLS(cfg); err != nil {
		return nil, err
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["application_name"] = "enrollstation"
	cfg.RuntimeParams["timezone"] = "UTC"
	if !writer {
		cfg.RuntimeParams["default_transaction_read_only"] = "on"
	}
	return sql.OpenDB(pgConnector{inner: stdlib.GetConnector(*cfg), rw: &rewriter{}}), nil
}

// checkTLS refuses a database across the network unless pgx will verify its certificate
// (sslmode verify-full or verify-ca, from the URL or PGSSLMODE): the journal holds names,
// card numbers and sealed biometrics, and pgx's default, prefer, takes any certificate or
// none. It reads pgx's own configuration, so it judges what will really be done.
func checkTLS(cfg *pgx.ConnConfig) error {
	host := cfg.Host
	if strings.HasPrefix(host, "/") || host == "localhost" {
		return nil // a Unix socket, or this machine
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	verified := func(c *tls.Config) bool {
		return c != nil && (!c.InsecureSkipVerify || c.VerifyPeerCertificate != nil)
	}
	ok := verified(cfg.TLSConfig)
	for _, fb := range cfg.Fallbacks {
		ok = ok && verified(fb.TLSConfig)
	}
	if ok {
		return nil
	}
	return fmt.Errorf("the site database at %s is reached over the network: add sslmode=verify-full to its URL "+
		"(and sslrootcert=FILE for the site's own certificate authority), so the journal travels encrypted to the server it names", host)
}

// pgConnector hands out pgx connections that take the store's statements.
type pgConnector struct {
	inner driver.Connector
	rw    *rewriter
}

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	cn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{Conn: cn.(*stdlib.Conn), rw: c.rw}, nil
}

func (c pgConnector) Driver() driver.Driver { return c.inner.Driver() }

// pgConn is a pgx connection whose statements are rewritten by pgSQL; everything else is pgx's.
type pgConn struct {
	*stdlib.Conn
	rw *rewriter
}

func (c *pgConn) Prepare(q string) (driver.Stmt, error) { return c.Conn.Prepare(c.rw.sql(q)) }

func (c *pgConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, c.rw.sql(q))
}

func (c *pgConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, c.rw.sql(q), args)
}

func (c *pgConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, c.rw.sql(q), args)
}

// rewriter remembers each statement's PostgreSQL text: the store has a few dozen.
type rewriter struct {
	mu sync.Mutex
	m  map[string]string
}

func (r *rewriter) sql(q string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if pq, ok := r.m[q]; ok {
		return pq
	}
	if r.m == nil {
		r.m = map[string]string{}
	}
	pq := pgSQL(q)
	if len(r.m) < 4096 { // searches vary by filter; bound what is kept
		r.m[q] = pq
	}
	return pq
}

var (
	// Membership in a JSON array of row ids.
	pgIDList = regexp.MustCompile(`IN \(SELECT value FROM json_each\((\?\d*)\)\)`)
	// A JSON array of arrays, as rows whose value is each inner array.
	pgJSONRows = regexp.MustCompile(`json_each\((\?\d*)\)`)
	pgUnhex    = regexp.MustCompile(`unhex\(([^()]*)\)`)
)

// pgSQL turns a statement of the store into PostgreSQL's dialect: id lists read as arrays,
// JSON rows with json_array_elements, unhex with decode, and ?N or ? parameters numbered $N.
// Question marks inside quoted text are left alone.
func pgSQL(q string) string {
	// As an array, so that the planner knows how many ids there are and looks each up.
	q = pgIDList.ReplaceAllString(q, `= ANY(CAST(translate($1, '[]', '{}') AS BIGINT[]))`)
	q = pgJSONRows.ReplaceAllString(q, `json_array_elements(CAST($1 AS json))`)
	q = pgUnhex.ReplaceAllString(q, `decode($1, 'hex')`)
	var b strings.Builder
	b.Grow(len(q) + 8)
	next, quoted := 1, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			b.WriteByte('$')
			if j > i+1 {
				b.WriteString(q[i+1 : j])
			} else {
				b.WriteString(strconv.Itoa(next))
				next++
			}
			i = j - 1
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
