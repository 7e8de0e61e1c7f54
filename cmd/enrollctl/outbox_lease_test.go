package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// `outbox run --lease` takes a duration of at least a second.
func TestOutboxRunLease(t *testing.T) {
	mockKeyring(t)
	db := filepath.Join(t.TempDir(), "journal.db")
	if code, _, errOut := stationCtl(t, db, "k", "targets", "add", "clue", "hq", "--base-url", "http://127.0.0.1:1", "--place", "1", "--api-key-stdin"); code != 0 {
		t.Fatalf("targets add: %s", errOut)
	}
	if code, _, errOut := stationCtl(t, db, "", "outbox", "run", "--lease", "500ms"); code != 2 || !strings.Contains(errOut, "at least 1s") {
		t.Errorf("--lease 500ms: exit %d %s", code, errOut)
	}
	if code, out, errOut := stationCtl(t, db, "", "outbox", "run", "--lease", "5s"); code != 0 || !strings.Contains(out, "0 done") {
		t.Errorf("--lease 5s: exit %d %s %s", code, out, errOut)
	}
}
