package push_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"enrollstation/devices/actatek/actateksim"
	"enrollstation/devices/clue/cluesim"
	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/enroll"
	"enrollstation/enroll/push"
	"enrollstation/store"
	"enrollstation/store/secrets"
)

// outage answers 503 while down, and passes calls to the simulator otherwise.
type outage struct {
	h    http.Handler
	down atomic.Bool
	hits atomic.Int64 // calls refused
}

func (o *outage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if o.down.Load() {
		o.hits.Add(1)
		http.Error(w, `{"status_code":503,"reason_phrase":"upgrade in progress"}`, http.StatusServiceUnavailable)
		return
	}
	o.h.ServeHTTP(w, r)
}

// sims are the simulators of one test: two EF-45s, two ACTAtek terminals (the first over
// TLS with a pinned certificate) and one CLUe place.
type sims struct {
	ef45    [2]*ef45sim.Device
	actatek [2]*actateksim.Simulator
	clue    *cluesim.Server
	place   int64
	outages []*outage
	servers []*httptest.Server
	targets []store.Target // as they are stored, in the order above
}

func startSims(t testing.TB) *sims {
	t.Helper()
	s := &sims{place: cluesim.DemoPlace().ID}
	serve := func(h http.Handler, tlsFor *actateksim.Simulator) *httptest.Server {
		o := &outage{h: h}
		s.outages = append(s.outages, o)
		var srv *httptest.Server
		if tlsFor != nil {
			srv = httptest.NewUnstartedServer(o)
			srv.TLS = tlsFor.TLSConfig()
			srv.StartTLS()
		} else {
			srv = httptest.NewServer(o)
		}
		t.Cleanup(srv.Close)
		s.servers = append(s.servers, srv)
		return srv
	}
	for i := range s.ef45 {
		s.ef45[i] = ef45sim.New(ef45sim.Options{Seed: int64(10 + i)})
		srv := serve(s.ef45[i], nil)
		s.targets = append(s.targets, store.Target{Kind: store.TargetEF45, Name: fmt.Sprintf("gate-%d", i+1),
			Address: srv.Listener.Addr().String(), Enabled: true})
	}
	for i := range s.actatek {
		sim, err := actateksim.New(actateksim.Options{Seed: int64(20 + i), MaxUsers: 5000})
		if err != nil {
			t.Fatal(err)
		}
		s.actatek[i] = sim
		tg := store.Target{Kind: store.TargetACTAtek, Name: fmt.Sprintf("terminal-%d", i+1), Account: sim.Credentials().Username,
			Enabled: true, Options: map[string]string{"facial_template_type": "2"}}
		if i == 0 {
			srv := serve(sim, sim)
			tg.Address, tg.CertPin = srv.URL, sim.Fingerprint()
		} else {
			tg.Address = serve(sim, nil).URL
		}
		s.targets = append(s.targets, tg)
	}
	s.clue = cluesim.New(cluesim.Options{Seed: 30})
	srv := serve(s.clue, nil)
	s.targets = append(s.targets, store.Target{Kind: store.TargetCLUe, Name: "hq", Address: srv.URL,
		Account: fmt.Sprint(s.place), Enabled: true})
	return s
}

// setDown starts or ends an outage of every simulator.
func (s *sims) setDown(down bool) {
	for _, o := range s.outages {
		o.down.Store(down)
	}
}

// env is a journal with the simulators as its targets, and a station on it.
type env struct {
	sims    *sims
	dir     string
	journal string // the journal's location: a file in dir, or a postgres:// URL
	st      *store.Store
	sec     secrets.Store
	station *enroll.Station
	ids     []store.TargetID
}

// fastPush retries quickly, for tests.
func fastPush() push.Config {
	return push.Config{BackoffBase: 20 * time.Millisecond, BackoffMax: 200 * time.Millisecond, Poll: 50 * time.Millisecond,
		DueSoon: time.Second, CallTimeout: 20 * time.Second, Lease: time.Minute}
}

func newEnv(t testing.TB, s *sims, pc push.Config) *env {
	t.Helper()
	return newEnvAt(t, s, pc, "")
}

// newEnvAt is newEnv with the journal at location (a file of its own when empty).
func newEnvAt(t testing.TB, s *sims, pc push.Config, location string) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{sims: s, dir: t.TempDir(), journal: location}
	if e.journal == "" {
		e.journal = filepath.Join(e.dir, "journal.db")
	}
	e.sec = secrets.NewFile(filepath.Join(e.dir, "secrets.json"))
	st, err := enroll.OpenStation(ctx, enroll.Config{JournalPath: e.journal, Secrets: e.sec, Push: pc,
		Operator: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e.station, e.st = st, st.Store()
	for i, tg := range s.targets {
		var sec secrets.Value
		switch tg.Kind {
		case store.TargetACTAtek:
			sec = secrets.StringValue(s.actatek[i-2].Credentials().Password)
		case store.TargetCLUe:
			sec = secrets.StringValue(s.clue.APIKey())
		}
		added, err := st.AddTarget(ctx, tg, sec, "tech")
		if err != nil {
			t.Fatal(err)
		}
		e.ids = append(e.ids, added.ID)
	}
	return e
}

// reopen opens a second station on the same journal and secrets (a restarted process).
func (e *env) reopen(t testing.TB, pc push.Config) *enroll.Station {
	t.Helper()
	st, err := enroll.OpenStation(context.Background(), enroll.Config{JournalPath: e.journal, Secrets: e.sec, Push: pc})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// faceJPEG is a colour face-sized JPEG every target accepts (CLUe wants at least 250x250).
func faceJPEG(t testing.TB, seed int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 320, 320))
	for y := range 320 {
		for x := range 320 {
			img.Set(x, y, color.RGBA{uint8(x + seed), uint8(y * 3), uint8(seed * 7), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func person(i int) store.Person {
	return store.Person{Key: fmt.Sprintf("p-%04d", i), GivenName: "Given" + fmt.Sprint(i), FamilyName: "Family",
		ConsentAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), ConsentBy: "op1"}
}

func capture(t testing.TB, face []byte, i int) store.Capture {
	tpl := func(s string) []byte {
		return []byte(fmt.Sprintf("%s-template-%d-%s", s, i, bytes.Repeat([]byte{byte(i)}, 64)))
	}
	return store.Capture{DeviceSerial: "EF45-SIM", Operator: "op1", Blobs: []store.Blob{
		{Kind: store.EyeTemplate, Variant: "left", Data: tpl("left")},
		{Kind: store.EyeTemplate, Variant: "right", Data: tpl("right")},
		{Kind: store.FaceImage, Variant: "far_off", MediaType: "image/jpeg", Data: face},
		{Kind: store.FaceFeature, Variant: "far_off", Data: tpl("face")},
		{Kind: store.Photo, MediaType: "image/jpeg", Data: face},
	}}
}

// saveFor saves people 0 to n-1 for target alone, without telling the station, and
// returns their keys.
func (e *env) saveFor(t testing.TB, target store.TargetID, n int) []string {
	t.Helper()
	face := faceJPEG(t, 1)
	var keys []string
	for i := range n {
		p := person(i)
		if _, err := e.st.SaveCapture(context.Background(), p, capture(t, face, i), []store.TargetID{target}); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, p.Key)
	}
	return keys
}

// enrollN saves n people for every target and returns their keys.
func (e *env) enrollN(t testing.TB, from, n int) []string {
	t.Helper()
	face := faceJPEG(t, from)
	var keys []string
	for i := from; i < from+n; i++ {
		p := person(i)
		saved, err := e.st.SaveCapture(context.Background(), p, capture(t, face, i), e.ids)
		if err != nil {
			t.Fatal(err)
		}
		e.station.Queued(context.Background(), saved.Outbox...)
		keys = append(keys, p.Key)
	}
	return keys
}

// holdings is what each simulator holds, as its own state says: per target name, the
// number of records and the keys (EF-45 and ACTAtek by user id, CLUe by auth user key).
func (e *env) holdings(t testing.TB, keys []string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for i, d := range e.sims.ef45 {
		out[e.sims.targets[i].Name] = d.State().Subjects
	}
	for i, a := range e.sims.actatek {
		n := 0
		for _, k := range keys {
			if _, ok := a.User(k); ok {
				n++
			}
		}
		if a.Stats().Users != n {
			t.Errorf("%s holds %d users, %d of them the journal's", e.sims.targets[2+i].Name, a.Stats().Users, n)
		}
		out[e.sims.targets[2+i].Name] = n
	}
	seen := map[string]int{}
	for _, a := range e.sims.clue.Auths(e.sims.place) {
		seen[a.Key]++
	}
	for k, n := range seen {
		if n > 1 {
			t.Errorf("CLUe holds %d auths for %s", n, k)
		}
	}
	out["hq"] = len(seen)
	return out
}

func want(n int) map[string]int {
	return map[string]int{"gate-1": n, "gate-2": n, "terminal-1": n, "terminal-2": n, "hq": n}
}

// states counts the outbox by state.
func (e *env) states(t testing.TB) map[store.OutboxState]int {
	t.Helper()
	c, err := e.st.OutboxCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}
