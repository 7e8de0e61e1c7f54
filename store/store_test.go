package store

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"enrollstation/store/pgtest"
)

// killChildEnv, when set, makes the test binary the child of TestSIGKILLMidSave: it saves
// captures into the journal named by the variable until killed.
const killChildEnv = "ENROLLSTATION_STORE_KILL_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(killChildEnv); path != "" {
		os.Exit(saveUntilKilled(path))
	}
	os.Exit(m.Run())
}

// testKey is the journal key of every test journal.
func testKey() []byte { return bytes.Repeat([]byte{0x42}, KeySize) }

func otherKey() []byte { return bytes.Repeat([]byte{0x17}, KeySize) }

func openAt(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, testKey())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// backendEnv set to "postgres" runs the store's tests on the PostgreSQL server of
// pgtest.Env rather than on SQLite files; `make test` runs them both ways.
const backendEnv = "ENROLLSTATION_STORE_BACKEND"

// onPostgres reports whether the tests run on PostgreSQL.
func onPostgres() bool { return os.Getenv(backendEnv) == "postgres" }

// testLocation is a new, empty journal's location on the backend under test.
func testLocation(t testing.TB) string {
	t.Helper()
	if onPostgres() {
		if os.Getenv(pgtest.Env) == "" {
			t.Fatalf("%s=postgres needs a server in %s", backendEnv, pgtest.Env)
		}
		return pgtest.URL(t)
	}
	return filepath.Join(t.TempDir(), "journal.db")
}

// openFile opens a new journal file, for tests of what SQLite's files hold.
func openFile(t testing.TB) *Store {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "journal.db"))
}

func openTest(t testing.TB) *Store {
	t.Helper()
	return openAt(t, testLocation(t))
}

func testPerson(key, given, family string) Person {
	return Person{
		Key: key, GivenName: given, FamilyName: family, CardNumber: "65D8A1BD", Department: "Front desk",
		AccessGroups: []string{"Lobby", "Floor 2"}, ConsentAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), ConsentBy: "op1",
	}
}

// testCapture holds an eye image, an eye template and a face image, with contents derived
// from seed so different captures differ.
func testCapture(seed string) Capture {
	return Capture{
		DeviceSerial: "EF45-000123", RecordVersion: "1.2.34", EncounterID: "enc-" + seed, Operator: "op1",
		StartedAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), CapturedAt: time.Date(2026, 3, 1, 9, 0, 20, 0, time.UTC),
		Quality: Quality{DistanceMM: 400,
			Eyes:  []EyeQuality{{Eye: "left", UsableIrisArea: 82, QualityScore: 91, QualityOK: true, IrisRadius: 112}},
			Faces: []FaceQuality{{Variant: "far_off", FrontalScore: 0.93, Roll: -1.5, Score: 88}}},
		Blobs: []Blob{
			{Kind: EyeImage, Variant: "left", MediaType: "image/jpeg", Data: pattern("left eye "+seed, 3000)},
			{Kind: EyeTemplate, Variant: "left", Data: pattern("template "+seed, 500)},
			{Kind: FaceImage, Variant: "far_off", MediaType: "image/jpeg", Data: pattern("face "+seed, 5000)},
		},
	}
}

// pattern returns n bytes derived from seed, different at every offset.
func pattern(seed string, n int) []byte {
	out := make([]byte, 0, n+sha256.Size)
	h := sha256.Sum256([]byte(seed))
	for len(out) < n {
		out = append(out, h[:]...)
		h = sha256.Sum256(h[:])
	}
	return out[:n]
}

func addTarget(t testing.TB, s *Store, kind TargetKind, name string) TargetID {
	t.Helper()
	tg, err := s.AddTarget(context.Background(), Target{Kind: kind, Name: name, Address: "https://" + name, Enabled: true}, "tech")
	if err != nil {
		t.Fatal(err)
	}
	return tg.ID
}

func count(t testing.TB, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.r.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func fileHash(t testing.TB, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestOpenCreatesPrivateJournal(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data", "enrollstation")
	s := openAt(t, filepath.Join(dir, "journal.db"))
	if v, err := userVersion(context.Background(), s.w); err != nil || v != SchemaVersion() {
		t.Fatalf("schema version %d (%v), want %d", v, err, SchemaVersion())
	}
	var mode string
	if err := s.w.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode %q (%v), want wal", mode, err)
	}
	var fk, secure, timeout int
	s.w.QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
	s.w.QueryRow(`PRAGMA secure_delete`).Scan(&secure)
	s.w.QueryRow(`PRAGMA busy_timeout`).Scan(&timeout)
	if fk != 1 || secure != 1 || timeout < 1000 {
		t.Fatalf("foreign_keys=%d secure_delete=%d busy_timeout=%d", fk, secure, timeout)
	}
	if _, err := s.r.Exec(`INSERT INTO settings (name, value, updated_at) VALUES ('x', 'y', 0)`); err == nil {
		t.Fatal("the reader pool accepted a write")
	}
	if runtime.GOOS != "windows" {
		for path, want := range map[string]os.FileMode{dir: 0o700, s.Path(): 0o600} {
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != want {
				t.Errorf("%s mode %04o, want %04o", path, fi.Mode().Perm(), want)
			}
		}
	}
}

func TestOpenRefusesWrongKeyAndChangesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journal.db")
	s, err := Open(ctx, path, testKey())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveCapture(ctx, testPerson("", "Ada", "Lovelace"), testCapture("a"), nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before := fileHash(t, path)
	_, err = Open(ctx, path, otherKey())
	if !errors.Is(err, ErrWrongKey) {
		t.Fatalf("Open with the wrong key: %v, want ErrWrongKey", err)
	}
	if !strings.Contains(err.Error(), "wrong journal key") || !strings.Contains(err.Error(), path) {
		t.Errorf("error does not say what happened: %v", err)
	}
	if fileHash(t, path) != before {
		t.Fatal("the journal file changed after a refused open")
	}
	if _, err := Open(ctx, path, []byte("short")); err == nil {
		t.Fatal("a 5-byte key was accepted")
	}
	s = openAt(t, path)
	if p, err := s.SearchPeople(ctx, Query{}); err != nil || p.Total != 1 {
		t.Fatalf("the right key no longer opens the journal: %v %+v", err, p)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journal.db")
	s := openAt(t, path)
	newer := SchemaVersion() + 1
	if _, err := s.w.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, newer)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before := fileHash(t, path)
	_, err := Open(ctx, path, testKey())
	var se *SchemaError
	if !errors.As(err, &se) || se.Journal != newer || se.Program != SchemaVersion() {
		t.Fatalf("Open of a newer journal: %v", err)
	}
	for _, want := range []string{fmt.Sprintf("version %d", newer), fmt.Sprintf("up to %d", SchemaVersion()), "newer Enroll Station"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if fileHash(t, path) != before {
		t.Fatal("the journal file changed after a refused open")
	}
}

func TestTwoStoresShareOneJournal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journal.db")
	a, b := openAt(t, path), openAt(t, path)
	if _, err := a.SaveCapture(ctx, testPerson("k1", "Ada", "Lovelace"), testCapture("1"), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Person(ctx, "k1"); err != nil {
		t.Fatalf("a second program does not see the first one's save: %v", err)
	}
}

func TestDefaultPath(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG layout applies on Linux")
	}
	t.Setenv("XDG_DATA_HOME", "/data")
	if p, err := DefaultPath(); err != nil || p != "/data/enrollstation/journal.db" {
		t.Fatalf("DefaultPath = %q, %v", p, err)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/op")
	if p, err := DefaultPath(); err != nil || p != "/home/op/.local/share/enrollstation/journal.db" {
		t.Fatalf("DefaultPath without XDG_DATA_HOME = %q, %v", p, err)
	}
}

// saveUntilKilled is the child of TestSIGKILLMidSave: it saves captures one after another
// and prints each returned capture id, until the parent kills it.
func saveUntilKilled(path string) int {
	ctx := context.Background()
	s, err := Open(ctx, path, testKey())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	targets, err := s.Targets(ctx)
	if err != nil || len(targets) == 0 {
		fmt.Fprintln(os.Stderr, "no target", err)
		return 1
	}
	for i := range 1000 {
		saved, err := s.SaveCapture(ctx, testPerson("", "Kill", fmt.Sprintf("Test %04d", i)), testCapture(fmt.Sprint(i)), []TargetID{targets[0].ID})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Fprintln(os.Stdout, saved.CaptureID)
	}
	return 0
}

func TestSIGKILLMidSave(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no SIGKILL on Windows")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journal.db")
	s, err := Open(ctx, path, testKey())
	if err != nil {
		t.Fatal(err)
	}
	addTarget(t, s, TargetCLUe, "HQ")
	s.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var ids []string
	sc := bufio.NewScanner(out)
	const killAfter = 60
	for sc.Scan() {
		ids = append(ids, sc.Text())
		if len(ids) == killAfter {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
		}
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child did not die by SIGKILL: %v; stderr: %s", err, stderr.String())
	}
	if len(ids) < killAfter || len(ids) >= 1000 {
		t.Fatalf("child printed %d ids; the kill should land mid-run", len(ids))
	}

	s = openAt(t, path)
	var check string
	if err := s.w.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	for _, id := range ids {
		c, err := s.Capture(ctx, id)
		if err != nil {
			t.Fatalf("saved capture %s is missing after the kill: %v", id, err)
		}
		if len(c.Blobs) != 3 {
			t.Fatalf("capture %s has %d blobs", id, len(c.Blobs))
		}
	}
	// At most one save could have committed without its id reaching us.
	if n := count(t, s, "captures"); n < len(ids) || n > len(ids)+1 {
		t.Fatalf("%d captures for %d returned saves", n, len(ids))
	}
	rep, err := s.Verify(ctx)
	if err != nil || !rep.OK() {
		t.Fatalf("verify after the kill: %v %v", err, rep.Problems)
	}
}
