package secrets

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/zalando/go-keyring"
)

// Keyring keeps secrets in the OS keyring (Secret Service, macOS Keychain, Windows
// Credential Manager). Values are stored base64-encoded, because a journal key is binary and
// some keyrings only take text.
type Keyring struct {
	service string
	// sem lets one keyring call run at a time: the D-Bus session is not ours to share, and
	// the library's test mock is not safe for concurrent use.
	sem chan struct{}
}

// NewKeyring returns a Store filing secrets under service in the OS keyring.
func NewKeyring(service string) *Keyring {
	return &Keyring{service: service, sem: make(chan struct{}, 1)}
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
