package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"enrollstation/store"
)

// copyIncomplete makes `journal migrate` exit 1 after listing what the check found.
type copyIncomplete int

func (p copyIncomplete) Error() string {
	return fmt.Sprintf("migrate: the copy is not complete (%d problems found); run it again, and if that does not help, keep this station's journal and call support", int(p))
}

// ExitCode is 1: the copy is incomplete, not the command misused.
func (copyIncomplete) ExitCode() int { return 1 }

// migrateReport is what `journal migrate --json` prints.
type migrateReport struct {
	From string           `json:"from"`
	To   string           `json:"to"` // without its password
	Copy store.CopyReport `json:"copy"`
}

// migrate is `enrollctl journal migrate --to URL`: the station's journal copied into the
// site's PostgreSQL journal, which must have the same journal key; it can run again.
func (j *journalCmd) migrate(ctx context.Context, args []string) error {
	fs := j.flagSet("journal migrate")
	to := fs.String("to", "", "the site's PostgreSQL journal (postgres://USER@HOST/DATABASE)")
	if _, err := j.parseArgs(fs, args, 0, "migrate --to postgres://USER@HOST/DATABASE"); err != nil {
		return err
	}
	if *to == "" {
		return j.usagef("journal migrate: --to is required: the site's journal, postgres://USER@HOST/DATABASE")
	}
	if !store.IsPostgres(*to) {
		return j.usagef("journal migrate: --to must be the site's PostgreSQL database as a postgres:// URL " +
			"(postgres://USER@HOST/DATABASE), not a file or another kind of address")
	}
	site := store.Redact(*to)
	src, key, err := j.openKeyed(ctx)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := store.Open(ctx, *to, key)
	if errors.Is(err, store.ErrWrongKey) {
		return fmt.Errorf("the site's journal %s was made with another journal key than this station's; nothing was copied. "+
			"Biometric data sealed with one key cannot be read with another: the site's stations must share its key", site)
	}
	if err != nil {
		return fmt.Errorf("open the site's journal %s: %w", site, err)
	}
	defer dst.Close()
	rep, err := src.CopyTo(ctx, dst)
	if errors.Is(err, store.ErrWrongKey) {
		return fmt.Errorf("the site's journal %s has another journal key than this station's; nothing was copied", site)
	}
	if err != nil {
		return err
	}
	out := migrateReport{From: src.Path(), To: site, Copy: rep}
	if err := j.emit(out, func(w io.Writer) { printMigrate(w, out) }); err != nil {
		return err
	}
	if !rep.Check.OK() {
		return copyIncomplete(len(rep.Check.Problems) + len(rep.Check.Destination.Problems))
	}
	return nil
}

func printMigrate(w io.Writer, m migrateReport) {
	r := m.Copy
	fmt.Fprintf(w, "copied the journal %s into the site's journal %s\n\n", m.From, m.To)
	tw := table(w)
	fmt.Fprintln(tw, "\tCOPIED\tALREADY THERE")
	for _, row := range []struct {
		what string
		n    store.CopyCount
	}{
		{"people", r.People}, {"captures", r.Captures}, {"biometric blobs", r.Blobs}, {"pushes and deletes", r.Outbox},
		{"waiting list", r.Waiting}, {"targets", r.Targets}, {"settings", r.Settings}, {"audit rows", r.Audit},
	} {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", row.what, row.n.Copied, row.n.Skipped)
	}
	tw.Flush()
	if r.PeopleUpdated > 0 {
		fmt.Fprintf(w, "%d people the site knew already were changed later here: this station's details replaced the site's\n", r.PeopleUpdated)
	}
	if r.Targets.Skipped > 0 {
		fmt.Fprintf(w, "%d targets the site has by the same name keep the site's settings; this station's pushes go to them\n", r.Targets.Skipped)
	}
	if r.Settings.Skipped > 0 {
		fmt.Fprintf(w, "%d settings the site has already keep the site's values\n", r.Settings.Skipped)
	}
	if r.Superseded > 0 {
		fmt.Fprintf(w, "%d waiting pushes gave way to a newer capture of the same person for the same target\n", r.Superseded)
	}
	c := r.Check
	fmt.Fprintf(w, "\ncheck: the site's journal holds %d of %d people, %d of %d captures, %d of %d biometric blobs (encrypted bytes identical),\n",
		c.Found.People, c.Source.People, c.Found.Captures, c.Source.Captures, c.Found.Blobs, c.Source.Blobs)
	var states []string
	for _, st := range []store.OutboxState{store.OutboxPending, store.OutboxInFlight, store.OutboxDone, store.OutboxFailed, store.OutboxSuperseded} {
		if c.Source.Outbox[st] > 0 {
			states = append(states, fmt.Sprintf("%d of %d %s", c.Found.Outbox[st], c.Source.Outbox[st], strings.ReplaceAll(string(st), "_", " ")))
		}
	}
	if len(states) == 0 {
		states = []string{"none"}
	}
	fmt.Fprintf(w, "  pushes and deletes: %s", strings.Join(states, ", "))
	if c.OutboxSuperseded > 0 {
		fmt.Fprintf(w, " (and %d waiting ones superseded there by a newer push)", c.OutboxSuperseded)
	}
	fmt.Fprintf(w, ",\n  %d of %d waiting people, %d of %d audit rows\n", c.Found.Waiting, c.Source.Waiting, c.Found.Audit, c.Source.Audit)
	for _, p := range c.Problems {
		fmt.Fprintf(w, "problem: %s\n", p)
	}
	d := c.Destination
	fmt.Fprintf(w, "verified the site's journal: %d people, %d captures, %d biometric blobs, %d pushes, %d audit rows\n",
		d.People, d.Captures, d.Blobs, d.Outbox, d.Audit)
	for _, p := range d.Problems {
		fmt.Fprintf(w, "problem in the site's journal: %s\n", p)
	}
	if c.OK() {
		fmt.Fprintln(w, "ok: everything in this station's journal is in the site's journal, every blob decrypts there, "+
			"its outbox is consistent and its audit trail unbroken; running migrate again copies nothing twice")
	}
}
