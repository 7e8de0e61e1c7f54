package store

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// modes returns the permission bits of each path, "missing" counted as 0.
func modes(t *testing.T, paths ...string) map[string]os.FileMode {
	t.Helper()
	got := make(map[string]os.FileMode, len(paths))
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		got[p] = fi.Mode().Perm()
	}
	return got
}

func privateWant(paths ...string) map[string]os.FileMode {
	want := make(map[string]os.FileMode, len(paths))
	for _, p := range paths {
		want[p] = 0o600
	}
	return want
}

func checkModes(t *testing.T, got, want map[string]os.FileMode) {
	t.Helper()
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s mode %04o, want %04o", p, got[p], w)
		}
	}
}

// The session that creates a journal writes the log files private from the first write on.
func TestNewJournalFilesPrivateFromFirstWrite(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no mode bits on Windows")
	}
	path := filepath.Join(t.TempDir(), "journal.db")
	s := openAt(t, path)
	if err := s.SetSetting(t.Context(), "station.name", "Front desk", "op1"); err != nil {
		t.Fatal(err)
	}
	files := []string{path, path + "-wal", path + "-shm"}
	checkModes(t, modes(t, files...), privateWant(files...))
}

// A journal left readable by an older release, with its log files after a crash, is
// tightened before it is read.
func TestExistingJournalFilesTightened(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no mode bits on Windows")
	}
	path := filepath.Join(t.TempDir(), "journal.db")
	first := openAt(t, path)
	if err := first.SetSetting(t.Context(), "station.name", "Front desk", "op1"); err != nil {
		t.Fatal(err)
	}
	files := []string{path, path + "-wal", path + "-shm"}
	for _, p := range files {
		if err := os.Chmod(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	second := openAt(t, path)
	if err := second.SetSetting(t.Context(), "station.name", "Lobby", "op1"); err != nil {
		t.Fatal(err)
	}
	checkModes(t, modes(t, files...), privateWant(files...))
}

// An existing user data folder that others can list is made the owner's alone.
func TestExistingDataFolderTightened(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "freebsd" && runtime.GOOS != "openbsd" && runtime.GOOS != "netbsd" {
		t.Skip("the data folder follows XDG_DATA_HOME only on Linux and the BSDs")
	}
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	path, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil { // whatever the umask made of it
		t.Fatal(err)
	}
	openAt(t, path)
	checkModes(t, modes(t, dir), map[string]os.FileMode{dir: 0o700})
}
