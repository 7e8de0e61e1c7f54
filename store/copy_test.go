package store

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"enrollstation/store/pgtest"
)

// stationJournal fills s as a station's journal: targets (one deleted), people with
// captures whose pushes are pending, in flight, done, failed and superseded, a person
// being erased and one erased, waiting people, a setting and the audit trail of it all.
func stationJournal(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	hq := addTarget(t, s, TargetCLUe, "HQ")
	lobby := addTarget(t, s, TargetACTAtek, "Lobby")
	if err := s.DeleteTarget(ctx, addTarget(t, s, TargetEF45, "Spare"), "tech"); err != nil {
		t.Fatal(err)
	}
	save := func(key, seed string, targets ...TargetID) {
		t.Helper()
		if _, err := s.SaveCapture(ctx, testPerson(key, "Given "+key, "Family "+key), testCapture(seed), targets); err != nil {
			t.Fatal(err)
		}
	}
	claim := func(n int) []OutboxItem {
		t.Helper()
		items, err := s.ClaimDue(ctx, "w1", time.Now(), time.Hour, 10)
		if err != nil || len(items) != n {
			t.Fatalf("claimed %d rows (%v), want %d", len(items), err, n)
		}
		return items
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	save("ada", "ada1", hq, lobby)
	for _, it := range claim(2) {
		if it.Target == hq {
			must(s.Complete(ctx, it.ID, "w1", "auth-ada"))
		} else {
			must(s.Fail(ctx, it.ID, "w1", "user ID already exists"))
		}
	}
	save("alan", "alan1", hq)
	claim(1) // left in flight
	save("ivan", "ivan1", hq)
	must(s.Complete(ctx, claim(1)[0].ID, "w1", "auth-ivan"))
	if _, err := s.QueueErase(ctx, "ivan", "op1", []TargetID{hq}); err != nil {
		t.Fatal(err)
	}
	must(s.Complete(ctx, claim(1)[0].ID, "w1", ""))
	if _, err := s.Erase(ctx, "ivan", "op1"); err != nil {
		t.Fatal(err)
	}
	save("grace", "grace1", hq)
	must(s.Complete(ctx, claim(1)[0].ID, "w1", "auth-grace"))
	save("grace", "grace2", hq) // pending
	save("hedy", "hedy1", lobby)
	save("hedy", "hedy2", lobby) // the first superseded
	save("joan", "joan1")
	if _, err := s.QueueErase(ctx, "joan", "op1", []TargetID{hq}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddWaiting(ctx, []Person{{Key: "kim", GivenName: "Kim"}, {Key: "lee", GivenName: "Lee"}}, false); err != nil {
		t.Fatal(err)
	}
	must(s.SetSetting(ctx, "station.name", "Gate 1", "tech"))
	rep, err := s.Verify(ctx)
	if err != nil || !rep.OK() {
		t.Fatalf("the station's journal does not verify: %v %v", rep.Problems, err)
	}
}

// journalView is what a journal holds, by natural keys only, for comparing two.
type journalView struct {
	People   map[string]Person
	Captures map[string]Capture // with blob data
	Outbox   map[string][]OutboxItem
	Waiting  []Person
	Settings map[string]string
	Audit    []AuditEvent
	States   map[OutboxState]int
}

func viewOf(t *testing.T, s *Store, keys []string) journalView {
	t.Helper()
	ctx := context.Background()
	v := journalView{People: map[string]Person{}, Captures: map[string]Capture{}, Outbox: map[string][]OutboxItem{}}
	for _, k := range keys {
		if p, err := s.Person(ctx, k); err == nil {
			v.People[k] = p
		} else if !errors.Is(err, ErrNotFound) {
			t.Fatal(err)
		}
		caps, err := s.Captures(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range caps {
			full, err := s.Capture(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			v.Captures[c.ID] = full
		}
		items, err := s.Outbox(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		for i := range items { // row and target ids are the journal's own
			items[i].ID, items[i].Target = 0, 0
		}
		slices.SortFunc(items, func(a, b OutboxItem) int {
			return a.CreatedAt.Compare(b.CreatedAt)*4 + compareStr(a.TargetName, b.TargetName)
		})
		v.Outbox[k] = items
	}
	var err error
	if v.Waiting, err = s.Waiting(ctx); err != nil {
		t.Fatal(err)
	}
	if v.Settings, err = s.Settings(ctx); err != nil {
		t.Fatal(err)
	}
	if v.Audit, err = s.AuditLog(ctx, AuditQuery{Limit: 100000}); err != nil {
		t.Fatal(err)
	}
	for i := range v.Audit {
		v.Audit[i].ID, v.Audit[i].Target = 0, 0
	}
	if v.States, err = s.OutboxCounts(ctx); err != nil {
		t.Fatal(err)
	}
	return v
}

func compareStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

var stationKeys = []string{"ada", "alan", "ivan", "grace", "hedy", "joan", "kim", "lee"}

func copyOK(t *testing.T, src, dst *Store) CopyReport {
	t.Helper()
	rep, err := src.CopyTo(context.Background(), dst)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Check.OK() {
		t.Fatalf("the copy does not check: %v; destination: %v", rep.Check.Problems, rep.Check.Destination.Problems)
	}
	return rep
}

func TestCopyToPostgresCopiesEverythingOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := openFile(t)
	stationJournal(t, src)
	dst := openAt(t, pgtest.URL(t))
	rep := copyOK(t, src, dst)

	want := viewOf(t, src, stationKeys)
	got := viewOf(t, dst, stationKeys)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("the copy differs:\n got %+v\nwant %+v", got, want)
	}
	for _, table := range []string{"people", "captures", "blobs", "outbox", "waiting", "targets", "settings", "audit"} {
		if a, b := count(t, src, table), count(t, dst, table); a != b {
			t.Errorf("%s: %d rows in the source, %d copied", table, a, b)
		}
	}
	if rep.People.Copied != 5 || rep.Captures.Copied != 7 || rep.Blobs.Copied != 21 || rep.Targets.Copied != 2 ||
		rep.Waiting.Copied != 2 || rep.Settings.Copied != 1 || rep.Audit.Copied != count(t, src, "audit") ||
		rep.Outbox.Copied != count(t, src, "outbox") {
		t.Errorf("copied %+v", rep)
	}
	for _, st := range []OutboxState{OutboxPending, OutboxInFlight, OutboxDone, OutboxFailed, OutboxSuperseded} {
		if want.States[st] == 0 || rep.Check.Found.Outbox[st] != want.States[st] || rep.Check.Source.Outbox[st] != want.States[st] {
			t.Errorf("outbox %s: source %d, found %d, journal %d", st, rep.Check.Source.Outbox[st], rep.Check.Found.Outbox[st], want.States[st])
		}
	}
	if rep.Check.Found.Blobs != 21 || rep.Check.Source.Blobs != 21 || rep.Check.Found.Audit != rep.Audit.Copied {
		t.Errorf("check %+v", rep.Check)
	}
	// The audit trail names the destination's targets.
	hqEvents, err := dst.AuditLog(ctx, AuditQuery{Action: ActionTarget})
	if err != nil || len(hqEvents) != 4 {
		t.Fatalf("target audit rows: %v %v", hqEvents, err)
	}
	dstTargets, _ := dst.Targets(ctx)
	for _, e := range hqEvents {
		if strings.Contains(e.Detail, `"Spare"`) {
			if e.Target != 0 {
				t.Errorf("a deleted target's audit row names target %d", e.Target)
			}
		} else if !slices.ContainsFunc(dstTargets, func(tg Target) bool { return tg.ID == e.Target }) {
			t.Errorf("audit row %q names target %d, not the destination's", e.Detail, e.Target)
		}
	}

	again := copyOK(t, src, dst)
	if again.People.Copied+again.Captures.Copied+again.Blobs.Copied+again.Outbox.Copied+again.Waiting.Copied+
		again.Targets.Copied+again.Settings.Copied+again.Audit.Copied+again.PeopleUpdated+again.Superseded != 0 {
		t.Errorf("a second copy copied %+v", again)
	}
	if again.People.Skipped != 5 || again.Captures.Skipped != 7 || again.Blobs.Skipped != 21 || again.Audit.Skipped != rep.Audit.Copied ||
		again.Outbox.Skipped != rep.Outbox.Copied || again.Waiting.Skipped != 2 {
		t.Errorf("a second copy skipped %+v", again)
	}
	if after := viewOf(t, dst, stationKeys); !reflect.DeepEqual(after, got) {
		t.Fatalf("a second copy changed the destination:\n got %+v\nwant %+v", after, got)
	}
}

func TestCopyToKeepsTheDestinationsOwnData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dst := openAt(t, pgtest.URL(t))
	// Another station's data, written earlier than the source's.
	dst.now = func() time.Time { return time.Now().Add(-time.Hour) }
	hq, err := dst.AddTarget(ctx, Target{Kind: TargetCLUe, Name: "HQ", Address: "https://site-hq", Enabled: true}, "site")
	if err != nil {
		t.Fatal(err)
	}
	lobby := addTarget(t, dst, TargetACTAtek, "Lobby")
	for _, p := range []struct {
		key     string
		targets []TargetID
		at      time.Duration
	}{{"zed", []TargetID{hq.ID}, -time.Hour}, {"hedy", []TargetID{lobby}, -time.Hour}, {"ada", []TargetID{lobby}, time.Hour}} {
		// Ada was enrolled at the site after the station: its record and its push win.
		dst.now = func() time.Time { return time.Now().Add(p.at) }
		if _, err := dst.SaveCapture(ctx, testPerson(p.key, "Site", p.key), testCapture("site-"+p.key), p.targets); err != nil {
			t.Fatal(err)
		}
	}
	dst.now = func() time.Time { return time.Now().Add(-time.Hour) }
	if err := dst.SetSetting(ctx, "station.name", "Site", "site"); err != nil {
		t.Fatal(err)
	}
	if _, err := dst.AddWaiting(ctx, []Person{{Key: "grace", GivenName: "Grace"}, {Key: "mia", GivenName: "Mia"}}, false); err != nil {
		t.Fatal(err)
	}
	dst.now = time.Now
	auditBefore := count(t, dst, "audit")

	src := openFile(t)
	stationJournal(t, src)
	rep := copyOK(t, src, dst)
	if rep.Targets.Copied != 0 || rep.Targets.Skipped != 2 || rep.Settings.Skipped != 1 || rep.People.Copied != 3 ||
		rep.People.Skipped != 2 || rep.PeopleUpdated != 1 || rep.Superseded != 2 || rep.Check.OutboxSuperseded != 1 ||
		rep.Check.Found.Outbox[OutboxFailed] != 0 || rep.Check.Source.Outbox[OutboxFailed] != 1 {
		t.Errorf("copied %+v", rep)
	}
	if got, _ := dst.Setting(ctx, "station.name"); got != "Site" {
		t.Errorf("the destination's setting became %q", got)
	}
	if got, _ := dst.Target(ctx, hq.ID); got.Address != "https://site-hq" {
		t.Errorf("the destination's target became %+v", got)
	}
	if zed, err := dst.Captures(ctx, "zed"); err != nil || len(zed) != 1 {
		t.Errorf("the other station's person lost captures: %v %v", zed, err)
	}
	if hedy, err := dst.Person(ctx, "hedy"); err != nil || hedy.GivenName != "Given hedy" {
		t.Errorf("hedy, changed last at the station, is %+v (%v)", hedy, err)
	}
	if ada, err := dst.Person(ctx, "ada"); err != nil || ada.GivenName != "Site" || ada.PushState != PushPending {
		t.Errorf("ada, changed last at the site, is %+v (%v)", ada, err)
	}
	if caps, _ := dst.Captures(ctx, "ada"); len(caps) != 2 {
		t.Errorf("ada has %d captures, want the site's and the station's", len(caps))
	}
	// Ada's failed push to the lobby is older than the site's waiting one: superseded.
	status, err := dst.PushStatus(ctx, "ada")
	if err != nil || len(status) != 2 || status[0].TargetName != "HQ" || status[0].State != OutboxDone ||
		status[1].State != OutboxPending || status[1].CreatedAt.Before(time.Now()) {
		t.Errorf("ada's pushes: %+v %v", status, err)
	}
	// Hedy's site push to the lobby is older than the station's: superseded by it.
	status, err = dst.PushStatus(ctx, "hedy")
	if err != nil || len(status) != 1 || status[0].State != OutboxPending || status[0].CreatedAt.Before(time.Now().Add(-time.Minute)) {
		t.Errorf("hedy's pushes: %+v %v", status, err)
	}
	waiting, _ := dst.Waiting(ctx)
	var names []string
	for _, p := range waiting {
		names = append(names, p.Key)
	}
	if !slices.Equal(names, []string{"mia", "kim", "lee"}) {
		t.Errorf("waiting list %v, want mia (the site's), then kim and lee; grace was enrolled", names)
	}
	if got, want := count(t, dst, "audit"), auditBefore+count(t, src, "audit"); got != want {
		t.Errorf("%d audit rows, want %d", got, want)
	}
	again := copyOK(t, src, dst)
	if again.People.Copied+again.Outbox.Copied+again.Audit.Copied+again.PeopleUpdated+again.Superseded+again.Waiting.Copied != 0 {
		t.Errorf("a second copy copied %+v", again)
	}
	if again.Check.OutboxSuperseded != 1 {
		t.Errorf("a second copy found %d pushes superseded, want ada's", again.Check.OutboxSuperseded)
	}
}

func TestCopyToRefusesAnotherKeyBeforeWriting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := openFile(t)
	stationJournal(t, src)
	dst, err := Open(ctx, pgtest.URL(t), otherKey())
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	_, err = src.CopyTo(ctx, dst)
	if !errors.Is(err, ErrWrongKey) {
		t.Fatalf("copy into a journal of another key: %v, want ErrWrongKey", err)
	}
	for _, table := range []string{"people", "captures", "blobs", "outbox", "targets", "settings", "audit", "waiting"} {
		if n := count(t, dst, table); n != 0 {
			t.Errorf("%s: %d rows written", table, n)
		}
	}
	if n := count(t, dst, "meta"); n != 1 {
		t.Errorf("meta holds %d rows, want the key check alone", n)
	}
	if _, err := src.CopyTo(ctx, src); !errors.Is(err, ErrInvalid) {
		t.Errorf("copy into itself: %v", err)
	}
}

func TestCopyToFileToFile(t *testing.T) {
	t.Parallel()
	src := openFile(t)
	stationJournal(t, src)
	dst := openAt(t, filepath.Join(t.TempDir(), "copy.db"))
	copyOK(t, src, dst)
	if !reflect.DeepEqual(viewOf(t, dst, stationKeys), viewOf(t, src, stationKeys)) {
		t.Fatal("the file copy differs")
	}
}
