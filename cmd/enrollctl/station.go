package main

import (
	"context"
	"flag"
	"fmt"

	"enrollstation/enroll"
	"enrollstation/enroll/push"
	"enrollstation/store"
)

// stationCmd is a command that runs on the engine: the journal named by --db, its key and
// the targets' secrets from the secrets store.
type stationCmd struct {
	*cli
	db    string
	group string // for usage lines: "targets", "outbox", ...
	push  push.Config
}

// flagSet makes a flag set that takes --db and --json, before or after the action.
func (s *stationCmd) flagSet(name string) *flag.FlagSet {
	fs := s.flags(name)
	fs.StringVar(&s.db, "db", s.db, "the journal file (default: journal.db in the user data folder)")
	return fs
}

// parseArgs parses flags given anywhere among the arguments; the others must number want.
func (s *stationCmd) parseArgs(fs *flag.FlagSet, args []string, want int, usage string) ([]string, error) {
	return s.interleaved(fs, args, want, "enrollctl "+s.group+" [--db PATH] "+usage)
}

// journalPath is --db, or the default journal in the user data folder.
func (s *stationCmd) journalPath() (string, error) {
	if s.db != "" {
		return s.db, nil
	}
	return store.DefaultPath()
}

// open opens the station. Only create (the first `targets add`) may make a new journal and
// its key; every other command refuses a journal that is not there.
func (s *stationCmd) open(ctx context.Context, create bool) (*enroll.Station, error) {
	path, err := s.journalPath()
	if err != nil {
		return nil, err
	}
	if exists, err := store.Exists(ctx, path); err != nil {
		return nil, err
	} else if !exists && !create {
		return nil, fmt.Errorf("no journal at %s: add a target first (enrollctl targets add ...), or name another with --db PATH", store.Redact(path))
	}
	sec, err := s.openSecrets(ctx)
	if err != nil {
		return nil, err
	}
	return enroll.OpenStation(ctx, enroll.Config{JournalPath: path, Secrets: sec, Operator: operatorName(), Push: s.push})
}

// targetByName finds a target of the journal by its name.
func targetByName(ctx context.Context, st *enroll.Station, name string) (store.Target, error) {
	ts, err := st.Targets(ctx)
	if err != nil {
		return store.Target{}, err
	}
	for _, t := range ts {
		if t.Name == name {
			return t, nil
		}
	}
	return store.Target{}, fmt.Errorf("no target named %q (enrollctl targets list shows them)", name)
}
