package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"enrollstation/devices/actatek/actateksim"
	"enrollstation/devices/ef45/ef45sim"
)

// victim is a file of another program that a planted link points at; it must never change.
func victim(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(p, []byte("theirs"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func checkUntouched(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	fi, serr := os.Stat(path)
	if err != nil || serr != nil || string(b) != "theirs" || fi.Mode().Perm() != 0o644 {
		t.Errorf("%s was changed: %q %v %v", path, b, err, serr)
	}
}

func TestEF45CaptureNeverWritesThroughLinks(t *testing.T) {
	dev, addr := simAddr(t, ef45sim.Options{})
	v := victim(t)

	// A planted link where an image goes: refused before the camera starts.
	dir := t.TempDir()
	if err := os.Symlink(v, filepath.Join(dir, "left_eye.jpg")); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := ctl(t, "", "ef45", "--addr", addr, "capture", "--face", "--both-eyes", "--out", dir)
	if code != 1 || !strings.Contains(errOut, "left_eye.jpg") || !strings.Contains(errOut, "symbolic link") {
		t.Fatalf("capture into a folder with a planted link: exit %d: %s", code, errOut)
	}
	checkUntouched(t, v)
	if n := dev.Stats().CapturesStarted; n != 0 {
		t.Errorf("the camera started %d times for a capture that could not be written", n)
	}

	// A linked folder and a folder others can write to are refused.
	real := t.TempDir()
	link := filepath.Join(t.TempDir(), "out")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(shared, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	for out, says := range map[string]string{link: "symbolic link", shared: "written by other users"} {
		code, _, errOut := ctl(t, "", "ef45", "--addr", addr, "capture", "--face", "--out", out)
		if code != 1 || !strings.Contains(errOut, says) {
			t.Errorf("capture --out %s: exit %d: %s", out, code, errOut)
		}
	}
	if entries, _ := os.ReadDir(real); len(entries) != 0 {
		t.Errorf("files written through the linked folder: %v", entries)
	}

	// A new folder is made private, and so is every file.
	fresh := filepath.Join(t.TempDir(), "new", "capture")
	if code, _, errOut := ctl(t, "", "ef45", "--addr", addr, "capture", "--face", "--both-eyes", "--out", fresh); code != 0 {
		t.Fatalf("capture: exit %d: %s", code, errOut)
	}
	checkPrivateTree(t, fresh)
}

// checkPrivateTree wants dir 0700 and every file in it 0600.
func checkPrivateTree(t *testing.T, dir string) {
	t.Helper()
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("%s mode %04o, want 0700", dir, fi.Mode().Perm())
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("%s: %d entries, %v", dir, len(entries), err)
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want a regular 0600 file", e.Name(), info.Mode(), err)
		}
	}
}

func TestActatekLogPhotosNeverWrittenThroughLinks(t *testing.T) {
	sim, srv := actatekTerminal(t, actateksim.Options{DemoUsers: 2})
	photos := filepath.Join(t.TempDir(), "photos")
	code, out, errOut := actatekCtl(t, sim, srv, pinned(sim), "--json", "logs", "--limit", "3", "--photos", photos)
	var logs []logRow
	if code != 0 || json.Unmarshal([]byte(out), &logs) != nil || len(logs) == 0 || logs[0].Photo == "" {
		t.Fatalf("logs: exit %d\n%s\n%s", code, out, errOut)
	}
	checkPrivateTree(t, photos)

	// The same photos again: one of them replaced by a link to another file.
	v := victim(t)
	if err := os.Remove(logs[0].Photo); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(v, logs[0].Photo); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = actatekCtl(t, sim, srv, pinned(sim), "logs", "--limit", "3", "--photos", photos)
	if code != 1 || !strings.Contains(errOut, logs[0].Photo) || !strings.Contains(errOut, "symbolic link") {
		t.Fatalf("logs over a planted link: exit %d: %s", code, errOut)
	}
	checkUntouched(t, v)

	linked := filepath.Join(t.TempDir(), "linked")
	if err := os.Symlink(t.TempDir(), linked); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := actatekCtl(t, sim, srv, pinned(sim), "logs", "--photos", linked); code != 1 || !strings.Contains(errOut, "symbolic link") {
		t.Errorf("logs --photos into a linked folder: exit %d: %s", code, errOut)
	}
}

func TestJournalExportNeverOverwrites(t *testing.T) {
	db := testJournal(t)
	v := victim(t)
	dir := t.TempDir()
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(v, link); err != nil {
		t.Fatal(err)
	}
	existing := filepath.Join(dir, "old.csv")
	if err := os.WriteFile(existing, []byte("theirs"), 0o644); err != nil {
		t.Fatal(err)
	}
	for file, says := range map[string]string{link: "symbolic link", existing: "never overwritten"} {
		code, _, errOut := journalCtl(t, "", "journal", "--db", db, "export", "--csv", file)
		if code != 1 || !strings.Contains(errOut, says) {
			t.Errorf("export --csv %s: exit %d: %s", file, code, errOut)
		}
	}
	checkUntouched(t, v)
	checkUntouched(t, existing)
}
