package enroll

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"enrollstation/store"
	"enrollstation/store/secrets"
)

// Preferences start at their defaults, are refused when wrong, and come back as saved;
// the enrollment targets follow them.
func TestPreferencesRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := OpenStation(ctx, Config{JournalPath: filepath.Join(dir, "journal.db"), Secrets: secrets.NewFile(filepath.Join(dir, "s.json"))})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var ids []TargetID
	for _, n := range []string{"gate", "lobby", "spare"} {
		tg, err := st.AddTarget(ctx, store.Target{Kind: store.TargetEF45, Name: n, Address: "192.0.2.1:9980", Enabled: n != "spare"}, secrets.Value{}, "tech")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tg.ID)
	}
	p, err := st.Preferences(ctx)
	if err != nil || p.Gates.MinUsableIrisArea != 70 || p.Language != "" || len(p.Targets) != 0 {
		t.Fatalf("defaults %+v, %v", p, err)
	}
	if got, _ := st.EnrollTargets(ctx); !slices.Equal(got, ids[:2]) {
		t.Fatalf("enroll targets by default %v, want the enabled %v", got, ids[:2])
	}
	bad := p
	bad.Gates.MinUsableIrisArea, bad.Language = 120, "xx"
	if err := st.SavePreferences(ctx, bad, "tech"); err == nil || len(CheckPreferences(bad)) != 2 {
		t.Fatalf("bad preferences saved: %v %v", err, CheckPreferences(bad))
	}
	p.Targets, p.Language, p.Gates.MinUsableIrisArea = []TargetID{ids[1], ids[2]}, "ja", 75
	if err := st.SavePreferences(ctx, p, "tech"); err != nil {
		t.Fatal(err)
	}
	got, err := st.Preferences(ctx)
	if err != nil || got.Language != "ja" || got.Gates.MinUsableIrisArea != 75 || !slices.Equal(got.Targets, p.Targets) {
		t.Fatalf("read back %+v, %v", got, err)
	}
	// The spare target is preferred but disabled: it is left out.
	if got, _ := st.EnrollTargets(ctx); !slices.Equal(got, ids[1:2]) {
		t.Fatalf("enroll targets %v, want %v", got, ids[1:2])
	}
}
