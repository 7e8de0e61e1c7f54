package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"enrollstation/enroll"
)

func runRetention(ctx context.Context, c *cli, args []string) error {
	s := &stationCmd{cli: c, group: "retention"}
	fs := s.flagSet("retention")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	return c.subcommand(ctx, "retention", fs.Args(), map[string]func(context.Context, []string) error{
		"set":  s.retentionSet,
		"show": s.retentionShow,
		"run":  s.retentionRun,
	})
}

func (s *stationCmd) retentionSet(ctx context.Context, args []string) error {
	fs := s.flagSet("retention set")
	days := fs.Int("after-days", -1, "erase a person everywhere this many days after their validity ends (or their last enrollment, without an end); 0 turns the schedule off")
	if _, err := s.parseArgs(fs, args, 0, "set --after-days N"); err != nil {
		return err
	}
	if *days < 0 {
		return s.usagef("retention set: --after-days N is required (0 turns the schedule off)")
	}
	if msg := enroll.CheckRetentionDays(*days); msg != "" {
		return s.usagef("retention set: --after-days: %s", msg)
	}
	st, err := s.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.SetRetentionDays(ctx, *days, operatorName()); err != nil {
		return err
	}
	return s.showRetention(ctx, st)
}

// retentionShown bounds the people `retention show` lists after the due ones.
const retentionShown = 20

func (s *stationCmd) retentionShow(ctx context.Context, args []string) error {
	fs := s.flagSet("retention show")
	if _, err := s.parseArgs(fs, args, 0, "show"); err != nil {
		return err
	}
	st, err := s.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	return s.showRetention(ctx, st)
}

func (s *stationCmd) showRetention(ctx context.Context, st *enroll.Station) error {
	rep, err := st.Retention(ctx, time.Now(), retentionShown)
	if err != nil {
		return err
	}
	return s.emit(rep, func(w io.Writer) {
		if rep.AfterDays == 0 {
			fmt.Fprintln(w, "no retention schedule: biometrics are kept until erased by hand (enrollctl retention set --after-days N)")
			return
		}
		fmt.Fprintf(w, "schedule: erase everywhere %d days after the end of validity, or after the last enrollment for people without an end\n", rep.AfterDays)
		if rep.LastSweep.IsZero() {
			fmt.Fprintln(w, "last sweep: never")
		} else {
			fmt.Fprintf(w, "last sweep: %s, %d people queued for erase\n", when(rep.LastSweep), rep.LastErased)
		}
		list := func(title string, es []enroll.RetentionEntry) {
			fmt.Fprintf(w, "%s: %d\n", title, len(es))
			tw := table(w)
			for _, e := range es {
				basis := "last enrolled"
				if e.ValidityEnd {
					basis = "valid until"
				}
				fmt.Fprintf(tw, "  %s\t%s\t%s %s\terase on %s\n", printable(e.PersonKey),
					printable(e.GivenName+" "+e.FamilyName), basis, e.Basis.Local().Format(time.DateOnly), e.Due.Local().Format(time.DateOnly))
			}
			tw.Flush()
		}
		list("due now (the next sweep erases them)", rep.Due)
		list("next", rep.Next)
	})
}

// retentionResult is what `retention run` reports.
type retentionResult struct {
	Erased []enroll.RetentionEntry `json:"erased"`
}

func (s *stationCmd) retentionRun(ctx context.Context, args []string) error {
	fs := s.flagSet("retention run")
	noWait := fs.Bool("no-wait", false, "queue the erases and leave them to the outbox")
	if _, err := s.parseArgs(fs, args, 0, "run [--no-wait]"); err != nil {
		return err
	}
	st, err := s.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	erased, err := st.SweepRetention(ctx, time.Now(), operatorName())
	if err != nil {
		return err
	}
	if len(erased) > 0 && !*noWait {
		p := s.follow(st, nil, true)
		err = st.RunOnce(ctx)
		p.stop()
		if err != nil {
			return fmt.Errorf("retention: erase everywhere: %w", err)
		}
	}
	return s.emit(retentionResult{Erased: erased}, func(w io.Writer) {
		for _, e := range erased {
			fmt.Fprintf(w, "erased %s (%s)\n", printable(e.PersonKey), printable(e.GivenName+" "+e.FamilyName))
		}
		fmt.Fprintf(w, "retention: %d people erased everywhere\n", len(erased))
	})
}
