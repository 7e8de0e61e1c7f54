package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"enrollstation/store"
)

// eraseReport is what `erase` reports: each target's delete and the journal's part.
type eraseReport struct {
	PersonKey string             `json:"person_key"`
	Steps     []store.OutboxItem `json:"steps"`
	// Journal is true once the journal's blobs and personal data are gone.
	Journal bool `json:"journal_erased"`
}

func runErase(ctx context.Context, c *cli, args []string) error {
	s := &stationCmd{cli: c, group: "erase"}
	fs := s.flagSet("erase")
	key := fs.String("key", "", "the person's key")
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	noWait := fs.Bool("no-wait", false, "queue the deletes and leave them to the outbox")
	if _, err := s.interleaved(fs, args, 0, "enrollctl erase [--db PATH] --key K [--yes] [--no-wait]"); err != nil {
		return err
	}
	if *key == "" {
		return s.usagef("erase: --key K is required")
	}
	st, err := s.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := st.Store().Person(ctx, *key)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no person with key %s in the journal; nothing erased", *key)
	}
	if err != nil {
		return err
	}
	targets, err := st.Targets(ctx)
	if err != nil {
		return err
	}
	if !*yes {
		var names []string
		for _, t := range targets {
			if t.Enabled {
				names = append(names, fmt.Sprintf("%s (%s)", t.Name, t.Kind))
			}
		}
		where := "no target"
		if len(names) > 0 {
			where = strings.Join(names, ", ")
		}
		fmt.Fprintf(s.stderr, "This erases %s (%s) everywhere: from %s, then the journal's biometric data and personal details. "+
			"The audit trail keeps a row of each step.\nType the person key to confirm: ", printable(p.Name()), *key, printable(where))
		line, _ := bufio.NewReader(s.stdin).ReadString('\n')
		if strings.TrimSpace(line) != *key {
			return fmt.Errorf("confirmation did not match the person key; nothing erased")
		}
	}
	if err := st.Erase(ctx, *key, operatorName()); err != nil {
		return err
	}
	if !*noWait {
		prog := s.follow(st, func(it store.OutboxItem) bool { return it.PersonKey == *key && it.Op == store.OpDelete }, false)
		err = st.RunOnce(ctx)
		prog.stop()
		if err != nil {
			return fmt.Errorf("erase %s: %w", *key, err)
		}
	}
	rep := eraseReport{PersonKey: *key}
	items, err := st.Store().Outbox(ctx, *key)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.Op == store.OpDelete {
			rep.Steps = append(rep.Steps, it)
		}
	}
	_, err = st.Store().Person(ctx, *key)
	rep.Journal = errors.Is(err, store.ErrNotFound)
	if err != nil && !rep.Journal {
		return err
	}
	if err := s.emit(rep, func(w io.Writer) {
		tw := table(w)
		for _, it := range rep.Steps {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", printable(it.TargetName), it.State, printable(it.LastError))
		}
		state := "kept until every target has deleted the person (enrollctl outbox run goes on)"
		if rep.Journal {
			state = "erased"
		}
		fmt.Fprintf(tw, "journal\t%s\n", state)
		tw.Flush()
	}); err != nil {
		return err
	}
	if !rep.Journal && !*noWait {
		return errors.New("not erased everywhere yet: see the steps above")
	}
	return nil
}
