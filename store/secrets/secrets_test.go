package secrets

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

func TestOpenUsesKeyringWhenItAnswers(t *testing.T) {
	keyring.MockInit()
	var logs bytes.Buffer
	s, err := Open(context.Background(), Options{
		FilePath: filepath.Join(t.TempDir(), "secrets.json"),
		Logger:   slog.New(slog.NewTextHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*Keyring); !ok {
		t.Fatalf("Open returned %T, want *Keyring", s)
	}
	if logs.Len() != 0 {
		t.Errorf("unexpected log output: %s", logs.String())
	}
}

func TestOpenFallsBackToFileAndSaysSo(t *testing.T) {
	keyring.MockInitWithError(errors.New("org.freedesktop.DBus.Error.ServiceUnknown"))
	t.Cleanup(keyring.MockInit)
	var logs bytes.Buffer
	path := filepath.Join(t.TempDir(), "cfg", "secrets.json")
	s, err := Open(context.Background(), Options{
		FilePath: path,
		Logger:   slog.New(slog.NewTextHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	f, ok := s.(*File)
	if !ok {
		t.Fatalf("Open returned %T, want *File", s)
	}
	if f.Path() != path {
		t.Errorf("file path %q, want %q", f.Path(), path)
	}
	out := logs.String()
	for _, want := range []string{"level=WARN", "OS keyring not available", path, "ServiceUnknown"} {
		if !strings.Contains(out, want) {
			t.Errorf("log line %q lacks %q", out, want)
		}
	}
	// The fallback works end to end.
	ctx := context.Background()
	if err := s.Set(ctx, "actatek/1/password", StringValue("pw")); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Get(ctx, "actatek/1/password"); err != nil || v.Reveal() != "pw" {
		t.Fatalf("Get = %q, %v", v.Reveal(), err)
	}
}

func TestOpenGivesUpWhenContextEnds(t *testing.T) {
	keyring.MockInitWithError(errors.New("no dbus"))
	t.Cleanup(keyring.MockInit)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Open(ctx, Options{FilePath: filepath.Join(t.TempDir(), "s.json")}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Open with a cancelled context: %v, want context.Canceled", err)
	}
}

func TestCheckName(t *testing.T) {
	for _, name := range []string{"journal-key", "clue/place-1/api-key", "actatek:10.0.0.5@admin", "a.b_c"} {
		if err := checkName(name); err != nil {
			t.Errorf("checkName(%q) = %v, want nil", name, err)
		}
	}
	for _, name := range []string{"", "has space", "new\nline", strings.Repeat("x", 129), "é"} {
		if err := checkName(name); err == nil {
			t.Errorf("checkName(%q) = nil, want an error", name)
		}
	}
}

// With no file named, the fallback goes to the user's config folder; the keyring's own
// error is the reason logged.
func TestOpenFallsBackToDefaultFile(t *testing.T) {
	keyring.MockInitWithError(errors.New("org.freedesktop.DBus.Error.NoServer"))
	t.Cleanup(keyring.MockInit)
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	var logs bytes.Buffer
	s, err := Open(t.Context(), Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	f, ok := s.(*File)
	if !ok {
		t.Fatalf("Open returned %T, want *File", s)
	}
	want := filepath.Join(home, ".config", "enrollstation", "secrets.json")
	if f.Path() != want {
		t.Errorf("file path %q, want %q", f.Path(), want)
	}
	if !strings.Contains(logs.String(), "NoServer") {
		t.Errorf("log %q lacks the keyring's reason", logs.String())
	}
}

func TestCheckOperatorName(t *testing.T) {
	for _, name := range []string{"front-terminal", "clue/place-1/api-key"} {
		if err := CheckOperatorName(name); err != nil {
			t.Errorf("CheckOperatorName(%q) = %v, want nil", name, err)
		}
	}
	for _, name := range []string{JournalKeyName, probeName} {
		if err := CheckOperatorName(name); !errors.Is(err, ErrReserved) || !strings.Contains(err.Error(), "choose another name") {
			t.Errorf("CheckOperatorName(%q) = %v, want ErrReserved", name, err)
		}
	}
	if err := CheckOperatorName("has space"); err == nil || errors.Is(err, ErrReserved) {
		t.Errorf("CheckOperatorName of a malformed name: %v", err)
	}
}
