package enroll

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"enrollstation/store"
	"enrollstation/store/pgtest"
	"enrollstation/store/secrets"
)

// A target name an operator types (spaces, accents) names its secret in what the secrets
// store allows, and two such names never share one.
func TestTargetSecretsAreNamedForAnyTargetName(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	sec := secrets.NewFile(filepath.Join(dir, "secrets.json"))
	st, err := OpenStation(ctx, Config{JournalPath: filepath.Join(dir, "journal.db"), Secrets: sec})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	names := []string{"Lobby terminal", "Lobby-terminal", "Réception", "terminal-1"}
	refs := map[string]string{}
	for i, name := range names {
		tg, err := st.AddTarget(ctx, store.Target{Kind: store.TargetACTAtek, Name: name, Address: "https://192.0.2.1", Account: "admin", Enabled: true},
			secrets.StringValue("pw-"+name), "tech")
		if err != nil {
			t.Fatalf("add %q: %v", name, err)
		}
		if other, dup := refs[tg.SecretRef]; dup {
			t.Fatalf("%q and %q share the secret %q", name, other, tg.SecretRef)
		}
		refs[tg.SecretRef] = name
		v, err := sec.Get(ctx, tg.SecretRef)
		if err != nil || v.Reveal() != "pw-"+names[i] {
			t.Fatalf("secret of %q: %v", name, err)
		}
	}
	if refs["target/terminal-1"] != "terminal-1" {
		t.Fatalf("a name that is already safe is used as it is: %v", refs)
	}
}

// Stations of a site share one journal in PostgreSQL: the first makes it and its key; a
// second station opens it once it holds that key, and is refused, with nothing written,
// while it holds no key or another one.
func TestStationsShareAJournalOnPostgres(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	dir := t.TempDir()
	desk1 := secrets.NewFile(filepath.Join(dir, "desk1.json"))
	st1, err := OpenStation(ctx, Config{JournalPath: url, Secrets: desk1})
	if err != nil {
		t.Fatal(err)
	}
	defer st1.Close()
	if _, err := st1.AddTarget(ctx, store.Target{Kind: store.TargetEF45, Name: "Gate", Address: "http://192.0.2.9:9980", Enabled: true}, secrets.Value{}, "tech"); err != nil {
		t.Fatal(err)
	}
	audit := func() int {
		events, err := st1.Store().AuditLog(ctx, store.AuditQuery{})
		if err != nil {
			t.Fatal(err)
		}
		return len(events)
	}
	before := audit()

	desk2 := secrets.NewFile(filepath.Join(dir, "desk2.json"))
	if _, err := OpenStation(ctx, Config{JournalPath: url, Secrets: desk2}); err == nil {
		t.Fatal("a station without the site's key opened the shared journal")
	}
	if _, err := secrets.JournalKey(ctx, desk2, false); err == nil {
		t.Fatal("a refused station made itself a key")
	}
	wrong := secrets.NewFile(filepath.Join(dir, "wrong.json"))
	if _, err := secrets.JournalKey(ctx, wrong, true); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenStation(ctx, Config{JournalPath: url, Secrets: wrong}); !errors.Is(err, store.ErrWrongKey) {
		t.Fatalf("a station with another key: %v, want the wrong key named", err)
	}
	if n := audit(); n != before {
		t.Fatalf("refused stations wrote %d audit rows", n-before)
	}

	key, err := secrets.JournalKey(ctx, desk1, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := secrets.ImportJournalKey(ctx, desk2, key, false); err != nil {
		t.Fatal(err)
	}
	st2, err := OpenStation(ctx, Config{JournalPath: url, Secrets: desk2})
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	targets, err := st2.Store().Targets(ctx)
	if err != nil || len(targets) != 1 || targets[0].Name != "Gate" {
		t.Fatalf("desk 2 sees targets %+v, %v", targets, err)
	}
}
