package main

import (
	"context"
	"fmt"
	"io"

	"enrollstation/enroll"
	"enrollstation/enroll/push"
	"enrollstation/store"
)

func runReconcile(ctx context.Context, c *cli, args []string) error {
	s := &stationCmd{cli: c, group: "reconcile"}
	fs := s.flagSet("reconcile")
	name := fs.String("target", "", "only this target (default: every enabled target)")
	repair := fs.Bool("repair", false, "push the missing and different people again (unknown ones are only reported)")
	if _, err := s.interleaved(fs, args, 0, "enrollctl reconcile [--db PATH] [--target NAME] [--repair]"); err != nil {
		return err
	}
	st, err := s.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	var targets []store.Target
	if *name != "" {
		t, err := targetByName(ctx, st, *name)
		if err != nil {
			return err
		}
		targets = []store.Target{t}
	} else {
		all, err := st.Targets(ctx)
		if err != nil {
			return err
		}
		for _, t := range all {
			if t.Enabled {
				targets = append(targets, t)
			}
		}
	}
	reports, err := reconcileAll(ctx, st, targets, *repair)
	if err := s.emit(reports, func(w io.Writer) { printReconcile(w, reports, *repair) }); err != nil {
		return err
	}
	return err
}

// reconcileAll reconciles each target in turn; a target that cannot be read is reported
// and the others still run.
func reconcileAll(ctx context.Context, st *enroll.Station, targets []store.Target, repair bool) ([]push.Report, error) {
	var reports []push.Report
	var failed []string
	for _, t := range targets {
		rep, err := st.Reconcile(ctx, t.ID, repair)
		if err != nil {
			rep = push.Report{Target: t, Note: "not reconciled: " + err.Error()}
			failed = append(failed, t.Name)
		}
		reports = append(reports, rep)
	}
	if len(failed) > 0 {
		return reports, fmt.Errorf("%d target(s) could not be reconciled: %v", len(failed), failed)
	}
	return reports, nil
}

func printReconcile(w io.Writer, reports []push.Report, repair bool) {
	for _, r := range reports {
		fmt.Fprintf(w, "%s (%s): %d expected, %d in sync, %d missing, %d different, %d unknown\n", printable(r.Target.Name), r.Target.Kind,
			r.Checked, r.InSync, r.Count(push.Missing), r.Count(push.Different), r.Count(push.Unknown))
		if r.Note != "" {
			fmt.Fprintf(w, "  note: %s\n", printable(r.Note))
		}
		tw := table(w)
		for _, f := range r.Findings {
			action := ""
			switch {
			case f.Requeued != 0:
				action = fmt.Sprintf("queued again (row %d)", f.Requeued)
			case f.Kind == push.Unknown:
				action = "reported only"
			case !repair:
				action = "--repair pushes it again"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", f.Kind, printable(f.PersonKey), printable(f.Name), printable(f.Detail), action)
		}
		tw.Flush()
		if len(r.Unverified) > 0 {
			fmt.Fprintf(w, "  %d person(s) could not be checked on this target\n", len(r.Unverified))
		}
	}
}
