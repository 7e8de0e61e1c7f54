package secrets

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
)

// JournalKeyName is the name the journal's encryption key is stored under.
const JournalKeyName = "journal-key"

// JournalKeySize is the journal key's length: AES-256.
const JournalKeySize = 32

// JournalKey returns the journal key from s. When there is none and create is true it makes
// one (32 random bytes) and stores it; create should be false when a journal already exists,
// because a fresh key would never open it. Two programs creating the key at the same moment
// end with the same key: it is stored only where none is, in one step (IfAbsentSetter).
func JournalKey(ctx context.Context, s Store, create bool) (Value, error) {
	v, err := s.Get(ctx, JournalKeyName)
	switch {
	case err == nil:
		return checkJournalKey(v)
	case !errors.Is(err, ErrNotFound):
		return Value{}, fmt.Errorf("journal key: %w", err)
	case !create:
		return Value{}, fmt.Errorf("journal key: none in the secret store, so the existing journal cannot be opened: %w", err)
	}
	b := make([]byte, JournalKeySize)
	if _, err := rand.Read(b); err != nil {
		return Value{}, fmt.Errorf("journal key: %w", err)
	}
	if c, ok := s.(IfAbsentSetter); ok {
		if v, err = c.SetIfAbsent(ctx, JournalKeyName, Value{b: b}); err != nil {
			return Value{}, fmt.Errorf("journal key: store new key: %w", err)
		}
		return checkJournalKey(v)
	}
	// A store without one step to create: the best it allows is to read back, so that a
	// key stored by another program at the same moment wins here too.
	if err := s.Set(ctx, JournalKeyName, Value{b: b}); err != nil {
		return Value{}, fmt.Errorf("journal key: store new key: %w", err)
	}
	if v, err = s.Get(ctx, JournalKeyName); err != nil {
		return Value{}, fmt.Errorf("journal key: read back new key: %w", err)
	}
	return checkJournalKey(v)
}

// checkJournalKey refuses a stored key of the wrong size.
func checkJournalKey(v Value) (Value, error) {
	if v.Len() != JournalKeySize {
		return Value{}, fmt.Errorf("journal key: the stored key is %d bytes, want %d; it was not written by this program", v.Len(), JournalKeySize)
	}
	return v, nil
}
