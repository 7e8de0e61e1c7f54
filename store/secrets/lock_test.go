//go:build unix || windows

package secrets

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// The lock is taken per open file (flock) or per handle (LockFileEx), so two opens of the
// lock file in one process stand for two programs: the second waits while the first holds
// it, and takes it once the first lets go.
func TestLockFileExcludesAnotherHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secrets.json.lock")
	release, err := lockFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if again, err := lockFile(ctx, path); !errors.Is(err, context.DeadlineExceeded) {
		if err == nil {
			again()
		}
		t.Fatalf("second lock while the first is held: %v, want it to wait until the deadline", err)
	}
	release()
	ctx2, cancel2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel2()
	again, err := lockFile(ctx2, path)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	again()
}
