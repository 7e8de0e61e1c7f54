package secrets

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

func TestJournalKeyCreatedOnceThenKept(t *testing.T) {
	ctx := context.Background()
	s := NewFile(filepath.Join(t.TempDir(), "secrets.json"))
	if _, err := JournalKey(ctx, s, false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("JournalKey without create on an empty store: %v, want ErrNotFound", err)
	}
	k1, err := JournalKey(ctx, s, true)
	if err != nil {
		t.Fatal(err)
	}
	if k1.Len() != JournalKeySize {
		t.Fatalf("key is %d bytes", k1.Len())
	}
	k2, err := JournalKey(ctx, s, true)
	if err != nil {
		t.Fatal(err)
	}
	if !k1.Equal(k2) {
		t.Fatal("a second call made a new key")
	}
	k3, err := JournalKey(ctx, s, false)
	if err != nil || !k3.Equal(k1) {
		t.Fatalf("JournalKey without create: %v", err)
	}
}

func TestJournalKeyRejectsWrongSize(t *testing.T) {
	ctx := context.Background()
	s := NewFile(filepath.Join(t.TempDir(), "secrets.json"))
	if err := s.Set(ctx, JournalKeyName, StringValue("short")); err != nil {
		t.Fatal(err)
	}
	if _, err := JournalKey(ctx, s, true); err == nil {
		t.Fatal("a 5-byte journal key was accepted")
	}
}
