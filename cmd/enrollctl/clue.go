package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"enrollstation/devices/clue"
)

// Limits on the files clue reads.
const (
	maxCluePhotoBytes  = 20 << 20
	maxVendorFileBytes = 1 << 20
	// maxShownBody is how much of a vendor's response the text output shows.
	maxShownBody = 16 << 10
)

// clueCmd is `enrollctl clue --base-url URL --prefix /v1 --place N (--api-key-stdin | --phone
// P --country C --password-stdin) ACTION`, and `enrollctl clue vendor ACTION`.
type clueCmd struct {
	*cli
	client *clue.Client
}

func runClue(ctx context.Context, c *cli, args []string) error {
	k := &clueCmd{cli: c}
	fs := c.flags("clue")
	o := clue.Options{}
	fs.StringVar(&o.BaseURL, "base-url", clue.DefaultBaseURL, "the CLUe service")
	fs.StringVar(&o.Prefix, "prefix", clue.PrefixV1, "path prefix: "+clue.PrefixV1+" or "+clue.PrefixBE)
	fs.Int64Var(&o.PlaceID, "place", 0, "the place id")
	doors := fs.String("doors", "", "door ids a registration opens when it names none, e.g. 234,235 (default: all doors)")
	keyStdin := fs.Bool("api-key-stdin", false, "read the API key from the first line of standard input")
	keySecret := fs.String("api-key-secret", "", "take the API key from the secrets store under this name (see enrollctl secrets)")
	phone := fs.String("phone", "", "log in with this phone account instead of an API key")
	country := fs.String("country", "", "with --phone: the account's country code, e.g. kr")
	pwStdin := fs.Bool("password-stdin", false, "with --phone: read the password from the first line of standard input")
	pwSecret := fs.String("password-secret", "", "with --phone: take the password from the secrets store under this name")
	accountType := fs.String("account-type", clue.DefaultAccountType, "with --phone: the account type")
	deviceType := fs.String("auth-device-type", clue.DefaultAuthDeviceType, "with --phone: the authentication device type")
	fs.DurationVar(&o.Spacing, "spacing", clue.MinSpacing, "least time between two calls to the place (never less than 300ms)")
	fs.DurationVar(&o.Timeout, "call-timeout", clue.DefaultTimeout, "deadline of each call")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if fs.Arg(0) == "vendor" {
		return k.vendor(ctx, fs.Args()[1:])
	}
	switch {
	case o.PlaceID <= 0:
		return c.usagef("clue: --place is required")
	}
	byKey := *keyStdin || *keySecret != ""
	switch {
	case *keyStdin && *keySecret != "":
		return c.usagef("clue: give --api-key-stdin or --api-key-secret, not both")
	case byKey && *phone != "":
		return c.usagef("clue: give an API key or --phone, not both")
	case !byKey && *phone == "":
		return c.usagef("clue: give --api-key-stdin or --api-key-secret NAME, or --phone with --country and --password-stdin or --password-secret NAME (secrets are never taken from the command line)")
	case *phone != "" && (*country == "" || *pwStdin == (*pwSecret != "")):
		return c.usagef("clue: --phone needs --country and one of --password-stdin, --password-secret NAME")
	}
	ids, err := parseIDs(*doors)
	if err != nil {
		return c.usagef("clue: --doors: %v", err)
	}
	o.DoorIDs = ids
	if len(fs.Args()) == 0 {
		return c.usagef("clue: choose one of: delete, events, register, update, vendor")
	}
	var secret string
	if byKey {
		secret, err = c.secret(ctx, "API key", *keyStdin, *keySecret)
	} else {
		secret, err = c.secret(ctx, "password", *pwStdin, *pwSecret)
	}
	if err != nil {
		return err
	}
	if byKey {
		o.APIKey = clue.Secret(secret)
	} else {
		o.Phone = &clue.PhoneLogin{CountryCode: *country, Phone: *phone, Password: clue.Secret(secret), AccountType: *accountType, AuthDeviceType: *deviceType}
	}
	if k.client, err = clue.NewClient(o); err != nil {
		return err
	}
	return c.subcommand(ctx, "clue", fs.Args(), map[string]func(context.Context, []string) error{
		"register": k.register,
		"update":   k.update,
		"delete":   k.delete,
		"events":   k.events,
	})
}

// parseClueTime reads a day (local), an RFC 3339 time, a local "2006-01-02T15:04[:05]" or
// epoch milliseconds. A day given as an end means the last millisecond of that day.
func parseClueTime(s string, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil && len(s) >= 10 {
		return time.UnixMilli(ms), nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, time.Local); err == nil {
		if end {
			t = t.AddDate(0, 0, 1).Add(-time.Millisecond)
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time: write 2026-03-01, 2026-03-01T09:00, 2026-03-01T09:00:00Z or epoch milliseconds", s)
}

func parseIDs(s string) ([]int64, error) {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not an id", f)
		}
		out = append(out, n)
	}
	return out, nil
}
