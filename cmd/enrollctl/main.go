// Command enrollctl drives the Enroll Station engine from a terminal: device checks,
// captures, firmware uploads and journal maintenance, for scripts and support.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"

	"enrollstation/store/secrets"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// cli carries what every subcommand needs: the standard streams and the output mode.
type cli struct {
	stdin  io.Reader
	stdout io.Writer // text for a reader: control characters spelt out
	stderr io.Writer
	// data is standard output as it is, for a CSV stream that is data to a program rather
	// than text to read: its cells are kept byte for byte.
	data io.Writer
	json bool

	// openSecrets opens the secrets store (OS keyring, or the 0600 file) when a command
	// needs it.
	openSecrets func(ctx context.Context) (secrets.Store, error)
}

// command is one top-level subcommand: enrollctl NAME ARGS...
type command struct {
	summary string
	run     func(ctx context.Context, c *cli, args []string) error
}

func commands() map[string]command {
	return map[string]command{
		"ef45":      {"EF-45 camera: info, set-time, capture, firmware, logs, subjects, door, card", runEF45},
		"firmware":  {"firmware upload to one or more EF-45 cameras at once", runFirmware},
		"journal":   {"the local journal: list, show, export, verify, erase, key, migrate", runJournal},
		"actatek":   {"ACTAtek terminals: status, users, logs, time, door", runActatek},
		"clue":      {"Suprema CLUe: auths, events, vendor webhook console", runClue},
		"secrets":   {"the secrets store: set or delete a password or API key by name", runSecrets},
		"targets":   {"the places captures are pushed to: add, list (with health), remove", runTargets},
		"outbox":    {"the pushes waiting, done and failed: status, run, retry", runOutbox},
		"reconcile": {"compare what targets hold with the journal, and repair", runReconcile},
		"enroll":    {"capture a person on an EF-45 and push them to every target", runEnroll},
		"erase":     {"erase a person from every target, then from the journal", runErase},
		"retention": {"the retention schedule: set, show, run (erase everyone past it)", runRetention},
	}
}

// errUsage marks an error already explained by a usage message; exit status 2.
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// Every line printed may hold a device's text: none of it reaches a terminal as a control.
	data := stdout
	tout, terr := newTerminalWriter(stdout), newTerminalWriter(stderr)
	defer tout.Flush()
	defer terr.Flush()
	stdout, stderr = tout, terr
	c := &cli{stdin: stdin, stdout: stdout, stderr: stderr, data: data}
	c.openSecrets = func(ctx context.Context) (secrets.Store, error) {
		return secrets.Open(ctx, secrets.Options{Logger: slog.New(slog.NewTextHandler(stderr, nil))})
	}
	fs := flag.NewFlagSet("enrollctl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&c.json, "json", false, "machine-readable JSON output")
	cmds := commands()
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: enrollctl [--json] COMMAND [flags] ...")
		names := make([]string, 0, len(cmds))
		for n := range cmds {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(stderr, "  %-9s %s\n", n, cmds[n].summary)
		}
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	cmd, ok := cmds[fs.Arg(0)]
	if !ok {
		fmt.Fprintf(stderr, "enrollctl: unknown command %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if err := cmd.run(ctx, c, fs.Args()[1:]); err != nil {
		if errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp) {
			return 2
		}
		fmt.Fprintf(stderr, "enrollctl %s: %v\n", fs.Arg(0), err)
		var ec exitCoder
		if errors.As(err, &ec) {
			return ec.ExitCode()
		}
		return 1
	}
	return 0
}

// exitCoder lets a subcommand choose its exit status (e.g. 1 for "invalid", 3 for "unreachable").
type exitCoder interface{ ExitCode() int }

// flags makes a flag set for a subcommand that accepts --json as well.
func (c *cli) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.BoolVar(&c.json, "json", c.json, "machine-readable JSON output")
	return fs
}

// parse parses a subcommand's flags; a parse error has been printed already.
func (c *cli) parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	return nil
}

// noArgs parses an action's flags and refuses stray arguments.
func (c *cli) noArgs(fs *flag.FlagSet, args []string) error {
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return c.usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// interleaved parses flags given anywhere among the arguments and returns the others, which
// must number want; usage is the full usage line printed otherwise.
func (c *cli) interleaved(fs *flag.FlagSet, args []string, want int, usage string) ([]string, error) {
	var pos []string
	for {
		if err := c.parse(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			pos = append(pos, rest...) // everything after "--" is an argument
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	if want >= 0 && len(pos) != want {
		return nil, c.usagef("usage: %s", usage)
	}
	return pos, nil
}

// readSecret reads a secret (a password, an API key) from the first line of standard
// input, without its line ending: the only place enrollctl takes a secret from, so that
// none shows in the process list or the shell history.
func (c *cli) readSecret(what string) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(c.stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the %s from standard input: %w", what, err)
	}
	s := strings.TrimRight(line, "\r\n")
	if s == "" {
		return "", fmt.Errorf("no %s on standard input (the %s is read from the first line of standard input)", what, what)
	}
	return s, nil
}

// secret returns a secret from the first line of standard input (fromStdin) or, by name,
// from the secrets store.
func (c *cli) secret(ctx context.Context, what string, fromStdin bool, name string) (string, error) {
	if fromStdin {
		return c.readSecret(what)
	}
	store, err := c.openSecrets(ctx)
	if err != nil {
		return "", err
	}
	v, err := store.Get(ctx, name)
	if errors.Is(err, secrets.ErrNotFound) {
		return "", fmt.Errorf("no %s named %q in the secrets store; put it there with: enrollctl secrets set %s", what, name, name)
	}
	if err != nil {
		return "", fmt.Errorf("read the %s %q from the secrets store: %w", what, name, err)
	}
	return v.Reveal(), nil
}

// table writes aligned columns to w, as every listing of enrollctl does; Flush it when done.
func table(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 4, 2, ' ', 0) }

// usagef prints a usage complaint and returns errUsage.
func (c *cli) usagef(format string, a ...any) error {
	fmt.Fprintf(c.stderr, "enrollctl: "+format+"\n", a...)
	return errUsage
}

// emit prints v as indented JSON with --json, or calls text otherwise.
func (c *cli) emit(v any, text func(w io.Writer)) error {
	if c.json {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	text(c.stdout)
	return nil
}

// subcommand dispatches ACTION ARGS... to one of actions, with a usage listing.
func (c *cli) subcommand(ctx context.Context, group string, args []string, actions map[string]func(context.Context, []string) error) error {
	if len(args) == 0 || actions[args[0]] == nil {
		names := make([]string, 0, len(actions))
		for n := range actions {
			names = append(names, n)
		}
		sort.Strings(names)
		return c.usagef("%s: choose one of: %s", group, strings.Join(names, ", "))
	}
	return actions[args[0]](ctx, args[1:])
}
