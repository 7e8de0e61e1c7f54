package secrets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestFileRoundTripAndPermissions(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "enrollstation")
	path := filepath.Join(dir, "secrets.json")
	f := NewFile(path)
	if _, err := f.Get(ctx, "x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get on a missing file: %v, want ErrNotFound", err)
	}
	if err := f.Set(ctx, "clue/token", StringValue("tok-1")); err != nil {
		t.Fatal(err)
	}
	if err := f.Set(ctx, "journal-key", NewValue([]byte{0, 1, 2, 0xff})); err != nil {
		t.Fatal(err)
	}
	if err := f.Set(ctx, "clue/token", StringValue("tok-2")); err != nil {
		t.Fatal(err)
	}
	if v, err := f.Get(ctx, "clue/token"); err != nil || v.Reveal() != "tok-2" {
		t.Fatalf("Get = %v", err)
	}
	if v, err := f.Get(ctx, "journal-key"); err != nil || !bytes.Equal(v.Bytes(), []byte{0, 1, 2, 0xff}) {
		t.Fatalf("binary Get = %v", err)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("file mode %04o, want 0600", fi.Mode().Perm())
		}
		di, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if di.Mode().Perm() != 0o700 {
			t.Errorf("folder mode %04o, want 0700", di.Mode().Perm())
		}
	}
	// Atomic writes leave no temporary files behind.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
	if err := f.Delete(ctx, "clue/token"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Get(ctx, "clue/token"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
	if err := f.Delete(ctx, "clue/token"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Delete twice: %v", err)
	}
}

func TestFileRefusesLoosePermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no mode bits on Windows")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "secrets.json")
	f := NewFile(path)
	if err := f.Set(ctx, "a", StringValue("b")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := f.Get(ctx, "a")
	if err == nil || !strings.Contains(err.Error(), "can be read by other users") || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("Get from a 0644 file: %v", err)
	}
	if err := f.Set(ctx, "c", StringValue("d")); err == nil {
		t.Fatal("Set rewrote a 0644 file instead of refusing")
	}
}

func TestFileRefusesDamage(t *testing.T) {
	ctx := context.Background()
	for name, content := range map[string]string{
		"not json":    "{",
		"newer":       `{"version":2,"secrets":{}}`,
		"no version":  `{"secrets":{}}`,
		"bad base64":  `{"version":1,"secrets":{"a":"!!"}}`,
		"bad name":    `{"version":1,"secrets":{"a b":"YQ=="}}`,
		"wrong types": `{"version":"1"}`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "secrets.json")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := NewFile(path).Get(ctx, "a")
			if err == nil || errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), path) {
				t.Fatalf("Get from a damaged file: %v", err)
			}
		})
	}
}

// Two File values on one path stand for two programs (GUI and enrollctl): the lock keeps
// concurrent read-modify-writes from losing each other's secrets.
func TestFileConcurrentWritersLoseNothing(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "secrets.json")
	a, b := NewFile(path), NewFile(path)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := a
			if i%2 == 1 {
				f = b
			}
			if err := f.Set(ctx, fmt.Sprintf("n%d", i), StringValue(fmt.Sprint(i))); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for i := range 20 {
		if v, err := a.Get(ctx, fmt.Sprintf("n%d", i)); err != nil || v.Reveal() != fmt.Sprint(i) {
			t.Errorf("secret n%d lost: %v", i, err)
		}
	}
}

func TestDefaultFilePath(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/cfg")
	t.Setenv("HOME", "/home/op")
	p, err := DefaultFilePath()
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS == "linux" && p != "/cfg/enrollstation/secrets.json" {
		t.Fatalf("DefaultFilePath = %q", p)
	}
	if filepath.Base(p) != "secrets.json" || filepath.Base(filepath.Dir(p)) != "enrollstation" {
		t.Fatalf("DefaultFilePath = %q", p)
	}
}

func FuzzParseFile(f *testing.F) {
	good, _ := encodeFile(map[string][]byte{"journal-key": {1, 2, 3}, "a/b": []byte("pw")})
	f.Add(good)
	f.Add([]byte(`{"version":1,"secrets":{"x":"=="}}`))
	f.Add([]byte(`{"version":1,"secrets":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseFile(data)
		if err != nil {
			return
		}
		enc, err := encodeFile(m)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := parseFile(enc)
		if err != nil {
			t.Fatalf("re-encoded file does not parse: %v", err)
		}
		if len(m2) != len(m) {
			t.Fatalf("round trip changed the entry count: %d vs %d", len(m), len(m2))
		}
		for k, v := range m {
			if !bytes.Equal(m2[k], v) {
				t.Fatalf("round trip changed %q", k)
			}
		}
	})
}
