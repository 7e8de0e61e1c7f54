package enroll

import (
	"context"
	"path/filepath"
	"testing"

	"enrollstation/store"
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
