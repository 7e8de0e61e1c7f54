package main

import (
	"context"
	"fmt"
	"io"
)

// problemsFound makes `journal verify` exit 1 after listing the problems.
type problemsFound int

func (p problemsFound) Error() string {
	if p == 1 {
		return "verify: 1 problem found"
	}
	return fmt.Sprintf("verify: %d problems found", int(p))
}

// ExitCode is 1: the journal is damaged, not the command misused.
func (problemsFound) ExitCode() int { return 1 }

func (j *journalCmd) verify(ctx context.Context, args []string) error {
	fs := j.flagSet("journal verify")
	if _, err := j.parseArgs(fs, args, 0, "verify"); err != nil {
		return err
	}
	st, err := j.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := st.Verify(ctx)
	if err != nil {
		return err
	}
	if err := j.emit(rep, func(w io.Writer) {
		fmt.Fprintf(w, "checked %s: %d people, %d captures, %d biometric blobs, %d pushes, %d audit rows\n",
			st.Path(), rep.People, rep.Captures, rep.Blobs, rep.Outbox, rep.Audit)
		for _, p := range rep.Problems {
			fmt.Fprintf(w, "problem: %s\n", p)
		}
		if rep.OK() {
			fmt.Fprintln(w, "ok: integrity, every blob decrypts, outbox consistent, audit trail unbroken")
		}
	}); err != nil {
		return err
	}
	if !rep.OK() {
		return problemsFound(len(rep.Problems))
	}
	return nil
}
