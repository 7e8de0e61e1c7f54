// The journal key wrapped with a passphrase, to carry it to the other stations of a site.

package secrets

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// wrapFormat names the wrapped-key file's format; it is bound into the encryption.
const wrapFormat = "enrollstation journal key v1"

// The KDF's cost: argon2id with 64 MiB and three passes, RFC 9106's second recommended
// choice for memory-constrained uses, takes a fraction of a second once and makes each
// guess of the passphrase as dear.
const (
	kdfTime    = 3
	kdfMemory  = 64 * 1024 // KiB
	kdfThreads = 2
)

// MinPassphrase is the shortest passphrase a wrapped key takes, in characters.
const MinPassphrase = 12

// ErrWrongPassphrase is returned when a wrapped key does not open with the passphrase given
// (or the file was changed).
var ErrWrongPassphrase = errors.New("the passphrase does not open this key file")

// wrapped is the file: the KDF's parameters and salt, and the key sealed with AES-256-GCM
// under the derived key, with every other field as associated data.
type wrapped struct {
	Format      string `json:"format"`
	KDF         string `json:"kdf"`
	Time        uint32 `json:"time"`
	Memory      uint32 `json:"memory_kib"`
	Threads     uint8  `json:"threads"`
	Salt        []byte `json:"salt"`
	Fingerprint string `json:"fingerprint"`
	Sealed      []byte `json:"sealed"`
}

// ad is the associated data: every field but the sealed key.
func (w wrapped) ad() []byte {
	c := w
	c.Sealed = nil
	b, _ := json.Marshal(c)
	return b
}

// Fingerprint names a journal key without revealing it, so the technician can see that two
// stations hold the same one.
func Fingerprint(key Value) string {
	m := hmac.New(sha256.New, key.b)
	m.Write([]byte("enrollstation journal key fingerprint"))
	return hex.EncodeToString(m.Sum(nil)[:8])
}

// CheckPassphrase says what is wrong with a passphrase for a wrapped key.
func CheckPassphrase(p []byte) error {
	if !utf8.Valid(p) {
		return errors.New("the passphrase is not UTF-8 text")
	}
	if n := utf8.RuneCount(bytes.TrimSpace(p)); n < MinPassphrase {
		return fmt.Errorf("the passphrase has %d characters; use at least %d", n, MinPassphrase)
	}
	return nil
}

// WrapJournalKey seals key with passphrase into the bytes of a key file.
func WrapJournalKey(key Value, passphrase []byte) ([]byte, error) {
	if key.Len() != JournalKeySize {
		return nil, fmt.Errorf("wrap journal key: the key is %d bytes, want %d", key.Len(), JournalKeySize)
	}
	if err := CheckPassphrase(passphrase); err != nil {
		return nil, fmt.Errorf("wrap journal key: %w", err)
	}
	w := wrapped{Format: wrapFormat, KDF: "argon2id", Time: kdfTime, Memory: kdfMemory, Threads: kdfThreads,
		Salt: make([]byte, 16), Fingerprint: Fingerprint(key)}
	if _, err := rand.Read(w.Salt); err != nil {
		return nil, fmt.Errorf("wrap journal key: %w", err)
	}
	aead, err := w.aead(passphrase)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("wrap journal key: %w", err)
	}
	w.Sealed = aead.Seal(nonce, nonce, key.b, w.ad())
	out, err := json.MarshalIndent(w, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// UnwrapJournalKey opens a key file with passphrase.
func UnwrapJournalKey(file, passphrase []byte) (Value, error) {
	var w wrapped
	if err := json.Unmarshal(file, &w); err != nil || w.Format != wrapFormat {
		return Value{}, errors.New("unwrap journal key: this is not a journal key file written by enrollctl journal key export")
	}
	// Parameters outside what this program writes are refused rather than run: a file
	// asking for gigabytes of memory must not take the station down.
	if w.KDF != "argon2id" || w.Time < 1 || w.Time > 10 || w.Memory < 8*1024 || w.Memory > 1024*1024 ||
		w.Threads < 1 || w.Threads > 16 || len(w.Salt) < 16 {
		return Value{}, errors.New("unwrap journal key: the key file's parameters are not ones this program writes")
	}
	aead, err := w.aead(passphrase)
	if err != nil {
		return Value{}, err
	}
	if len(w.Sealed) < aead.NonceSize() {
		return Value{}, fmt.Errorf("unwrap journal key: %w", ErrWrongPassphrase)
	}
	n := aead.NonceSize()
	key, err := aead.Open(nil, w.Sealed[:n], w.Sealed[n:], w.ad())
	if err != nil || len(key) != JournalKeySize {
		return Value{}, fmt.Errorf("unwrap journal key: %w", ErrWrongPassphrase)
	}
	v := Value{b: key}
	if Fingerprint(v) != w.Fingerprint {
		return Value{}, fmt.Errorf("unwrap journal key: %w", ErrWrongPassphrase)
	}
	return v, nil
}

func (w wrapped) aead(passphrase []byte) (cipher.AEAD, error) {
	k := argon2.IDKey(bytes.TrimSpace(passphrase), w.Salt, w.Time, w.Memory, w.Threads, 32)
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// ErrOtherKey is returned by ImportJournalKey when the store holds a different key already.
var ErrOtherKey = errors.New("this station already holds another journal key")

// ImportJournalKey stores key as the journal key. A store that holds the same key is left
// as it is; one that holds another is refused with ErrOtherKey unless replace is set (the
// caller checks first that no journal of this station needs the key it holds).
func ImportJournalKey(ctx context.Context, s Store, key Value, replace bool) error {
	if key.Len() != JournalKeySize {
		return fmt.Errorf("import journal key: the key is %d bytes, want %d", key.Len(), JournalKeySize)
	}
	old, err := s.Get(ctx, JournalKeyName)
	switch {
	case err == nil && old.Equal(key):
		return nil
	case err == nil && !replace:
		return fmt.Errorf("import journal key: %w (fingerprint %s)", ErrOtherKey, Fingerprint(old))
	case err != nil && !errors.Is(err, ErrNotFound):
		return fmt.Errorf("import journal key: %w", err)
	}
	if err := s.Set(ctx, JournalKeyName, key); err != nil {
		return fmt.Errorf("import journal key: %w", err)
	}
	return nil
}
