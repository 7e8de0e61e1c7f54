package actatek_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

// person makes a user with one face, deterministic from n.
func person(n int) actatek.User {
	photo := actateksim.FacePhoto(int64(n), 64, 80)
	tmpl := bytes.Repeat([]byte{byte(n), byte(n >> 8), 0x5a}, 100)
	return actatek.User{
		UserID:    fmt.Sprintf("E%05d", n),
		FirstName: "First" + strconv.Itoa(n), LastName: "Last" + strconv.Itoa(n),
		DepartmentID: actatek.IDs{0}, GroupID: actatek.IDs{0},
		FacialRecords: actatek.List[actatek.FacialRecord]{{TemplateType: 2, Template: tmpl, Photo: photo}},
	}
}

func people(from, n int) []actatek.User {
	out := make([]actatek.User, n)
	for i := range out {
		out[i] = person(from + i)
	}
	return out
}

func TestAddGetUpdateDeleteUser(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	u := person(1)
	u.Password = "4321"
	u.Message = "welcome"
	res, err := f.c.Users.Add(ctx, u)
	if err != nil || res.Existing || !strings.Contains(res.Message, "Added") {
		t.Fatalf("add: %+v %v", res, err)
	}
	got, err := f.c.Users.Get(ctx, u.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if got.FirstName != u.FirstName || got.Status == nil || !actatek.On(got.Status.Active) || !actatek.On(got.Status.Facial) ||
		!bytes.Equal(got.FacialRecords[0].Photo, u.FacialRecords[0].Photo) || got.Password != "" || got.AdminLevel != actatek.PersonalUser {
		t.Errorf("stored user: %+v", got)
	}
	u.LastName = "Renamed"
	if err := f.c.Users.Update(ctx, u); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.c.Users.Get(ctx, u.UserID); got.LastName != "Renamed" {
		t.Errorf("after update: %q", got.LastName)
	}
	if err := f.c.Users.Delete(ctx, u.UserID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.Users.Get(ctx, u.UserID); !errors.Is(err, actatek.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if err := f.c.Users.Update(ctx, u); !errors.Is(err, actatek.ErrNotFound) {
		t.Errorf("update of a deleted user: %v", err)
	}
	if _, err := f.c.Users.Add(ctx, actatek.User{}); err == nil {
		t.Error("a user without an ID was sent")
	}
}

func TestAddIsIdempotent(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	u := person(2)
	if _, err := f.c.Users.Add(ctx, u); err != nil {
		t.Fatal(err)
	}
	res, err := f.c.Users.Add(ctx, u)
	if err != nil || !res.Existing {
		t.Errorf("the same user again: %+v %v", res, err)
	}
	changed := u
	changed.FacialRecords = actatek.List[actatek.FacialRecord]{{TemplateType: 2, Template: []byte("other"), Photo: u.FacialRecords[0].Photo}}
	_, err = f.c.Users.Add(ctx, changed)
	if !errors.Is(err, actatek.ErrUserExists) || !strings.Contains(err.Error(), "facial record") {
		t.Errorf("a different user under the same ID: %v", err)
	}
	if n := len(f.sim.UserIDs()); n != 1 {
		t.Errorf("%d users on the terminal, want 1", n)
	}
}

func TestAddBatchAndFullTerminal(t *testing.T) {
	f := newFixture(t, actateksim.Options{MaxUsers: 5})
	ctx := ctxT(t)
	res, err := f.c.Users.AddBatch(ctx, people(0, 3))
	if err != nil || len(res) != 3 {
		t.Fatalf("%+v %v", res, err)
	}
	res, err = f.c.Users.AddBatch(ctx, people(3, 4))
	var be *actatek.BatchError
	if !errors.As(err, &be) || be.Failed != 2 || be.Total != 4 || !errors.Is(err, actatek.ErrTerminalFull) {
		t.Fatalf("batch into a full terminal: %v", err)
	}
	for i, r := range res {
		if full := errors.Is(r.Err, actatek.ErrTerminalFull); full != (i >= 2) {
			t.Errorf("user %d: %+v", i, r)
		}
	}
	st, err := f.c.Terminal.Status(ctx)
	if err != nil || st.RegisteredUsers != 5 || st.MaximumUsers != 5 {
		t.Errorf("status %+v %v", st, err)
	}
	_, err = f.c.Users.Add(ctx, person(9))
	e := asError(t, err)
	if !errors.Is(err, actatek.ErrTerminalFull) || e.Status != http.StatusBadRequest || e.Call != "addUser" {
		t.Errorf("single add into a full terminal: %v", err)
	}
}

// checkExactly verifies the terminal holds exactly want, each once, as sent.
func checkExactly(t *testing.T, f *fixture, want []actatek.User) {
	t.Helper()
	ids := f.sim.UserIDs()
	if len(ids) != len(want) {
		t.Fatalf("terminal has %d users, want %d", len(ids), len(want))
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("user %s is on the terminal twice", id)
		}
		seen[id] = true
	}
	for _, u := range want {
		got, ok := f.sim.User(u.UserID)
		if !ok {
			t.Fatalf("user %s is missing", u.UserID)
		}
		if got.LastName != u.LastName || !bytes.Equal(got.FacialRecords[0].Template, u.FacialRecords[0].Template) {
			t.Fatalf("user %s differs from what was sent", u.UserID)
		}
	}
}

func TestSessionExpiryInTheMiddleOfABatch(t *testing.T) {
	for _, mode := range []actateksim.BatchExpiry{actateksim.ExpiryPerItem, actateksim.ExpiryWholeCall} {
		t.Run(fmt.Sprint("mode", mode), func(t *testing.T) {
			f := newFixture(t, actateksim.Options{})
			ctx := ctxT(t)
			users := people(100, 40)
			if _, err := f.c.Users.AddBatch(ctx, users[:5]); err != nil {
				t.Fatal(err)
			}
			f.sim.ExpireSessionsAfterWrites(7, mode) // strikes within the next batch
			res, err := f.c.Users.AddBatch(ctx, users[5:])
			if err != nil {
				t.Fatalf("batch across a session expiry: %v", err)
			}
			existing := 0
			for _, r := range res {
				if r.Err != nil {
					t.Errorf("%s: %v", r.UserID, r.Err)
				}
				if r.Existing {
					existing++
				}
			}
			wantExisting := 0
			if mode == actateksim.ExpiryWholeCall {
				wantExisting = 7 // written before the refusal, found identical on the retry
			}
			if existing != wantExisting {
				t.Errorf("%d users reported as already present, want %d", existing, wantExisting)
			}
			if n := f.sim.Stats().Logins; n != 2 {
				t.Errorf("logins %d, want 2", n)
			}
			checkExactly(t, f, users)
		})
	}
}

func TestPushRepeatedAfterALostAnswer(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	users := people(200, 30)
	if _, err := f.c.Users.Push(ctx, users[:10], 10); err != nil {
		t.Fatal(err)
	}
	// The second batch is applied but its answer is lost; the caller gets an error and
	// later pushes everything again.
	f.sim.SetMalformedRate(1)
	res, err := f.c.Users.Push(ctx, users[10:], 10)
	if err == nil || !errors.Is(res[len(res)-1].Err, actatek.ErrMalformed) {
		t.Fatalf("want the lost answer reported, got %v", err)
	}
	f.sim.SetMalformedRate(0)
	res, err = f.c.Users.Push(ctx, users, 7)
	if err != nil {
		t.Fatalf("repeated push: %v", err)
	}
	if len(res) != len(users) || !res[0].Existing || !res[15].Existing || res[25].Existing {
		t.Errorf("repeated push outcomes: %+v", res)
	}
	checkExactly(t, f, users)
}

func TestPushStopsWhenUnreachable(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	if err := f.c.Login(ctx); err != nil {
		t.Fatal(err)
	}
	f.sim.SetDropRate(1)
	res, err := f.c.Users.Push(ctx, people(0, 12), 5)
	if !errors.Is(err, actatek.ErrUnreachable) || len(res) != 12 {
		t.Fatalf("%d results, %v", len(res), err)
	}
	for _, r := range res {
		if !errors.Is(r.Err, actatek.ErrUnreachable) {
			t.Errorf("%s: %v", r.UserID, r.Err)
		}
	}
	if n := f.sim.Stats().Calls; n != 2 {
		t.Errorf("%d calls: after the first batch failed, the others must not be sent", n)
	}
}

func TestListFiltersAndPaging(t *testing.T) {
	f := newFixture(t, actateksim.Options{DemoUsers: 7})
	ctx := ctxT(t)
	all, err := f.c.Users.List(ctx, actatek.UserFilter{})
	if err != nil || len(all) != 7 {
		t.Fatalf("%d users, %v", len(all), err)
	}
	part, err := f.c.Users.List(ctx, actatek.UserFilter{PartialUserID: "000"})
	if err != nil || len(part) != 7 {
		t.Errorf("partial: %d %v", len(part), err)
	}
	byName, err := f.c.Users.List(ctx, actatek.UserFilter{FirstName: all[0].FirstName, LastName: all[0].LastName})
	if err != nil || len(byName) == 0 || byName[0].FirstName != all[0].FirstName {
		t.Errorf("by name: %+v %v", byName, err)
	}
	n, err := f.c.Users.Count(ctx)
	if err != nil || n != 7 {
		t.Errorf("count %d %v", n, err)
	}
	page, err := f.c.Users.Batch(ctx, 5, 10)
	if err != nil || len(page) != 2 || page[0].UserID != all[5].UserID {
		t.Errorf("batch: %v %v", page, err)
	}
	var ids []string
	for u, err := range f.c.Users.All(ctx, 3) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.UserID)
	}
	if !slices.Equal(ids, f.sim.UserIDs()) {
		t.Errorf("All: %v", ids)
	}
	if _, err := f.c.Users.Batch(ctx, -1, 3); err == nil {
		t.Error("a negative offset was sent")
	}
}

func TestUpdateBatchActivateAndMessages(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	users := people(0, 3)
	if _, err := f.c.Users.AddBatch(ctx, users); err != nil {
		t.Fatal(err)
	}
	for i := range users {
		users[i].OtherName = "v2"
	}
	users = append(users, person(99)) // not on the terminal
	res, err := f.c.Users.UpdateBatch(ctx, users)
	if !errors.Is(err, actatek.ErrNotFound) || res[0].Err != nil || res[3].Err == nil {
		t.Fatalf("%+v %v", res, err)
	}
	if got, _ := f.sim.User(users[1].UserID); got.OtherName != "v2" {
		t.Errorf("update batch did not apply: %+v", got.OtherName)
	}
	id := users[0].UserID
	if err := f.c.Users.Deactivate(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.sim.User(id); actatek.On(got.Status.Active) {
		t.Error("still active")
	}
	if err := f.c.Users.Activate(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.sim.User(id); !actatek.On(got.Status.Active) {
		t.Error("still suspended")
	}
	if err := f.c.Users.SetMessage(ctx, id, "see HR"); err != nil {
		t.Fatal(err)
	}
	if m, err := f.c.Users.Message(ctx, id); err != nil || m != "see HR" {
		t.Errorf("message %q %v", m, err)
	}
	if err := f.c.Users.DeleteMessage(ctx, id); err != nil {
		t.Fatal(err)
	}
	if m, _ := f.c.Users.Message(ctx, id); m != "" {
		t.Errorf("message after delete %q", m)
	}
	if _, err := f.c.Users.Message(ctx, "ghost"); !errors.Is(err, actatek.ErrNotFound) {
		t.Errorf("message of an unknown user: %v", err)
	}
}

func TestTOTP(t *testing.T) {
	f := newFixture(t, actateksim.Options{DemoUsers: 1})
	ctx := ctxT(t)
	id := f.sim.UserIDs()[0]
	code, err := f.c.Users.TOTP(ctx, id, actatek.TOTPPasscode)
	if err != nil || len(code.Data) != 8 || strings.Trim(code.Data, "0123456789") != "" || code.Expiry.Local {
		t.Fatalf("passcode %+v %v", code, err)
	}
	if !code.Expiry.Time.After(f.clock.Now()) || code.Expiry.Time.Sub(f.clock.Now()) > 30*time.Second {
		t.Errorf("expiry %v at %v", code.Expiry, f.clock.Now())
	}
	png, err := f.c.Users.TOTP(ctx, id, "bogus")
	if err != nil || png.Format != actatek.TOTPPNG {
		t.Fatalf("unknown format must fall back to PNG: %+v %v", png.Format, err)
	}
	img, err := png.Image()
	if err != nil || !bytes.HasPrefix(img, []byte("\x89PNG")) {
		t.Errorf("PNG: %v", err)
	}
	text, err := f.c.Users.TOTP(ctx, id, actatek.TOTPPlainText)
	if err != nil || !strings.Contains(text.Data, code.Data) {
		t.Errorf("plain text %q should carry the passcode %s: %v", text.Data, code.Data, err)
	}
	if _, err := text.Image(); err == nil {
		t.Error("plain text is not an image")
	}
	svg, _ := f.c.Users.TOTP(ctx, id, actatek.TOTPSVG)
	if b, err := svg.Image(); err != nil || !bytes.HasPrefix(b, []byte("<svg")) {
		t.Errorf("SVG: %v", err)
	}
}

// The push benchmark: 1,000 users with a ~30 KB JPEG each, pushed as addUsers batches
// of DefaultBatchSize by a client in a child process, to the simulator on an in-process
// HTTPS server. users/s is the child's push time; MiB-peak-RSS is the child's VmHWM
// (Linux /proc/self/status), so the simulator's memory is not counted.

const (
	pushChildEnv = "ACTATEK_PUSH_CHILD"
	pushUsers    = 1000
	photoW       = 344 // with photoH, a ~30 KB FacePhoto
	photoH       = 448
)

type pushReport struct {
	Users    int     `json:"users"`
	Failed   int     `json:"failed"`
	Seconds  float64 `json:"seconds"`
	VmHWMKiB int64   `json:"vmhwm_kib"`
	PhotoKiB float64 `json:"photo_kib"`
}

func BenchmarkPushUsers(b *testing.B) {
	var secs, rss, photo float64
	for range b.N {
		f := newFixture(b, actateksim.Options{MaxUsers: pushUsers})
		cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
		cmd.Env = append(os.Environ(), pushChildEnv+"=1", "ACTATEK_PUSH_URL="+f.srv.URL, "ACTATEK_PUSH_PIN="+f.sim.Fingerprint())
		cmd.Stdin = strings.NewReader(f.sim.Credentials().Password + "\n")
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("push child: %v\n%s", err, out)
		}
		var rep pushReport
		if err := json.Unmarshal(out, &rep); err != nil {
			b.Fatalf("push child report %q: %v", out, err)
		}
		if rep.Failed != 0 || rep.Users != pushUsers || len(f.sim.UserIDs()) != pushUsers {
			b.Fatalf("pushed %d, failed %d, terminal has %d", rep.Users, rep.Failed, len(f.sim.UserIDs()))
		}
		secs += rep.Seconds
		rss = max(rss, float64(rep.VmHWMKiB)/1024)
		photo = rep.PhotoKiB
	}
	b.ReportMetric(float64(pushUsers*b.N)/secs, "users/s")
	if rss > 0 {
		b.ReportMetric(rss, "MiB-peak-RSS")
	} else {
		b.Log("no /proc/self/status here: peak RSS not measured")
	}
	b.ReportMetric(photo, "KiB/photo")
}

// runPushChild is the client side of BenchmarkPushUsers. It reads the password from
// standard input and prints a pushReport.
func runPushChild() int {
	pw, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil {
		fmt.Fprintln(os.Stderr, "push child: read password:", err)
		return 1
	}
	c, err := actatek.New(os.Getenv("ACTATEK_PUSH_URL"), actatek.Options{
		Credentials: actatek.Credentials{Username: "admin", Password: strings.TrimSpace(pw)},
		PinSHA256:   os.Getenv("ACTATEK_PUSH_PIN"),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "push child:", err)
		return 1
	}
	defer c.Close()
	// Distinct photos are made by giving a few base JPEGs a unique comment segment, as
	// cheap as reading them from the journal, so the figure is the push alone.
	bases := make([][]byte, 8)
	for i := range bases {
		bases[i] = actateksim.FacePhoto(int64(1000+i), photoW, photoH)
	}
	photoKiB := float64(len(bases[0])) / 1024
	rng := rand.New(rand.NewPCG(1, 2))
	build := func(n int) actatek.User {
		base := bases[n%len(bases)]
		comment := fmt.Sprintf("enroll %06d", n)
		photo := make([]byte, 0, len(base)+4+len(comment))
		photo = append(photo, base[:2]...)
		photo = append(photo, 0xFF, 0xFE, 0, byte(2+len(comment)))
		photo = append(photo, comment...)
		photo = append(photo, base[2:]...)
		tmpl := make([]byte, 512)
		for i := range tmpl {
			tmpl[i] = byte(rng.Uint32())
		}
		return actatek.User{
			UserID: fmt.Sprintf("P%06d", n), FirstName: "Bench", LastName: strconv.Itoa(n),
			FacialRecords: actatek.List[actatek.FacialRecord]{{TemplateType: 2, Template: tmpl, Photo: photo}},
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	failed := 0
	start := time.Now()
	for from := 0; from < pushUsers; from += actatek.DefaultBatchSize {
		batch := make([]actatek.User, 0, actatek.DefaultBatchSize)
		for n := from; n < min(from+actatek.DefaultBatchSize, pushUsers); n++ {
			batch = append(batch, build(n))
		}
		res, err := c.Users.Push(ctx, batch, actatek.DefaultBatchSize)
		if err != nil {
			fmt.Fprintln(os.Stderr, "push child:", err)
		}
		for _, r := range res {
			if r.Err != nil {
				failed++
			}
		}
	}
	secs := time.Since(start).Seconds()
	json.NewEncoder(os.Stdout).Encode(pushReport{Users: pushUsers, Failed: failed, Seconds: secs, VmHWMKiB: vmHWM(), PhotoKiB: photoKiB})
	return 0
}

// vmHWM is this process's peak resident set size in KiB, from /proc/self/status; 0 where
// there is no /proc.
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n
		}
	}
	return 0
}
