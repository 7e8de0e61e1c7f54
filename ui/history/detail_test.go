package history

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"enrollstation/enroll"
	"enrollstation/enroll/demo"
)

// pushOf is the selected person's current row on the named target.
func pushOf(st State, target string) (enroll.OutboxItem, bool) {
	if st.Detail == nil {
		return enroll.OutboxItem{}, false
	}
	for _, it := range st.Detail.Pushes {
		if it.TargetName == target {
			return it, true
		}
	}
	return enroll.OutboxItem{}, false
}

// countingCapture counts the decrypting reads of captures.
type countingCapture struct {
	Engine
	reads atomic.Int32
}

func (c *countingCapture) Capture(ctx context.Context, id string) (enroll.Capture, error) {
	c.reads.Add(1)
	return c.Engine.Capture(ctx, id)
}

func TestDetailShowsThePersonAndTheirDecryptedPhoto(t *testing.T) {
	d := startDemo(t, 2)
	eng := &countingCapture{Engine: FromStation(d.Station)}
	m := newTestModel(t, eng)
	waitFor(t, m, "the first page", func(s State) bool { return settled(s) && s.Total == 2 })
	if n := eng.reads.Load(); n != 0 {
		t.Fatalf("the search decrypted %d captures", n)
	}
	m.Select("demo-0001")
	st := m.State()
	if st.Detail == nil || !st.Detail.PhotoLoading || st.Detail.Person.Name() != "Aiko Tanaka" {
		t.Fatalf("right after select: %+v", st.Detail)
	}
	st = waitFor(t, m, "the photo", func(s State) bool { return s.Detail != nil && !s.Detail.PhotoLoading })
	det := st.Detail
	if det.Problem != nil || det.PhotoProblem != nil {
		t.Fatalf("detail problems: %+v %+v", det.Problem, det.PhotoProblem)
	}
	if b := det.Photo.Bounds(); b.Dx() != 480 || b.Dy() != 640 {
		t.Errorf("photo is %v, want the 480x640 portrait", b)
	}
	p := det.Person
	if p.Key != "demo-0001" || p.CardNumber != "4100200" || p.Department != "Front desk" || p.ConsentBy != "demo" || p.ConsentAt.IsZero() {
		t.Errorf("person %+v", p)
	}
	if len(det.Captures) != 1 || len(det.Captures[0].Blobs) != 5 {
		t.Fatalf("captures %+v", det.Captures)
	}
	for _, b := range det.Captures[0].Blobs {
		if b.Data != nil || b.Size == 0 {
			t.Errorf("the capture list holds blob %s/%s data (%d bytes, size %d)", b.Kind, b.Variant, len(b.Data), b.Size)
		}
	}
	var names []string
	for _, it := range det.Pushes {
		names = append(names, it.TargetName)
		if it.State != enroll.OutboxPending {
			t.Errorf("%s is %s before the worker ran", it.TargetName, it.State)
		}
	}
	if got := strings.Join(names, ", "); got != strings.Join([]string{demo.GateName, demo.CloudName, demo.LobbyName, demo.OfficeName}, ", ") {
		t.Errorf("targets %s", got)
	}
	if n := eng.reads.Load(); n != 1 {
		t.Errorf("%d decrypting reads for one detail", n)
	}

	// The pushes move live as the worker makes them.
	runOutbox(t, d)
	waitFor(t, m, "every push done", func(s State) bool {
		for _, name := range []string{demo.GateName, demo.CloudName, demo.LobbyName, demo.OfficeName} {
			if it, ok := pushOf(s, name); !ok || it.State != enroll.OutboxDone {
				return false
			}
		}
		return s.Detail.Person.PushState == enroll.PushDone
	})

	m.Deselect()
	if st := m.State(); st.Detail != nil || st.Selected != "" {
		t.Fatalf("after deselect: %+v", st.Detail)
	}
}

func TestAFailedPushIsPushedAgainToDone(t *testing.T) {
	d := startDemo(t, 1)
	lobby := d.Sims.ACTAtek[0]
	lobby.SetMaxUsers(0) // the terminal refuses every new user
	m := newTestModel(t, FromStation(d.Station))
	waitFor(t, m, "the first page", func(s State) bool { return settled(s) && s.Total == 1 })
	m.Select("demo-0001")
	waitFor(t, m, "the detail", func(s State) bool { return s.Detail != nil && !s.Detail.Loading })
	runOutbox(t, d)
	st := waitFor(t, m, "the lobby push failed", func(s State) bool {
		it, ok := pushOf(s, demo.LobbyName)
		return ok && it.State == enroll.OutboxFailed
	})
	failed, _ := pushOf(st, demo.LobbyName)
	if !strings.Contains(failed.LastError, "terminal full") {
		t.Errorf("the failed row says %q, want the terminal's own message", failed.LastError)
	}
	if office, _ := pushOf(st, demo.OfficeName); office.State != enroll.OutboxDone {
		t.Errorf("office terminal %s", office.State)
	}
	waitFor(t, m, "the person failed", func(s State) bool {
		return s.Detail.Person.PushState == enroll.PushFailed && len(s.People) == 1 && s.People[0].PushState == enroll.PushFailed
	})

	lobby.SetMaxUsers(100)
	m.Retry(failed.ID)
	waitFor(t, m, "the retry queued", func(s State) bool {
		it, _ := pushOf(s, demo.LobbyName)
		return it.State == enroll.OutboxPending && len(s.Detail.Retrying) == 0
	})
	runOutbox(t, d)
	st = waitFor(t, m, "the lobby push done", func(s State) bool {
		it, _ := pushOf(s, demo.LobbyName)
		return it.State == enroll.OutboxDone && s.Detail.Person.PushState == enroll.PushDone
	})
	if st.ActionProblem != nil {
		t.Errorf("action problem %+v", st.ActionProblem)
	}
	if _, ok := lobby.User("demo-0001"); !ok {
		t.Error("the lobby terminal does not hold the person")
	}

	// Retrying a row that did not fail says why not.
	m.Retry(failed.ID)
	st = waitFor(t, m, "the refused retry", func(s State) bool { return s.ActionProblem != nil })
	if st.ActionProblem.Op != OpRetry || !strings.Contains(st.ActionProblem.Detail, "only a failed push") {
		t.Errorf("problem %+v", st.ActionProblem)
	}
}
