package secrets

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/zalando/go-keyring"
)

func TestKeyringRoundTrip(t *testing.T) {
	keyring.MockInit()
	ctx := context.Background()
	k := NewKeyring("enrollstation-test")
	bin := []byte{0, 0xff, 0x10, '\n', 0}
	if err := k.Set(ctx, "journal-key", NewValue(bin)); err != nil {
		t.Fatal(err)
	}
	v, err := k.Get(ctx, "journal-key")
	if err != nil {
		t.Fatal(err)
	}
	if !v.Equal(NewValue(bin)) {
		t.Fatalf("binary value changed on the way: %v", v.Bytes())
	}
	if err := k.Delete(ctx, "journal-key"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get(ctx, "journal-key"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
	}
	if err := k.Delete(ctx, "journal-key"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Delete twice: %v, want ErrNotFound", err)
	}
	if err := k.Set(ctx, "bad name", StringValue("x")); err == nil {
		t.Fatal("Set accepted a name with a space")
	}
}

func TestKeyringRejectsForeignValue(t *testing.T) {
	keyring.MockInit()
	if err := keyring.Set("enrollstation-test", "typed-by-hand", "not base64 !"); err != nil {
		t.Fatal(err)
	}
	_, err := NewKeyring("enrollstation-test").Get(context.Background(), "typed-by-hand")
	if err == nil || errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of a value not written by us: %v", err)
	}
}

func TestKeyringErrorsNameTheCall(t *testing.T) {
	keyring.MockInitWithError(errors.New("locked collection"))
	t.Cleanup(keyring.MockInit)
	err := NewKeyring("enrollstation-test").Set(context.Background(), "clue/api-key", StringValue("k"))
	if err == nil || err.Error() != "keyring set clue/api-key: locked collection" {
		t.Fatalf("error %v", err)
	}
}

// The library's mock is not safe for concurrent use; Keyring must serialise calls, which
// the race detector checks here.
func TestKeyringConcurrentUse(t *testing.T) {
	keyring.MockInit()
	ctx := context.Background()
	k := NewKeyring("enrollstation-test")
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("target/%d/password", i)
			if err := k.Set(ctx, name, StringValue(name)); err != nil {
				t.Error(err)
				return
			}
			if v, err := k.Get(ctx, name); err != nil || v.Reveal() != name {
				t.Errorf("Get %s = %v", name, err)
			}
		}()
	}
	wg.Wait()
}

func TestKeyringHonoursContextWhileBusy(t *testing.T) {
	keyring.MockInit()
	k := NewKeyring("enrollstation-test")
	k.sem <- struct{}{} // another call in progress
	defer func() { <-k.sem }()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := k.Get(ctx, "journal-key"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Get while busy with a cancelled context: %v", err)
	}
}
