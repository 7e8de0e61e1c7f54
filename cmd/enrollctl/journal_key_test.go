package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"enrollstation/store/secrets"
)

// The journal key travels from one station to another wrapped with a passphrase; the
// second station then opens the first one's journal, and a station holding another key is
// never made to lose its own journal.
func TestJournalKeyExportAndImport(t *testing.T) {
	db := testJournal(t) // its key in the (mock) keyring of "station 1"
	file := filepath.Join(t.TempDir(), "site.key")
	pass := "a long site passphrase\n"
	if code, _, errOut := journalCtl(t, "short\n", "journal", "key", "export", "--out", file); code != 1 || !strings.Contains(errOut, "at least 12") {
		t.Fatalf("short passphrase: exit %d %s", code, errOut)
	}
	if _, err := os.Stat(file); err == nil {
		t.Fatal("a refused export wrote the file")
	}
	code, out, errOut := journalCtl(t, pass, "journal", "key", "export", "--out", file)
	if code != 0 || !strings.Contains(out, "fingerprint") {
		t.Fatalf("export: exit %d %s %s", code, out, errOut)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	if code, _, errOut := journalCtl(t, pass, "journal", "key", "export", "--out", file); code != 1 || errOut == "" {
		t.Fatalf("export over an existing file: exit %d", code)
	}
	_, shown, _ := journalCtl(t, "", "journal", "key", "show", "--json")
	var first keyReport
	if err := json.Unmarshal([]byte(shown), &first); err != nil || len(first.Fingerprint) != 16 {
		t.Fatalf("show: %s %v", shown, err)
	}

	// Station 2: a new keyring, no key yet; its journal cannot be opened.
	mockKeyring(t)
	if code, _, errOut := journalCtl(t, "", "journal", "verify", "--db", db); code != 1 || !strings.Contains(errOut, "journal key") {
		t.Fatalf("verify without the key: exit %d %s", code, errOut)
	}
	if code, _, errOut := journalCtl(t, "a wrong passphrase!\n", "journal", "key", "import", "--in", file); code != 1 || !strings.Contains(errOut, "passphrase does not open") {
		t.Fatalf("wrong passphrase: exit %d %s", code, errOut)
	}
	code, out, errOut = journalCtl(t, pass, "journal", "key", "import", "--in", file, "--json")
	var imported keyReport
	if err := json.Unmarshal([]byte(out), &imported); err != nil || code != 0 || imported.Fingerprint != first.Fingerprint {
		t.Fatalf("import: exit %d %s %s", code, out, errOut)
	}
	if code, out, errOut := journalCtl(t, "", "journal", "verify", "--db", db); code != 0 {
		t.Fatalf("verify with the imported key: exit %d %s %s", code, out, errOut)
	}

	// Station 3 holds a key of its own, and a journal made with it.
	own := testJournal(t)
	if code, _, errOut := journalCtl(t, pass, "journal", "key", "import", "--in", file); code != 1 || !strings.Contains(errOut, "already holds another journal key") {
		t.Fatalf("import over another key: exit %d %s", code, errOut)
	}
	if code, _, errOut := journalCtl(t, pass, "journal", "key", "import", "--in", file, "--replace", "--db", own); code != 1 || !strings.Contains(errOut, "would make that journal unreadable") {
		t.Fatalf("replace while the journal needs the key: exit %d %s", code, errOut)
	}
	if code, out, errOut := journalCtl(t, "", "journal", "verify", "--db", own); code != 0 {
		t.Fatalf("the station's own journal after a refused replace: exit %d %s %s", code, out, errOut)
	}
	// With no journal of its own in the way, --replace takes the site's key.
	if code, _, errOut := journalCtl(t, pass, "journal", "key", "import", "--in", file, "--replace", "--db", filepath.Join(t.TempDir(), "none.db")); code != 0 {
		t.Fatalf("replace with no journal in the way: exit %d %s", code, errOut)
	}
	sec, err := secrets.Open(context.Background(), secrets.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if k, err := secrets.JournalKey(context.Background(), sec, false); err != nil || secrets.Fingerprint(k) != first.Fingerprint {
		t.Fatalf("after replace: %v", err)
	}
}
