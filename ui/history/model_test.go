package history

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"enrollstation/enroll"
	"enrollstation/enroll/demo"
)

// startDemo runs demo mode with people enrolled (their pushes queued, not yet made).
func startDemo(t *testing.T, people int) *demo.Demo {
	t.Helper()
	d, err := demo.Start(t.Context(), demo.Options{People: people, DoorEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Error(err)
		}
	})
	return d
}

// newTestModel is a model on engine with a short debounce, closed at the test's end.
func newTestModel(t *testing.T, engine Engine) *Model {
	t.Helper()
	m := NewModelWith(engine, "op1", Options{Debounce: 20 * time.Millisecond})
	t.Cleanup(m.Close)
	return m
}

// waitFor waits until cond holds of the model's state, and returns that state.
func waitFor(t *testing.T, m *Model, what string, cond func(State) bool) State {
	t.Helper()
	// Generous: the machine is shared, and the race detector slows the simulators down.
	deadline := time.Now().Add(30 * time.Second)
	for {
		st := m.State()
		if cond(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; state %+v", what, st)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// settled is a finished search with no problem.
func settled(st State) bool { return !st.Searching && st.SearchProblem == nil }

// runOutbox works the outbox until nothing is due soon.
func runOutbox(t *testing.T, d *demo.Demo) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	if err := d.Station.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
}

// savePeople enrolls n people straight into the journal, with no target, so their state
// is "none"; family names sort in the order made.
func savePeople(t *testing.T, d *demo.Demo, n int) []string {
	t.Helper()
	var keys []string
	for i := range n {
		p := enroll.Person{Key: fmt.Sprintf("bulk-%03d", i), GivenName: "Test", FamilyName: fmt.Sprintf("Zulu%03d", i),
			ConsentAt: time.Now(), ConsentBy: "op1"}
		c := enroll.Capture{DeviceSerial: "TEST", Operator: "op1",
			Blobs: []enroll.Blob{{Kind: "eye_template", Variant: "left", Data: []byte("SIMTPL1-test")}}}
		saved, err := d.Station.Store().SaveCapture(t.Context(), p, c, nil)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, saved.PersonKey)
	}
	return keys
}

func keysOf(people []enroll.Person) []string {
	out := []string{}
	for _, p := range people {
		out = append(out, p.Key)
	}
	return out
}

func TestSearchByTextAndByState(t *testing.T) {
	d := startDemo(t, 3) // Aiko Tanaka, Łukasz Nowak, María García
	m := newTestModel(t, FromStation(d.Station))
	st := waitFor(t, m, "the first page", func(s State) bool { return settled(s) && s.Total == 3 })
	for _, p := range st.People {
		if p.PushState != enroll.PushPending {
			t.Errorf("%s is %s before the worker ran, want pending", p.Key, p.PushState)
		}
	}

	m.SetText("tan") // a family name prefix, any case
	st = waitFor(t, m, "the text search", func(s State) bool { return settled(s) && s.Total == 1 })
	if st.People[0].Key != "demo-0001" || st.Filter.Text != "tan" {
		t.Fatalf("search tan: %v", keysOf(st.People))
	}
	m.SetText("demo-000") // a key prefix
	waitFor(t, m, "the key search", func(s State) bool { return settled(s) && s.Total == 3 })
	m.SetText("")
	waitFor(t, m, "everyone again", func(s State) bool { return settled(s) && s.Total == 3 })

	runOutbox(t, d)
	savePeople(t, d, 1)
	m.SetState(enroll.PushDone)
	st = waitFor(t, m, "the done ones", func(s State) bool { return settled(s) && s.Total == 3 })
	m.SetState(enroll.PushNone)
	st = waitFor(t, m, "the ones with no target", func(s State) bool { return settled(s) && s.Total == 1 })
	if st.People[0].Key != "bulk-000" {
		t.Fatalf("state none: %v", keysOf(st.People))
	}
	m.SetState(enroll.PushFailed)
	waitFor(t, m, "no failed one", func(s State) bool { return settled(s) && s.Total == 0 && len(s.People) == 0 })
}

func TestPagingOverManyPeople(t *testing.T) {
	d := startDemo(t, -1)
	keys := savePeople(t, d, 120)
	m := newTestModel(t, FromStation(d.Station))
	st := waitFor(t, m, "the first page", func(s State) bool { return settled(s) && s.Total == 120 })
	if len(st.People) != PageSize || st.People[0].Key != keys[0] || st.HasPrev() || !st.HasNext() {
		t.Fatalf("first page: %d people from %s, prev %v next %v", len(st.People), st.People[0].Key, st.HasPrev(), st.HasNext())
	}
	m.NextPage()
	st = waitFor(t, m, "the second page", func(s State) bool { return settled(s) && s.Offset == 50 })
	if st.People[0].Key != keys[50] || !st.HasPrev() || !st.HasNext() {
		t.Fatalf("second page starts at %s", st.People[0].Key)
	}
	m.NextPage()
	st = waitFor(t, m, "the last page", func(s State) bool { return settled(s) && s.Offset == 100 })
	if len(st.People) != 20 || st.People[19].Key != keys[119] || st.HasNext() {
		t.Fatalf("last page: %d people, next %v", len(st.People), st.HasNext())
	}
	m.NextPage() // nothing after the last page
	m.PrevPage()
	st = waitFor(t, m, "back to the second page", func(s State) bool { return settled(s) && s.Offset == 50 })
	if st.People[0].Key != keys[50] || st.Total != 120 || st.Next == "" {
		t.Fatalf("back on the second page from %s, total %d", st.People[0].Key, st.Total)
	}

	m.SetOrder(enroll.ByNewest)
	st = waitFor(t, m, "newest first", func(s State) bool { return settled(s) && s.Offset == 0 && s.Filter.Order == enroll.ByNewest })
	if st.People[0].Key != keys[119] {
		t.Fatalf("newest first starts at %s", st.People[0].Key)
	}
	// A new search starts from the first page.
	m.SetText("zulu11")
	st = waitFor(t, m, "a narrower search", func(s State) bool { return settled(s) && s.Total == 10 })
	if st.Offset != 0 {
		t.Fatalf("a new search at offset %d", st.Offset)
	}
}

func TestDateRangeBoundsTheEnrolmentDay(t *testing.T) {
	d := startDemo(t, 2)
	m := newTestModel(t, FromStation(d.Station))
	waitFor(t, m, "the first page", func(s State) bool { return settled(s) && s.Total == 2 })
	today := time.Now().Format(time.DateOnly)
	m.SetDates(today, today) // both days included
	waitFor(t, m, "enrolled today", func(s State) bool { return settled(s) && s.Total == 2 && !s.Filter.To.IsZero() })
	tomorrow := time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	m.SetDates(tomorrow, "")
	waitFor(t, m, "enrolled from tomorrow", func(s State) bool { return settled(s) && s.Total == 0 && s.Filter.To.IsZero() })
	m.SetDates("yesterday", "")
	st := waitFor(t, m, "a date problem", func(s State) bool { return s.DateProblem != nil })
	if st.DateProblem.Op != OpDates || st.Filter.From.IsZero() {
		t.Fatalf("a bad date changed the range: %+v", st.Filter)
	}
	m.SetDates("", "")
	waitFor(t, m, "everyone again", func(s State) bool { return settled(s) && s.Total == 2 && s.DateProblem == nil })
}

// slowSearch holds back the answers to one search text until released.
type slowSearch struct {
	Engine
	text    string
	started chan struct{}
	release chan struct{}
	once    sync.Once
}

func (s *slowSearch) SearchPeople(ctx context.Context, q enroll.Query) (enroll.Page, error) {
	if q.Text == s.text {
		s.once.Do(func() { close(s.started) })
		<-s.release
	}
	return s.Engine.SearchPeople(ctx, q)
}

func TestAStaleAnswerNeverOverwritesANewerOne(t *testing.T) {
	d := startDemo(t, 3)
	slow := &slowSearch{Engine: FromStation(d.Station), text: "g", started: make(chan struct{}), release: make(chan struct{})}
	m := newTestModel(t, slow)
	waitFor(t, m, "the first page", func(s State) bool { return settled(s) && s.Total == 3 })
	m.SetText("g") // García: answered late
	<-slow.started
	m.SetText("tanaka")
	waitFor(t, m, "the newer search", func(s State) bool { return settled(s) && s.Total == 1 })
	close(slow.release)
	time.Sleep(100 * time.Millisecond) // the late answer arrives
	if st := m.State(); st.Total != 1 || st.People[0].Key != "demo-0001" || st.Filter.Text != "tanaka" {
		t.Fatalf("the late answer to %q replaced the newer one: %v", "g", keysOf(st.People))
	}
}
