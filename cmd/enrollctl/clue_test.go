package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/clue"
	"enrollstation/devices/clue/cluesim"
)

// clueCloud serves the CLUe simulator on loopback.
func clueCloud(t *testing.T) (*cluesim.Server, *httptest.Server) {
	t.Helper()
	sim := cluesim.New(cluesim.Options{Seed: 5})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return sim, srv
}

// clueCtl runs `enrollctl [--json] clue --base-url ... --place 178 --api-key-stdin ARGS`
// with the key on standard input, and checks the key shows nowhere.
func clueCtl(t *testing.T, sim *cluesim.Server, srv *httptest.Server, args ...string) (int, string, string) {
	t.Helper()
	var full []string
	if len(args) > 0 && args[0] == "--json" {
		full, args = []string{"--json"}, args[1:]
	}
	full = append(full, "clue", "--base-url", srv.URL, "--place", "178", "--api-key-stdin")
	full = append(full, args...)
	return runSecret(t, sim.APIKey(), full...)
}

func runSecret(t *testing.T, secret string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code := run(ctx, args, strings.NewReader(secret+"\n"), &out, &errOut)
	if secret != "" && (strings.Contains(out.String(), secret) || strings.Contains(errOut.String(), secret)) {
		t.Fatalf("the secret was printed:\n%s\n%s", out.String(), errOut.String())
	}
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func facePhoto(t *testing.T, seed int64) string {
	t.Helper()
	b, err := cluesim.FacePhoto(seed, 300, 360, 85)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "face.jpg", b)
}

func TestClueAuthLifecycle(t *testing.T) {
	sim, srv := clueCloud(t)
	code, out, errOut := clueCtl(t, sim, srv, "--json", "register", "--key", "E-100", "--name", "Jin Lee",
		"--photo", facePhoto(t, 1), "--photo", facePhoto(t, 2), "--card", "12345", "--doors", "234,235",
		"--from", "2026-03-01", "--until", "2026-03-31", "--schedule", "333")
	if code != 0 {
		t.Fatalf("register: %d %s", code, errOut)
	}
	var a clue.Auth
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	rec, ok := sim.Auth(a.AuthID)
	if !ok || rec.Key != "E-100" || len(rec.Faces) != 2 || len(rec.Cards) != 1 || rec.ScheduleID != 333 || len(rec.DoorIDs) != 2 {
		t.Fatalf("simulator state %+v", rec)
	}
	wantStart := time.Date(2026, 3, 1, 0, 0, 0, 0, time.Local)
	wantEnd := time.Date(2026, 4, 1, 0, 0, 0, 0, time.Local).Add(-time.Millisecond)
	if !rec.Start.Equal(wantStart) || !rec.End.Equal(wantEnd) {
		t.Errorf("window %s - %s", rec.Start, rec.End)
	}

	id := a.AuthID
	code, out, errOut = clueCtl(t, sim, srv, "update", "--auth-id", itoa(id), "--name", "Jin", "--inactive", "--all-doors")
	if code != 0 || !strings.Contains(out, "updated auth "+itoa(id)) || !strings.Contains(out, "INACTIVE") || !strings.Contains(out, "all doors") {
		t.Fatalf("update: %d %s %s", code, out, errOut)
	}
	if rec, _ := sim.Auth(id); rec.Name != "Jin" || len(rec.Faces) != 2 || rec.DoorAccessType != "ALL_DOOR" {
		t.Errorf("after update %+v", rec)
	}

	code, out, _ = clueCtl(t, sim, srv, "delete", "--auth-id", itoa(id))
	if code != 0 || !strings.Contains(out, "deleted auth") {
		t.Fatalf("delete: %d %s", code, out)
	}
	code, _, errOut = clueCtl(t, sim, srv, "delete", "--auth-id", itoa(id))
	if code != 1 || !strings.Contains(errOut, "clue delete auth: HTTP 404 (AUTH_NOT_FOUND) auth ") {
		t.Errorf("second delete: %d %s", code, errOut)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestClueRefusalsNameTheCall(t *testing.T) {
	sim, srv := clueCloud(t)
	code, _, errOut := clueCtl(t, sim, srv, "register", "--key", "k", "--name", "n", "--doors", "999")
	if code != 1 || !strings.Contains(errOut, "clue register auth: HTTP 400 (INVALID_PARAMETER) auth.doorIds: door 999 is not a door of place 178") {
		t.Errorf("%d %s", code, errOut)
	}
	small, _ := cluesim.FacePhoto(1, 200, 200, 80)
	code, _, errOut = clueCtl(t, sim, srv, "register", "--key", "k", "--name", "n", "--photo", writeFile(t, "s.jpg", small))
	if code != 1 || !strings.Contains(errOut, "face image 1: 200×200 is smaller than 250×250") {
		t.Errorf("small photo: %d %s", code, errOut)
	}
	code, _, errOut = runSecret(t, "wrong-key", "clue", "--base-url", srv.URL, "--place", "178", "--api-key-stdin", "events")
	if code != 1 || !strings.Contains(errOut, "HTTP 401") {
		t.Errorf("wrong key: %d %s", code, errOut)
	}
}

func TestClueEventsAcrossWeeks(t *testing.T) {
	sim, srv := clueCloud(t)
	code, _, errOut := clueCtl(t, sim, srv, "register", "--key", "ev", "--name", "Ebisu", "--from", "2020-01-01")
	if code != 0 {
		t.Fatal(errOut)
	}
	now := time.Now()
	for _, d := range []int{2, 9, 16} {
		if _, err := sim.DoorUse(178, now.Add(-time.Duration(d)*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	from := now.Add(-20 * 24 * time.Hour).Format(time.RFC3339)
	code, out, errOut := clueCtl(t, sim, srv, "--json", "events", "--from", from, "--size", "2", "--endpoint", "places")
	if code != 0 {
		t.Fatalf("%d %s", code, errOut)
	}
	var evs []clue.Event
	if err := json.Unmarshal([]byte(out), &evs); err != nil {
		t.Fatal(err)
	}
	page, err := placeEventCount(sim)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != page {
		t.Errorf("%d events over three weeks, the place has %d", len(evs), page)
	}
	code, out, _ = clueCtl(t, sim, srv, "events", "--from", from, "--csv", "--filter", "AUTH_REGISTERED")
	if code != 0 {
		t.Fatal(out)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 2 || rows[0][0] != "logId" || rows[1][11] != "AUTH_REGISTERED" || rows[1][9] != "Ebisu" {
		t.Errorf("CSV %v %v", rows, err)
	}
	code, out, _ = clueCtl(t, sim, srv, "events", "--from", from, "--sort", "desc")
	if code != 0 || !strings.Contains(out, "TIME") || !strings.Contains(out, " events") {
		t.Errorf("table: %s", out)
	}
}

// placeEventCount counts the place's events through the simulator's own control surface.
func placeEventCount(sim *cluesim.Server) (int, error) {
	srv := httptest.NewServer(sim)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/_sim/state")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var st struct {
		Events map[string]int `json:"events"`
	}
	err = json.NewDecoder(resp.Body).Decode(&st)
	return st.Events["178"], err
}

func TestCluePhoneLogin(t *testing.T) {
	sim, srv := clueCloud(t)
	a := sim.Account()
	code, out, errOut := runSecret(t, a.Password, "clue", "--base-url", srv.URL, "--prefix", "/v1/be", "--place", "178",
		"--phone", a.Phone, "--country", a.CountryCode, "--password-stdin", "events")
	if code != 0 || !strings.Contains(out, "0 events") || sim.Logins() != 1 {
		t.Errorf("%d %s %s (logins %d)", code, out, errOut, sim.Logins())
	}
}

func TestClueUsage(t *testing.T) {
	sim, srv := clueCloud(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"clue", "--place", "1", "events"}, "never taken from the command line"},
		{[]string{"clue", "--api-key-stdin", "events"}, "--place is required"},
		{[]string{"clue", "--place", "1", "--phone", "1", "--password-stdin", "events"}, "--phone needs --country"},
		{[]string{"clue", "--place", "1", "--api-key-stdin", "--phone", "1", "events"}, "not both"},
		{[]string{"clue", "--base-url", srv.URL, "--place", "178", "--api-key-stdin", "register", "--key", "k"}, "--key and --name are required"},
		{[]string{"clue", "--base-url", srv.URL, "--place", "178", "--api-key-stdin", "events", "--from", "yesterday"}, "is not a time"},
		{[]string{"clue", "--base-url", srv.URL, "--place", "178", "--api-key-stdin", "launch"}, "choose one of"},
		{[]string{"clue", "vendor"}, "choose one of: test, validate"},
	} {
		code, _, errOut := runSecret(t, sim.APIKey(), tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: %d %s", tc.args, code, errOut)
		}
	}
	code, _, errOut := runSecret(t, "", "clue", "--base-url", srv.URL, "--place", "178", "--api-key-stdin", "events")
	if code != 1 || !strings.Contains(errOut, "first line of standard input") {
		t.Errorf("empty stdin: %d %s", code, errOut)
	}
}

func TestParseClueTime(t *testing.T) {
	for in, want := range map[string]time.Time{
		"2026-03-01":                time.Date(2026, 3, 1, 0, 0, 0, 0, time.Local),
		"2026-03-01T09:30":          time.Date(2026, 3, 1, 9, 30, 0, 0, time.Local),
		"2026-03-01T09:30:05Z":      time.Date(2026, 3, 1, 9, 30, 5, 0, time.UTC),
		"1718809200000":             time.UnixMilli(1718809200000),
		"2026-03-01T09:30:05+09:00": time.Date(2026, 3, 1, 0, 30, 5, 0, time.UTC),
	} {
		got, err := parseClueTime(in, false)
		if err != nil || !got.Equal(want) {
			t.Errorf("%s: %s %v", in, got, err)
		}
	}
	if end, _ := parseClueTime("2026-03-01", true); !end.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, time.Local).Add(-time.Millisecond)) {
		t.Errorf("end of day: %s", end)
	}
	for _, bad := range []string{"12", "tomorrow", "2026-13-01"} {
		if _, err := parseClueTime(bad, false); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

const vendorConfig = `{"name": "Door API", "authType": "FACE", "webhookUrl": "%s",
 "headers": [{"key": "Authorization", "value": "Bearer abc-secret"}],
 "autoFields": [{"key": "deviceId", "placeholder": "{{DEVICE_SERIAL}}", "enabled": true},
                {"key": "employeeId", "placeholder": "{{USER_KEY}}", "enabled": true}],
 "manualFields": [{"name": "site", "type": "STRING", "value": "HQ"}],
 "judgment": {"statusCodes": [200],
              "successResult": {"key": "$.valid", "value": "true", "type": "BOOLEAN"},
              "successMessage": "$.message", "failureMessage": "$.message"}}`

func TestClueVendorValidate(t *testing.T) {
	good := writeFile(t, "good.json", []byte(strings.Replace(vendorConfig, "%s", "https://vendor.example/verify", 1)))
	code, out, errOut := runSecret(t, "", "clue", "vendor", "validate", "--config", good)
	if code != 0 || !strings.Contains(out, "valid: Door API, FACE, judgment mode 3") {
		t.Errorf("good: %d %s %s", code, out, errOut)
	}
	bad := strings.Replace(vendorConfig, "%s", "http://vendor.example/verify", 1)
	bad = strings.Replace(bad, `"statusCodes": [200]`, `"statusCodes": [200, 404, 200, 201]`, 1)
	bad = strings.Replace(bad, `"name": "site"`, `"name": "employeeId"`, 1)
	path := writeFile(t, "bad.json", []byte(bad))
	code, out, errOut = runSecret(t, "", "clue", "vendor", "validate", "--config", path)
	for _, want := range []string{
		"webhookUrl: the webhook URL must start with https://",
		"judgment.statusCodes: 4 status codes, at most 3",
		"judgment.statusCodes[1]: 404 is not an integer from 100 to 399",
		"judgment.statusCodes[2]: 200 is already judgment.statusCodes[0]",
		`manualFields[0].name: "employeeId" is already the key of autoFields[1]`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if code != 1 || !strings.Contains(errOut, "breaks 5 rules") {
		t.Errorf("exit %d, %s", code, errOut)
	}
	code, out, _ = runSecret(t, "", "--json", "clue", "vendor", "validate", "--config", path)
	var rep struct {
		Valid      bool `json:"valid"`
		Violations []struct{ Rule, Field string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 1 || rep.Valid || len(rep.Violations) != 5 {
		t.Errorf("json: %d %s %v", code, out, err)
	}
	code, _, errOut = runSecret(t, "", "clue", "vendor", "validate", "--config", writeFile(t, "x.json", []byte(`{"nmae":1}`)))
	if code != 1 || !strings.Contains(errOut, "nmae") {
		t.Errorf("unreadable: %d %s", code, errOut)
	}
}

// webhookServer serves the vendor simulator over HTTPS and writes its certificate for --ca.
func webhookServer(t *testing.T) (*cluesim.Webhook, string, string) {
	t.Helper()
	w := cluesim.NewWebhook(cluesim.WebhookOptions{Known: []string{"EMP-1"}})
	srv := httptest.NewTLSServer(w)
	t.Cleanup(srv.Close)
	ca := writeFile(t, "ca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	cfg := writeFile(t, "vendor.json", []byte(strings.Replace(vendorConfig, "%s", srv.URL+"/verify", 1)))
	return w, ca, cfg
}

func TestClueVendorTest(t *testing.T) {
	w, ca, cfg := webhookServer(t)
	code, out, errOut := runSecret(t, "", "clue", "vendor", "test", "--config", cfg, "--device-id", "123456789", "--user-key", "EMP-1", "--ca", ca)
	if code != 0 {
		t.Fatalf("%d %s %s", code, out, errOut)
	}
	for _, want := range []string{
		"request:\n  POST https://", "Authorization: [redacted", `"employeeId": "EMP-1"`,
		"response:\n  HTTP 200, application/json", `"message":"Access granted."`,
		"class: C", "judgment: granted (mode 3 (combined verification))", "message: Access granted.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "abc-secret") {
		t.Error("the vendor's token was printed")
	}
	if got := w.Requests(); len(got) != 1 || got[0].Header.Get("Authorization") != "Bearer abc-secret" {
		t.Errorf("the webhook did not get the header: %+v", got)
	}

	code, out, _ = runSecret(t, "", "--json", "clue", "vendor", "test", "--config", cfg, "--device-id", "123456789", "--user-key", "stranger", "--ca", ca)
	var rep struct {
		Class    string
		Success  bool
		Granted  *bool
		Decision struct{ Message string }
		Response struct{ StatusCode int }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 || rep.Class != "C" || !rep.Success || rep.Granted == nil || *rep.Granted ||
		rep.Decision.Message != "Access denied: unknown credential." || rep.Response.StatusCode != 403 {
		t.Errorf("denied: %d %s %v", code, out, err)
	}

	w.SetAnswer(cluesim.HTMLAnswer(502, "<html>Bad Gateway</html>"))
	code, out, errOut = runSecret(t, "", "clue", "vendor", "test", "--config", cfg, "--device-id", "123456789", "--user-key", "EMP-1", "--ca", ca)
	if code != 1 || !strings.Contains(out, "class: B") || !strings.Contains(out, "Content-Type is text/html") || !strings.Contains(errOut, "test B") {
		t.Errorf("html: %d %s %s", code, out, errOut)
	}

	code, out, _ = runSecret(t, "", "clue", "vendor", "test", "--config", cfg, "--device-id", "42", "--user-key", "EMP-1", "--ca", ca)
	if code != 1 || !strings.Contains(out, "class: A") || !strings.Contains(out, "test.deviceId") {
		t.Errorf("invalid device id: %d %s", code, out)
	}

	w.ClearAnswer()
	code, out, _ = runSecret(t, "", "clue", "vendor", "test", "--config", cfg, "--device-id", "123456789", "--user-key", "EMP-1")
	if code != 1 || !strings.Contains(out, "certificate is not trusted") {
		t.Errorf("without --ca: %d %s", code, out)
	}
	code, _, errOut = runSecret(t, "", "clue", "vendor", "test", "--config", cfg, "--device-id", "123456789", "--user-key", "a", "--pin", "1")
	if code != 2 || !strings.Contains(errOut, "give one of") {
		t.Errorf("two values: %d %s", code, errOut)
	}
}

// Names come from the cloud: a CSV cell a spreadsheet would run as a formula is defused.
func TestClueEventsCSVDefusesFormulas(t *testing.T) {
	sim, srv := clueCloud(t)
	names := []string{"=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn", "Plain"}
	for i, n := range names {
		if code, _, errOut := clueCtl(t, sim, srv, "register", "--key", fmt.Sprint("f", i), "--name", n); code != 0 {
			t.Fatalf("register %q: %d %s", n, code, errOut)
		}
	}
	from := time.Now().Add(-time.Hour).Format(time.RFC3339)
	code, out, errOut := clueCtl(t, sim, srv, "events", "--from", from, "--csv", "--filter", "AUTH_REGISTERED")
	if code != 0 {
		t.Fatalf("%d %s", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows[1:] {
		got = append(got, r[9])
	}
	want := []string{"'=HYPERLINK(\"http://x\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tTab", "'\rReturn", "Plain"}
	if !slices.Equal(got, want) {
		t.Errorf("userName cells %q, want %q", got, want)
	}
}
