package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"time"

	"enrollstation/store"
	"enrollstation/store/files"
	"enrollstation/store/secrets"
)

// journalCmd is `enrollctl journal [--db PATH] ACTION`.
type journalCmd struct {
	*cli
	db string
}

func runJournal(ctx context.Context, c *cli, args []string) error {
	j := &journalCmd{cli: c}
	fs := j.flagSet("journal")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	return c.subcommand(ctx, "journal", fs.Args(), map[string]func(context.Context, []string) error{
		"list":    j.list,
		"show":    j.show,
		"export":  j.export,
		"verify":  j.verify,
		"erase":   j.erase,
		"key":     j.key,
		"migrate": j.migrate,
	})
}

// flagSet makes a flag set that takes --db and --json, so both go before or after the action.
func (j *journalCmd) flagSet(name string) *flag.FlagSet {
	fs := j.flags(name)
	fs.StringVar(&j.db, "db", j.db, "the journal file (default: journal.db in the user data folder)")
	return fs
}

// parseArgs parses flags given anywhere among the arguments and returns the others, which
// must number want.
func (j *journalCmd) parseArgs(fs *flag.FlagSet, args []string, want int, usage string) ([]string, error) {
	return j.interleaved(fs, args, want, "enrollctl journal [--db PATH] "+usage)
}

// path is --db, or the default journal in the user data folder.
func (j *journalCmd) path() (string, error) {
	if j.db != "" {
		return j.db, nil
	}
	return store.DefaultPath()
}

// open opens the existing journal with the key from the secret store. It never creates a
// journal or a key: a fresh key would not open an existing journal anyway.
func (j *journalCmd) open(ctx context.Context) (*store.Store, error) {
	st, _, err := j.openKeyed(ctx)
	return st, err
}

// openKeyed is open, also returning the key it opened the journal with.
func (j *journalCmd) openKeyed(ctx context.Context) (*store.Store, []byte, error) {
	path, err := j.path()
	if err != nil {
		return nil, nil, err
	}
	if exists, err := store.Exists(ctx, path); err != nil {
		return nil, nil, err
	} else if !exists {
		return nil, nil, fmt.Errorf("no journal at %s (name another with --db PATH)", store.Redact(path))
	}
	key, err := j.journalKey(ctx)
	if err != nil {
		return nil, nil, err
	}
	st, err := store.Open(ctx, path, key)
	return st, key, err
}

// journalKey reads the journal key from the secret store; it never makes one.
func (j *journalCmd) journalKey(ctx context.Context) ([]byte, error) {
	keyCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	sec, err := j.openSecrets(keyCtx)
	if err != nil {
		return nil, err
	}
	key, err := secrets.JournalKey(keyCtx, sec, false)
	if err != nil {
		return nil, err
	}
	return key.Bytes(), nil
}

// parseDate reads a day (2026-03-01, local midnight) or an RFC 3339 time.
func parseDate(s string) (time.Time, error) {
	if t, err := time.ParseInLocation(time.DateOnly, s, time.Local); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date: write 2026-03-01 or 2026-03-01T09:00:00Z", s)
}

// when formats a time for the terminal in local time; the zero time is "-".
func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}

func (j *journalCmd) list(ctx context.Context, args []string) error {
	fs := j.flagSet("journal list")
	since := fs.String("since", "", "only people enrolled on or after this date (2026-03-01)")
	state := fs.String("state", "", "only people whose pushes are pending, failed or done")
	if _, err := j.parseArgs(fs, args, 0, "list [--since DATE] [--state pending|failed|done]"); err != nil {
		return err
	}
	q := store.Query{State: store.PushState(*state), Order: store.ByNewest, Limit: 1000}
	switch q.State {
	case "", store.PushPending, store.PushFailed, store.PushDone, store.PushNone:
	default:
		return j.usagef("journal list: --state must be pending, failed or done, not %q", *state)
	}
	if *since != "" {
		t, err := parseDate(*since)
		if err != nil {
			return j.usagef("journal list: --since: %v", err)
		}
		q.From = t
	}
	st, err := j.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	out := store.Page{People: []store.Person{}}
	for {
		page, err := st.SearchPeople(ctx, q)
		if err != nil {
			return err
		}
		out.People = append(out.People, page.People...)
		out.Total = page.Total
		if !page.More() || len(page.People) == 0 {
			break
		}
		q.Offset, q.After = q.Offset+len(page.People), page.Next
	}
	out.Limit = len(out.People)
	return j.emit(out, func(w io.Writer) {
		tw := table(w)
		fmt.Fprintln(tw, "KEY\tNAME\tENROLLED\tPUSH")
		for _, p := range out.People {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Key, p.Name(), when(p.CreatedAt), p.PushState)
		}
		tw.Flush()
		fmt.Fprintf(w, "%d people\n", out.Total)
	})
}

// shown is what `journal show` prints.
type shown struct {
	Person   store.Person       `json:"person"`
	Captures []store.Capture    `json:"captures"`
	Pushes   []store.OutboxItem `json:"pushes"`
	Audit    []store.AuditEvent `json:"audit"`
}

func (j *journalCmd) show(ctx context.Context, args []string) error {
	fs := j.flagSet("journal show")
	pos, err := j.parseArgs(fs, args, 1, "show KEY")
	if err != nil {
		return err
	}
	key := pos[0]
	st, err := j.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := st.Person(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		erased, aerr := st.AuditLog(ctx, store.AuditQuery{PersonKey: key, Action: store.ActionErase, Limit: 1})
		if aerr == nil && len(erased) == 1 {
			return fmt.Errorf("person %s was erased on %s by %s", key, when(erased[0].At), erased[0].Operator)
		}
		return fmt.Errorf("no person with key %s in the journal", key)
	}
	if err != nil {
		return err
	}
	v := shown{Person: p}
	if v.Captures, err = st.Captures(ctx, key); err != nil {
		return err
	}
	if v.Pushes, err = st.Outbox(ctx, key); err != nil {
		return err
	}
	if v.Audit, err = st.AuditLog(ctx, store.AuditQuery{PersonKey: key, Limit: 50}); err != nil {
		return err
	}
	return j.emit(v, func(w io.Writer) { printShown(w, v) })
}

func printShown(w io.Writer, v shown) {
	p := v.Person
	tw := table(w)
	var validity []string
	if !p.ValidFrom.IsZero() {
		validity = append(validity, "from "+when(p.ValidFrom))
	}
	if !p.ValidUntil.IsZero() {
		validity = append(validity, "until "+when(p.ValidUntil))
	}
	for _, row := range [][2]string{
		{"Key", p.Key}, {"Name", p.Name()}, {"Card", p.CardNumber}, {"Department", p.Department},
		{"Access groups", strings.Join(p.AccessGroups, ", ")}, {"Valid", strings.Join(validity, " ")},
		{"Consent", when(p.ConsentAt) + " recorded by " + p.ConsentBy}, {"Enrolled", when(p.CreatedAt)},
		{"Push", string(p.PushState)}, {"Notes", strings.ReplaceAll(p.Notes, "\n", " / ")},
	} {
		if row[1] != "" {
			fmt.Fprintf(tw, "%s\t%s\n", row[0], row[1])
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "\nCaptures (%d)\n", len(v.Captures))
	tw = table(w)
	fmt.Fprintln(tw, "  ID\tDEVICE\tCAPTURED\tOPERATOR\tBIOMETRIC DATA\tQUALITY")
	for _, c := range v.Captures {
		size := 0
		for _, b := range c.Blobs {
			size += b.Size
		}
		var q []string
		for _, e := range c.Quality.Eyes {
			q = append(q, fmt.Sprintf("%s eye %d%%", e.Eye, e.UsableIrisArea))
		}
		for _, f := range c.Quality.Faces {
			q = append(q, fmt.Sprintf("%s face %.2f", f.Variant, f.FrontalScore))
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%d encrypted, %d KiB\t%s\n", c.ID, c.DeviceSerial, when(c.CapturedAt), c.Operator,
			len(c.Blobs), (size+1023)/1024, strings.Join(q, ", "))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nPushes (%d)\n", len(v.Pushes))
	tw = table(w)
	fmt.Fprintln(tw, "  TARGET\tSTATE\tATTEMPTS\tUPDATED\tREMOTE ID\tLAST ERROR")
	for _, o := range v.Pushes {
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\t%s\n", o.TargetName, o.State, o.Attempts, when(o.UpdatedAt), o.RemoteID, o.LastError)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nAudit (%d)\n", len(v.Audit))
	tw = table(w)
	for _, e := range v.Audit {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", when(e.At), e.Operator, e.Action, e.Detail)
	}
	tw.Flush()
}

func (j *journalCmd) export(ctx context.Context, args []string) error {
	fs := j.flagSet("journal export")
	file := fs.String("csv", "", "write people and push states to this CSV file (- for standard output)")
	if _, err := j.parseArgs(fs, args, 0, "export --csv FILE"); err != nil {
		return err
	}
	if *file == "" {
		return j.usagef("journal export: --csv FILE is required")
	}
	st, err := j.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if *file == "-" {
		_, err := st.ExportCSV(ctx, j.data)
		return err
	}
	// The export holds personal data: a new file only its owner may read.
	f, err := files.Create(*file)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	n, err := st.ExportCSV(ctx, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(*file) // ours, made above: a half export must not block the next one
		return err
	}
	return j.emit(map[string]any{"file": *file, "people": n}, func(w io.Writer) {
		fmt.Fprintf(w, "exported %d people to %s\n", n, *file)
	})
}

// operatorName is who the audit trail names for an erase from the command line.
func operatorName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}

func (j *journalCmd) erase(ctx context.Context, args []string) error {
	fs := j.flagSet("journal erase")
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	operator := fs.String("operator", operatorName(), "who the audit trail names as erasing")
	pos, err := j.parseArgs(fs, args, 1, "erase KEY [--yes]")
	if err != nil {
		return err
	}
	key := pos[0]
	if strings.TrimSpace(*operator) == "" {
		return j.usagef("journal erase: --operator NAME is required (no user name found)")
	}
	st, err := j.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := st.Person(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no person with key %s in the journal; nothing erased", key)
	}
	if err != nil {
		return err
	}
	if !*yes {
		caps, err := st.Captures(ctx, key)
		if err != nil {
			return err
		}
		fmt.Fprintf(j.stderr, "This erases %s (%s) from the journal: personal data, %d capture(s) with their biometric data, "+
			"and push history. It does not remove them from cameras, terminals or the cloud.\n"+
			"Type the person key to confirm: ", p.Name(), key, len(caps))
		line, _ := bufio.NewReader(j.stdin).ReadString('\n')
		if strings.TrimSpace(line) != key {
			return fmt.Errorf("confirmation did not match the person key; nothing erased")
		}
	}
	erased, err := st.Erase(ctx, key, *operator)
	if err != nil {
		return err
	}
	return j.emit(erased, func(w io.Writer) {
		fmt.Fprintf(w, "erased %s: %d capture(s), %d biometric blob(s), %d push(es); the audit trail keeps the erase\n",
			key, erased.Captures, erased.Blobs, erased.Pushes)
	})
}
