package enrollment

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"enrollstation/enroll"
)

func waitDirectory(t testing.TB, m *DirectoryModel, what string, cond func(DirectoryState) bool) DirectoryState {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if st := m.State(); cond(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; state: %+v", what, m.State())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func loaded(s DirectoryState) bool { return s.Phase != DirectoryLoading && s.Phase != DirectoryIdle }

// The pickers' lists come from both demo terminals, merged; with a terminal down its
// names are gone and the operator is told; with both down the last lists stay and the
// operator is told to type.
func TestDirectoryModelInDemoMode(t *testing.T) {
	_, d := demoFlow(t)
	m := NewDirectoryModel(d.Station)
	defer m.Close()
	m.Load()
	st := waitDirectory(t, m, "loaded", loaded)
	if st.Phase != DirectoryLoaded || st.Words.Key != "" {
		t.Fatalf("state %+v", st)
	}
	wantGroups := []string{"Engineering lab", "General Staff", "Night shift", "Staff", "Visitors"}
	if !slices.Equal(st.Groups, wantGroups) || !slices.Contains(st.Departments, "Engineering") {
		t.Fatalf("groups %v, departments %v", st.Groups, st.Departments)
	}

	d.Sims.ACTAtek[1].SetDropRate(1)
	m.Load()
	st = waitDirectory(t, m, "loaded without the office", loaded)
	if st.Phase != DirectoryLoaded || st.Words.Key != "enroll.directory.partial" || slices.Contains(st.Groups, "Engineering lab") || st.Detail == "" {
		t.Fatalf("with the office down: %+v", st)
	}

	d.Sims.ACTAtek[0].SetDropRate(1)
	m.Load()
	st = waitDirectory(t, m, "both down", loaded)
	if st.Phase != DirectoryUnreachable || st.Words.Key != "enroll.directory.unreachable" || !slices.Contains(st.Groups, "Night shift") {
		t.Fatalf("with both down: %+v", st)
	}
}

// Without a terminal there is nothing to pick, and the form says so; a journal that
// cannot be read is said plainly.
func TestDirectoryModelWithoutTerminals(t *testing.T) {
	m := NewDirectoryModel(dirFunc(func(context.Context) (enroll.Directory, error) { return enroll.Directory{}, nil }))
	defer m.Close()
	m.Load()
	if st := waitDirectory(t, m, "none", loaded); st.Phase != DirectoryNone || st.Words.Key != "enroll.directory.none" || st.Groups != nil {
		t.Fatalf("state %+v", st)
	}
	bad := NewDirectoryModel(dirFunc(func(context.Context) (enroll.Directory, error) {
		return enroll.Directory{}, errors.New("disk I/O error")
	}))
	defer bad.Close()
	bad.Load()
	if st := waitDirectory(t, bad, "failed", loaded); st.Phase != DirectoryUnreachable || st.Words.Key != "enroll.directory.failed" || st.Detail != "disk I/O error" {
		t.Fatalf("state %+v", st)
	}
}

type dirFunc func(ctx context.Context) (enroll.Directory, error)

func (f dirFunc) Directory(ctx context.Context) (enroll.Directory, error) { return f(ctx) }
