package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/enroll"
	"enrollstation/enroll/capture"
	"enrollstation/store"
)

// enrollReport is what `enroll` reports: the person, the capture and each target's push.
type enrollReport struct {
	Person    string               `json:"person_key"`
	CaptureID string               `json:"capture_id"`
	Gates     []capture.GateResult `json:"gates"`
	Pushes    []store.OutboxItem   `json:"pushes"`
}

func runEnroll(ctx context.Context, c *cli, args []string) error {
	s := &stationCmd{cli: c, group: "enroll"}
	fs := s.flagSet("enroll")
	addr := fs.String("ef45", "", "the capturing camera, HOST:PORT")
	var p store.Person
	fs.StringVar(&p.Key, "key", "", "the person's key, sent to every target (default: a new UUID)")
	fs.StringVar(&p.GivenName, "first", "", "given name")
	fs.StringVar(&p.FamilyName, "last", "", "family name")
	fs.StringVar(&p.CardNumber, "card", "", "card number, in decimal digits")
	from := fs.String("valid-from", "", "access valid from this date (2026-03-01)")
	until := fs.String("valid-until", "", "access valid until this date")
	consent := fs.Bool("consent", false, "the person agreed to the capture of their face and iris (required)")
	targets := fs.String("targets", "all", "all, or target names separated by commas")
	acceptDup := fs.Bool("accept-duplicate", false, "enroll as a new person even when the camera or the journal finds a possible duplicate")
	noWait := fs.Bool("no-wait", false, "leave the pushes to the outbox")
	force := fs.Bool("force", false, "take the camera over from another workstation that holds its lock")
	face := fs.Bool("face", true, "capture the face")
	eyes := fs.Bool("both-eyes", true, "capture both eyes")
	timeout := fs.Duration("timeout", time.Minute, "give up when no capture comes within this time")
	usage := "--ef45 HOST:PORT --key K --first F --last L --consent [--card N] [--valid-from DATE] [--valid-until DATE] " +
		"[--targets all|NAME,...] [--accept-duplicate] [--no-wait]"
	if _, err := s.parseArgs(fs, args, 0, usage); err != nil {
		return err
	}
	switch {
	case *addr == "":
		return s.usagef("enroll: --ef45 HOST:PORT is required")
	case strings.TrimSpace(p.GivenName+p.FamilyName) == "":
		return s.usagef("enroll: give the person's name with --first and --last")
	case !*consent:
		return s.usagef("enroll: --consent is required: biometric data is captured only with the person's consent")
	}
	for _, d := range []struct {
		flag, v string
		to      *time.Time
	}{{"--valid-from", *from, &p.ValidFrom}, {"--valid-until", *until, &p.ValidUntil}} {
		if d.v == "" {
			continue
		}
		t, err := parseDate(d.v)
		if err != nil {
			return s.usagef("enroll: %s: %v", d.flag, err)
		}
		*d.to = t
	}
	card, err := enroll.CanonicalCard(p.CardNumber) // the journal's one form; targets convert
	if err != nil {
		return s.usagef("enroll: --card: %v: give the card number in decimal digits", err)
	}
	p.CardNumber = card
	if p.Key == "" {
		p.Key = store.NewPersonKey()
	}
	if err := store.CheckPersonKey(p.Key); err != nil {
		return s.usagef("enroll: --key: %v", err)
	}
	operator := operatorName()
	p.ConsentAt, p.ConsentBy = time.Now(), operator

	st, err := s.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	ids, err := chooseTargets(ctx, st, *targets)
	if err != nil {
		return err
	}
	client, err := ef45.New(*addr)
	if err != nil {
		return err
	}
	cam := capture.NewCamera(client, st.Store())
	sess := cam.NewSession(capture.SessionOptions{
		Capture: capture.Options{Modes: ef45.StartModes{Face: *face, BothEyes: *eyes}, Timeout: *timeout},
		Force:   *force, People: st.Store(), Elsewhere: st, // the people other desks of the journal enrolled
	})
	defer sess.Close(context.WithoutCancel(ctx))
	stopStates := s.followCapture(sess)
	res, err := sess.Run(ctx)
	stopStates()
	if errors.Is(err, capture.ErrInUse) {
		return fmt.Errorf("%w (run again with --force to take it over)", err)
	}
	if err != nil {
		return err
	}
	if failed := res.FailedGates(); len(failed) > 0 {
		return s.refuse(ctx, res, st, operator, "the capture failed %s", gateList(failed))
	}
	d := capture.Decisions{Operator: operator}
	if len(res.Duplicates) > 0 {
		if !*acceptDup {
			var keys []string
			for _, dup := range res.Duplicates {
				keys = append(keys, dup.PersonKey)
			}
			return s.refuse(ctx, res, st, operator, "the person may already be enrolled as %s (--accept-duplicate enrolls them as a new person)",
				strings.Join(keys, ", "))
		}
		d.Duplicate = capture.NewPerson
	}
	// The worker hears of the new rows before the camera is released.
	saved, err := res.Accept(ctx, capture.WithQueue(st.Store(), st), p, ids, d)
	if err != nil && !errors.Is(err, capture.ErrNotReleased) {
		return err
	}
	if err != nil {
		fmt.Fprintf(s.stderr, "warning: %v\n", err)
	}
	fmt.Fprintf(s.stderr, "captured %s in %s; saved as capture %s, %d push(es) queued\n", printable(p.Key),
		res.Elapsed.Round(time.Millisecond), saved.CaptureID, len(saved.Outbox))
	if !*noWait {
		rows := map[int64]bool{}
		for _, id := range saved.Outbox {
			rows[id] = true
		}
		prog := s.follow(st, func(it store.OutboxItem) bool { return rows[it.ID] }, false)
		err := st.RunOnce(ctx)
		prog.stop()
		if err != nil {
			return fmt.Errorf("push %s: %w", p.Key, err)
		}
	}
	return s.reportEnroll(ctx, st, saved, res, *noWait)
}

// refuse discards a capture the operator would have to decide on (the decision is
// journaled), and says why.
func (s *stationCmd) refuse(ctx context.Context, res *capture.Result, st *enroll.Station, operator, format string, a ...any) error {
	if err := res.Discard(ctx, st.Store(), operator); err != nil {
		fmt.Fprintf(s.stderr, "warning: %v\n", err)
	}
	return fmt.Errorf("not enrolled: "+format, a...)
}

// reportEnroll prints each target's push; a push not done is an error unless the pushes
// were left to the outbox.
func (s *stationCmd) reportEnroll(ctx context.Context, st *enroll.Station, saved store.Saved, res *capture.Result, noWait bool) error {
	rep := enrollReport{Person: saved.PersonKey, CaptureID: saved.CaptureID, Gates: res.Gates}
	var notDone []string
	for _, id := range saved.Outbox {
		it, err := st.Store().OutboxItem(ctx, id)
		if err != nil {
			return err
		}
		rep.Pushes = append(rep.Pushes, it)
		if it.State != store.OutboxDone {
			notDone = append(notDone, fmt.Sprintf("%s (%s)", it.TargetName, it.State))
		}
	}
	if err := s.emit(rep, func(w io.Writer) {
		tw := table(w)
		for _, g := range rep.Gates {
			fmt.Fprintf(tw, "gate\t%s\t%s\t%s\t%s\n", g.Name, g.Figure, g.Limit, passWord(g.Pass))
		}
		for _, it := range rep.Pushes {
			fmt.Fprintf(tw, "push\t%s\t%s\t%s\t%s\n", printable(it.TargetName), it.TargetKind, it.State, printable(it.LastError+it.Note))
		}
		tw.Flush()
	}); err != nil {
		return err
	}
	if len(notDone) > 0 && !noWait {
		return fmt.Errorf("enrolled %s; not yet on every target: %s (enrollctl outbox status shows why)", saved.PersonKey, strings.Join(notDone, ", "))
	}
	return nil
}

func passWord(ok bool) string {
	if ok {
		return "pass"
	}
	return "FAIL"
}

// gateList names failed gates with their figures: "the left iris usable area gate (64 %, at least 70 %)".
func gateList(failed []capture.GateResult) string {
	var parts []string
	for _, g := range failed {
		parts = append(parts, fmt.Sprintf("%s (%s; %s)", g.Name, g.Figure, g.Limit))
	}
	return "the gate(s): " + strings.Join(parts, ", ")
}

// chooseTargets resolves --targets: "all" is every enabled target.
func chooseTargets(ctx context.Context, st *enroll.Station, spec string) ([]store.TargetID, error) {
	var ids []store.TargetID
	if spec == "" || spec == "all" {
		ts, err := st.Targets(ctx)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			if t.Enabled {
				ids = append(ids, t.ID)
			}
		}
		return ids, nil
	}
	for _, name := range strings.Split(spec, ",") {
		t, err := targetByName(ctx, st, strings.TrimSpace(name))
		if err != nil {
			return nil, err
		}
		if !t.Enabled {
			return nil, fmt.Errorf("target %q is disabled", t.Name)
		}
		ids = append(ids, t.ID)
	}
	return ids, nil
}

// followCapture prints each change of the capture's state (not every frame) to stderr.
func (s *stationCmd) followCapture(sess *capture.Session) (stop func()) {
	var mu sync.Mutex
	last := capture.State(-1)
	lastHint := ""
	return sess.Subscribe(func(u capture.Update) {
		mu.Lock()
		defer mu.Unlock()
		if u.State == last && u.Guidance.Text == lastHint {
			return
		}
		last, lastHint = u.State, u.Guidance.Text
		line := fmt.Sprintf("%s %s", time.Now().Format("15:04:05"), u.State)
		if u.Guidance.Text != "" {
			line += ": " + u.Guidance.Text
		}
		fmt.Fprintln(s.stderr, line)
	})
}
