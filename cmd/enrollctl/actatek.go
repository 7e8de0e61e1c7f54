package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/jpeg"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/store/files"
)

// Limits on the files user-add reads: a face photo or template is far smaller.
const (
	maxPhotoBytes    = 10 << 20
	maxTemplateBytes = 1 << 20
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

// terminalInfo is what `status` reports.
type terminalInfo struct {
	URL             string `json:"url"`
	API             string `json:"api"`
	SerialNumber    string `json:"serial_number"`
	Description     string `json:"description"`
	Firmware        string `json:"firmware"`
	FAMVersion      string `json:"fam_version"`
	Status          string `json:"status"`
	RegisteredUsers int    `json:"registered_users"`
	MaximumUsers    int    `json:"maximum_users"`
	TerminalTime    string `json:"terminal_time"`
	Timezone        string `json:"timezone"`
}

func (a *actatekCmd) status(ctx context.Context, args []string) error {
	if err := a.noArgs(a.flags("status"), args); err != nil {
		return err
	}
	v, err := a.client.Terminal.APIVersion(ctx)
	if err != nil {
		return err
	}
	st, err := a.client.Terminal.Status(ctx)
	if err != nil {
		return err
	}
	tt, err := a.client.Time.Get(ctx)
	if err != nil {
		return err
	}
	info := terminalInfo{
		URL: a.url, API: strings.TrimSpace(v.Name + " " + v.Version), SerialNumber: st.SerialNumber,
		Description: st.Description, Firmware: st.FirmwareVersion, FAMVersion: st.FAMVersion, Status: st.CurrentStatus,
		RegisteredUsers: int(st.RegisteredUsers), MaximumUsers: int(st.MaximumUsers),
		TerminalTime: tt.CurrentTime.String(), Timezone: tt.Timezone,
	}
	return a.emit(info, func(w io.Writer) {
		tw := table(w)
		fmt.Fprintf(tw, "terminal\t%s\nAPI\t%s\nserial number\t%s\ndescription\t%s\nfirmware\t%s\nfingerprint module\t%s\nstatus\t%s\nusers\t%d of %d\nterminal time\t%s (%s)\n",
			info.URL, info.API, info.SerialNumber, info.Description, info.Firmware, info.FAMVersion, info.Status,
			info.RegisteredUsers, info.MaximumUsers, info.TerminalTime, info.Timezone)
		tw.Flush()
	})
}

// userRow is a user as `users` shows it: no password, no biometric data.
type userRow struct {
	UserID      string `json:"user_id"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	AdminLevel  string `json:"admin_level"`
	Departments []int  `json:"departments"`
	Groups      []int  `json:"groups"`
	Active      bool   `json:"active"`
	Faces       int    `json:"faces"`
	CardSN      string `json:"card_sn,omitempty"`
}

func rowOf(u actatek.User) userRow {
	r := userRow{UserID: u.UserID, FirstName: u.FirstName, LastName: u.LastName, AdminLevel: u.AdminLevel,
		Departments: []int(u.DepartmentID), Groups: []int(u.GroupID), Faces: len(u.FacialRecords), CardSN: u.CardSN}
	if u.Status != nil {
		r.Active = actatek.On(u.Status.Active)
	}
	return r
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

func (a *actatekCmd) users(ctx context.Context, args []string) error {
	fs := a.flags("users")
	id := fs.String("id", "", "show only the user with this ID")
	if err := a.noArgs(fs, args); err != nil {
		return err
	}
	rows := []userRow{}
	if *id != "" {
		u, err := a.client.Users.Get(ctx, *id)
		if err != nil {
			return err
		}
		rows = append(rows, rowOf(u))
	} else {
		for u, err := range a.client.Users.All(ctx, 50) {
			if err != nil {
				return err
			}
			rows = append(rows, rowOf(u))
		}
	}
	return a.emit(rows, func(w io.Writer) {
		tw := table(w)
		fmt.Fprintln(tw, "USER ID\tNAME\tLEVEL\tDEPARTMENTS\tGROUPS\tACTIVE\tFACES")
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", r.UserID, strings.TrimSpace(r.FirstName+" "+r.LastName),
				r.AdminLevel, joinInts(r.Departments), joinInts(r.Groups), activeWord(r.Active), r.Faces)
		}
		tw.Flush()
		fmt.Fprintf(w, "%d users\n", len(rows))
	})
}

func activeWord(active bool) string {
	if active {
		return "yes"
	}
	return "no (suspended)"
}

// readLimited reads a whole file of at most limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d MiB", path, limit>>20)
	}
	return b, nil
}

func (a *actatekCmd) userAdd(ctx context.Context, args []string) error {
	fs := a.flags("user-add")
	id := fs.String("id", "", "user ID (required)")
	first := fs.String("first", "", "first name")
	last := fs.String("last", "", "last name")
	photo := fs.String("photo", "", "JPEG photo of the face (required)")
	tmpl := fs.String("template", "", "face template file (required: a face without its template never matches)")
	tmplType := fs.Int("template-type", 2, "face template type")
	dept := fs.Int("department", 0, "department ID")
	group := fs.Int("group", 0, "access group ID")
	if err := a.noArgs(fs, args); err != nil {
		return err
	}
	if *id == "" || *photo == "" || *tmpl == "" {
		return a.usagef("actatek user-add: --id, --photo and --template are required")
	}
	jpg, err := readLimited(*photo, maxPhotoBytes)
	if err != nil {
		return fmt.Errorf("photo: %w", err)
	}
	if _, err := jpeg.DecodeConfig(bytes.NewReader(jpg)); err != nil {
		return fmt.Errorf("photo %s is not a JPEG: %w", *photo, err)
	}
	face := actatek.FacialRecord{TemplateType: actatek.Int(*tmplType), Photo: jpg}
	if *tmpl != "" {
		if face.Template, err = readLimited(*tmpl, maxTemplateBytes); err != nil {
			return fmt.Errorf("template: %w", err)
		}
	}
	u := actatek.User{
		UserID: *id, FirstName: *first, LastName: *last,
		DepartmentID: actatek.IDs{*dept}, GroupID: actatek.IDs{*group},
		FacialRecords: actatek.List[actatek.FacialRecord]{face},
	}
	res, err := a.client.Users.Add(ctx, u)
	if err != nil {
		return err
	}
	out := map[string]any{"user_id": res.UserID, "message": res.Message, "already_present": res.Existing}
	return a.emit(out, func(w io.Writer) {
		if res.Existing {
			fmt.Fprintf(w, "user %s was already on the terminal with the same data\n", res.UserID)
			return
		}
		fmt.Fprintf(w, "user %s added (%s)\n", res.UserID, res.Message)
	})
}

func (a *actatekCmd) userDelete(ctx context.Context, args []string) error {
	fs := a.flags("user-delete")
	id := fs.String("id", "", "user ID (required)")
	if err := a.noArgs(fs, args); err != nil {
		return err
	}
	if *id == "" {
		return a.usagef("actatek user-delete: --id is required")
	}
	if err := a.client.Users.Delete(ctx, *id); err != nil {
		return err
	}
	return a.emit(map[string]string{"deleted": *id}, func(w io.Writer) { fmt.Fprintf(w, "user %s deleted\n", *id) })
}

// logRow is an event as `logs` shows it; Photo is the file written with --photos.
type logRow struct {
	LogID    int    `json:"log_id"`
	Time     string `json:"time"`
	UserID   string `json:"user_id"`
	UserName string `json:"user_name,omitempty"`
	Trigger  string `json:"trigger"`
	Method   string `json:"access_method,omitempty"`
	Photo    string `json:"photo,omitempty"`
}

func (a *actatekCmd) logs(ctx context.Context, args []string) error {
	fs := a.flags("logs")
	from := fs.String("from", "", "first time, xsd:datetime: 2026-03-10T08:00:00 (terminal time) or 2026-03-10T08:00:00Z (UTC)")
	to := fs.String("to", "", "last time, same form as --from")
	limit := fs.Int("limit", 100, "at most this many events")
	photos := fs.String("photos", "", "write each event's photo to this folder as LOGID.jpg")
	if err := a.noArgs(fs, args); err != nil {
		return err
	}
	var f actatek.LogFilter
	var err error
	if f.From, err = actatek.ParseDateTime(*from); err != nil {
		return a.usagef("actatek logs: --from: %v", err)
	}
	if f.To, err = actatek.ParseDateTime(*to); err != nil {
		return a.usagef("actatek logs: --to: %v", err)
	}
	if *limit < 1 {
		return a.usagef("actatek logs: --limit must be at least 1")
	}
	var photoDir *files.Dir
	if *photos != "" {
		if photoDir, err = files.OpenDir(*photos); err != nil {
			return fmt.Errorf("event photos: %w", err)
		}
		defer photoDir.Close()
	}
	logs, err := a.client.Logs.ListFull(ctx, f, *limit)
	if err != nil {
		return err
	}
	rows := make([]logRow, 0, len(logs))
	for _, l := range logs {
		r := logRow{LogID: int(l.LogID), Time: l.Timestamp.String(), UserID: string(l.UserID), UserName: l.UserName, Trigger: l.Trigger, Method: l.AccessMethod}
		if photoDir != nil && len(l.JPEGPhoto) > 0 {
			name := strconv.Itoa(int(l.LogID)) + ".jpg"
			r.Photo = filepath.Join(*photos, name)
			// Event photos are biometric data: new files readable by the user only.
			if err := photoDir.WriteFile(name, l.JPEGPhoto); err != nil {
				return fmt.Errorf("event photo: %w", err)
			}
		}
		rows = append(rows, r)
	}
	return a.emit(rows, func(w io.Writer) {
		tw := table(w)
		fmt.Fprintln(tw, "LOG\tTIME\tUSER\tNAME\tTRIGGER\tMETHOD\tPHOTO")
		for _, r := range rows {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.LogID, r.Time, r.UserID, r.UserName, r.Trigger, r.Method, r.Photo)
		}
		tw.Flush()
		fmt.Fprintf(w, "%d events\n", len(rows))
	})
}

func (a *actatekCmd) setTime(ctx context.Context, args []string) error {
	fs := a.flags("set-time")
	at := fs.String("time", "", "the time to set, xsd:datetime (default: this computer's clock, sent as UTC)")
	tz := fs.String("timezone", "", "also set the terminal's time zone, a tz database name such as Europe/London")
	if err := a.noArgs(fs, args); err != nil {
		return err
	}
	t := actatek.UTC(time.Now())
	if *at != "" {
		var err error
		if t, err = actatek.ParseDateTime(*at); err != nil || t.IsZero() {
			return a.usagef("actatek set-time: --time %q is not a time like 2026-03-10T14:05:00 or 2026-03-10T14:05:00Z", *at)
		}
	}
	if err := a.client.Time.Set(ctx, actatek.TerminalTime{CurrentTime: t, Timezone: *tz}); err != nil {
		return err
	}
	now, err := a.client.Time.Get(ctx)
	if err != nil {
		return err
	}
	out := map[string]string{"terminal_time": now.CurrentTime.String(), "timezone": now.Timezone}
	return a.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "terminal clock set; it now reads %s (%s)\n", now.CurrentTime, now.Timezone)
	})
}

func (a *actatekCmd) openDoor(ctx context.Context, args []string) error {
	if err := a.noArgs(a.flags("open-door"), args); err != nil {
		return err
	}
	msg, err := a.client.Terminal.OpenDoor(ctx)
	if err != nil {
		return err
	}
	return a.emit(map[string]string{"message": msg}, func(w io.Writer) { fmt.Fprintln(w, msg) })
}

func (a *actatekCmd) departments(ctx context.Context, args []string) error {
	if err := a.noArgs(a.flags("departments"), args); err != nil {
		return err
	}
	ds, err := a.client.Departments.List(ctx, actatek.DepartmentFilter{})
	if err != nil {
		return err
	}
	if ds == nil {
		ds = []actatek.Department{}
	}
	return a.emit(ds, func(w io.Writer) {
		tw := table(w)
		fmt.Fprintln(tw, "ID\tNAME\tDESCRIPTION")
		for _, d := range ds {
			fmt.Fprintf(tw, "%d\t%s\t%s\n", d.ID, d.Name, d.Description)
		}
		tw.Flush()
	})
}

func (a *actatekCmd) groups(ctx context.Context, args []string) error {
	if err := a.noArgs(a.flags("groups"), args); err != nil {
		return err
	}
	gs, err := a.client.AccessGroups.List(ctx, actatek.AccessGroupFilter{})
	if err != nil {
		return err
	}
	if gs == nil {
		gs = []actatek.AccessGroup{}
	}
	return a.emit(gs, func(w io.Writer) {
		tw := table(w)
		fmt.Fprintln(tw, "ID\tNAME\tDEPARTMENT\tACCESS RIGHTS")
		for _, g := range gs {
			fmt.Fprintf(tw, "%d\t%s\t%d\t%s\n", g.ID, g.Name, g.DepartmentID, joinInts(g.AccessRightID))
		}
		tw.Flush()
	})
}
