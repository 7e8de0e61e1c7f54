package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
)

// sealedSample returns 64 bytes from the middle of one stored (encrypted) blob: what must be
// gone from the file after an erase.
func sealedSample(t *testing.T, s *Store, personKey string) []byte {
	t.Helper()
	var sealed []byte
	err := s.r.QueryRow(`SELECT b.sealed FROM blobs b JOIN captures c ON c.id = b.capture_id JOIN people p ON p.id = c.person_id
		WHERE p.person_key = ? AND b.kind = 'face_image'`, personKey).Scan(&sealed)
	if err != nil {
		t.Fatal(err)
	}
	mid := len(sealed) / 2
	return bytes.Clone(sealed[mid : mid+64])
}

// inFiles reports whether needle occurs in the journal file or its write-ahead log.
func inFiles(t *testing.T, s *Store, needle []byte) bool {
	t.Helper()
	for _, p := range []string{s.Path(), s.Path() + "-wal"} {
		b, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, needle) {
			return true
		}
	}
	return false
}

func TestEraseRemovesBytesFromFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openFile(t) // what is in the file
	target := addTarget(t, s, TargetACTAtek, "Lobby")
	keep, err := s.SaveCapture(ctx, testPerson("keep-1", "Grace", "Hopper"), testCapture("keep"), []TargetID{target})
	if err != nil {
		t.Fatal(err)
	}
	gone, err := s.SaveCapture(ctx, testPerson("gone-1", "Alan", "Turing"), testCapture("gone"), []TargetID{target})
	if err != nil {
		t.Fatal(err)
	}
	// A second capture of the same person, so several captures are erased.
	if _, err := s.SaveCapture(ctx, testPerson("gone-1", "Alan", "Turing"), testCapture("gone2"), []TargetID{target}); err != nil {
		t.Fatal(err)
	}
	sample := sealedSample(t, s, "gone-1")
	name := []byte("Turing")
	if !inFiles(t, s, sample) || !inFiles(t, s, name) {
		t.Fatal("the sample is not in the files before the erase; the scan proves nothing")
	}

	erased, err := s.Erase(ctx, "gone-1", "op2")
	if err != nil {
		t.Fatal(err)
	}
	if erased != (Erased{PersonKey: "gone-1", Captures: 2, Blobs: 6, Pushes: 2}) {
		t.Fatalf("Erase = %+v", erased)
	}
	if inFiles(t, s, sample) {
		t.Fatal("erased blob bytes are still in the journal file or its log")
	}
	if inFiles(t, s, name) {
		t.Fatal("the erased person's name is still in the journal file or its log")
	}
	if fi, err := os.Stat(s.Path() + "-wal"); err == nil && fi.Size() != 0 {
		t.Fatalf("write-ahead log not truncated: %d bytes", fi.Size())
	}

	if _, err := s.Person(ctx, "gone-1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Person after erase: %v", err)
	}
	if _, err := s.Capture(ctx, gone.CaptureID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Capture after erase: %v", err)
	}
	if n := count(t, s, "outbox"); n != 1 {
		t.Fatalf("%d outbox rows left, want the kept person's 1", n)
	}
	ev, err := s.AuditLog(ctx, AuditQuery{PersonKey: "gone-1", Action: ActionErase})
	if err != nil || len(ev) != 1 || ev[0].Operator != "op2" || ev[0].Detail != "erased 2 captures, 6 biometric blobs, 2 pushes" {
		t.Fatalf("erase audit row: %+v %v", ev, err)
	}
	// The other person is untouched and still decrypts.
	if c, err := s.Capture(ctx, keep.CaptureID); err != nil || len(c.Blobs) != 3 {
		t.Fatalf("kept capture: %v", err)
	}
	if rep, err := s.Verify(ctx); err != nil || !rep.OK() {
		t.Fatalf("verify after erase: %v %v", err, rep.Problems)
	}
	if _, err := s.Erase(ctx, "gone-1", "op2"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second erase: %v", err)
	}
	if _, err := s.Erase(ctx, "keep-1", ""); !errors.Is(err, ErrInvalid) {
		t.Fatalf("erase without operator: %v", err)
	}
}
