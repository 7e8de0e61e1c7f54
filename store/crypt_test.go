package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
)

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSealOpen(t *testing.T) {
	t.Parallel()
	sl, err := newSealer(testKey())
	if err != nil {
		t.Fatal(err)
	}
	plain := pattern("iris", 1000)
	ad := blobAD(blobRef{"k1", "cap-1", EyeImage, "left"})
	a, err := sl.seal(plain, ad)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := sl.seal(plain, ad)
	if bytes.Equal(a, b) {
		t.Fatal("two seals of the same data are identical: the nonce is not random")
	}
	if len(a) != len(plain)+sealOverhead || a[0] != sealFormat {
		t.Fatalf("sealed length %d, format %d", len(a), a[0])
	}
	got, err := sl.open(a, ad)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open: %v", err)
	}
	// The associated data binds the blob to its person, capture, kind and variant.
	for _, other := range [][]byte{
		blobAD(blobRef{"k2", "cap-1", EyeImage, "left"}), blobAD(blobRef{"k1", "cap-2", EyeImage, "left"}),
		blobAD(blobRef{"k1", "cap-1", EyeTemplate, "left"}), blobAD(blobRef{"k1", "cap-1", EyeImage, "right"}),
		blobAD(blobRef{"k1c", "ap-1", EyeImage, "left"}), blobAD(blobRef{"k1", "cap-1e", "ye_image", "left"}),
		blobADv1(blobRef{"k1", "cap-1", EyeImage, "left"}),
	} {
		if _, err := sl.open(a, other); !errors.Is(err, errCannotDecrypt) {
			t.Errorf("opened with other associated data %q: %v", other, err)
		}
	}
	flipped := bytes.Clone(a)
	flipped[len(flipped)/2] ^= 1
	if _, err := sl.open(flipped, ad); !errors.Is(err, errCannotDecrypt) {
		t.Errorf("opened an altered value: %v", err)
	}
	wrong, _ := newSealer(otherKey())
	if _, err := wrong.open(a, ad); !errors.Is(err, errCannotDecrypt) {
		t.Errorf("opened with another key: %v", err)
	}
}

// A blob moved to another person in the database does not decrypt, and Verify says so.
func TestBlobMovedToAnotherPersonDoesNotDecrypt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	a, err := s.SaveCapture(ctx, testPerson("alice", "Alice", "A"), testCapture("a"), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.SaveCapture(ctx, testPerson("bob", "Bob", "B"), testCapture("b"), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Swap Alice's face image into Bob's capture.
	_, err = s.w.Exec(`UPDATE blobs SET sealed = (SELECT b2.sealed FROM blobs b2 JOIN captures c2 ON c2.id = b2.capture_id
			WHERE c2.capture_key = ? AND b2.kind = 'face_image')
		WHERE kind = 'face_image' AND capture_id = (SELECT id FROM captures WHERE capture_key = ?)`, a.CaptureID, b.CaptureID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Capture(ctx, b.CaptureID); !errors.Is(err, errCannotDecrypt) {
		t.Fatalf("a moved blob was read: %v", err)
	}
	rep, err := s.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || len(rep.Problems) != 1 {
		t.Fatalf("verify problems: %v", rep.Problems)
	}
}

func FuzzOpenSealed(f *testing.F) {
	sl, err := newSealer(testKey())
	if err != nil {
		f.Fatal(err)
	}
	good, _ := sl.sealBlob([]byte("template"), blobRef{"k", "cap", EyeTemplate, "left"})
	f.Add(good, "k")
	f.Add([]byte{}, "")
	f.Add([]byte{sealFormat}, "k")
	f.Add(bytes.Repeat([]byte{2}, 40), "k")
	f.Fuzz(func(t *testing.T, sealed []byte, person string) {
		plain, err := sl.openBlob(sealed, blobRef{person, "cap", EyeTemplate, "left"})
		if err != nil {
			return
		}
		// Only a genuine seal opens: the good seed with its own associated data.
		if !bytes.Equal(plain, []byte("template")) || person != "k" {
			t.Fatalf("forged value opened: %q for %q", plain, person)
		}
	})
}

// A value of format 1, sealed before the capture id was bound, still opens where it was
// sealed; its format byte cannot be changed to pass a format-2 value off as one.
func TestOpenBlobFormat1(t *testing.T) {
	t.Parallel()
	sl, err := newSealer(testKey())
	if err != nil {
		t.Fatal(err)
	}
	ref := blobRef{"k1", "cap-1", EyeImage, "left"}
	old, err := sl.seal([]byte("iris"), blobADv1(ref))
	if err != nil {
		t.Fatal(err)
	}
	old[0] = sealFormatV1
	if got, err := sl.openBlob(old, ref); err != nil || string(got) != "iris" {
		t.Fatalf("format 1 value: %q, %v", got, err)
	}
	if _, err := sl.openBlob(old, blobRef{"k2", "cap-1", EyeImage, "left"}); !errors.Is(err, errCannotDecrypt) {
		t.Errorf("format 1 value opened for another person: %v", err)
	}
	cur, err := sl.sealBlob([]byte("iris"), ref)
	if err != nil {
		t.Fatal(err)
	}
	cur[0] = sealFormatV1
	if _, err := sl.openBlob(cur, blobRef{"k1", "cap-2", EyeImage, "left"}); !errors.Is(err, errCannotDecrypt) {
		t.Errorf("a format 2 value relabelled format 1 opened in another capture: %v", err)
	}
}
