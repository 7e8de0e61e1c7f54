package clue_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"enrollstation/devices/clue"
	"enrollstation/devices/clue/cluesim"
)

func TestRegister(t *testing.T) {
	e := newEnv(t, cluesim.Options{MaxFaceBytes: 120_000})
	c := e.client(func(o *clue.Options) { o.MaxFaceBytes = 120_000 })
	start := time.UnixMilli(1718809200000)
	end := time.UnixMilli(1718895540000)
	big := photo(t, 2, 800, 1000) // over the 120 kB limit: scaled and re-encoded
	a, err := c.Auths.Register(context.Background(), clue.Registration{
		Key: "1234567", Name: "Jin Lee",
		Access: clue.Access{
			Start: start, End: end, DoorIDs: []int64{234, 235}, ScheduleID: 333,
			Cards: []clue.Card{{CardNumber: "12345"}},
			Faces: [][]byte{photo(t, 1, 300, 400), big},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if a.AuthID == 0 || a.Key != "1234567" || a.Name != "Jin Lee" || a.UserID == "" || a.ActiveStatus != "ACTIVE" ||
		a.DoorAccessType != "SPECIFIC" || a.ScheduleType != "SPECIFIC" || a.ScheduleID != 333 ||
		!a.Start.Equal(start) || !a.End.Equal(end) || a.FaceImages != 2 || len(a.Doors) != 2 || a.Doors[0].DoorName != "SmartLight" ||
		!slices.Equal(a.Modes, []string{"FACE", "CARD"}) {
		t.Errorf("answer %+v", a)
	}
	rec, ok := e.sim.Auth(a.AuthID)
	if !ok {
		t.Fatal("the simulator has no such auth")
	}
	if len(rec.Faces) != 2 || rec.Faces[0].Format != "jpeg" || rec.Faces[1].Bytes > 120_000 || rec.Faces[1].Width >= 800 ||
		rec.Faces[1].Width < clue.MinFaceSide || !slices.Equal(rec.DoorIDs, []int64{234, 235}) ||
		len(rec.Cards) != 1 || rec.Cards[0] != (clue.Card{CardNumber: "12345", FormatType: "CSN"}) {
		t.Errorf("simulator state %+v", rec)
	}
}

func TestRegisterDefaults(t *testing.T) {
	e := newEnv(t, cluesim.Options{})
	ctx := context.Background()
	before := time.Now().Add(-time.Second)
	withDoors := e.client(func(o *clue.Options) { o.DoorIDs = []int64{236} })
	a, err := withDoors.Auths.Register(ctx, clue.Registration{Key: "k1", Name: "A"})
	if err != nil {
		t.Fatal(err)
	}
	if a.DoorAccessType != "SPECIFIC" || len(a.Doors) != 1 || a.Doors[0].DoorID != 236 || a.ScheduleType != "ALWAYS" ||
		a.End.UnixMilli() != clue.NoEnd || a.Start.Before(before) {
		t.Errorf("client doors: %+v", a)
	}
	a, err = withDoors.Auths.Register(ctx, clue.Registration{Key: "k2", Name: "B", Access: clue.Access{AllDoors: true, Inactive: true}})
	if err != nil {
		t.Fatal(err)
	}
	if a.DoorAccessType != "ALL_DOOR" || a.ActiveStatus != "INACTIVE" {
		t.Errorf("all doors, inactive: %+v", a)
	}
}

// TestRegisterChecksBeforeSending: what the client can tell is wrong never reaches CLUe.
func TestRegisterChecksBeforeSending(t *testing.T) {
	e := newEnv(t, cluesim.Options{})
	c := e.client(nil)
	ok := photo(t, 1, 300, 300)
	cases := map[string]struct {
		r    clue.Registration
		want string
	}{
		"no key":        {clue.Registration{Name: "A"}, "user key is empty"},
		"no name":       {clue.Registration{Key: "k"}, "user name is empty"},
		"three faces":   {clue.Registration{Key: "k", Name: "A", Access: clue.Access{Faces: [][]byte{ok, ok, ok}}}, "3 face images given, CLUe takes at most 2"},
		"small face":    {clue.Registration{Key: "k", Name: "A", Access: clue.Access{Faces: [][]byte{photo(t, 1, 200, 300)}}}, "face image 1: 200×300 is smaller than 250×250"},
		"not an image":  {clue.Registration{Key: "k", Name: "A", Access: clue.Access{Faces: [][]byte{ok, []byte("GIF89a")}}}, "face image 2: not a JPEG or PNG image"},
		"bad card":      {clue.Registration{Key: "k", Name: "A", Access: clue.Access{Cards: []clue.Card{{CardNumber: "12AB"}}}}, `card 1: "12AB" is not a decimal card number`},
		"ends first":    {clue.Registration{Key: "k", Name: "A", Access: clue.Access{Start: time.Now(), End: time.Now().Add(-time.Hour)}}, "ends"},
		"bad door":      {clue.Registration{Key: "k", Name: "A", Access: clue.Access{DoorIDs: []int64{-1}}}, "door id -1 is not valid"},
		"bad schedule":  {clue.Registration{Key: "k", Name: "A", Access: clue.Access{ScheduleID: -3}}, "schedule id -3 is not valid"},
		"truncated jpg": {clue.Registration{Key: "k", Name: "A", Access: clue.Access{Faces: [][]byte{ok[:len(ok)/2]}}}, "cannot be decoded"},
	}
	for name, tc := range cases {
		_, err := c.Auths.Register(context.Background(), tc.r)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "clue register auth") {
			t.Errorf("%s: got %v, want %q", name, err, tc.want)
		}
	}
	if n := e.sim.Calls(); n != 0 {
		t.Errorf("%d calls reached the simulator", n)
	}
}

func TestRegisterRefusedBySimulator(t *testing.T) {
	e := newEnv(t, cluesim.Options{})
	c := e.client(nil)
	ctx := context.Background()
	cases := map[string]struct {
		r    clue.Registration
		want string
	}{
		"unknown door":     {clue.Registration{Key: "k", Name: "A", Access: clue.Access{DoorIDs: []int64{999}}}, "auth.doorIds: door 999 is not a door of place 178"},
		"unknown schedule": {clue.Registration{Key: "k", Name: "A", Access: clue.Access{ScheduleID: 1}}, "auth.scheduleId: schedule 1 is not a schedule of place 178"},
	}
	for name, tc := range cases {
		_, err := c.Auths.Register(ctx, tc.r)
		if ce := asError(t, err); ce.Status != 400 || ce.Code != "INVALID_PARAMETER" || !strings.Contains(ce.Message, tc.want) {
			t.Errorf("%s: %+v", name, ce)
		}
	}
	if _, err := c.Auths.Register(ctx, clue.Registration{Key: "dup", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	_, err := c.Auths.Register(ctx, clue.Registration{Key: "dup", Name: "A"})
	if ce := asError(t, err); ce.Status != 409 || ce.Code != "DUPLICATE_USER_KEY" {
		t.Errorf("duplicate key: %+v", ce)
	}
	other := e.client(func(o *clue.Options) { o.PlaceID = 5 })
	_, err = other.Auths.Register(ctx, clue.Registration{Key: "k", Name: "A"})
	if ce := asError(t, err); ce.Status != 404 || ce.Code != "PLACE_NOT_FOUND" {
		t.Errorf("unknown place: %+v", ce)
	}
}

func TestUpdate(t *testing.T) {
	e := newEnv(t, cluesim.Options{})
	c := e.client(nil)
	ctx := context.Background()
	a, err := c.Auths.Register(ctx, clue.Registration{Key: "u1", Name: "Old", Access: clue.Access{Faces: [][]byte{photo(t, 1, 300, 300)}}})
	if err != nil {
		t.Fatal(err)
	}
	start, end := time.UnixMilli(1745506800000), time.UnixMilli(1745593200000)
	// Faces nil: the window changes, the face stays.
	u, err := c.Auths.Update(ctx, a.AuthID, clue.AuthUpdate{Name: "New", Access: clue.Access{Start: start, End: end, DoorIDs: []int64{235}, Inactive: true}})
	if err != nil {
		t.Fatal(err)
	}
	if u.AuthID != a.AuthID || u.Name != "New" || !u.Start.Equal(start) || !u.End.Equal(end) || u.ActiveStatus != "INACTIVE" || u.FaceImages != 1 || u.DoorAccessType != "SPECIFIC" {
		t.Errorf("update: %+v", u)
	}
	// Two new faces replace the old one.
	u, err = c.Auths.Update(ctx, a.AuthID, clue.AuthUpdate{Access: clue.Access{Faces: [][]byte{photo(t, 3, 300, 300), photo(t, 4, 320, 300)}}})
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := e.sim.Auth(a.AuthID)
	if u.FaceImages != 2 || rec.Faces[1].Width != 320 || rec.Name != "New" || rec.DoorAccessType != "ALL_DOOR" {
		t.Errorf("update faces: %+v / %+v", u, rec)
	}
	if _, err := c.Auths.Update(ctx, 0, clue.AuthUpdate{}); err == nil {
		t.Error("auth id 0 accepted")
	}
	_, err = c.Auths.Update(ctx, 99, clue.AuthUpdate{})
	if ce := asError(t, err); ce.Status != 404 || ce.Code != "AUTH_NOT_FOUND" || ce.Call != "update auth" {
		t.Errorf("unknown auth: %+v", ce)
	}
}

func TestDelete(t *testing.T) {
	e := newEnv(t, cluesim.Options{})
	c := e.client(nil)
	ctx := context.Background()
	a, err := c.Auths.Register(ctx, clue.Registration{Key: "d1", Name: "D"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Auths.Delete(ctx, a.AuthID); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.sim.Auth(a.AuthID); ok {
		t.Error("the auth is still there")
	}
	err = c.Auths.Delete(ctx, a.AuthID)
	if ce := asError(t, err); ce.Status != 404 || ce.Call != "delete auth" {
		t.Errorf("second delete: %+v", ce)
	}
	// The key stays with its user: registering it again gives the same user id.
	b, err := c.Auths.Register(ctx, clue.Registration{Key: "d1", Name: "D"})
	if err != nil {
		t.Fatal(err)
	}
	if b.UserID != a.UserID || b.AuthID == a.AuthID {
		t.Errorf("re-registration: user %s→%s auth %d→%d", a.UserID, b.UserID, a.AuthID, b.AuthID)
	}
}

func TestRegisterMany(t *testing.T) {
	e := newEnv(t, cluesim.Options{})
	c := e.client(nil)
	face := photo(t, 1, 300, 300)
	regs := []clue.Registration{
		{Key: "m0", Name: "A", Access: clue.Access{Faces: [][]byte{face}}},
		{Key: "m1", Name: "B", Access: clue.Access{Faces: [][]byte{[]byte("nope")}}},
		{Key: "m2", Name: "C", Access: clue.Access{DoorIDs: []int64{999}}},
		{Key: "m3", Name: "D", Access: clue.Access{Faces: [][]byte{face, face}}},
	}
	res := c.Auths.RegisterMany(context.Background(), regs)
	if len(res) != 4 {
		t.Fatalf("%d results", len(res))
	}
	for i, r := range res {
		if r.Index != i {
			t.Errorf("result %d has index %d", i, r.Index)
		}
	}
	if res[0].Err != nil || res[0].Auth.Key != "m0" || res[3].Err != nil || res[3].Auth.FaceImages != 2 {
		t.Errorf("good ones: %+v %+v", res[0], res[3])
	}
	if res[1].Err == nil || !strings.Contains(res[1].Err.Error(), "not a JPEG or PNG") {
		t.Errorf("bad face: %v", res[1].Err)
	}
	var ce *clue.Error
	if !errors.As(res[2].Err, &ce) || ce.Status != 400 || !strings.Contains(res[2].Err.Error(), `key "m2"`) {
		t.Errorf("refused: %v", res[2].Err)
	}
	if n := len(e.sim.Arrivals(178)); n != 3 {
		t.Errorf("%d calls, want 3 (the bad face is never sent)", n)
	}
}

func TestRegisterManyStopsWhenCancelled(t *testing.T) {
	e := newEnv(t, cluesim.Options{Spacing: 100 * time.Millisecond})
	c := e.client(nil)
	regs := make([]clue.Registration, 20)
	for i := range regs {
		regs[i] = clue.Registration{Key: fmt.Sprint("c", i), Name: "X"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
	defer cancel()
	res := c.Auths.RegisterMany(ctx, regs)
	done := 0
	for _, r := range res {
		if r.Err == nil {
			done++
		} else if !errors.Is(r.Err, context.Canceled) && !errors.Is(r.Err, context.DeadlineExceeded) {
			t.Errorf("result %d: %v", r.Index, r.Err)
		}
	}
	if done == 0 || done > 4 {
		t.Errorf("%d registered before the deadline", done)
	}
}

// TestRegisterManyOverlapsPreparation: with registrations that take long to prepare, a bulk
// run still takes about the pacing, because the next request is prepared during the wait.
func TestRegisterManyOverlapsPreparation(t *testing.T) {
	const n, spacing, prep = 6, 150 * time.Millisecond, 90 * time.Millisecond
	e := newEnv(t, cluesim.Options{Spacing: spacing})
	c := e.client(nil)
	clue.SlowPreparation(c, prep)
	regs := make([]clue.Registration, n)
	for i := range regs {
		regs[i] = clue.Registration{Key: fmt.Sprint("o", i), Name: "O"}
	}
	t0 := time.Now()
	for _, r := range c.Auths.RegisterMany(context.Background(), regs) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	total := time.Since(t0)
	serial := (n-1)*spacing + n*prep // 1.29 s; overlapped about 0.87 s
	if total > serial-2*prep {
		t.Errorf("took %s; preparing and waiting one after the other takes %s", total, serial)
	}
	if floor := (n - 1) * spacing; total < floor {
		t.Errorf("took %s, less than the pacing allows (%s)", total, floor)
	}
}

// TestPacingMeasuredAtSimulator: clients sharing a pacer, called from several goroutines,
// never make two calls to the place closer than 300 ms, as the simulator sees them.
func TestPacingMeasuredAtSimulator(t *testing.T) {
	e := newEnv(t, cluesim.Options{Spacing: clue.MinSpacing})
	pacer := clue.NewPacer(0) // raised to the minimum
	if pacer.Spacing() != clue.MinSpacing {
		t.Fatalf("NewPacer(0) spacing %s", pacer.Spacing())
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := range 3 {
		c := e.client(func(o *clue.Options) { o.Pacer = pacer })
		wg.Go(func() {
			for i := range 2 {
				if _, err := c.Auths.Register(ctx, clue.Registration{Key: fmt.Sprint("p", g, i), Name: "P"}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	arr := e.sim.Arrivals(178)
	if len(arr) != 6 {
		t.Fatalf("%d arrivals, want 6 (none refused)", len(arr))
	}
	for i := 1; i < len(arr); i++ {
		if gap := arr[i].Sub(arr[i-1]); gap < clue.MinSpacing {
			t.Errorf("calls %d and %d arrived %s apart", i-1, i, gap)
		}
	}
}

// BenchmarkRegister200 registers 200 people with two photos each (half of them over the 1 MB
// limit, so scaled and re-encoded) at the real 300 ms spacing, and compares the time with the
// pacing floor of 199 × 300 ms.
func BenchmarkRegister200(b *testing.B) {
	const people = 200
	photos := make([][]byte, 8)
	sizes := [][2]int{{1200, 1600}, {1600, 2000}, {1280, 1600}, {1800, 2400}}
	over := 0
	for i := range photos {
		p, err := cluesim.FacePhoto(int64(i), sizes[i%4][0], sizes[i%4][1], 92)
		if err != nil {
			b.Fatal(err)
		}
		if len(p) > clue.DefaultMaxFaceBytes {
			over++
		}
		photos[i] = p
	}
	if over == 0 || over == len(photos) {
		b.Fatalf("%d of %d photos over the limit; want some on each side", over, len(photos))
	}
	regs := make([]clue.Registration, people)
	for i := range regs {
		regs[i] = clue.Registration{Key: fmt.Sprintf("bench-%03d", i), Name: fmt.Sprintf("Person %d", i),
			Access: clue.Access{Faces: [][]byte{photos[(2*i)%len(photos)], photos[(2*i+1)%len(photos)]}}}
	}
	floor := time.Duration(people-1) * clue.MinSpacing
	var total time.Duration
	refused := 0
	for b.Loop() {
		sim := cluesim.New(cluesim.Options{Seed: 1})
		srv := httptest.NewServer(sim)
		c, err := clue.NewClient(clue.Options{BaseURL: srv.URL, PlaceID: 178, APIKey: clue.Secret(sim.APIKey()), Pacer: clue.NewPacer(clue.MinSpacing)})
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		for _, r := range c.Auths.RegisterMany(context.Background(), regs) {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
		total = time.Since(t0)
		srv.Close()
		if n := len(sim.Auths(178)); n != people {
			b.Fatalf("%d auths registered", n)
		}
		refused = len(sim.Arrivals(178)) - people
	}
	overhead := 100 * (total.Seconds() - floor.Seconds()) / floor.Seconds()
	b.ReportMetric(total.Seconds(), "s-total")
	b.ReportMetric(floor.Seconds(), "s-floor")
	b.ReportMetric(overhead, "%-over-floor")
	b.ReportMetric(float64(refused), "calls-refused")
	if overhead > 5 {
		b.Errorf("200 registrations took %s, %.1f%% over the pacing floor of %s (at most 5%%)", total, overhead, floor)
	}
}
