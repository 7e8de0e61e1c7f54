package push_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"enrollstation/enroll"
	"enrollstation/store"
	"enrollstation/store/secrets"
)

// The child side of TestCrashMidPush: a worker on the journal named by the environment,
// until it is killed.
func TestMain(m *testing.M) {
	if dir := os.Getenv("PUSH_CRASH_CHILD_DIR"); dir != "" {
		ctx := context.Background()
		st, err := enroll.OpenStation(ctx, enroll.Config{JournalPath: filepath.Join(dir, "journal.db"),
			Secrets: secrets.NewFile(filepath.Join(dir, "secrets.json")), Push: fastPush()})
		if err != nil {
			os.Stderr.WriteString(err.Error())
			os.Exit(3)
		}
		_ = st.Run(ctx)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// A worker killed with SIGKILL in the middle of pushing 50 people; a new process picks up
// the rows it left in flight at once, and every target ends up holding each person exactly
// once.
func TestCrashMidPush(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := startSims(t)
	e := newEnv(t, s, fastPush())
	keys := e.enrollN(t, 1, 50)
	for _, a := range s.actatek {
		a.SetLatency(20 * time.Millisecond) // so that the kill lands mid-way
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PUSH_CRASH_CHILD_DIR="+e.dir)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 60*time.Second, func() bool { return e.states(t)[store.OutboxDone] >= 40 })
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if stderr.Len() > 0 {
		t.Logf("child: %s", stderr.String())
	}
	left := e.states(t)
	if left[store.OutboxDone] == 250 || left[store.OutboxInFlight] == 0 && left[store.OutboxPending] == 0 {
		t.Fatalf("the kill came after the work was done: %v", left)
	}
	t.Logf("at the kill: %v", left)
	for _, a := range s.actatek {
		a.SetLatency(0)
	}
	again := e.reopen(t, fastPush())
	start := time.Now()
	if err := again.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("restart finished the rest in %s", time.Since(start))
	if got := e.states(t); !reflect.DeepEqual(got, map[store.OutboxState]int{store.OutboxDone: 250}) {
		for _, k := range keys[:50] {
			items, _ := e.st.PushStatus(ctx, k)
			for _, it := range items {
				if it.State == store.OutboxFailed {
					t.Logf("failed: %s %s %d %s", it.PersonKey, it.TargetName, it.Attempts, it.LastError)
				}
			}
		}
		t.Fatalf("outbox after restart = %v", got)
	}
	if got := e.holdings(t, keys); !reflect.DeepEqual(got, want(50)) {
		t.Fatalf("holdings = %v, want %v", got, want(50))
	}
}
