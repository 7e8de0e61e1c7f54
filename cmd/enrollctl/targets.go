package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/enroll"
	"enrollstation/enroll/target"
	"enrollstation/store"
	"enrollstation/store/secrets"
)

// healthTimeout bounds each target's health check in `targets list`.
const healthTimeout = 8 * time.Second

func runTargets(ctx context.Context, c *cli, args []string) error {
	s := &stationCmd{cli: c, group: "targets"}
	fs := s.flagSet("targets")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	return c.subcommand(ctx, "targets", fs.Args(), map[string]func(context.Context, []string) error{
		"add":    s.add,
		"list":   s.list,
		"remove": s.remove,
	})
}

func (s *stationCmd) add(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return s.usagef("targets add: choose a kind: ef45, actatek or clue")
	}
	kind, args := store.TargetKind(args[0]), args[1:]
	fs := s.flagSet("targets add " + string(kind))
	t := store.Target{Kind: kind, Enabled: true, Options: map[string]string{}}
	var secret secrets.Value
	var usage string
	var readSecret func() error
	switch kind {
	case store.TargetEF45:
		usage = "add ef45 NAME --addr HOST:PORT"
		fs.StringVar(&t.Address, "addr", "", "the camera's HOST:PORT")
	case store.TargetACTAtek:
		usage = "add actatek NAME --url URL --user U --password-stdin [--pin-sha256 HEX] [--template-type N]"
		fs.StringVar(&t.Address, "url", "", "the terminal's URL (https://HOST)")
		fs.StringVar(&t.Account, "user", "", "the terminal account")
		fs.StringVar(&t.CertPin, "pin-sha256", "", "the SHA-256 fingerprint of the terminal's certificate")
		stdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
		tmpl := fs.String("template-type", "", "FacialTemplateType sent with facial records (the terminal's face engine)")
		readSecret = func() error {
			if *tmpl != "" {
				t.Options["facial_template_type"] = *tmpl
			}
			if !*stdin {
				return s.usagef("targets add actatek: --password-stdin is required (the password is read from standard input)")
			}
			pw, err := s.readSecret("password")
			secret = secrets.StringValue(pw)
			return err
		}
	case store.TargetCLUe:
		usage = "add clue NAME --base-url URL --prefix P --place N --api-key-stdin [--doors ID,...]"
		fs.StringVar(&t.Address, "base-url", "", "the CLUe API base URL")
		prefix := fs.String("prefix", "/v1", "the API path prefix (/v1 or /v1/be)")
		fs.StringVar(&t.Account, "place", "", "the CLUe place id")
		doors := fs.String("doors", "", "door ids the auths open, comma-separated")
		stdin := fs.Bool("api-key-stdin", false, "read the API key from the first line of standard input")
		readSecret = func() error {
			t.Options["prefix"] = *prefix
			if *doors != "" {
				t.Options["doors"] = *doors
			}
			if _, err := strconv.ParseInt(t.Account, 10, 64); err != nil {
				return s.usagef("targets add clue: --place must be the place's number, not %q", t.Account)
			}
			if !*stdin {
				return s.usagef("targets add clue: --api-key-stdin is required (the API key is read from standard input)")
			}
			key, err := s.readSecret("API key")
			secret = secrets.StringValue(key)
			return err
		}
	default:
		return s.usagef("targets add: unknown kind %q: choose ef45, actatek or clue", kind)
	}
	pos, err := s.parseArgs(fs, args, 1, usage)
	if err != nil {
		return err
	}
	t.Name = pos[0]
	if strings.TrimSpace(t.Address) == "" {
		return s.usagef("usage: enrollctl targets [--db PATH] %s", usage)
	}
	if kind == store.TargetACTAtek {
		if err := s.checkTerminalTrust(ctx, t); err != nil {
			return err
		}
	}
	if readSecret != nil {
		if err := readSecret(); err != nil {
			return err
		}
	}
	st, err := s.open(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	added, err := st.AddTarget(ctx, t, secret, operatorName())
	if err != nil {
		return err
	}
	return s.emit(added, func(w io.Writer) {
		fmt.Fprintf(w, "added %s target %s (%s)\n", added.Kind, added.Name, added.Address)
	})
}

// checkTerminalTrust refuses an https terminal whose certificate nobody pinned: it shows
// the fingerprint to check on the terminal, as `enrollctl actatek` does.
func (s *stationCmd) checkTerminalTrust(ctx context.Context, t store.Target) error {
	u, err := url.Parse(t.Address)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return s.usagef("targets add actatek: --url must be https://HOST (or http://HOST), not %q", t.Address)
	}
	if u.Scheme == "https" && t.CertPin == "" {
		a := &actatekCmd{cli: s.cli, url: t.Address}
		return a.firstUse(ctx)
	}
	if t.CertPin != "" {
		if _, err := actatek.ParseFingerprint(t.CertPin); err != nil {
			return s.usagef("targets add actatek: --pin-sha256: %v", err)
		}
	}
	return nil
}

// targetRow is one line of `targets list`.
type targetRow struct {
	store.Target
	Health target.Health `json:"health"`
}

func (s *stationCmd) list(ctx context.Context, args []string) error {
	fs := s.flagSet("targets list")
	noHealth := fs.Bool("no-health", false, "do not ask each target how it is")
	if _, err := s.parseArgs(fs, args, 0, "list [--no-health]"); err != nil {
		return err
	}
	st, err := s.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	ts, err := st.Targets(ctx)
	if err != nil {
		return err
	}
	rows := make([]targetRow, len(ts))
	var wg sync.WaitGroup
	for i, t := range ts {
		rows[i] = targetRow{Target: t, Health: target.Health{Users: -1}}
		if *noHealth || !t.Enabled {
			continue
		}
		wg.Go(func() { rows[i].Health = health(ctx, st, t) })
	}
	wg.Wait()
	return s.emit(rows, func(w io.Writer) {
		if len(rows) == 0 {
			fmt.Fprintln(w, "no targets; add one with: enrollctl targets add ef45|actatek|clue NAME ...")
			return
		}
		tw := table(w)
		fmt.Fprintln(tw, "NAME\tKIND\tADDRESS\tSTATE\tVERSION\tSERIAL\tUSERS\tPROBLEM")
		for _, r := range rows {
			state, users := "reachable", "-"
			switch {
			case !r.Enabled:
				state = "disabled"
			case *noHealth:
				state = "-"
			case !r.Health.Reachable:
				state = "unreachable"
			}
			if r.Health.Users >= 0 {
				users = strconv.Itoa(r.Health.Users)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", printable(r.Name), r.Kind, printable(r.Address), state,
				dash(printable(r.Health.Version)), dash(printable(r.Health.Serial)), users, dash(printable(r.Health.Err)))
		}
		tw.Flush()
	})
}

// health asks one target how it is, within healthTimeout.
func health(ctx context.Context, st *enroll.Station, t store.Target) target.Health {
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	tg, err := st.OpenTarget(ctx, t.ID)
	if err != nil {
		return target.Health{Users: -1, Err: target.OperatorMessage(err)}
	}
	return tg.Health(ctx)
}

func (s *stationCmd) remove(ctx context.Context, args []string) error {
	fs := s.flagSet("targets remove")
	pos, err := s.parseArgs(fs, args, 1, "remove NAME")
	if err != nil {
		return err
	}
	st, err := s.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	t, err := targetByName(ctx, st, pos[0])
	if err != nil {
		return err
	}
	if err := st.RemoveTarget(ctx, t.ID, operatorName()); err != nil {
		return err
	}
	after, _ := st.Store().Target(ctx, t.ID)
	gone := after.ID == 0
	return s.emit(map[string]any{"name": t.Name, "removed": gone, "disabled": !gone}, func(w io.Writer) {
		if gone {
			fmt.Fprintf(w, "removed target %s\n", t.Name)
		} else {
			fmt.Fprintf(w, "target %s has push history, so it is disabled rather than removed: nothing more is pushed to it\n", t.Name)
		}
	})
}

// dash shows an empty cell as "-".
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
