package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"enrollstation/devices/actatek"
)

// actatekCmd is `enrollctl actatek --url URL --user U --password-stdin
// [--pin-sha256 HEX | --ca FILE] ACTION`.
type actatekCmd struct {
	*cli
	url    string
	client *actatek.Client
}

// untrusted is the refusal to talk to a terminal whose certificate nobody has confirmed.
type untrusted struct{ fingerprint string }

func (u untrusted) Error() string {
	return "the terminal's certificate is not trusted yet (SHA-256 " + u.fingerprint + "); see above"
}

// ExitCode is 1: nothing was sent; the command can be re-run once the pin is confirmed.
func (untrusted) ExitCode() int { return 1 }

// unreachable marks a terminal that could not be reached; exit status 3.
type unreachable struct{ error }

func (u unreachable) Unwrap() error { return u.error }

// ExitCode is 3, "unreachable".
func (unreachable) ExitCode() int { return 3 }

func runActatek(ctx context.Context, c *cli, args []string) error {
	a := &actatekCmd{cli: c}
	fs := c.flags("actatek")
	var o actatek.Options
	fs.StringVar(&a.url, "url", "", "the terminal's address, e.g. https://10.0.0.5 (http:// only for a terminal without TLS)")
	fs.StringVar(&o.Credentials.Username, "user", "", "the terminal account to log in with")
	pwStdin := fs.Bool("password-stdin", false, "read the account's password from the first line of standard input")
	pwSecret := fs.String("password-secret", "", "take the account's password from the secrets store under this name (see enrollctl secrets)")
	fs.StringVar(&o.PinSHA256, "pin-sha256", "", "SHA-256 fingerprint of the terminal's certificate, as checked on the terminal")
	fs.StringVar(&o.CAFile, "ca", "", "PEM file of the authority that signed the terminal's certificate")
	fs.StringVar(&o.ServerName, "server-name", "", "with --ca: the name the certificate must carry (default: the URL's host)")
	fs.DurationVar(&o.Timeout, "call-timeout", actatek.DefaultTimeout, "deadline of each call to the terminal")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	switch {
	case a.url == "":
		return c.usagef("actatek: --url is required")
	case o.Credentials.Username == "":
		return c.usagef("actatek: --user is required")
	case *pwStdin == (*pwSecret != ""):
		return c.usagef("actatek: give the password with --password-stdin or --password-secret NAME (it is never taken from the command line)")
	case o.PinSHA256 != "" && o.CAFile != "":
		return c.usagef("actatek: give either --pin-sha256 or --ca, not both")
	}
	u, err := url.Parse(a.url)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return c.usagef("actatek: --url %q is not an https:// (or http://) address", a.url)
	}
	if u.Scheme == "https" && o.PinSHA256 == "" && o.CAFile == "" {
		return a.firstUse(ctx)
	}
	pw, err := c.secret(ctx, "password", *pwStdin, *pwSecret)
	if err != nil {
		return err
	}
	o.Credentials.Password = pw
	client, err := actatek.New(a.url, o)
	if err != nil {
		return err
	}
	a.client = client
	defer func() {
		logoutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = client.Logout(logoutCtx) // the session also lapses after 30 idle minutes
		client.Close()
	}()
	err = c.subcommand(ctx, "actatek", fs.Args(), map[string]func(context.Context, []string) error{
		"status":      a.status,
		"users":       a.users,
		"user-add":    a.userAdd,
		"user-delete": a.userDelete,
		"logs":        a.logs,
		"set-time":    a.setTime,
		"open-door":   a.openDoor,
		"departments": a.departments,
		"groups":      a.groups,
	})
	var pe *actatek.PinError
	switch {
	case errors.As(err, &pe):
		return fmt.Errorf("%w\nif the terminal's certificate was renewed, check the new fingerprint on the terminal and run again with --pin-sha256 %s", err, pe.Got)
	case errors.Is(err, actatek.ErrUnreachable):
		return unreachable{err}
	}
	return err
}

// firstUse shows the certificate an https terminal presents and refuses to go on: a
// person must check the fingerprint on the terminal and pin it. Nothing is sent to the
// terminal, and the password is not read.
func (a *actatekCmd) firstUse(ctx context.Context) error {
	info, err := actatek.Probe(ctx, a.url)
	if err != nil {
		return unreachable{fmt.Errorf("cannot read the terminal's certificate: %w", err)}
	}
	if a.json {
		if err := a.emit(map[string]any{"trusted": false, "certificate": info}, nil); err != nil {
			return err
		}
	}
	w := a.stderr
	fmt.Fprintf(w, "The terminal at %s presents a certificate that is not trusted yet:\n", a.url)
	tw := table(w)
	fmt.Fprintf(tw, "  subject\t%s\n  issuer\t%s\n  valid\t%s to %s\n", info.Subject, info.Issuer,
		info.NotBefore.Format("2006-01-02"), info.NotAfter.Format("2006-01-02"))
	if names := append(append([]string{}, info.DNSNames...), info.IPAddresses...); len(names) > 0 {
		fmt.Fprintf(tw, "  names\t%s\n", strings.Join(names, ", "))
	}
	fmt.Fprintf(tw, "  SHA-256\t%s\n", actatek.FormatFingerprint(info.Fingerprint))
	tw.Flush()
	fmt.Fprintf(w, "Check this fingerprint on the terminal itself (its screen or web page). If it matches, run again with\n  --pin-sha256 %s\nor give the authority that signed it with --ca FILE.\n", info.Fingerprint)
	return untrusted{fingerprint: info.Fingerprint}
}
