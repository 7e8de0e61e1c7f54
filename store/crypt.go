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

// sealFormat is the first byte of every sealed value, so a later key or cipher change can
// tell old values from new ones.
const sealFormat = 1

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
	aead cipher.AEAD
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
	return &sealer{aead: aead}, nil
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
	if sealed[0] != sealFormat {
		return nil, fmt.Errorf("sealed value has unknown format %d", sealed[0])
	}
	plain, err := s.aead.Open(nil, sealed[1:1+nonceSize], sealed[1+nonceSize:], ad)
	if err != nil {
		return nil, errCannotDecrypt
	}
	return plain, nil
}

// blobAD is the associated data of a blob: person key, kind and variant, each
// length-prefixed so that no two different triples give the same bytes.
func blobAD(personKey string, kind BlobKind, variant string) []byte {
	ad := []byte("enrollstation blob v1")
	for _, f := range []string{personKey, string(kind), variant} {
		ad = binary.AppendUvarint(ad, uint64(len(f)))
		ad = append(ad, f...)
	}
	return ad
}

// keyCheckAD is the associated data of the key check value in meta.
const keyCheckAD = "enrollstation meta key_check"
