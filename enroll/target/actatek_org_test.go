package target

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
	"enrollstation/store"
	"enrollstation/store/secrets"
)

// orgRig is a terminal with two departments and two access groups, a target on it whose
// clock the test moves, and counts of the list calls the terminal answered.
type orgRig struct {
	sim          *actateksim.Simulator
	tg           *actatekTarget
	admin        *actatek.Client
	clock        time.Time
	photo        []byte
	deps, groups atomic.Int32
}

func newOrgRig(t *testing.T) *orgRig {
	t.Helper()
	ctx := t.Context()
	r := &orgRig{clock: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	sim, err := actateksim.New(actateksim.Options{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	r.sim = sim
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodGet {
			switch {
			case strings.HasPrefix(req.URL.Path, actatek.APIPrefix+"department/"):
				r.deps.Add(1)
			case strings.HasPrefix(req.URL.Path, actatek.APIPrefix+"accessgroup/"):
				r.groups.Add(1)
			}
		}
		sim.ServeHTTP(w, req)
	}))
	t.Cleanup(srv.Close)
	if r.admin, err = actatek.New(srv.URL, actatek.Options{Credentials: sim.Credentials()}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.admin.Close)
	if err := r.admin.Departments.Add(ctx, actatek.Department{ID: 1, Name: "Front desk"}, actatek.Department{ID: 2, Name: "Engineering"}); err != nil {
		t.Fatal(err)
	}
	if err := r.admin.AccessGroups.Add(ctx, actatek.AccessGroup{Name: "Staff", AccessRightID: actatek.IDs{0}},
		actatek.AccessGroup{Name: "Night shift", AccessRightID: actatek.IDs{0}}); err != nil {
		t.Fatal(err)
	}
	sec := secrets.NewFile(filepath.Join(t.TempDir(), "secrets.json"))
	if err := sec.Set(ctx, "terminal", secrets.StringValue(sim.Credentials().Password)); err != nil {
		t.Fatal(err)
	}
	tg, err := openACTAtek(ctx, store.Target{Kind: store.TargetACTAtek, Name: "lobby", Address: srv.URL,
		Account: sim.Credentials().Username, SecretRef: "terminal"}, sec, Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tg.Close() })
	tg.now = func() time.Time { return r.clock }
	r.tg = tg
	var photo bytes.Buffer
	if err := jpeg.Encode(&photo, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	r.photo = photo.Bytes()
	return r
}

// push pushes person key with dep and groups, and returns the note of a push done with one.
func (r *orgRig) push(t *testing.T, key, dep string, groups ...string) string {
	t.Helper()
	rec := Record{Person: store.Person{Key: key, GivenName: "Ada", FamilyName: "Lovelace", Department: dep, AccessGroups: groups},
		CaptureID: "c-" + key, Blobs: []store.Blob{{Kind: store.Photo, MediaType: "image/jpeg", Data: r.photo},
			{Kind: store.FaceFeature, Variant: "far_off", Data: []byte("face template " + key)}}}
	_, err := r.tg.Push(t.Context(), rec)
	var c *Caveat
	if errors.As(err, &c) {
		return c.Note
	}
	if err != nil {
		t.Fatalf("push %s: %v", key, err)
	}
	return ""
}

// placed is the department and group ids the terminal holds for user key.
func (r *orgRig) placed(t *testing.T, key string) (deps, groups []int) {
	t.Helper()
	u, ok := r.sim.User(key)
	if !ok {
		t.Fatalf("user %s is not on the terminal", key)
	}
	return []int(u.DepartmentID), []int(u.GroupID)
}

// Pushes read a terminal's departments and access groups once, not at each push; a name
// the terminal did not have then is looked up again at once (a department added there is
// used at the next push), and the lists are read again once they are a minute old.
func TestPushesReuseTheTerminalsDepartmentsAndGroups(t *testing.T) {
	ctx := t.Context()
	r := newOrgRig(t)
	for i := range 5 {
		if note := r.push(t, fmt.Sprint("p-", i), "engineering", "Night shift", "staff"); note != "" {
			t.Fatalf("push %d: %s", i, note)
		}
	}
	if d, g := r.deps.Load(), r.groups.Load(); d != 1 || g != 1 {
		t.Errorf("five pushes listed departments %d times and groups %d times, want once each", d, g)
	}
	deps, groups := r.placed(t, "p-4")
	if !reflect.DeepEqual(deps, []int{2}) || len(groups) != 2 {
		t.Fatalf("p-4 placed in departments %v, groups %v", deps, groups)
	}

	// A department added on the terminal: the next push misses it, reads again, uses it.
	if err := r.admin.Departments.Add(ctx, actatek.Department{ID: 7, Name: "Security"}); err != nil {
		t.Fatal(err)
	}
	if note := r.push(t, "p-new", "Security"); note != "" {
		t.Fatalf("a department added on the terminal: %s", note)
	}
	if deps, _ := r.placed(t, "p-new"); !reflect.DeepEqual(deps, []int{7}) {
		t.Errorf("p-new placed in departments %v, want [7]", deps)
	}
	// A name the terminal really lacks is reported, each time it is met.
	if note := r.push(t, "p-lost", "Catering"); !strings.Contains(note, `department "Catering"`) {
		t.Errorf("a department the terminal lacks: note %q", note)
	}

	// Renamed on the terminal: within the minute the old name still places; after it, the
	// lists are read again and the new name is the one that places.
	if err := r.admin.Departments.Update(ctx, actatek.Department{ID: 2, Name: "R&D"}); err != nil {
		t.Fatal(err)
	}
	before := r.deps.Load()
	r.push(t, "p-soon", "Engineering")
	if r.deps.Load() != before {
		t.Errorf("a push within the minute listed the departments again")
	}
	r.clock = r.clock.Add(directoryAge + time.Second)
	if note := r.push(t, "p-later", "R&D"); note != "" {
		t.Fatalf("after the minute: %s", note)
	}
	if deps, _ := r.placed(t, "p-later"); !reflect.DeepEqual(deps, []int{2}) || r.deps.Load() != before+1 {
		t.Errorf("after the minute: p-later in %v, %d more department lists, want [2] and 1", deps, r.deps.Load()-before)
	}

	// A push the terminal refuses forgets the lists: it may have refused an id it no
	// longer has. The next push reads them again.
	r.sim.SetErrorRate(1)
	rec := Record{Person: store.Person{Key: "p-refused", GivenName: "Ada", FamilyName: "Lovelace", Department: "R&D"},
		CaptureID: "c-refused", Blobs: []store.Blob{{Kind: store.Photo, Data: r.photo}, {Kind: store.FaceFeature, Variant: "far_off", Data: []byte("t")}}}
	if _, err := r.tg.Push(ctx, rec); err == nil {
		t.Fatal("a push to a failing terminal succeeded")
	}
	r.sim.SetErrorRate(0)
	before = r.deps.Load()
	r.push(t, "p-after", "R&D")
	if r.deps.Load() != before+1 {
		t.Errorf("the push after a refused one listed the departments %d times, want 1", r.deps.Load()-before)
	}
}
