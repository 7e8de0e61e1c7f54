package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"enrollstation/devices/actatek/actateksim"
	"enrollstation/store/secrets"
)

func TestSecretsStoreFeedsActatekAndClue(t *testing.T) {
	mockKeyring(t)
	sim, srv := actatekTerminal(t, actateksim.Options{})
	pw := sim.Credentials().Password
	if code, out, errOut := runSecret(t, pw, "secrets", "set", "front-terminal"); code != 0 || !strings.Contains(out, "stored front-terminal") {
		t.Fatalf("secrets set: exit %d %s %s", code, out, errOut)
	}
	args := append([]string{"actatek", "--url", srv.URL, "--user", "admin", "--password-secret", "front-terminal"}, pinned(sim)...)
	code, out, errOut := runSecret(t, pw, append(args, "status")...)
	if code != 0 {
		t.Fatalf("actatek with the stored password: exit %d\n%s", code, errOut)
	}
	if strings.Contains(out, pw) {
		t.Fatal("the password was printed")
	}

	csim, csrv := clueCloud(t)
	if code, _, errOut := runSecret(t, csim.APIKey(), "secrets", "set", "clue-hq"); code != 0 {
		t.Fatalf("secrets set: %s", errOut)
	}
	code, _, errOut = runSecret(t, csim.APIKey(), "clue", "--base-url", csrv.URL, "--place", "178", "--api-key-secret", "clue-hq",
		"events", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-02T00:00:00Z")
	if code != 0 {
		t.Fatalf("clue with the stored key: exit %d\n%s", code, errOut)
	}

	if code, _, errOut := runSecret(t, "", "secrets", "delete", "front-terminal"); code != 0 {
		t.Fatalf("secrets delete: %s", errOut)
	}
	code, _, errOut = runSecret(t, "", append(args, "status")...)
	if code != 1 || !strings.Contains(errOut, `no password named "front-terminal"`) || !strings.Contains(errOut, "enrollctl secrets set front-terminal") {
		t.Fatalf("a missing secret: exit %d\n%s", code, errOut)
	}
}

func TestSecretsUsage(t *testing.T) {
	mockKeyring(t)
	for _, args := range [][]string{{"secrets"}, {"secrets", "set"}, {"secrets", "delete", "a", "b"}} {
		if code, _, errOut := runSecret(t, "", args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d %q", args, code, errOut)
		}
	}
	if code, _, errOut := runSecret(t, "", "secrets", "set", "empty"); code != 1 || !strings.Contains(errOut, "no secret on standard input") {
		t.Errorf("empty value: exit %d %q", code, errOut)
	}
	// One password source only, and never none.
	if code, _, _ := runSecret(t, "pw", "actatek", "--url", "https://192.0.2.1", "--user", "admin", "--password-stdin", "--password-secret", "x", "status"); code != 2 {
		t.Errorf("two password sources: exit %d", code)
	}
	if code, _, _ := runSecret(t, "", "actatek", "--url", "https://192.0.2.1", "--user", "admin", "status"); code != 2 {
		t.Errorf("no password source: exit %d", code)
	}
}

// headlessEnv is the environment of a plain server: HOME in dir, no XDG folders, and a D-Bus
// session address that nothing answers, so the real keyring library fails as it does there.
func headlessEnv(dir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name == "HOME" || strings.HasPrefix(name, "XDG_") || name == "DBUS_SESSION_BUS_ADDRESS" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME="+dir, "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent")
}

// TestSecretsSetOnHeadlessMachine runs the built enrollctl with no keyring answering and no
// file named: the real fallback, with no mock, as a plain Debian box meets it.
func TestSecretsSetOnHeadlessMachine(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "enrollctl")
	if out, err := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "enrollstation/cmd/enrollctl").CombinedOutput(); err != nil {
		t.Fatalf("build enrollctl: %v\n%s", err, out)
	}
	home := filepath.Join(dir, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), bin, "secrets", "set", "front")
	cmd.Env = headlessEnv(home)
	cmd.Stdin = strings.NewReader("s3cret-pw\n")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("enrollctl secrets set front: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	if got, want := stdout.String(), "stored front\n"; got != want {
		t.Errorf("stdout %q, want %q", got, want)
	}
	if !strings.Contains(stderr.String(), "OS keyring not available") || strings.Contains(stderr.String(), "s3cret-pw") {
		t.Errorf("stderr %q: want the fallback warning and no secret", stderr.String())
	}
	path := filepath.Join(home, ".config", "enrollstation", "secrets.json")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s mode %04o, want 0600", path, fi.Mode().Perm())
	}
	got, err := secrets.NewFile(path).Get(t.Context(), "front")
	if err != nil || got.Reveal() != "s3cret-pw" {
		t.Fatalf("the stored secret: %v", err)
	}
}

// The journal key cannot be replaced nor deleted by hand: that would lose the journal.
func TestSecretsRefuseReservedNames(t *testing.T) {
	mockKeyring(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	ctx := t.Context()
	sec, err := secrets.Open(ctx, secrets.Options{})
	if err != nil {
		t.Fatal(err)
	}
	key, err := secrets.JournalKey(ctx, sec, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"secrets", "set", secrets.JournalKeyName}, {"secrets", "delete", secrets.JournalKeyName}} {
		code, _, errOut := runSecret(t, "replacement", args...)
		if code != 1 || !strings.Contains(errOut, "reserved secret name") || !strings.Contains(errOut, "journal") {
			t.Errorf("%v: exit %d: %s", args, code, errOut)
		}
	}
	got, err := secrets.JournalKey(ctx, sec, false)
	if err != nil || !got.Equal(key) {
		t.Fatalf("the journal key changed: %v", err)
	}
}

// mockKeyring puts the keyring library's in-memory mock in place of the OS keyring, and
// the configuration folder (the keyring's creation lock, a fallback file) in the test's.
func mockKeyring(t *testing.T) {
	t.Helper()
	keyring.MockInit()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
}
