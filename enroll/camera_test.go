package enroll

import (
	"context"
	"path/filepath"
	"testing"

	"enrollstation/store/secrets"
)

func TestCameraAddressIsCheckedAndKept(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := OpenStation(ctx, Config{JournalPath: filepath.Join(dir, "journal.db"), Secrets: secrets.NewFile(filepath.Join(dir, "s.json"))})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if a, err := st.CameraAddress(ctx); err != nil || a != "" {
		t.Fatalf("a new journal has camera %q, %v", a, err)
	}
	for _, bad := range []string{"", "host:0", "host:99999", "a b:1", ":9980"} {
		if err := st.SetCameraAddress(ctx, bad, "tech"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if err := st.SetCameraAddress(ctx, " 192.0.2.10 ", "tech"); err != nil {
		t.Fatal(err)
	}
	if a, err := st.CameraAddress(ctx); err != nil || a != "192.0.2.10:9980" {
		t.Fatalf("camera %q, %v", a, err)
	}
	// Without an address the kept one is used; a given one replaces it.
	if a, err := st.UseCamera(ctx, "", "tech"); err != nil || a != "192.0.2.10:9980" {
		t.Fatalf("use the kept camera: %q, %v", a, err)
	}
	if a, err := st.UseCamera(ctx, "192.0.2.11:9981", "tech"); err != nil || a != "192.0.2.11:9981" {
		t.Fatalf("use a given camera: %q, %v", a, err)
	}
}
