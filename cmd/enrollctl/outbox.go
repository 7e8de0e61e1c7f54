package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"

	"enrollstation/enroll"
	"enrollstation/enroll/push"
	"enrollstation/store"
)

func runOutbox(ctx context.Context, c *cli, args []string) error {
	s := &stationCmd{cli: c, group: "outbox"}
	fs := s.flagSet("outbox")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	return c.subcommand(ctx, "outbox", fs.Args(), map[string]func(context.Context, []string) error{
		"status": s.status,
		"run":    s.runDue,
		"retry":  s.retry,
	})
}

// outboxStatus is what `outbox status` reports.
type outboxStatus struct {
	Targets []store.TargetCounts `json:"targets"`
	Failed  []store.OutboxItem   `json:"failed"`
}

// failedShown bounds the failed rows `outbox status` lists.
const failedShown = 200

func (s *stationCmd) status(ctx context.Context, args []string) error {
	fs := s.flagSet("outbox status")
	if _, err := s.parseArgs(fs, args, 0, "status"); err != nil {
		return err
	}
	st, err := s.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	var rep outboxStatus
	if rep.Targets, err = st.Store().OutboxByTarget(ctx); err != nil {
		return err
	}
	if rep.Failed, err = st.Store().FailedOutbox(ctx, failedShown); err != nil {
		return err
	}
	return s.emit(rep, func(w io.Writer) {
		tw := table(w)
		fmt.Fprintln(tw, "TARGET\tKIND\tPENDING\tPUSHING\tDONE\tFAILED\tSUPERSEDED")
		for _, t := range rep.Targets {
			n := t.Counts
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\n", printable(t.Name), t.Kind, n[store.OutboxPending],
				n[store.OutboxInFlight], n[store.OutboxDone], n[store.OutboxFailed], n[store.OutboxSuperseded])
		}
		tw.Flush()
		if len(rep.Failed) == 0 {
			fmt.Fprintln(w, "no failed pushes")
			return
		}
		fmt.Fprintf(w, "\nfailed for good (retry one with: enrollctl outbox retry ID):\n")
		tw = table(w)
		fmt.Fprintln(tw, "ID\tTARGET\tPERSON\tOP\tATTEMPTS\tWHEN\tMESSAGE")
		for _, it := range rep.Failed {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\n", it.ID, printable(it.TargetName), printable(it.PersonKey), it.Op,
				it.Attempts, when(it.UpdatedAt), printable(it.LastError))
		}
		tw.Flush()
	})
}

func (s *stationCmd) runDue(ctx context.Context, args []string) error {
	fs := s.flagSet("outbox run")
	quiet := fs.Bool("quiet", false, "print only the summary")
	fs.DurationVar(&s.push.Lease, "lease", push.DefaultLease,
		"how long a row this run claims stays its own unless renewed: rows of a station that died come free after it")
	if _, err := s.parseArgs(fs, args, 0, "run [--quiet] [--lease DURATION]"); err != nil {
		return err
	}
	if s.push.Lease < time.Second {
		return s.usagef("outbox run: --lease %s: give at least 1s", s.push.Lease)
	}
	st, err := s.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	p := s.follow(st, nil, *quiet)
	err = st.RunOnce(ctx)
	p.stop()
	if err != nil {
		return fmt.Errorf("work the outbox: %w", err)
	}
	counts, err := st.Store().OutboxCounts(ctx)
	if err != nil {
		return err
	}
	return s.emit(counts, func(w io.Writer) {
		fmt.Fprintf(w, "outbox: %d done, %d failed, %d waiting (retried later: enrollctl outbox run again, or the station does it)\n",
			p.done, p.failed, counts[store.OutboxPending]+counts[store.OutboxInFlight])
	})
}

func (s *stationCmd) retry(ctx context.Context, args []string) error {
	fs := s.flagSet("outbox retry")
	pos, err := s.parseArgs(fs, args, 1, "retry ID")
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return s.usagef("outbox retry: %q is not an outbox row id (enrollctl outbox status lists them)", pos[0])
	}
	st, err := s.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Retry(ctx, id, operatorName()); err != nil {
		return err
	}
	return s.emit(map[string]any{"id": id, "state": store.OutboxPending}, func(w io.Writer) {
		fmt.Fprintf(w, "row %d is due again; enrollctl outbox run pushes it now\n", id)
	})
}

// progress prints one line per outbox row that ends (done or failed for good), or per
// change of the rows it watches, and counts them.
type progress struct {
	stop         func()
	mu           sync.Mutex
	done, failed int
}

// follow subscribes to the station's changes; only (nil: every row) limits what is printed
// and counted. Lines go to stderr under --json, so stdout stays one JSON document.
func (s *stationCmd) follow(st *enroll.Station, only func(store.OutboxItem) bool, quiet bool) *progress {
	p := &progress{}
	w := s.stdout
	if s.json {
		w = s.stderr
	}
	p.stop = st.Subscribe(func(ch enroll.Change) {
		it := ch.Item
		if it.ID == 0 || (only != nil && !only(it)) {
			return
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		switch it.State {
		case store.OutboxDone:
			p.done++
		case store.OutboxFailed:
			p.failed++
		case store.OutboxPending:
			if it.LastError == "" {
				return // queued, nothing to say yet
			}
		default:
			return
		}
		if quiet {
			return
		}
		line := fmt.Sprintf("%s %-8s %-7s %s %s", time.Now().Format("15:04:05"), printable(it.TargetName), it.Op,
			printable(it.PersonKey), it.State)
		switch it.State {
		case store.OutboxPending:
			line += fmt.Sprintf(" (attempt %d, next at %s): %s", it.Attempts, it.NextAttemptAt.Local().Format("15:04:05"), printable(it.LastError))
		case store.OutboxFailed:
			line += ": " + printable(it.LastError)
		}
		fmt.Fprintln(w, line)
	})
	return p
}
