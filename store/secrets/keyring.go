package secrets

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/zalando/go-keyring"
)

// Keyring keeps secrets in the OS keyring (Secret Service, macOS Keychain, Windows
// Credential Manager). Values are stored base64-encoded, because a journal key is binary and
// some keyrings only take text. The Windows Credential Manager holds at most 2560 bytes a
// credential, so 1920 bytes of secret after base64; a longer Set fails there with the
// library's ErrSetDataTooBig rather than being cut.
type Keyring struct {
	service string
	// sem lets one keyring call run at a time: the D-Bus session is not ours to share, and
	// the library's test mock is not safe for concurrent use.
	sem chan struct{}
	// lockPath is the file whose lock makes SetIfAbsent one step across programs: the
	// keyring itself has no such call. Empty: KeyringLockPath of the service.
	lockPath string
}

// NewKeyring returns a Store filing secrets under service in the OS keyring.
func NewKeyring(service string) *Keyring {
	return &Keyring{service: service, sem: make(chan struct{}, 1)}
}

// KeyringLockPath is where the keyring's creation lock lives unless Open is given a
// fallback file: SERVICE-keyring.lock beside DefaultFilePath.
func KeyringLockPath(service string) (string, error) {
	p, err := DefaultFilePath()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(p), service+"-keyring.lock"), nil
}

// SetIfAbsent stores v under name unless a secret of that name is there already, and
// returns the value kept: v, or the one found. Programs of this user that create a secret
// at the same moment take turns under a lock file (the keyring has no compare-and-set of
// its own), so all of them end with the same value.
func (k *Keyring) SetIfAbsent(ctx context.Context, name string, v Value) (Value, error) {
	path := k.lockPath
	if path == "" {
		p, err := KeyringLockPath(k.service)
		if err != nil {
			return Value{}, fmt.Errorf("keyring set %s: lock: %w", name, err)
		}
		path = p
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return Value{}, fmt.Errorf("keyring set %s: lock: %w", name, err)
	}
	unlockFile, err := lockFile(ctx, path)
	if err != nil {
		return Value{}, fmt.Errorf("keyring set %s: %w", name, err)
	}
	defer unlockFile()
	old, err := k.Get(ctx, name)
	switch {
	case err == nil:
		return old, nil
	case !errors.Is(err, ErrNotFound):
		return Value{}, err
	}
	if err := k.Set(ctx, name, v); err != nil {
		return Value{}, err
	}
	return v, nil
}

// Get returns the secret called name.
func (k *Keyring) Get(ctx context.Context, name string) (Value, error) {
	if err := checkName(name); err != nil {
		return Value{}, fmt.Errorf("keyring get: %w", err)
	}
	var s string
	err := k.call(ctx, func() (err error) {
		s, err = keyring.Get(k.service, name)
		return err
	})
	if err != nil {
		return Value{}, fmt.Errorf("keyring get %s: %w", name, err)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return Value{}, fmt.Errorf("keyring get %s: the stored value is not in the format this program writes", name)
	}
	return Value{b: b}, nil
}

// Set stores v under name.
func (k *Keyring) Set(ctx context.Context, name string, v Value) error {
	if err := checkName(name); err != nil {
		return fmt.Errorf("keyring set: %w", err)
	}
	enc := base64.StdEncoding.EncodeToString(v.b)
	if err := k.call(ctx, func() error { return keyring.Set(k.service, name, enc) }); err != nil {
		return fmt.Errorf("keyring set %s: %w", name, err)
	}
	return nil
}

// Delete removes the secret called name.
func (k *Keyring) Delete(ctx context.Context, name string) error {
	if err := checkName(name); err != nil {
		return fmt.Errorf("keyring delete: %w", err)
	}
	if err := k.call(ctx, func() error { return keyring.Delete(k.service, name) }); err != nil {
		return fmt.Errorf("keyring delete %s: %w", name, err)
	}
	return nil
}

// call runs fn, one at a time, and gives up when ctx ends. The keyring library takes no
// context, so a call that hangs (a Secret Service waiting on an unlock prompt) finishes in
// the background and is abandoned.
func (k *Keyring) call(ctx context.Context, fn func() error) error {
	select {
	case k.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	// Both cases above may be ready at once; a call for a context that has ended is not
	// started, so it cannot outlive its caller.
	if err := ctx.Err(); err != nil {
		<-k.sem
		return err
	}
	done := make(chan error, 1)
	go func() {
		defer func() { <-k.sem }()
		done <- fn()
	}()
	select {
	case err := <-done:
		if errors.Is(err, keyring.ErrNotFound) {
			return ErrNotFound
		}
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
