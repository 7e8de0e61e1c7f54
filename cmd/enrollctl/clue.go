package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"enrollstation/devices/clue"
	"enrollstation/devices/clue/vendor"
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

// accessFlags are the flags register and update share.
type accessFlags struct {
	name     string
	photos   []string
	cards    []string
	format   string
	from     string
	until    string
	inactive bool
	allDoors bool
	doors    string
	schedule int64
}

func (a *accessFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&a.name, "name", "", "the person's name")
	fs.Func("photo", "a face photo, JPEG or PNG (at most twice); larger than 1 MB is scaled down", func(s string) error {
		a.photos = append(a.photos, s)
		return nil
	})
	fs.Func("card", "a card number, decimal (repeatable)", func(s string) error {
		a.cards = append(a.cards, s)
		return nil
	})
	fs.StringVar(&a.format, "card-format", clue.CardFormatCSN, "the cards' formatType")
	fs.StringVar(&a.from, "from", "", "start of validity: 2026-03-01, 2026-03-01T09:00:00+09:00 or epoch ms (default now)")
	fs.StringVar(&a.until, "until", "", "end of validity, same forms; a day means its end (default no end)")
	fs.BoolVar(&a.inactive, "inactive", false, "register the access as INACTIVE")
	fs.BoolVar(&a.allDoors, "all-doors", false, "open every door, whatever --doors says")
	fs.StringVar(&a.doors, "doors", "", "door ids to open, e.g. 234,235 (default: clue --doors, else all)")
	fs.Int64Var(&a.schedule, "schedule", 0, "limit access to this schedule id (default always)")
}

// access reads the photos and turns the flags into a clue.Access.
func (a *accessFlags) access() (clue.Access, error) {
	var acc clue.Access
	var err error
	if acc.Start, err = parseClueTime(a.from, false); err != nil {
		return acc, fmt.Errorf("--from: %w", err)
	}
	if acc.End, err = parseClueTime(a.until, true); err != nil {
		return acc, fmt.Errorf("--until: %w", err)
	}
	if acc.DoorIDs, err = parseIDs(a.doors); err != nil {
		return acc, fmt.Errorf("--doors: %w", err)
	}
	acc.Inactive, acc.AllDoors, acc.ScheduleID = a.inactive, a.allDoors, a.schedule
	for _, c := range a.cards {
		acc.Cards = append(acc.Cards, clue.Card{CardNumber: strings.TrimSpace(c), FormatType: a.format})
	}
	if len(a.photos) > clue.MaxFaceImages {
		return acc, fmt.Errorf("--photo: %d given, CLUe takes at most %d", len(a.photos), clue.MaxFaceImages)
	}
	for _, p := range a.photos {
		b, err := readLimited(p, maxCluePhotoBytes)
		if err != nil {
			return acc, err
		}
		acc.Faces = append(acc.Faces, b)
	}
	return acc, nil
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

func (k *clueCmd) register(ctx context.Context, args []string) error {
	fs := k.flags("clue register")
	key := fs.String("key", "", "the person's unique key (user.key)")
	var af accessFlags
	af.add(fs)
	if err := k.noArgs(fs, args); err != nil {
		return err
	}
	if *key == "" || af.name == "" {
		return k.usagef("clue register: --key and --name are required")
	}
	acc, err := af.access()
	if err != nil {
		return k.usagef("clue register: %v", err)
	}
	a, err := k.client.Auths.Register(ctx, clue.Registration{Key: *key, Name: af.name, Access: acc})
	if err != nil {
		return err
	}
	return k.emit(a, func(w io.Writer) { printAuth(w, "registered", a) })
}

func (k *clueCmd) update(ctx context.Context, args []string) error {
	fs := k.flags("clue update")
	id := fs.Int64("auth-id", 0, "the auth to replace: a setting not given takes its default, as in register (faces are kept unless --photo is given)")
	var af accessFlags
	af.add(fs)
	if err := k.noArgs(fs, args); err != nil {
		return err
	}
	if *id <= 0 {
		return k.usagef("clue update: --auth-id is required")
	}
	acc, err := af.access()
	if err != nil {
		return k.usagef("clue update: %v", err)
	}
	a, err := k.client.Auths.Update(ctx, *id, clue.AuthUpdate{Name: af.name, Access: acc})
	if err != nil {
		return err
	}
	return k.emit(a, func(w io.Writer) { printAuth(w, "updated", a) })
}

func printAuth(w io.Writer, verb string, a *clue.Auth) {
	doors := "all doors"
	if a.DoorAccessType == clue.DoorAccessSome {
		var names []string
		for _, d := range a.Doors {
			names = append(names, fmt.Sprintf("%d %s", d.DoorID, d.DoorName))
		}
		doors = strings.Join(names, ", ")
	}
	schedule := "always"
	if a.ScheduleType == clue.ScheduleSpecific {
		schedule = fmt.Sprintf("schedule %d", a.ScheduleID)
	}
	end := a.End.Local().Format("2006-01-02 15:04")
	if a.End.UnixMilli() == clue.NoEnd {
		end = "no end"
	}
	fmt.Fprintf(w, "%s auth %d: key %s, user %s, %s\n", verb, a.AuthID, a.Key, a.UserID, a.Name)
	fmt.Fprintf(w, "  %s from %s to %s, %s, %s\n", a.ActiveStatus, a.Start.Local().Format("2006-01-02 15:04"), end, doors, schedule)
	fmt.Fprintf(w, "  credentials: %s, %d face images\n", strings.Join(a.Modes, ", "), a.FaceImages)
}

func (k *clueCmd) delete(ctx context.Context, args []string) error {
	fs := k.flags("clue delete")
	id := fs.Int64("auth-id", 0, "the auth to delete (the user and its key stay in CLUe)")
	if err := k.noArgs(fs, args); err != nil {
		return err
	}
	if *id <= 0 {
		return k.usagef("clue delete: --auth-id is required")
	}
	if err := k.client.Auths.Delete(ctx, *id); err != nil {
		return err
	}
	out := struct {
		AuthID  int64 `json:"authId"`
		Deleted bool  `json:"deleted"`
	}{*id, true}
	return k.emit(out, func(w io.Writer) { fmt.Fprintf(w, "deleted auth %d\n", *id) })
}

func (k *clueCmd) events(ctx context.Context, args []string) error {
	fs := k.flags("clue events")
	from := fs.String("from", "", "first time: 2026-03-01, 2026-03-01T09:00, RFC 3339 or epoch ms (a range over 7 days is fetched week by week)")
	to := fs.String("to", "", "last time, same forms; a day means its end (default now)")
	filter := fs.String("filter", "", "only these event types, e.g. DEV_FACE_AUTH_SUCCESS,DEV_FACE_AUTH_FAIL")
	asCSV := fs.Bool("csv", false, "write CSV")
	endpoint := fs.String("endpoint", "events", "which documented call: events (spec 000) or places (spec 001)")
	size := fs.Int("size", clue.DefaultPageSize, "page size")
	sort := fs.String("sort", clue.SortAsc, "order by log id: asc or desc")
	query := fs.String("q", "", "free text (events endpoint only)")
	if err := k.noArgs(fs, args); err != nil {
		return err
	}
	q := clue.EventQuery{Size: *size, Sort: *sort, Query: *query}
	var err error
	if q.From, err = parseClueTime(*from, false); err != nil {
		return k.usagef("clue events: --from: %v", err)
	}
	if q.To, err = parseClueTime(*to, true); err != nil {
		return k.usagef("clue events: --to: %v", err)
	}
	switch *endpoint {
	case "events":
		q.Endpoint = clue.EndpointEvents
	case "places":
		q.Endpoint = clue.EndpointPlaceEvents
	default:
		return k.usagef("clue events: --endpoint is events or places")
	}
	if *sort != clue.SortAsc && *sort != clue.SortDesc {
		return k.usagef("clue events: --sort is asc or desc")
	}
	if *size < 1 {
		return k.usagef("clue events: --size must be at least 1")
	}
	for _, t := range strings.Split(*filter, ",") {
		if t = strings.TrimSpace(t); t != "" {
			q.Types = append(q.Types, t)
		}
	}
	evs, err := k.client.Events.All(ctx, q)
	if err != nil {
		return err
	}
	if evs == nil {
		evs = []clue.Event{}
	}
	if *asCSV && !k.json {
		return writeEventsCSV(k.data, evs)
	}
	return k.emit(evs, func(w io.Writer) {
		tw := table(w)
		fmt.Fprintln(tw, "TIME\tLOG\tTYPE\tDOOR\tAUTH\tUSER\tNAME")
		for _, e := range evs {
			door := ""
			if e.DoorID != 0 {
				door = strings.TrimSpace(fmt.Sprintf("%d %s", e.DoorID, e.DoorName))
			}
			auth := ""
			if e.AuthID != 0 {
				auth = strconv.FormatInt(e.AuthID, 10)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.EventAt.Local().Format("2006-01-02 15:04:05.000"), e.LogID, e.Type, door, auth, e.UserID, e.UserName)
		}
		tw.Flush()
		fmt.Fprintf(w, "%d events\n", len(evs))
	})
}

func writeEventsCSV(w io.Writer, evs []clue.Event) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"logId", "eventAt", "eventAtMs", "placeId", "deviceId", "doorId", "doorName", "authId", "userId", "userName", "localLogId", "eventType"})
	for _, e := range evs {
		row := []string{e.LogID, e.EventAt.UTC().Format("2006-01-02T15:04:05.000Z07:00"), strconv.FormatInt(e.EventAt.UnixMilli(), 10),
			strconv.FormatInt(e.PlaceID, 10), strconv.FormatInt(e.DeviceID, 10), strconv.FormatInt(e.DoorID, 10), e.DoorName,
			strconv.FormatInt(e.AuthID, 10), e.UserID, e.UserName, strconv.FormatInt(e.LocalLogID, 10), e.Type}
		for i := range row {
			row[i] = csvCell(row[i])
		}
		_ = cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// csvCell defuses text a spreadsheet would run as a formula (a cell starting with = + - @,
// a tab or a carriage return): every cell, as names and ids come from the cloud.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// invalidConfig is a vendor configuration that breaks rules; exit status 1.
type invalidConfig struct{ n int }

func (e invalidConfig) Error() string {
	if e.n == 1 {
		return "the configuration breaks 1 rule"
	}
	return fmt.Sprintf("the configuration breaks %d rules", e.n)
}

// ExitCode is 1, "invalid".
func (invalidConfig) ExitCode() int { return 1 }

// testFailed is a test call of class A or B; exit status 1.
type testFailed struct{ class vendor.Class }

func (e testFailed) Error() string { return "test " + string(e.class) + ": " + e.class.Describe() }

// ExitCode is 1: the configuration cannot be saved as it is.
func (testFailed) ExitCode() int { return 1 }

func (k *clueCmd) vendor(ctx context.Context, args []string) error {
	return k.subcommand(ctx, "clue vendor", args, map[string]func(context.Context, []string) error{
		"validate": k.vendorValidate,
		"test":     k.vendorTest,
	})
}

func readVendorConfig(path string) (vendor.Config, error) {
	b, err := readLimited(path, maxVendorFileBytes)
	if err != nil {
		return vendor.Config{}, err
	}
	c, err := vendor.ParseConfig(b)
	if err != nil {
		return vendor.Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

func (k *clueCmd) vendorValidate(_ context.Context, args []string) error {
	fs := k.flags("clue vendor validate")
	path := fs.String("config", "", "the vendor API configuration (JSON, as the portal's form)")
	if err := k.noArgs(fs, args); err != nil {
		return err
	}
	if *path == "" {
		return k.usagef("clue vendor validate: --config is required")
	}
	cfg, err := readVendorConfig(*path)
	if err != nil {
		return invalidRead{err}
	}
	vs := vendor.Validate(cfg)
	out := struct {
		Valid      bool              `json:"valid"`
		Mode       string            `json:"judgmentMode"`
		Violations vendor.Violations `json:"violations"`
	}{len(vs) == 0, cfg.Judgment.Mode().String(), vs}
	if out.Violations == nil {
		out.Violations = vendor.Violations{}
	}
	if err := k.emit(out, func(w io.Writer) {
		if len(vs) == 0 {
			fmt.Fprintf(w, "valid: %s, %s, judgment mode %s\n", cfg.Name, cfg.AuthType, cfg.Judgment.Mode())
			return
		}
		for _, v := range vs {
			fmt.Fprintf(w, "%s: %s [%s]\n", v.Field, v.Message, v.Rule)
		}
	}); err != nil {
		return err
	}
	if len(vs) > 0 {
		return invalidConfig{len(vs)}
	}
	return nil
}

// invalidRead is a configuration file that cannot be read as one; exit status 1.
type invalidRead struct{ error }

func (e invalidRead) Unwrap() error { return e.error }

// ExitCode is 1, "invalid".
func (invalidRead) ExitCode() int { return 1 }

// testReport is what `clue vendor test` prints.
type testReport struct {
	Request struct {
		Method string              `json:"method"`
		URL    string              `json:"url"`
		Header map[string][]string `json:"header"`
		Body   json.RawMessage     `json:"body"`
	} `json:"request"`
	Response *struct {
		StatusCode  int    `json:"statusCode"`
		ContentType string `json:"contentType"`
		Body        string `json:"body"`
		DurationMs  int64  `json:"durationMs"`
	} `json:"response,omitempty"`
	Class        vendor.Class      `json:"class"`
	Meaning      string            `json:"meaning"`
	Success      bool              `json:"success"`
	Problem      string            `json:"problem,omitempty"`
	Violations   vendor.Violations `json:"violations,omitempty"`
	Decision     *vendor.Decision  `json:"decision,omitempty"`
	Granted      *bool             `json:"granted,omitempty"`
	JudgmentMode string            `json:"judgmentMode,omitempty"`
}

func (k *clueCmd) vendorTest(ctx context.Context, args []string) error {
	fs := k.flags("clue vendor test")
	path := fs.String("config", "", "the vendor API configuration (JSON, as the portal's form)")
	var in vendor.TestInput
	fs.StringVar(&in.DeviceID, "device-id", "", "the device serial to send (9-12 digits)")
	fs.StringVar(&in.UserKey, "user-key", "", "the user key to send (FACE, FINGERPRINT, CLUE_QR)")
	fs.StringVar(&in.CardNumber, "card", "", "the card number to send (RF_CARD)")
	fs.StringVar(&in.PIN, "pin", "", "the PIN to send (USER_PIN)")
	fs.StringVar(&in.QRCode, "qr", "", "the QR payload to send (CUSTOM_QR)")
	caFile := fs.String("ca", "", "PEM file of a private CA to trust for the webhook (a webhook on a test network)")
	timeout := fs.Duration("timeout", vendor.DefaultTestTimeout, "how long to wait for the vendor")
	if err := k.noArgs(fs, args); err != nil {
		return err
	}
	given := 0
	for _, v := range []string{in.UserKey, in.CardNumber, in.PIN, in.QRCode} {
		if v != "" {
			given++
		}
	}
	switch {
	case *path == "":
		return k.usagef("clue vendor test: --config is required")
	case given > 1:
		return k.usagef("clue vendor test: give one of --user-key, --card, --pin, --qr")
	}
	cfg, err := readVendorConfig(*path)
	if err != nil {
		return invalidRead{err}
	}
	opts := vendor.TestOptions{Timeout: *timeout}
	if *caFile != "" {
		pem, err := readLimited(*caFile, maxVendorFileBytes)
		if err != nil {
			return err
		}
		opts.RootCAs = x509.NewCertPool()
		if !opts.RootCAs.AppendCertsFromPEM(pem) {
			return k.usagef("clue vendor test: --ca %s holds no PEM certificate", *caFile)
		}
	}
	res := vendor.Test(ctx, cfg, in, opts)
	rep := report(res)
	if err := k.emit(rep, func(w io.Writer) { printReport(w, rep) }); err != nil {
		return err
	}
	if !res.Success {
		return testFailed{res.Class}
	}
	return nil
}

// report turns a test result into what is shown, secrets in headers redacted.
func report(res *vendor.TestResult) testReport {
	var rep testReport
	rep.Class, rep.Meaning, rep.Success, rep.Problem, rep.Violations = res.Class, res.Class.Describe(), res.Success, res.Problem, res.Violations
	if res.Request != nil {
		r := res.Request.Redacted()
		rep.Request.Method, rep.Request.URL, rep.Request.Header, rep.Request.Body = r.Method, r.URL, r.Header, r.Body
	}
	if res.Class != vendor.ClassA && (res.StatusCode != 0 || len(res.ResponseBody) > 0) {
		rep.Response = &struct {
			StatusCode  int    `json:"statusCode"`
			ContentType string `json:"contentType"`
			Body        string `json:"body"`
			DurationMs  int64  `json:"durationMs"`
		}{res.StatusCode, res.ContentType, string(res.ResponseBody), res.Duration.Milliseconds()}
	}
	if res.Decision != nil {
		rep.Decision = res.Decision
		g := res.Decision.Granted
		rep.Granted = &g
		rep.JudgmentMode = res.Decision.Mode.String()
	}
	return rep
}

func printReport(w io.Writer, rep testReport) {
	if rep.Request.Method != "" {
		fmt.Fprintf(w, "request:\n  %s %s\n", rep.Request.Method, rep.Request.URL)
		for _, name := range sortedKeys(rep.Request.Header) {
			for _, v := range rep.Request.Header[name] {
				fmt.Fprintf(w, "  %s: %s\n", name, printable(v))
			}
		}
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, rep.Request.Body, "  ", "  "); err == nil {
			fmt.Fprintf(w, "  %s\n", pretty.String())
		}
	}
	if r := rep.Response; r != nil {
		ct := r.ContentType
		if ct == "" {
			ct = "no Content-Type"
		}
		fmt.Fprintf(w, "response:\n  HTTP %d, %s, %d ms\n", r.StatusCode, ct, r.DurationMs)
		body := r.Body
		if len(body) > maxShownBody {
			body = body[:maxShownBody] + "…"
		}
		if body != "" {
			fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(printable(body), "\n", "\n  "))
		}
	}
	fmt.Fprintf(w, "class: %s (%s)\n", rep.Class, rep.Meaning)
	if rep.Problem != "" {
		fmt.Fprintf(w, "problem: %s\n", rep.Problem)
	}
	for _, v := range rep.Violations {
		fmt.Fprintf(w, "  %s: %s [%s]\n", v.Field, v.Message, v.Rule)
	}
	if d := rep.Decision; d != nil {
		verdict := "denied"
		if d.Granted {
			verdict = "granted"
		}
		fmt.Fprintf(w, "judgment: %s (mode %s): %s\n", verdict, d.Mode, d.Reason)
		if d.Message != "" {
			fmt.Fprintf(w, "message: %s\n", printable(d.Message))
		} else {
			fmt.Fprintln(w, "message: none")
		}
	} else if rep.Class == vendor.ClassC {
		fmt.Fprintln(w, "judgment: none (no judgment criteria yet)")
	}
}

// printable keeps a vendor's text from driving the terminal: control characters other than
// line breaks and tabs are replaced.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return '�'
	}, s)
}

func sortedKeys(m map[string][]string) []string { return slices.Sorted(maps.Keys(m)) }
