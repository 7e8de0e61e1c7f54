package main

import (
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"enrollstation/devices/actatek/actateksim"
)

func TestSecretsStoreFeedsActatekAndClue(t *testing.T) {
	keyring.MockInit() // the keyring library's in-memory mock stands in for the OS keyring
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
	keyring.MockInit()
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
