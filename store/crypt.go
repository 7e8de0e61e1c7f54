package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
)

// KeySize is the journal key's length in bytes (AES-256).
const KeySize = 32

// sealFormat is the first byte of every sealed value, so a later key, cipher or
// associated-data change can tell old values from new ones. Format 2 binds a blob to its
// capture as well; values of format 1 (blobs bound to person, kind and variant only, and
// key checks, whose associated data is the same in both) are still opened.
const (
	sealFormatV1 = 1
	sealFormat   = 2
)

const (
	nonceSize = 12
	tagSize   = 16
	// sealOverhead is what sealing adds to a plaintext.
	sealOverhead = 1 + nonceSize + tagSize
)

// errCannotDecrypt is what every decryption failure becomes: GCM does not say whether the
// key, the associated data or the bytes are wrong, and neither do we.
var errCannotDecrypt = errors.New("cannot decrypt: wrong key, or the data was altered or moved")

// keyCheckPlain is sealed into meta when a journal is created; opening it proves the key.
const keyCheckPlain = "enrollstation journal key check v1"

// sealer encrypts and decrypts blobs with AES-256-GCM and a random nonce per value.
type sealer struct {
	aead  cipher.AEAD
	chain []byte // the audit chain's HMAC key, derived from the journal key
}

func newSealer(key []byte) (*sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("journal key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead, chain: deriveKey(key, "enrollstation audit chain v1")}, nil
}

// seal returns format byte, nonce, ciphertext and tag. A random 96-bit nonce per value is
// safe far beyond the number of blobs a workstation will ever hold.
func (s *sealer) seal(plain, ad []byte) ([]byte, error) {
	out := make([]byte, 1+nonceSize, sealOverhead+len(plain))
	out[0] = sealFormat
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return s.aead.Seal(out, out[1:1+nonceSize], plain, ad), nil
}

// open reverses seal. Any input, however malformed, gives an error rather than a panic.
func (s *sealer) open(sealed, ad []byte) ([]byte, error) {
	if len(sealed) < sealOverhead {
		return nil, fmt.Errorf("sealed value is %d bytes, too short: %w", len(sealed), errCannotDecrypt)
	}
	if sealed[0] != sealFormat && sealed[0] != sealFormatV1 {
		return nil, fmt.Errorf("sealed value has unknown format %d", sealed[0])
	}
	plain, err := s.aead.Open(nil, sealed[1:1+nonceSize], sealed[1+nonceSize:], ad)
	if err != nil {
		return nil, errCannotDecrypt
	}
	return plain, nil
}

// blobRef names the place a blob is sealed for: the associated data binds it there, so a
// blob copied into another capture's row, another person's or another kind's fails to open.
type blobRef struct {
	PersonKey string
	CaptureID string // the capture's key (UUID)
	Kind      BlobKind
	Variant   string
}

// blobAD is the associated data of a blob sealed in format 2: person key, capture id, kind
// and variant, each length-prefixed so that no two different tuples give the same bytes.
func blobAD(r blobRef) []byte {
	return lengthPrefixed("enrollstation blob v2", r.PersonKey, r.CaptureID, string(r.Kind), r.Variant)
}

// blobADv1 is the associated data of blobs sealed in format 1, before the capture id was
// bound; kept so that journals written then still open.
func blobADv1(r blobRef) []byte {
	return lengthPrefixed("enrollstation blob v1", r.PersonKey, string(r.Kind), r.Variant)
}

func lengthPrefixed(label string, fields ...string) []byte {
	ad := []byte(label)
	for _, f := range fields {
		ad = binary.AppendUvarint(ad, uint64(len(f)))
		ad = append(ad, f...)
	}
	return ad
}

// sealBlob seals a blob's data for r, in the current format.
func (s *sealer) sealBlob(plain []byte, r blobRef) ([]byte, error) {
	return s.seal(plain, blobAD(r))
}

// openBlob opens a blob sealed for r, with the associated data of the value's format.
func (s *sealer) openBlob(sealed []byte, r blobRef) ([]byte, error) {
	if len(sealed) > 0 && sealed[0] == sealFormatV1 {
		return s.open(sealed, blobADv1(r))
	}
	return s.open(sealed, blobAD(r))
}

// keyCheckAD is the associated data of the key check value in meta.
const keyCheckAD = "enrollstation meta key_check"
