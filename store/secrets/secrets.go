// Package secrets keeps passwords, API keys, tokens and the journal key. They live in the OS
// keyring where one answers, and otherwise in a file that only the user can read. A secret is
// held as a Value, which prints and logs as "[redacted]".
package secrets

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"
)

// Service is the keyring service name secrets are filed under.
const Service = "enrollstation"

// ErrNotFound is returned by Get and Delete when no secret has that name.
var ErrNotFound = errors.New("secret not found")

// Store keeps named secrets. Implementations are safe for concurrent use.
type Store interface {
	// Get returns the secret called name, or an error wrapping ErrNotFound.
	Get(ctx context.Context, name string) (Value, error)
	// Set stores v under name, replacing any previous value.
	Set(ctx context.Context, name string, v Value) error
	// Delete removes the secret called name, or returns an error wrapping ErrNotFound.
	Delete(ctx context.Context, name string) error
}

// IfAbsentSetter is a Store that can keep a value only where a name holds none yet, in one
// step that no other program can interleave with. File and Keyring are both.
type IfAbsentSetter interface {
	// SetIfAbsent stores v under name unless a secret of that name is there already, and
	// returns the value kept: v, or the one found.
	SetIfAbsent(ctx context.Context, name string, v Value) (Value, error)
}

// Options tune Open. The zero value is usable.
type Options struct {
	// Service is the keyring service name; Service when empty.
	Service string
	// FilePath is the fallback file; DefaultFilePath() when empty.
	FilePath string
	// Logger receives the line saying the fallback is in use; slog.Default() when nil.
	Logger *slog.Logger
	// ProbeTimeout bounds the first keyring call, which can hang on a desktop without a
	// running Secret Service; 3 s when zero.
	ProbeTimeout time.Duration
}

// probeName is looked up once to learn whether the keyring answers at all; it is never set.
const probeName = "keyring-probe"

// Open returns the OS keyring when it answers, and otherwise the fallback file, logging a
// warning that says so (headless Linux has no Secret Service).
func Open(ctx context.Context, opts Options) (Store, error) {
	if opts.Service == "" {
		opts.Service = Service
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.ProbeTimeout <= 0 {
		opts.ProbeTimeout = 3 * time.Second
	}
	k := NewKeyring(opts.Service)
	if opts.FilePath != "" {
		// The lock sits with the fallback file, where the caller keeps this store's files.
		k.lockPath = filepath.Join(filepath.Dir(opts.FilePath), opts.Service+"-keyring.lock")
	}
	probeCtx, cancel := context.WithTimeout(ctx, opts.ProbeTimeout)
	_, probeErr := k.Get(probeCtx, probeName)
	cancel()
	if probeErr == nil || errors.Is(probeErr, ErrNotFound) {
		return k, nil
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("open secrets: %w", ctx.Err())
	}
	path := opts.FilePath
	if path == "" {
		// A separate error: the probe's is the reason logged below, and must survive.
		p, err := DefaultFilePath()
		if err != nil {
			return nil, fmt.Errorf("open secrets: no keyring and no config folder: %w", err)
		}
		path = p
	}
	opts.Logger.Warn("OS keyring not available; keeping secrets in a file only this user can read",
		"file", path, "reason", probeErr.Error())
	return NewFile(path), nil
}

// ErrReserved is wrapped by CheckOperatorName's error for a name this program keeps for
// itself.
var ErrReserved = errors.New("reserved secret name")

// CheckOperatorName refuses a name an operator may not set or delete by hand: a malformed
// one, or one this program keeps for itself (the journal key, the keyring probe), because a
// value stored or removed there would replace what the program put there: a new journal key
// loses every journal it opened.
func CheckOperatorName(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	switch name {
	case JournalKeyName:
		return fmt.Errorf("secret name %q: %w: the journal's encryption key is kept under it, and replacing or deleting it "+
			"would make the journal unreadable; choose another name", name, ErrReserved)
	case probeName:
		return fmt.Errorf("secret name %q: %w: it is used to test whether the OS keyring answers; choose another name", name, ErrReserved)
	}
	return nil
}

// checkName rejects names that could not be stored the same way in every backend.
func checkName(name string) error {
	if name == "" || len(name) > 128 {
		return fmt.Errorf("secret name %q: must be 1 to 128 characters", name)
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '-' || r == '_' || r == '.' || r == '/' || r == ':' || r == '@'
		if !ok {
			return fmt.Errorf("secret name %q: only letters, digits and - _ . / : @ are allowed", name)
		}
	}
	return nil
}
