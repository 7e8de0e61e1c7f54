package importlist

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"enrollstation/enroll"
	"enrollstation/enroll/demo"
	"enrollstation/ui/uitest"
)

// demoStation is the demo journal with nobody enrolled.
func demoStation(t *testing.T) *enroll.Station {
	t.Helper()
	d, err := demo.Start(context.Background(), demo.Options{People: -1, DoorEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d.Station
}

const people = "\uFEFF社員番号,姓,名,カード番号,有効開始日\r\n" +
	"k-1,山田,花子,42,2026-04-01\r\n" +
	"k-2,Lovelace,Ada,,2026-13-01\r\n" +
	"k-3,Hopper,Grace,,\r\n"

// The operator imports a list with one bad row: the good rows wait in the journal, the bad
// row's reason shows, the refused file holds that row alone with its reason, and Enroll
// next hands the first person over for the form.
func TestImportAndEnrollNext(t *testing.T) {
	test.NewTempApp(t)
	st := demoStation(t)
	dir := t.TempDir()
	source := filepath.Join(dir, "people.csv")
	if err := os.WriteFile(source, []byte(people), 0o600); err != nil {
		t.Fatal(err)
	}
	loop := uitest.NewLoop()
	m := NewModel(st)
	m.now = func() time.Time { return time.Date(2026, 12, 2, 9, 0, 0, 0, time.Local) }
	w := test.NewWindow(nil)
	defer w.Close()
	s := newScreen(m, w, loop.Run)
	w.SetContent(s.Content())
	var called []enroll.Person
	s.OnNext = func(p enroll.Person) { called = append(called, p) }

	if !s.next.Disabled() {
		t.Fatal("Enroll next is enabled with nobody waiting")
	}
	m.Open(source) // what the file dialog does with the chosen file
	loop.PumpUntil(t, "the preview", func() bool { return s.pendingBox.Visible() })
	if got := len(s.mapping.Objects); got != 10 { // a label and a select per column
		t.Fatalf("mapping shows %d objects", got)
	}
	if rows, cols := s.previewSize(); rows != 4 || cols != 5 {
		t.Fatalf("preview %d×%d", rows, cols)
	}
	if s.policy.Selected != policyKeep() {
		t.Fatalf("policy %q", s.policy.Selected)
	}
	test.Tap(s.doImport)
	loop.PumpUntil(t, "the result", func() bool { return s.result.Visible() && len(s.shown.Waiting) == 2 })

	list, err := st.Waiting(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, p := range list {
		keys = append(keys, p.Key+" "+p.Name())
	}
	if want := []string{"k-1 花子 山田", "k-3 Grace Hopper"}; !reflect.DeepEqual(keys, want) {
		t.Fatalf("waiting %v, want %v", keys, want)
	}
	if got, want := s.refused.Text, "Line 3: Type the date as YYYY-MM-DD."; got != want {
		t.Fatalf("refused rows say %q, want %q", got, want)
	}
	refusedPath := filepath.Join(dir, "people-refused-20261202-090000.csv")
	if !strings.Contains(s.result.Text, refusedPath) || !strings.Contains(s.result.Text, "2 added") {
		t.Fatalf("result says %q", s.result.Text)
	}
	f, err := os.Open(refusedPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"\uFEFF社員番号", "姓", "名", "カード番号", "有効開始日", "error"},
		{"k-2", "Lovelace", "Ada", "", "2026-13-01", "line 3: Type the date as YYYY-MM-DD."},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("refused file %q, want %q", rows, want)
	}

	if s.next.Disabled() {
		t.Fatal("Enroll next is disabled with people waiting")
	}
	test.Tap(s.next)
	loop.PumpUntil(t, "the next person", func() bool { return len(called) == 1 })
	if p := called[0]; p.Key != "k-1" || p.FamilyName != "山田" || p.CardNumber != "42" ||
		enroll.FieldsOf(p).ValidFrom != "2026-04-01" {
		t.Fatalf("next %+v", p)
	}
}

// Importing the same list again with Keep leaves the journal's data; Overwrite replaces it.
func TestImportAgainKeepOrOverwrite(t *testing.T) {
	test.NewTempApp(t)
	st := demoStation(t)
	dir := t.TempDir()
	first := filepath.Join(dir, "a.csv")
	os.WriteFile(first, []byte("key,given name\nk-1,Ada\n"), 0o600)
	second := filepath.Join(dir, "b.csv")
	os.WriteFile(second, []byte("key,given name\nk-1,Augusta\n"), 0o600)
	m := NewModel(st)
	for _, step := range []struct {
		path      string
		overwrite bool
		want      string
	}{{first, false, "Ada"}, {second, false, "Ada"}, {second, true, "Augusta"}} {
		m.Open(step.path)
		m.SetOverwrite(step.overwrite)
		m.Import(t.Context())
		if st := m.State(); st.Problem != nil || st.Result == nil || len(st.Waiting) != 1 || st.Waiting[0].GivenName != step.want {
			t.Fatalf("%+v: state %+v", step, st)
		}
	}
}

func TestOpenRefusesNonUTF8(t *testing.T) {
	test.NewTempApp(t)
	path := filepath.Join(t.TempDir(), "sjis.csv")
	os.WriteFile(path, []byte("key,name\nk-1,\x8eR\x93c\n"), 0o600)
	m := NewModel(nil)
	m.Open(path)
	st := m.State()
	if st.Pending != nil || st.Problem == nil || st.Problem.Key != "import.problem.file" || !strings.Contains(st.Detail, "line 2") {
		t.Fatalf("state %+v", st)
	}
}

// A screen closed when the window is rebuilt in another language no longer follows the
// model; the new screen over the same model does.
func TestClosedScreenStopsFollowingTheModel(t *testing.T) {
	test.NewTempApp(t)
	st := demoStation(t)
	if _, err := st.AddWaiting(context.Background(), []enroll.Person{{Key: "k-9", GivenName: "Hedy", FamilyName: "Lamarr"}}, false); err != nil {
		t.Fatal(err)
	}
	loop := uitest.NewLoop()
	m := NewModel(st)
	w := test.NewWindow(nil)
	defer w.Close()
	var oldPosts int
	old := newScreen(m, w, func(fn func()) { oldPosts++; loop.Run(fn) })
	old.Close()
	s := newScreen(m, w, loop.Run)
	w.SetContent(s.Content())
	m.Reload(context.Background())
	loop.PumpUntil(t, "the new screen showing the waiting list", func() bool { return s.list.Length() == 1 })
	if oldPosts != 0 {
		t.Errorf("the closed screen refreshed %d times", oldPosts)
	}
}
