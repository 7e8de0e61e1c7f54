// Package enroll holds the enrollment engine: the station the GUI and the CLI hold, with
// its parts below it (the capture session in enroll/capture, preview decoding and composing
// in enroll/preview, and, as they arrive, the push pipeline, firmware upload and erase).
package enroll

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"unicode"

	"enrollstation/enroll/push"
	"enrollstation/enroll/target"
	"enrollstation/store"
	"enrollstation/store/secrets"
)

// Config configures OpenStation. Zero values take the defaults.
type Config struct {
	// JournalPath is the journal file or a postgres:// URL; store.DefaultPath() when empty.
	JournalPath string
	// Secrets is the secrets store; when nil, secrets.Open with SecretsFile as the file
	// fallback.
	Secrets     secrets.Store
	SecretsFile string
	// Push tunes the outbox worker; its Store and Open are filled in by the station.
	Push push.Config
	// Targets tunes the target clients (a shared CLUe pacer is made when none is given).
	Targets target.Options
	// Operator names the station in the audit rows its own work writes (erase steps,
	// repairs); the worker's name when empty.
	Operator string
	Log      *slog.Logger
}

// Change is one outbox row after a change, or a person erased from the journal.
type Change = push.Change

// Report is the outcome of a reconcile of one target.
type Report = push.Report

// Station is the engine the GUI and the CLI hold: the journal, the secrets, the targets,
// the outbox worker and its change notifications.
type Station struct {
	st       *store.Store
	sec      secrets.Store
	topts    target.Options
	worker   *push.Worker
	operator string
	log      *slog.Logger

	runMu sync.Mutex // one Run or RunOnce at a time
}

// OpenStation opens the journal with its key from the secrets store. A journal that does
// not exist yet is created, with a new key.
func OpenStation(ctx context.Context, cfg Config) (*Station, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	path := cfg.JournalPath
	if path == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return nil, fmt.Errorf("open station: %w", err)
		}
		path = p
	}
	sec := cfg.Secrets
	if sec == nil {
		s, err := secrets.Open(ctx, secrets.Options{FilePath: cfg.SecretsFile, Logger: cfg.Log})
		if err != nil {
			return nil, fmt.Errorf("open station: %w", err)
		}
		sec = s
	}
	exists, err := store.Exists(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open station: %w", err)
	}
	// Only a new journal gets a new key: a site's shared journal opens with the key
	// imported from the station that made it (enrollctl journal key import).
	key, err := secrets.JournalKey(ctx, sec, !exists)
	if err != nil {
		return nil, fmt.Errorf("open station: %w", err)
	}
	st, err := store.Open(ctx, path, key.Bytes())
	if err != nil {
		return nil, fmt.Errorf("open station: %w", err)
	}
	s, err := newStation(st, sec, cfg)
	if err != nil {
		st.Close()
		return nil, err
	}
	return s, nil
}

// NewStation builds a station on a journal already open (tests, tools).
func NewStation(st *store.Store, sec secrets.Store, cfg Config) (*Station, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return newStation(st, sec, cfg)
}

func newStation(st *store.Store, sec secrets.Store, cfg Config) (*Station, error) {
	s := &Station{st: st, sec: sec, topts: cfg.Targets, log: cfg.Log}
	pc := cfg.Push
	pc.Store = st
	pc.Open = func(ctx context.Context, t store.Target) (target.Target, error) {
		return target.OpenWith(ctx, t, s.sec, s.topts)
	}
	if pc.Log == nil {
		pc.Log = cfg.Log
	}
	w, err := push.New(pc)
	if err != nil {
		return nil, fmt.Errorf("open station: %w", err)
	}
	s.worker = w
	s.operator = cfg.Operator
	if s.operator == "" {
		s.operator = w.Name()
	}
	return s, nil
}

// Store is the journal.
func (s *Station) Store() *store.Store { return s.st }

// Secrets is the secrets store.
func (s *Station) Secrets() secrets.Store { return s.sec }

// Worker is the outbox worker.
func (s *Station) Worker() *push.Worker { return s.worker }

// Close waits for calls under way, closes the clients and the journal.
func (s *Station) Close() error {
	return errors.Join(s.worker.Close(), s.st.Close())
}

// Targets lists the journal's targets.
func (s *Station) Targets(ctx context.Context) ([]store.Target, error) { return s.st.Targets(ctx) }

// AddTarget stores a target, with its secret (password, API key) in the secrets store
// under t.SecretRef ("target/<name>" when empty). secret may be zero for an EF-45.
func (s *Station) AddTarget(ctx context.Context, t store.Target, secret secrets.Value, operator string) (store.Target, error) {
	if !secret.IsZero() {
		if t.SecretRef == "" {
			t.SecretRef = secretRef(t.Name)
		}
		if err := s.sec.Set(ctx, t.SecretRef, secret); err != nil {
			return store.Target{}, fmt.Errorf("add target %q: save its secret: %w", t.Name, err)
		}
	}
	out, err := s.st.AddTarget(ctx, t, operator)
	if err != nil {
		return store.Target{}, err
	}
	return out, nil
}

// secretRef names a target's secret after the target. Secret names allow fewer characters
// than target names ("Lobby terminal"): the others become "-", and a short hash of the name
// keeps two names that differ only there apart.
func secretRef(name string) string {
	safe := strings.Map(func(r rune) rune {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_.:@", r)) {
			return r
		}
		return '-'
	}, name)
	if safe == name {
		return "target/" + name
	}
	sum := sha256.Sum256([]byte(name))
	return fmt.Sprintf("target/%s-%x", safe, sum[:4])
}

// RemoveTarget deletes a target never pushed to, with its secret; one with pushes is
// disabled instead, so its history stays.
func (s *Station) RemoveTarget(ctx context.Context, id store.TargetID, operator string) error {
	t, err := s.st.Target(ctx, id)
	if err != nil {
		return err
	}
	s.worker.Forget(id)
	err = s.st.DeleteTarget(ctx, id, operator)
	if errors.Is(err, store.ErrInvalid) {
		t.Enabled = false
		return s.st.UpdateTarget(ctx, t, operator)
	}
	if err != nil {
		return err
	}
	if t.SecretRef != "" {
		if err := s.sec.Delete(ctx, t.SecretRef); err != nil && !errors.Is(err, secrets.ErrNotFound) {
			return fmt.Errorf("remove target %q: its secret stays: %w", t.Name, err)
		}
	}
	return nil
}

// OpenTarget builds the client of a target, for health checks and capabilities.
func (s *Station) OpenTarget(ctx context.Context, id store.TargetID) (target.Target, error) {
	t, err := s.st.Target(ctx, id)
	if err != nil {
		return nil, err
	}
	return target.OpenWith(ctx, t, s.sec, s.topts)
}

// Run works the outbox until ctx ends, and sweeps the retention schedule once a day.
func (s *Station) Run(ctx context.Context) error {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.sweepDaily(ctx)
	}()
	defer func() {
		cancel()
		<-done
	}()
	return s.worker.Run(ctx)
}

// RunOnce works due rows until none is left or the next is not due soon.
func (s *Station) RunOnce(ctx context.Context) error {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	return s.worker.RunOnce(ctx)
}

// Subscribe calls fn after every outbox row change and every erase, live.
func (s *Station) Subscribe(fn func(Change)) (unsubscribe func()) { return s.worker.Subscribe(fn) }

// Queued tells the worker and subscribers about rows queued elsewhere (a saved capture).
func (s *Station) Queued(ctx context.Context, ids ...int64) {
	for _, id := range ids {
		s.worker.Publish(ctx, id)
	}
}

// Retry makes a failed row due again, at an operator's request.
func (s *Station) Retry(ctx context.Context, id int64, operator string) error {
	return s.worker.Retry(ctx, id, operator)
}

// Reconcile compares a target with the journal; with repair, the missing and different
// people are pushed again through the outbox.
func (s *Station) Reconcile(ctx context.Context, id store.TargetID, repair bool) (Report, error) {
	tg, err := s.OpenTarget(ctx, id)
	if err != nil {
		return Report{}, err
	}
	defer tg.Close()
	rep, err := push.Reconcile(ctx, s.st, tg, repair, s.operator)
	if err != nil {
		return rep, err
	}
	for _, f := range rep.Findings {
		if f.Requeued != 0 {
			s.worker.Publish(ctx, f.Requeued)
		}
	}
	return rep, nil
}

// Erase queues the erase of a person everywhere: a delete on every enabled target, each
// retried like a push, then the journal's blobs and personal data once all are done. The
// audit trail keeps a row of each step. With no target, the journal part happens now.
func (s *Station) Erase(ctx context.Context, personKey, operator string) error {
	targets, err := s.st.Targets(ctx)
	if err != nil {
		return err
	}
	var ids []store.TargetID
	for _, t := range targets {
		if t.Enabled {
			ids = append(ids, t.ID)
		}
	}
	if len(ids) == 0 {
		if _, err := s.st.Erase(ctx, personKey, operator); err != nil {
			return err
		}
		s.worker.Wake()
		return nil
	}
	rows, err := s.st.QueueErase(ctx, personKey, operator, ids)
	if err != nil {
		return err
	}
	s.Queued(ctx, rows...)
	return nil
}
