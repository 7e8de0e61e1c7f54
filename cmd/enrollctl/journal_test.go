package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"enrollstation/store"
	"enrollstation/store/secrets"
)

// journalCtl runs enrollctl in-process and returns its exit status and output.
func journalCtl(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// biometricMarker is inside every test capture's eye image; no output may contain it.
const biometricMarker = "IRIS-BYTES-7f3a9c"

// testJournal makes a journal whose key is in the (mock) keyring, as the workstation
// would, with three people: Ada (pushed to HQ, failed at Lobby), Alan (pending) and Grace
// (enrolled on 2026-03-10, nothing to push). It returns the journal's path.
func testJournal(t *testing.T) string {
	t.Helper()
	mockKeyring(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journal.db")
	st := openWithStationKey(t, path, true)
	hq, err := st.AddTarget(ctx, store.Target{Kind: store.TargetCLUe, Name: "HQ", Address: "https://api", Enabled: true}, "tech")
	if err != nil {
		t.Fatal(err)
	}
	lobby, err := st.AddTarget(ctx, store.Target{Kind: store.TargetACTAtek, Name: "Lobby", Address: "https://10.0.0.5", Enabled: true}, "tech")
	if err != nil {
		t.Fatal(err)
	}
	capture := store.Capture{DeviceSerial: "EF45-1", Operator: "op1", CapturedAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
		Quality: store.Quality{Eyes: []store.EyeQuality{{Eye: "left", UsableIrisArea: 84, QualityOK: true}}},
		Blobs:   []store.Blob{{Kind: store.EyeImage, Variant: "left", MediaType: "image/jpeg", Data: []byte(strings.Repeat(biometricMarker, 100))}}}
	person := func(key, given, family string) store.Person {
		return store.Person{Key: key, GivenName: given, FamilyName: family, ConsentAt: time.Now(), ConsentBy: "op1"}
	}
	if _, err := st.SaveCapture(ctx, person("ada-1", "Ada", "Lovelace"), capture, []store.TargetID{hq.ID, lobby.ID}); err != nil {
		t.Fatal(err)
	}
	items, err := st.ClaimDue(ctx, "w", time.Now(), time.Minute, 10)
	if err != nil || len(items) != 2 {
		t.Fatalf("claim: %v %v", items, err)
	}
	for _, it := range items {
		if it.Target == hq.ID {
			err = st.Complete(ctx, it.ID, "w", "auth-42")
		} else {
			err = st.Fail(ctx, it.ID, "w", "ACTAtek addUser: user ID already exists")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.SaveCapture(ctx, person("alan-2", "Alan", "Turing"), capture, []store.TargetID{hq.ID}); err != nil {
		t.Fatal(err)
	}
	grace := person("grace-3", "Grace", "Hopper")
	if _, err := st.SaveCapture(ctx, grace, capture, nil); err != nil {
		t.Fatal(err)
	}
	return path
}

// openWithStationKey opens the journal at location with the key this station's secrets
// store holds (making one when create), as enrollctl does; it is closed when t ends.
func openWithStationKey(t *testing.T, location string, create bool) *store.Store {
	t.Helper()
	ctx := context.Background()
	sec, err := secrets.Open(ctx, secrets.Options{})
	if err != nil {
		t.Fatal(err)
	}
	key, err := secrets.JournalKey(ctx, sec, create)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, location, key.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestJournalList(t *testing.T) {
	db := testJournal(t)
	code, out, errOut := journalCtl(t, "", "journal", "--db", db, "list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"KEY", "ada-1", "Ada Lovelace", "failed", "alan-2", "pending", "grace-3", "none", "3 people"} {
		if !strings.Contains(out, want) {
			t.Errorf("list output lacks %q:\n%s", want, out)
		}
	}
	// --db after the action, --state filter, JSON output.
	code, out, errOut = journalCtl(t, "", "--json", "journal", "list", "--state", "failed", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var page store.Page
	if err := json.Unmarshal([]byte(out), &page); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if page.Total != 1 || len(page.People) != 1 || page.People[0].Key != "ada-1" || page.People[0].PushState != store.PushFailed {
		t.Fatalf("list --state failed = %+v", page)
	}
	tomorrow := time.Now().Add(24 * time.Hour).Format(time.DateOnly)
	code, out, _ = journalCtl(t, "", "journal", "list", "--since", tomorrow, "--db", db)
	if code != 0 || !strings.Contains(out, "0 people") {
		t.Fatalf("list --since tomorrow: exit %d\n%s", code, out)
	}
	if code, _, errOut := journalCtl(t, "", "journal", "list", "--state", "lost", "--db", db); code != 2 || !strings.Contains(errOut, "--state") {
		t.Fatalf("bad --state: exit %d: %s", code, errOut)
	}
	if code, _, errOut := journalCtl(t, "", "journal", "list", "--since", "March", "--db", db); code != 2 || !strings.Contains(errOut, "not a date") {
		t.Fatalf("bad --since: exit %d: %s", code, errOut)
	}
}

func TestJournalShow(t *testing.T) {
	db := testJournal(t)
	code, out, errOut := journalCtl(t, "", "journal", "show", "ada-1", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Ada Lovelace", "EF45-1", "left eye 84%", "HQ", "done", "auth-42", "Lobby", "user ID already exists", "enroll"} {
		if !strings.Contains(out, want) {
			t.Errorf("show output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, biometricMarker) {
		t.Fatal("show printed biometric data")
	}
	code, out, _ = journalCtl(t, "", "--json", "journal", "--db", db, "show", "ada-1")
	var v shown
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != 0 {
		t.Fatalf("show --json: exit %d, %v\n%s", code, err, out)
	}
	if v.Person.Key != "ada-1" || len(v.Captures) != 1 || len(v.Pushes) != 2 || len(v.Audit) == 0 || v.Captures[0].Blobs[0].Size != 1700 {
		t.Fatalf("show --json = %+v", v)
	}
	if strings.Contains(out, biometricMarker) {
		t.Fatal("show --json printed biometric data")
	}
	code, _, errOut = journalCtl(t, "", "journal", "show", "nobody", "--db", db)
	if code != 1 || !strings.Contains(errOut, "no person with key nobody") {
		t.Fatalf("show of an unknown key: exit %d: %s", code, errOut)
	}
	// A key that starts like a flag goes after "--".
	code, _, errOut = journalCtl(t, "", "journal", "show", "--db", db, "--", "-odd-key")
	if code != 1 || !strings.Contains(errOut, "no person with key -odd-key") {
		t.Fatalf("show -- -odd-key: exit %d: %s", code, errOut)
	}
	if code, _, _ := journalCtl(t, "", "journal", "show", "--db", db); code != 2 {
		t.Fatalf("show without a key: exit %d", code)
	}
}

func TestJournalExport(t *testing.T) {
	db := testJournal(t)
	file := filepath.Join(t.TempDir(), "people.csv")
	code, out, errOut := journalCtl(t, "", "journal", "--db", db, "export", "--csv", file)
	if code != 0 || !strings.Contains(out, "exported 3 people to "+file) {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	fi, err := os.Stat(file)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("export file: %v %v", fi, err)
	}
	data, _ := os.ReadFile(file)
	if bytes.Contains(data, []byte(biometricMarker)) {
		t.Fatal("the export holds biometric data")
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(recs) != 4 {
		t.Fatalf("csv: %d records, %v", len(recs), err)
	}
	if last := recs[0][len(recs[0])-2:]; last[0] != "push: HQ" || last[1] != "push: Lobby" {
		t.Fatalf("header %q", recs[0])
	}
	if code, _, errOut := journalCtl(t, "", "journal", "export", "--db", db); code != 2 || !strings.Contains(errOut, "--csv") {
		t.Fatalf("export without --csv: exit %d: %s", code, errOut)
	}
	code, out, _ = journalCtl(t, "", "journal", "export", "--csv", "-", "--db", db)
	if code != 0 || !strings.HasPrefix(out, "person_key,") || strings.Count(out, "\n") != 4 {
		t.Fatalf("export to stdout: exit %d\n%s", code, out)
	}
}

func TestJournalVerify(t *testing.T) {
	db := testJournal(t)
	code, out, errOut := journalCtl(t, "", "journal", "verify", "--db", db)
	if code != 0 || !strings.Contains(out, "3 people, 3 captures, 3 biometric blobs, 3 pushes") || !strings.Contains(out, "ok:") {
		t.Fatalf("verify of a sound journal: exit %d\n%s%s", code, out, errOut)
	}
	// Damage: a person's push state no longer matches the outbox.
	damage(t, db, `UPDATE people SET push_state = 'done' WHERE person_key = 'alan-2'`)
	code, out, errOut = journalCtl(t, "", "journal", "verify", "--db", db)
	if code != 1 || !strings.Contains(out, "problem: push state: alan-2 is done, outbox says pending") ||
		!strings.Contains(errOut, "1 problem found") {
		t.Fatalf("verify of a damaged journal: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = journalCtl(t, "", "--json", "journal", "verify", "--db", db)
	var rep store.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 1 || len(rep.Problems) != 1 {
		t.Fatalf("verify --json: exit %d, %v: %s", code, err, out)
	}
	// An audit row edited behind the journal's back breaks the chain.
	damage(t, db, `UPDATE audit SET operator = 'nobody' WHERE id = (SELECT min(id) FROM audit WHERE action = 'enroll')`)
	code, out, _ = journalCtl(t, "", "journal", "verify", "--db", db)
	if code != 1 || !regexp.MustCompile(`problem: audit row \d+ was changed after it was written \(enroll by nobody\)`).MatchString(out) {
		t.Fatalf("verify of an edited audit row: exit %d\n%s", code, out)
	}
}

// damage changes the journal behind the program's back, as a disk fault or a hand edit
// would.
func damage(t *testing.T, db, stmt string) {
	t.Helper()
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(stmt); err != nil {
		t.Fatal(err)
	}
}

func TestJournalErase(t *testing.T) {
	db := testJournal(t)
	// Without --yes the key must be typed; a wrong answer erases nothing.
	code, _, errOut := journalCtl(t, "ada\n", "journal", "erase", "ada-1", "--db", db)
	if code != 1 || !strings.Contains(errOut, "Type the person key to confirm") || !strings.Contains(errOut, "nothing erased") {
		t.Fatalf("erase with a wrong confirmation: exit %d: %s", code, errOut)
	}
	if code, _, _ := journalCtl(t, "", "journal", "show", "ada-1", "--db", db); code != 0 {
		t.Fatal("ada-1 was erased without confirmation")
	}
	code, out, errOut := journalCtl(t, "ada-1\n", "journal", "erase", "--operator", "supervisor", "ada-1", "--db", db)
	if code != 0 || !strings.Contains(out, "erased ada-1: 1 capture(s), 1 biometric blob(s), 2 push(es)") {
		t.Fatalf("erase: exit %d: %s%s", code, out, errOut)
	}
	code, _, errOut = journalCtl(t, "", "journal", "show", "ada-1", "--db", db)
	if code != 1 || !strings.Contains(errOut, "was erased on") || !strings.Contains(errOut, "by supervisor") {
		t.Fatalf("show after erase: exit %d: %s", code, errOut)
	}
	code, out, _ = journalCtl(t, "", "--json", "journal", "erase", "alan-2", "--yes", "--db", db)
	var erased store.Erased
	if err := json.Unmarshal([]byte(out), &erased); err != nil || code != 0 || erased.Captures != 1 || erased.Pushes != 1 {
		t.Fatalf("erase --yes --json: exit %d, %v: %s", code, err, out)
	}
	if code, _, errOut := journalCtl(t, "", "journal", "erase", "alan-2", "--yes", "--db", db); code != 1 || !strings.Contains(errOut, "nothing erased") {
		t.Fatalf("second erase: exit %d: %s", code, errOut)
	}
	if code, out, _ := journalCtl(t, "", "journal", "verify", "--db", db); code != 0 {
		t.Fatalf("verify after erase: exit %d\n%s", code, out)
	}
}

func TestJournalOpenErrors(t *testing.T) {
	db := testJournal(t)
	missing := filepath.Join(t.TempDir(), "none.db")
	code, _, errOut := journalCtl(t, "", "journal", "list", "--db", missing)
	if code != 1 || !strings.Contains(errOut, "no journal at "+missing) {
		t.Fatalf("missing journal: exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("a missing journal was created")
	}
	// Another key in the secret store: the journal is refused, unchanged.
	sec, err := secrets.Open(context.Background(), secrets.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := sec.Set(context.Background(), secrets.JournalKeyName, secrets.NewValue(bytes.Repeat([]byte{9}, 32))); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = journalCtl(t, "", "journal", "list", "--db", db)
	if code != 1 || !strings.Contains(errOut, "wrong journal key") {
		t.Fatalf("wrong key: exit %d: %s", code, errOut)
	}
	if err := sec.Delete(context.Background(), secrets.JournalKeyName); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = journalCtl(t, "", "journal", "list", "--db", db)
	if code != 1 || !strings.Contains(errOut, "journal key: none in the secret store") {
		t.Fatalf("no key: exit %d: %s", code, errOut)
	}
	if code, _, errOut := journalCtl(t, "", "journal"); code != 2 || !strings.Contains(errOut, "erase, export, key, list, migrate, show, verify") {
		t.Fatalf("no action: exit %d: %s", code, errOut)
	}
	if code, _, _ := journalCtl(t, "", "journal", "list", "extra", "--db", db); code != 2 {
		t.Fatalf("stray argument: exit %d", code)
	}
}
