package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

// actatekTerminal serves a simulated terminal over HTTPS on loopback.
func actatekTerminal(t *testing.T, opts actateksim.Options) (*actateksim.Simulator, *httptest.Server) {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 11
	}
	sim, err := actateksim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(sim)
	srv.TLS = sim.TLSConfig()
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return sim, srv
}

// actatekCtl runs `enrollctl [--json] actatek` against the terminal with its password on
// standard input, and checks the password shows nowhere.
func actatekCtl(t *testing.T, sim *actateksim.Simulator, srv *httptest.Server, conn []string, args ...string) (int, string, string) {
	t.Helper()
	pw := sim.Credentials().Password
	var full []string
	if len(args) > 0 && args[0] == "--json" {
		full, args = []string{"--json"}, args[1:]
	}
	full = append(full, "actatek", "--url", srv.URL, "--user", "admin", "--password-stdin")
	full = append(full, conn...)
	full = append(full, args...)
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code := run(ctx, full, strings.NewReader(pw+"\n"), &out, &errOut)
	if strings.Contains(out.String(), pw) || strings.Contains(errOut.String(), pw) {
		t.Fatalf("the password was printed:\n%s\n%s", out.String(), errOut.String())
	}
	return code, out.String(), errOut.String()
}

func pinned(sim *actateksim.Simulator) []string { return []string{"--pin-sha256", sim.Fingerprint()} }

func TestActatekFirstUseShowsTheFingerprint(t *testing.T) {
	sim, srv := actatekTerminal(t, actateksim.Options{})
	code, _, errOut := actatekCtl(t, sim, srv, nil, "status")
	if code != 1 || !strings.Contains(errOut, actatek.FormatFingerprint(sim.Fingerprint())) ||
		!strings.Contains(errOut, "--pin-sha256 "+sim.Fingerprint()) || !strings.Contains(errOut, "on the terminal itself") {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	if n := sim.Stats().Calls; n != 0 {
		t.Errorf("%d calls reached an untrusted terminal", n)
	}
	code, out, _ := actatekCtl(t, sim, srv, nil, "--json", "status")
	var v struct {
		Trusted     bool
		Certificate actatek.CertInfo
	}
	if code != 1 || json.Unmarshal([]byte(out), &v) != nil || v.Trusted || v.Certificate.Fingerprint != sim.Fingerprint() {
		t.Errorf("--json: exit %d, %s", code, out)
	}
	// With the pin the same command works.
	if code, out, errOut := actatekCtl(t, sim, srv, pinned(sim), "status"); code != 0 || !strings.Contains(out, sim.SerialNumber()) || !strings.Contains(out, "0 of 1000") {
		t.Fatalf("pinned: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestActatekPinMismatch(t *testing.T) {
	sim, srv := actatekTerminal(t, actateksim.Options{})
	other, _ := actateksim.New(actateksim.Options{Seed: 99})
	code, _, errOut := actatekCtl(t, sim, srv, []string{"--pin-sha256", other.Fingerprint()}, "status")
	if code != 1 || !strings.Contains(errOut, "not the pinned one") || !strings.Contains(errOut, "--pin-sha256 "+sim.Fingerprint()) {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	if n := sim.Stats().Calls; n != 0 {
		t.Errorf("%d calls went through a certificate that does not match the pin", n)
	}
}

func TestActatekCAFileAndPlainHTTP(t *testing.T) {
	sim, srv := actatekTerminal(t, actateksim.Options{})
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, sim.CertificatePEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := actatekCtl(t, sim, srv, []string{"--ca", ca}, "departments"); code != 0 {
		t.Fatalf("--ca: exit %d: %s", code, errOut)
	}
	plain := httptest.NewServer(sim)
	defer plain.Close()
	if code, out, errOut := actatekCtl(t, sim, plain, nil, "departments"); code != 0 || !strings.Contains(out, "General") {
		t.Fatalf("http: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestActatekUsersAndLogs(t *testing.T) {
	sim, srv := actatekTerminal(t, actateksim.Options{DemoUsers: 2})
	dir := t.TempDir()
	photo := filepath.Join(dir, "face.jpg")
	if err := os.WriteFile(photo, actateksim.FacePhoto(5, 120, 160), 0o600); err != nil {
		t.Fatal(err)
	}
	tmpl := filepath.Join(dir, "face.tmpl")
	if err := os.WriteFile(tmpl, bytes.Repeat([]byte{7}, 300), 0o600); err != nil {
		t.Fatal(err)
	}
	add := []string{"user-add", "--id", "A0001", "--first", "Ben", "--last", "John", "--photo", photo, "--template", tmpl, "--template-type", "1"}
	if code, out, errOut := actatekCtl(t, sim, srv, pinned(sim), add...); code != 0 || !strings.Contains(out, "user A0001 added") {
		t.Fatalf("user-add: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, out, _ := actatekCtl(t, sim, srv, pinned(sim), add...); code != 0 || !strings.Contains(out, "already on the terminal") {
		t.Fatalf("user-add again: exit %d\n%s", code, out)
	}
	if u, ok := sim.User("A0001"); !ok || u.FacialRecords[0].TemplateType != 1 || len(u.FacialRecords[0].Template) != 300 {
		t.Errorf("stored user %+v", u.FacialRecords)
	}
	code, out, _ := actatekCtl(t, sim, srv, pinned(sim), "--json", "users")
	var rows []userRow
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 3 || rows[2].UserID != "A0001" || rows[2].Faces != 1 || !rows[2].Active {
		t.Fatalf("users: exit %d %s", code, out)
	}
	if code, out, _ := actatekCtl(t, sim, srv, pinned(sim), "users", "--id", "A0001"); code != 0 || !strings.Contains(out, "Ben John") || !strings.Contains(out, "1 users") {
		t.Errorf("users --id: exit %d\n%s", code, out)
	}

	photos := filepath.Join(dir, "photos")
	code, out, errOut := actatekCtl(t, sim, srv, pinned(sim), "--json", "logs", "--limit", "5", "--photos", photos)
	var logs []logRow
	if code != 0 || json.Unmarshal([]byte(out), &logs) != nil || len(logs) != 5 {
		t.Fatalf("logs: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, l := range logs {
		st, err := os.Stat(l.Photo)
		if err != nil || st.Mode().Perm() != 0o600 || st.Size() < 100 {
			t.Errorf("photo of log %d: %v %v", l.LogID, st, err)
		}
	}
	if code, out, _ := actatekCtl(t, sim, srv, pinned(sim), "logs", "--from", "2000-01-01T00:00:00Z", "--to", "2000-01-02T00:00:00Z"); code != 0 || !strings.Contains(out, "0 events") {
		t.Errorf("empty range: exit %d\n%s", code, out)
	}

	if code, out, _ := actatekCtl(t, sim, srv, pinned(sim), "user-delete", "--id", "A0001"); code != 0 || !strings.Contains(out, "deleted") {
		t.Errorf("user-delete: exit %d %s", code, out)
	}
	if code, _, errOut := actatekCtl(t, sim, srv, pinned(sim), "user-delete", "--id", "A0001"); code != 1 || !strings.Contains(errOut, "deleteUser") || !strings.Contains(errOut, "A0001") {
		t.Errorf("second user-delete: exit %d %s", code, errOut)
	}
	if n := sim.Stats().Sessions; n != 0 {
		t.Errorf("%d sessions left open: every run logs out", n)
	}
}

func TestActatekTerminalActions(t *testing.T) {
	sim, srv := actatekTerminal(t, actateksim.Options{})
	code, out, errOut := actatekCtl(t, sim, srv, pinned(sim), "set-time", "--time", "2026-05-01T10:00:00Z", "--timezone", "Europe/London")
	if code != 0 || !strings.Contains(out, "2026-05-01T11:00:00 (Europe/London)") {
		t.Fatalf("set-time: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, out, _ := actatekCtl(t, sim, srv, pinned(sim), "open-door"); code != 0 || !strings.Contains(out, "Main door opened") {
		t.Errorf("open-door: exit %d %s", code, out)
	}
	if code, out, _ := actatekCtl(t, sim, srv, pinned(sim), "groups"); code != 0 || !strings.Contains(out, "General Staff") {
		t.Errorf("groups: exit %d %s", code, out)
	}
	code, out, _ = actatekCtl(t, sim, srv, pinned(sim), "--json", "departments")
	var ds []actatek.Department
	if code != 0 || json.Unmarshal([]byte(out), &ds) != nil || len(ds) != 1 || ds[0].Name != "General" {
		t.Errorf("departments: exit %d %s", code, out)
	}
	sim.SetDropRate(1)
	if code, _, errOut := actatekCtl(t, sim, srv, pinned(sim), "status"); code != 3 || !strings.Contains(errOut, "cannot reach the terminal") {
		t.Errorf("unreachable: exit %d %s", code, errOut)
	}
}

func TestActatekWrongPassword(t *testing.T) {
	sim, srv := actatekTerminal(t, actateksim.Options{Password: "right-one"})
	var out, errOut bytes.Buffer
	args := []string{"actatek", "--url", srv.URL, "--user", "admin", "--password-stdin", "--pin-sha256", sim.Fingerprint(), "status"}
	code := run(context.Background(), args, strings.NewReader("wrong-one\r\n"), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "invalid username or password") || strings.Contains(errOut.String()+out.String(), "wrong-one") {
		t.Errorf("exit %d: %s", code, errOut.String())
	}
}

func TestActatekUsage(t *testing.T) {
	sim, srv := actatekTerminal(t, actateksim.Options{})
	pin := sim.Fingerprint()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"actatek", "--user", "admin", "--password-stdin", "status"}, "--url is required"},
		{[]string{"actatek", "--url", srv.URL, "--password-stdin", "status"}, "--user is required"},
		{[]string{"actatek", "--url", srv.URL, "--user", "admin", "status"}, "--password-stdin"},
		{[]string{"actatek", "--url", srv.URL, "--user", "admin", "--password-stdin", "--pin-sha256", pin, "--ca", "x.pem", "status"}, "not both"},
		{[]string{"actatek", "--url", "ftp://x", "--user", "admin", "--password-stdin", "status"}, "not an https://"},
		{[]string{"actatek", "--url", srv.URL, "--user", "admin", "--password-stdin", "--pin-sha256", pin, "dance"}, "choose one of"},
		{[]string{"actatek", "--url", srv.URL, "--user", "admin", "--password-stdin", "--pin-sha256", pin, "user-add", "--id", "x"}, "--template are required"},
		{[]string{"actatek", "--url", srv.URL, "--user", "admin", "--password-stdin", "--pin-sha256", pin, "logs", "--from", "yesterday"}, "--from"},
		{[]string{"actatek", "--url", srv.URL, "--user", "admin", "--password-stdin", "--pin-sha256", pin, "set-time", "--time", "noon"}, "not a time"},
		{[]string{"actatek", "--url", srv.URL, "--user", "admin", "--password-stdin", "--pin-sha256", pin, "status", "extra"}, "unexpected argument"},
	} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), c.args, strings.NewReader("pw\n"), &out, &errOut)
		if code != 2 || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("%v: exit %d, %q", c.args, code, errOut.String())
		}
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"actatek", "--url", srv.URL, "--user", "admin", "--password-stdin", "--pin-sha256", pin, "status"}, strings.NewReader(""), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "no password on standard input") {
		t.Errorf("empty stdin: exit %d %q", code, errOut.String())
	}
}
