package secrets

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func testKey(b byte) Value { return NewValue(bytes.Repeat([]byte{b}, JournalKeySize)) }

func TestWrappedKeyOpensOnlyWithItsPassphrase(t *testing.T) {
	key := testKey(7)
	pass := []byte("correct horse battery staple\n")
	file, err := WrapJournalKey(key, pass)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(file, key.b) || strings.Contains(string(file), "BwcHBwcH") {
		t.Fatal("the key file holds the key in clear")
	}
	got, err := UnwrapJournalKey(file, []byte("correct horse battery staple"))
	if err != nil || !got.Equal(key) {
		t.Fatalf("unwrap: %v", err)
	}
	if _, err := UnwrapJournalKey(file, []byte("correct horse battery stapler")); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	// Two exports of one key differ (salt, nonce), and name the same fingerprint.
	again, _ := WrapJournalKey(key, pass)
	var a, b wrapped
	json.Unmarshal(file, &a)
	json.Unmarshal(again, &b)
	if bytes.Equal(a.Salt, b.Salt) || bytes.Equal(a.Sealed, b.Sealed) || a.Fingerprint != b.Fingerprint || a.Fingerprint != Fingerprint(key) {
		t.Fatalf("two exports: %+v %+v", a, b)
	}
}

func TestWrappedKeyRefusesChangedOrStrangeFiles(t *testing.T) {
	pass := []byte("correct horse battery staple")
	file, err := WrapJournalKey(testKey(9), pass)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(fn func(w *wrapped)) []byte {
		var w wrapped
		if err := json.Unmarshal(file, &w); err != nil {
			t.Fatal(err)
		}
		fn(&w)
		b, _ := json.Marshal(w)
		return b
	}
	for name, c := range map[string]struct {
		file []byte
		want string
	}{
		"fewer passes":       {edit(func(w *wrapped) { w.Time = 1 }), "does not open"},
		"another salt":       {edit(func(w *wrapped) { w.Salt[0] ^= 1 }), "does not open"},
		"sealed bit flipped": {edit(func(w *wrapped) { w.Sealed[len(w.Sealed)-1] ^= 1 }), "does not open"},
		"other fingerprint":  {edit(func(w *wrapped) { w.Fingerprint = "0000000000000000" }), "does not open"},
		"sealed cut short":   {edit(func(w *wrapped) { w.Sealed = w.Sealed[:4] }), "does not open"},
		"memory of 16 GiB":   {edit(func(w *wrapped) { w.Memory = 16 << 20 }), "parameters are not ones"},
		"another KDF":        {edit(func(w *wrapped) { w.KDF = "pbkdf2" }), "parameters are not ones"},
		"not JSON":           {[]byte("-----BEGIN PRIVATE KEY-----"), "not a journal key file"},
		"another format":     {edit(func(w *wrapped) { w.Format = "something else v1" }), "not a journal key file"},
	} {
		if _, err := UnwrapJournalKey(c.file, pass); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	for _, p := range []string{"short", "           eleven     ", "\xff\xfe not text at all"} {
		if _, err := WrapJournalKey(testKey(1), []byte(p)); err == nil {
			t.Errorf("passphrase %q was taken", p)
		}
	}
}

func TestImportJournalKeyNeverLosesTheKeyHeld(t *testing.T) {
	ctx := context.Background()
	s := NewFile(filepath.Join(t.TempDir(), "secrets.json"))
	if err := ImportJournalKey(ctx, s, testKey(1), false); err != nil {
		t.Fatal(err)
	}
	if got, err := JournalKey(ctx, s, false); err != nil || !got.Equal(testKey(1)) {
		t.Fatalf("after import into an empty store: %v", err)
	}
	if err := ImportJournalKey(ctx, s, testKey(1), false); err != nil {
		t.Fatalf("the same key again: %v", err)
	}
	err := ImportJournalKey(ctx, s, testKey(2), false)
	if !errors.Is(err, ErrOtherKey) || !strings.Contains(err.Error(), Fingerprint(testKey(1))) {
		t.Fatalf("another key: %v", err)
	}
	if got, _ := JournalKey(ctx, s, false); !got.Equal(testKey(1)) {
		t.Fatal("a refused import changed the key")
	}
	if err := ImportJournalKey(ctx, s, testKey(2), true); err != nil {
		t.Fatal(err)
	}
	if got, _ := JournalKey(ctx, s, false); !got.Equal(testKey(2)) {
		t.Fatal("replace did not take the new key")
	}
}
