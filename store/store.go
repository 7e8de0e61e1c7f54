// Package store is the workstation's journal: one SQLite file, or one PostgreSQL database
// shared by the stations of a site, holding the people enrolled,
// their captures with biometric blobs encrypted at rest (AES-256-GCM), the push targets,
// the outbox of pushes still to make, the audit trail and settings. Everything captured is
// committed here before any push, so nothing is lost when a device, the network or the
// program fails.
//
// One connection writes (BEGIN IMMEDIATE, so writers queue rather than deadlock); a small
// pool reads. Several programs may open the same journal at once. On PostgreSQL the writers
// of every station queue on one advisory lock the same way, except claims of outbox rows,
// which lock only the rows they take (FOR UPDATE SKIP LOCKED).
package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

// Errors a caller may want to tell apart; they arrive wrapped with context.
var (
	// ErrWrongKey means the key does not open this journal; nothing was changed.
	ErrWrongKey = errors.New("wrong journal key")
	// ErrNotFound means no person, capture, target, outbox row or setting has that name.
	ErrNotFound = errors.New("not found")
	// ErrInvalid means the caller's data was refused before anything was written.
	ErrInvalid = errors.New("invalid")
	// ErrLeaseLost means an outbox row is no longer in flight under this worker: its lease
	// expired and another worker claimed it, or the person was erased meanwhile.
	ErrLeaseLost = errors.New("outbox lease lost")
)

// SchemaError reports a journal written by a newer program; it is refused untouched.
type SchemaError struct {
	Path    string
	Journal int // the journal's schema version
	Program int // the newest version this program knows
}

// Error names both versions and what to do.
func (e *SchemaError) Error() string {
	return fmt.Sprintf("journal %s has schema version %d, but this program only knows versions up to %d: "+
		"it was written by a newer Enroll Station; use that release or a later one", e.Path, e.Journal, e.Program)
}

// Store is an open journal. It is safe for concurrent use.
type Store struct {
	path   string // the file, or the database URL without its password
	url    string // the PostgreSQL URL, password and all; empty for a file
	pg     bool
	w      *sql.DB // one connection, BEGIN IMMEDIATE: the only writer
	r      *sql.DB // readers, query_only
	sealer *sealer
	now    func() time.Time
	prep   stmtCache // the writer's prepared statements of the outbox's hot path
	rprep  stmtCache // the readers' ones
	// failAt, when set by tests, makes a save fail at the named step.
	failAt func(step string) error
	// walkFrom, when set by tests, replaces the constant of that name: the walk of a
	// broad search arm is then tried on a few thousand people.
	walkFrom int
}

// Open opens the journal at path, creating it (0600, in a folder made 0700) when missing, checks
// the key, and migrates the schema to the current version. A wrong key or a newer schema is
// refused before anything in the file changes. A postgres:// URL for path opens the site's
// journal in that database instead, creating its tables when it has none.
func Open(ctx context.Context, path string, key []byte) (*Store, error) {
	sl, err := newSealer(key)
	if err != nil {
		return nil, fmt.Errorf("open journal: %w", err)
	}
	s, err := locate(path)
	if err != nil {
		return nil, err
	}
	if !s.pg {
		if err := privateFiles(s.path); err != nil {
			return nil, fmt.Errorf("open journal %s: %w", s.path, err)
		}
	}
	s.sealer, s.now = sl, time.Now
	if err := s.open(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// locate is the journal at path, not opened yet: a file by its absolute path, or a
// PostgreSQL database by its URL.
func locate(path string) (*Store, error) {
	if IsPostgres(path) {
		return &Store{path: Redact(path), url: path, pg: true}, nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open journal %s: %w", path, err)
	}
	return &Store{path: abs}, nil
}

// connect opens the writer's or the readers' pool on the journal's engine.
func (s *Store) connect(writer bool) (*sql.DB, error) {
	if s.pg {
		return openPostgres(s.url, writer)
	}
	return sql.Open("sqlite", dsn(s.path, writer))
}

func (s *Store) open(ctx context.Context) error {
	var err error
	if s.w, err = s.connect(true); err != nil {
		return fmt.Errorf("open journal %s: %w", s.path, err)
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetConnMaxIdleTime(0)
	version, err := s.version(ctx, s.w)
	if err != nil {
		return fmt.Errorf("open journal %s: %w", s.path, err)
	}
	latest := latest(s.schema())
	if latest == 0 {
		return fmt.Errorf("open journal: this program carries no schema")
	}
	if version > latest {
		return &SchemaError{Path: s.path, Journal: version, Program: latest}
	}
	if version > 0 {
		if err := s.checkKey(ctx); err != nil {
			return err
		}
	}
	if err := s.migrateTo(ctx, latest); err != nil {
		return fmt.Errorf("open journal %s: %w", s.path, err)
	}
	if err := s.ensureKeyCheck(ctx); err != nil {
		return err
	}
	if s.r, err = s.connect(false); err != nil {
		return fmt.Errorf("open journal %s: %w", s.path, err)
	}
	// Keep every reader open: opening one runs its pragmas, and each prepared statement
	// is prepared again on it (database/sql keeps only two idle by default).
	s.r.SetMaxOpenConns(readers)
	s.r.SetMaxIdleConns(readers)
	if err := s.r.PingContext(ctx); err != nil {
		return fmt.Errorf("open journal %s: %w", s.path, err)
	}
	return nil
}

// dsn builds the driver's connection string. Pragmas per connection: WAL so readers never
// wait for the writer; a busy timeout so a second program waits its turn; foreign keys;
// synchronous FULL because a capture must survive a power cut once saved; secure_delete so
// erased bytes are overwritten, not just unlinked. The writer begins every transaction
// IMMEDIATE, taking the write lock up front instead of failing on upgrade.
// readers is how many read connections the journal keeps.
const readers = 4

func dsn(path string, writer bool) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs // a relative path would read as a URI authority
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "secure_delete(1)")
	if writer {
		// 64 MiB: the writer reads the captures its claims push, most of them saved by it
		// moments before; a backlog of a few thousand stays in its cache.
		q.Add("_pragma", "cache_size(-65536)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "cache_size(-16384)") // 16 MiB: the search indexes of 100,000 people fit
		// Searches among a million people read hundreds of MiB of index: mapped, they read
		// the file cache's pages in place instead of copying each in with a system call
		// (half the time of "ma" there). Only the address space is reserved.
		q.Add("_pragma", "mmap_size(1073741824)")
		q.Add("_pragma", "query_only(1)")
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	if runtime.GOOS == "windows" {
		u.Path = "/" + u.Path // file:///C:/...
	}
	return u.String()
}

// CheckKey reports whether key opens the journal at path, reading it only: nil when it
// does, an error wrapping ErrWrongKey when it does not. A journal that was never finished
// (no key check yet) opens with any key.
func CheckKey(ctx context.Context, path string, key []byte) error {
	sl, err := newSealer(key)
	if err != nil {
		return err
	}
	s, err := locate(path)
	if err != nil {
		return err
	}
	s.sealer = sl
	if s.w, err = s.connect(false); err != nil {
		return fmt.Errorf("open journal %s: %w", s.path, err)
	}
	defer s.w.Close()
	return s.checkKey(ctx)
}

// checkKey opens the key check value: a wrong key is reported before any write.
func (s *Store) checkKey(ctx context.Context) error {
	var sealed []byte
	err := s.w.QueryRowContext(ctx, `SELECT value FROM meta WHERE name = 'key_check'`).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // created but never finished opening; ensureKeyCheck writes it
	}
	if err != nil {
		return fmt.Errorf("open journal %s: read key check: %w", s.path, err)
	}
	if !s.sealer.opensKeyCheck(sealed) {
		return fmt.Errorf("open journal %s: %w: the key from the secret store does not open this journal; nothing was changed", s.path, ErrWrongKey)
	}
	return nil
}

// opensKeyCheck reports whether sealed is a key check value sealed with this key.
func (sl *sealer) opensKeyCheck(sealed []byte) bool {
	plain, err := sl.open(sealed, []byte(keyCheckAD))
	return err == nil && bytes.Equal(plain, []byte(keyCheckPlain))
}

// ensureKeyCheck stores the key check value on a new journal, then checks it, which also
// catches a second program that created the journal with another key at the same moment.
func (s *Store) ensureKeyCheck(ctx context.Context) error {
	sealed, err := s.sealer.seal([]byte(keyCheckPlain), []byte(keyCheckAD))
	if err != nil {
		return err
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO meta (name, value) VALUES ('key_check', ?) ON CONFLICT DO NOTHING`, sealed); err != nil {
		return fmt.Errorf("open journal %s: write key check: %w", s.path, err)
	}
	return s.checkKey(ctx)
}

// Close closes the journal. The last connection to close folds the write-ahead log into
// the main file.
func (s *Store) Close() error {
	errs := []error{s.prep.close(), s.rprep.close()}
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		errs = append(errs, s.w.Close())
	}
	return errors.Join(errs...)
}

// Path is the journal file's absolute path, or its database's URL without the password.
func (s *Store) Path() string { return s.path }

// DataDir is the user data folder of Enroll Station, where the journal and the log live:
// $XDG_DATA_HOME/enrollstation (~/.local/share/enrollstation when unset) on Linux and the
// BSDs, and enrollstation under the user config folder (Application Support, AppData)
// elsewhere.
func DataDir() (string, error) {
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "plan9":
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("user data folder: %w", err)
		}
		return filepath.Join(dir, "enrollstation"), nil
	}
	if dir := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "enrollstation"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("user data folder: %w", err)
	}
	return filepath.Join(home, ".local", "share", "enrollstation"), nil
}

// DefaultPath is where the journal lives unless told otherwise: journal.db in DataDir.
func DefaultPath() (string, error) {
	dir, err := DataDir()
	if err != nil {
		return "", fmt.Errorf("journal location: %w", err)
	}
	return filepath.Join(dir, "journal.db"), nil
}

// ms converts a time to the journal's Unix milliseconds; the zero time is NULL.
func ms(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

// fromMS converts the journal's Unix milliseconds back; NULL is the zero time.
func fromMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

// step runs the test hook for a save step, if any.
func (s *Store) step(name string) error {
	if s.failAt == nil {
		return nil
	}
	return s.failAt(name)
}
