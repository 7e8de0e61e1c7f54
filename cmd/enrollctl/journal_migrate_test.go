package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"enrollstation/store"
	"enrollstation/store/pgtest"
)

// siteURL is a fresh PostgreSQL journal's URL with a password in it, which the server of
// the tests does not ask for and no output may show.
func siteURL(t *testing.T) string {
	t.Helper()
	u, err := url.Parse(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "hunter2-site-pw")
	return u.String()
}

func TestJournalMigrate(t *testing.T) {
	db := testJournal(t)
	site := siteURL(t)
	code, out, errOut := journalCtl(t, "", "journal", "--db", db, "migrate", "--to", site)
	if code != 0 {
		t.Fatalf("migrate: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"into the site's journal", "xxxxx", "3 of 3 people", "3 of 3 captures",
		"3 of 3 biometric blobs (encrypted bytes identical)", "1 of 1 pending", "1 of 1 done", "1 of 1 failed", "ok: everything"} {
		if !strings.Contains(out, want) {
			t.Errorf("migrate output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out+errOut, "hunter2-site-pw") || strings.Contains(out+errOut, biometricMarker) {
		t.Fatalf("migrate printed the password or biometric data:\n%s%s", out, errOut)
	}
	// The site's journal holds the station's people, and opens with the station's key.
	ctx := context.Background()
	st := openWithStationKey(t, site, false)
	page, err := st.SearchPeople(ctx, store.Query{})
	if err != nil || page.Total != 3 {
		t.Fatalf("the site holds %d people (%v), want 3", page.Total, err)
	}

	code, out, errOut = journalCtl(t, "", "--json", "journal", "migrate", "--to", site, "--db", db)
	var again migrateReport
	if err := json.Unmarshal([]byte(out), &again); err != nil || code != 0 {
		t.Fatalf("migrate again --json: exit %d, %v\n%s%s", code, err, out, errOut)
	}
	c := again.Copy
	if c.People.Copied+c.Captures.Copied+c.Blobs.Copied+c.Outbox.Copied+c.Audit.Copied != 0 || c.People.Skipped != 3 ||
		c.Blobs.Skipped != 3 || !c.Check.OK() || strings.Contains(again.To, "hunter2") {
		t.Fatalf("a second migrate: %+v", again)
	}
}

func TestJournalMigrateRefuses(t *testing.T) {
	db := testJournal(t)
	code, _, errOut := journalCtl(t, "", "journal", "migrate", "--db", db)
	if code != 2 || !strings.Contains(errOut, "--to is required") {
		t.Fatalf("migrate without --to: exit %d: %s", code, errOut)
	}
	code, _, errOut = journalCtl(t, "", "journal", "migrate", "--db", db, "--to", "/srv/site.db")
	if code != 2 || !strings.Contains(errOut, "must be the site's PostgreSQL database as a postgres:// URL") {
		t.Fatalf("migrate --to a file: exit %d: %s", code, errOut)
	}
	// A site journal made with another key is refused, and nothing is written to it.
	site := siteURL(t)
	ctx := context.Background()
	other, err := store.Open(ctx, site, bytes.Repeat([]byte{7}, store.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	code, out, errOut := journalCtl(t, "", "journal", "migrate", "--db", db, "--to", site)
	if code != 1 || !strings.Contains(errOut, "another journal key") || !strings.Contains(errOut, "nothing was copied") ||
		strings.Contains(out+errOut, "hunter2-site-pw") {
		t.Fatalf("migrate to a journal of another key: exit %d\n%s%s", code, out, errOut)
	}
	if rep, err := other.Verify(ctx); err != nil || rep.People+rep.Captures+rep.Outbox+rep.Audit != 0 {
		t.Fatalf("the refused site journal holds %+v (%v)", rep, err)
	}
}
