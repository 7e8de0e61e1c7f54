package history

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"enrollstation/enroll"
	"enrollstation/enroll/demo"
	"enrollstation/ui/uitest"
)

// largeSite is how many people the journal of a large site holds.
const largeSite = 100_000

// seededJournal is a demo station whose journal holds largeSite people, seeded once for
// the whole run (seeding takes seconds) and closed by TestMain.
var seededJournal struct {
	once sync.Once
	d    *demo.Demo
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if d := seededJournal.d; d != nil {
		if err := d.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "close the seeded journal:", err)
		}
	}
	os.Exit(code)
}

// largeJournal is the demo station over the seeded journal, in a temporary folder that
// Close removes.
func largeJournal(b *testing.B) *demo.Demo {
	b.Helper()
	seededJournal.once.Do(func() {
		ctx := context.Background()
		d, err := demo.Start(ctx, demo.Options{People: -1, DoorEvery: time.Hour})
		if err != nil {
			seededJournal.err = err
			return
		}
		seededJournal.d = d
		seededJournal.err = d.Station.Store().SeedPeople(ctx, largeSite, 3)
	})
	if seededJournal.err != nil {
		b.Fatal(seededJournal.err)
	}
	return seededJournal.d
}

// BenchmarkSearchOnScreen is the History search of a large site as the operator sees it:
// from the search text changing in the entry to the list showing the first page of the
// new results (its first row bound to the first match) and the page label counting them,
// through the real model, coalescer and refresh. The model's typing pause
// (DefaultDebounce, 300 ms) is left out: it is a fixed wait chosen on purpose, and would
// hide what the search and the drawing take. The store's part alone is
// store.BenchmarkSearchPeople.
func BenchmarkSearchOnScreen(b *testing.B) {
	d := largeJournal(b)
	ctx := context.Background()
	test.NewTempApp(b)
	loop := uitest.NewLoop()
	m := NewModelWith(FromStation(d.Station), "bench", Options{Debounce: time.Nanosecond})
	win := test.NewTempWindow(b, nil)
	s := newScreen(m, win, loop.Run)
	win.SetContent(s.Content())
	win.Resize(fyne.NewSize(1100, 800))
	defer func() {
		s.Close()
		m.Close()
	}()

	// What the operator types, in turn: name prefixes, a full name, a key, and clearing
	// the search (every person, the broadest count). The page each must show is read
	// from the journal first, outside the measure.
	everyone, err := d.Station.Store().SearchPeople(ctx, enroll.Query{Limit: PageSize})
	if err != nil {
		b.Fatal(err)
	}
	last, err := d.Station.Store().SearchPeople(ctx, enroll.Query{Limit: PageSize, Offset: largeSite - 1})
	if err != nil {
		b.Fatal(err)
	}
	if last.Total != largeSite || len(last.People) != 1 || !everyone.Capped {
		b.Fatalf("the journal holds %d people (the first page counts %d), want %d", last.Total, everyone.Total, largeSite)
	}
	someone := everyone.People[PageSize/2]
	texts := []string{"ma", "rilo", someone.GivenName + " " + someone.FamilyName[:3], "be", someone.Key[:5], "", "Sa", "kemo"}
	type shown struct {
		text, label string
		first       enroll.Person
		rows        int
	}
	var want []shown
	for _, text := range texts {
		page, err := d.Station.Store().SearchPeople(ctx, Filter{Text: text}.query(0, PageSize))
		if err != nil {
			b.Fatal(err)
		}
		if len(page.People) == 0 {
			b.Fatalf("nobody matches %q", text)
		}
		want = append(want, shown{text: text, first: page.People[0], rows: len(page.People),
			label: totalText(State{People: page.People, Total: page.Total, TotalCapped: page.Capped})})
	}
	for i, w := range want {
		// Each search must show something the one before did not, or the wait below
		// could end on the page already shown.
		if prev := want[(i+len(want)-1)%len(want)]; prev.label == w.label && prev.first.Key == w.first.Key {
			b.Fatalf("searches %q and %q show the same page", prev.text, w.text)
		}
	}
	showing := func(w shown) bool {
		return s.total.Text == w.label && len(s.people) == w.rows && s.people[0].Key == w.first.Key &&
			labelShown(s.list, w.first.Name())
	}
	first := totalText(State{People: everyone.People, Total: everyone.Total, TotalCapped: everyone.Capped})
	if !loop.Until(time.Minute, func() bool { return s.total.Text == first }) {
		b.Fatalf("the first page never showed; the label says %q", s.total.Text)
	}

	var took []time.Duration
	for b.Loop() {
		w := want[len(took)%len(want)]
		t0 := time.Now()
		s.search.SetText(w.text)
		if !loop.Until(time.Minute, func() bool { return showing(w) }) {
			b.Fatalf("search %q: the list never showed %s first with %q; it shows %q", w.text, w.first.Name(), w.label, s.total.Text)
		}
		took = append(took, time.Since(t0))
	}
	slices.Sort(took)
	b.ReportMetric(ms(took[len(took)/2]), "p50-ms/search")
	b.ReportMetric(ms(took[len(took)-1]), "worst-ms/search")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// labelShown reports whether a visible label with text is drawn among o's objects: it
// walks the widgets' renderers, as the canvas does when it paints.
func labelShown(o fyne.CanvasObject, text string) bool {
	if !o.Visible() {
		return false
	}
	switch w := o.(type) {
	case *widget.Label:
		return w.Text == text
	case *fyne.Container:
		return slices.ContainsFunc(w.Objects, func(c fyne.CanvasObject) bool { return labelShown(c, text) })
	case fyne.Widget:
		return slices.ContainsFunc(test.WidgetRenderer(w).Objects(), func(c fyne.CanvasObject) bool { return labelShown(c, text) })
	}
	return false
}
