package secrets

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/zalando/go-keyring"
)

func TestJournalKeyCreatedOnceThenKept(t *testing.T) {
	ctx := context.Background()
	s := NewFile(filepath.Join(t.TempDir(), "secrets.json"))
	if _, err := JournalKey(ctx, s, false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("JournalKey without create on an empty store: %v, want ErrNotFound", err)
	}
	k1, err := JournalKey(ctx, s, true)
	if err != nil {
		t.Fatal(err)
	}
	if k1.Len() != JournalKeySize {
		t.Fatalf("key is %d bytes", k1.Len())
	}
	k2, err := JournalKey(ctx, s, true)
	if err != nil {
		t.Fatal(err)
	}
	if !k1.Equal(k2) {
		t.Fatal("a second call made a new key")
	}
	k3, err := JournalKey(ctx, s, false)
	if err != nil || !k3.Equal(k1) {
		t.Fatalf("JournalKey without create: %v", err)
	}
}

func TestJournalKeyRejectsWrongSize(t *testing.T) {
	ctx := context.Background()
	s := NewFile(filepath.Join(t.TempDir(), "secrets.json"))
	if err := s.Set(ctx, JournalKeyName, StringValue("short")); err != nil {
		t.Fatal(err)
	}
	if _, err := JournalKey(ctx, s, true); err == nil {
		t.Fatal("a 5-byte journal key was accepted")
	}
}

// racing is one program's view of the store, for a second program that creates the journal
// key between the first one's lookup (which found none) and its store.
type racing struct {
	inner interface {
		Store
		IfAbsentSetter
	}
	meanwhile func() // runs once, when a lookup has found no key
	ran       bool
}

func (r *racing) Get(ctx context.Context, name string) (Value, error) {
	v, err := r.inner.Get(ctx, name)
	if errors.Is(err, ErrNotFound) && !r.ran {
		r.ran = true
		r.meanwhile()
	}
	return v, err
}
func (r *racing) Set(ctx context.Context, name string, v Value) error {
	return r.inner.Set(ctx, name, v)
}
func (r *racing) Delete(ctx context.Context, name string) error { return r.inner.Delete(ctx, name) }
func (r *racing) SetIfAbsent(ctx context.Context, name string, v Value) (Value, error) {
	return r.inner.SetIfAbsent(ctx, name, v)
}

// twoPrograms returns two Store values on one secret store, as two programs see it.
func twoPrograms(t *testing.T) map[string][2]interface {
	Store
	IfAbsentSetter
} {
	path := filepath.Join(t.TempDir(), "secrets.json")
	lock := filepath.Join(t.TempDir(), "keyring.lock")
	k1, k2 := NewKeyring("enrollstation-test"), NewKeyring("enrollstation-test")
	k1.lockPath, k2.lockPath = lock, lock
	// The library's mock is one map for the whole test binary and not safe for concurrent
	// use; two programs would each have their own keyring connection.
	k2.sem = k1.sem
	return map[string][2]interface {
		Store
		IfAbsentSetter
	}{
		"file":    {NewFile(path), NewFile(path)},
		"keyring": {k1, k2},
	}
}

// The second program creates the key while the first is between its lookup and its store:
// both must end with the key that is kept.
func TestJournalKeyCreatedOnceWhenTwoProgramsRace(t *testing.T) {
	keyring.MockInit()
	for name, pair := range twoPrograms(t) {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			var second Value
			first := &racing{inner: pair[0], meanwhile: func() {
				var err error
				if second, err = JournalKey(ctx, pair[1], true); err != nil {
					t.Fatal(err)
				}
			}}
			got, err := JournalKey(ctx, first, true)
			if err != nil {
				t.Fatal(err)
			}
			stored, err := pair[0].Get(ctx, JournalKeyName)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(second) || !stored.Equal(got) {
				t.Fatal("the two programs ended with different journal keys")
			}
		})
	}
}

func TestJournalKeyConcurrentCreators(t *testing.T) {
	keyring.MockInit()
	for name, pair := range twoPrograms(t) {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			keys := make([]Value, 12)
			var wg sync.WaitGroup
			for i := range keys {
				wg.Go(func() {
					k, err := JournalKey(ctx, pair[i%2], true)
					if err != nil {
						t.Error(err)
					}
					keys[i] = k
				})
			}
			wg.Wait()
			stored, err := pair[0].Get(ctx, JournalKeyName)
			if err != nil {
				t.Fatal(err)
			}
			for i, k := range keys {
				if !k.Equal(stored) {
					t.Errorf("creator %d ended with another key than the one stored", i)
				}
			}
		})
	}
}

func TestSetIfAbsentKeepsWhatIsThere(t *testing.T) {
	keyring.MockInit()
	for name, pair := range twoPrograms(t) {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			s := pair[0]
			got, err := s.SetIfAbsent(ctx, "n", StringValue("first"))
			if err != nil || got.Reveal() != "first" {
				t.Fatalf("SetIfAbsent on a free name = %q, %v", got.Reveal(), err)
			}
			got, err = pair[1].SetIfAbsent(ctx, "n", StringValue("second"))
			if err != nil || got.Reveal() != "first" {
				t.Fatalf("SetIfAbsent on a taken name = %q, %v; want the value there", got.Reveal(), err)
			}
			if v, err := s.Get(ctx, "n"); err != nil || v.Reveal() != "first" {
				t.Fatalf("Get = %q, %v", v.Reveal(), err)
			}
		})
	}
}
