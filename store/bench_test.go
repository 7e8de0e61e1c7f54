package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"enrollstation/store/pgtest"
)

// benchCapture is a realistic capture: about 2 MB of incompressible blobs (JPEG-like), in
// the shapes the camera sends: two eye images and templates, five face variants with their
// features, and a portrait.
func benchCapture(rng *rand.Rand) Capture {
	fill := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	c := testCapture("bench")
	c.Blobs = nil
	for _, eye := range []string{"left", "right"} {
		c.Blobs = append(c.Blobs,
			Blob{Kind: EyeImage, Variant: eye, MediaType: "image/jpeg", Data: fill(300 << 10)},
			Blob{Kind: EyeTemplate, Variant: eye, Data: fill(1 << 10)})
	}
	for _, v := range []string{"iris_off", "far_off", "far_on", "near_off", "near_on"} {
		c.Blobs = append(c.Blobs,
			Blob{Kind: FaceImage, Variant: v, MediaType: "image/jpeg", Data: fill(250 << 10)},
			Blob{Kind: FaceFeature, Variant: v, Data: fill(2 << 10)})
	}
	c.Blobs = append(c.Blobs, Blob{Kind: Photo, MediaType: "image/jpeg", Data: fill(150 << 10)})
	return c
}

func blobBytes(c Capture) int {
	n := 0
	for _, b := range c.Blobs {
		n += len(b.Data)
	}
	return n
}

func fileSize(b *testing.B, path string) int64 {
	b.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

// BenchmarkSaveCapture saves captures of ~2 MB with three targets each: the time one save
// takes (ms/capture) and what it adds to the journal file (bytes/capture).
func BenchmarkSaveCapture(b *testing.B) {
	ctx := context.Background()
	s := openTest(b)
	targets := []TargetID{addTarget(b, s, TargetCLUe, "HQ"), addTarget(b, s, TargetACTAtek, "Lobby"), addTarget(b, s, TargetEF45, "Gate")}
	rng := rand.New(rand.NewPCG(1, 2))
	c := benchCapture(rng)
	if err := s.checkpoint(ctx); err != nil {
		b.Fatal(err)
	}
	before := fileSize(b, s.Path())
	n := 0
	for b.Loop() {
		p := testPerson("", "Bench", fmt.Sprintf("Person %d", n))
		if _, err := s.SaveCapture(ctx, p, c, targets); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(n), "ms/capture")
	b.StopTimer()
	if err := s.checkpoint(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(fileSize(b, s.Path())-before)/float64(n), "bytes/capture")
	b.ReportMetric(float64(blobBytes(c)), "blob-bytes/capture")
}

// bulkPeople fills s with n people for the search benchmarks (SeedPeople, seed 3).
func bulkPeople(b *testing.B, s *Store, n int) {
	b.Helper()
	if err := s.SeedPeople(context.Background(), n, 3); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSearchPeople runs the searches the UI makes against 100,000 people: name
// prefixes, a full name, a key prefix, a date range, a push state, a deep page. ms/search is
// the mean; worst-ms/search the slowest single search; p50 and p99 over every search.
func BenchmarkSearchPeople(b *testing.B) { benchSearch(b, 100_000) }

// BenchmarkSearchPeopleMillion is the same searches among 1,000,000 people: a site's
// shared history after some years (the goal: p99 under 20 ms), in a SQLite file and in a
// site's PostgreSQL database.
func BenchmarkSearchPeopleMillion(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchSearchAt(b, filepath.Join(b.TempDir(), "journal.db"), 1_000_000) })
	b.Run("postgres", func(b *testing.B) { benchSearchAt(b, pgtest.URL(b), 1_000_000) })
}

func benchSearch(b *testing.B, people int) { benchSearchAt(b, testLocation(b), people) }

func benchSearchAt(b *testing.B, location string, people int) {
	ctx := context.Background()
	s := openAt(b, location)
	bulkPeople(b, s, people)
	var key, given, family string
	if err := s.r.QueryRow(`SELECT person_key, given_name, family_name FROM people WHERE id = 5000`).Scan(&key, &given, &family); err != nil {
		b.Fatal(err)
	}
	week := time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)
	queries := []Query{
		{Text: "ma"},
		{Text: "mari"},
		{Text: given + " " + family[:3]},
		{Text: key[:4]},
		{From: week, To: week.Add(7 * 24 * time.Hour), Order: ByNewest},
		{State: PushFailed, Order: ByNewest},
		{State: PushPending, Text: "be"},
		{Offset: people / 2},
		{},
	}
	// The deep page as History reaches it: the page after the one before, by its Next.
	before, err := s.SearchPeople(ctx, Query{Offset: people/2 - 50})
	if err != nil || before.Next == "" {
		b.Fatalf("the page before the deep one: %v", err)
	}
	queries[7].After = before.Next
	// One round first, unmeasured: a station searches a journal whose pages its server or
	// its file cache holds; the first search after a start reads them in.
	for _, q := range queries {
		if _, err := s.SearchPeople(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	var took []time.Duration
	slowest := make([]time.Duration, len(queries))
	for b.Loop() {
		for i, q := range queries {
			t0 := time.Now()
			page, err := s.SearchPeople(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			if page.Total == 0 || len(page.People) == 0 {
				b.Fatalf("query %+v found nobody", q)
			}
			d := time.Since(t0)
			took = append(took, d)
			slowest[i] = max(slowest[i], d)
		}
	}
	for i, q := range queries {
		b.Logf("slowest %7.2f ms: text %q, state %q, offset %d, order %d", float64(slowest[i].Microseconds())/1000, q.Text, q.State, q.Offset, q.Order)
	}
	slices.Sort(took)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(len(took)), "ms/search")
	b.ReportMetric(ms(took[len(took)-1]), "worst-ms/search")
	b.ReportMetric(ms(took[len(took)/2]), "p50-ms/search")
	b.ReportMetric(ms(took[(len(took)*99)/100]), "p99-ms/search")
}

// BenchmarkOutboxClaimComplete is the push pipeline's bookkeeping without the pushes: claim
// a batch of due rows, record each as done. rows/s is what the journal can sustain.
func BenchmarkOutboxClaimComplete(b *testing.B) {
	ctx := context.Background()
	s := openTest(b)
	tg := addTarget(b, s, TargetCLUe, "HQ")
	const rowsPer = 32
	// Rows to claim: one capture per person, outbox rows inserted in bulk.
	refill := func(n int) { addWaiting(b, s, tg, n) }
	refill(rowsPer * 20)
	rows := 0
	for b.Loop() {
		items, err := s.ClaimDue(ctx, "bench", time.Now(), time.Minute, rowsPer)
		if err != nil {
			b.Fatal(err)
		}
		if len(items) == 0 {
			b.StopTimer()
			refill(rowsPer * 20)
			b.StartTimer()
			continue
		}
		for _, it := range items {
			if err := s.Complete(ctx, it.ID, "bench", "auth"); err != nil {
				b.Fatal(err)
			}
		}
		rows += len(items)
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkClaimFromBacklog is one claim of 64 rows from a target with 20,000 due (a
// terminal back after weeks away, or one being refilled by reconcile): a claim should read
// what it takes, not every due row.
func BenchmarkClaimFromBacklog(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchBacklog(b, filepath.Join(b.TempDir(), "journal.db")) })
	b.Run("postgres", func(b *testing.B) { benchBacklog(b, pgtest.URL(b)) })
}

func benchBacklog(b *testing.B, location string) {
	const backlog, take = 20_000, 64
	ctx := context.Background()
	s := openAt(b, location)
	tg := fillOutbox(b, s, backlog)
	for b.Loop() {
		c, err := s.ClaimDueTargets(ctx, "desk", ClaimRequest{Want: map[TargetID]int{tg: take}, Now: time.Now(), Lease: time.Minute})
		if err != nil || c.Len() != take {
			b.Fatalf("claim: %d rows, %v", c.Len(), err)
		}
		b.StopTimer()
		if _, err := s.ReleaseLeases(ctx, "desk", time.Now()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/claim")
}

// BenchmarkClaimCaptures is one claim of 32 rows whose captures are the size the camera
// gives (about 2 MB of blobs each), reading every blob, then only the blobs a push to an
// ACTAtek terminal sends (the portrait and the colour face's feature, with the colour face
// image in case there is no portrait, as enroll/target names them): ms per claim and MB
// decrypted for each.
func BenchmarkClaimCaptures(b *testing.B) {
	const rows = 32
	ctx := context.Background()
	s := openTest(b)
	tg := addTarget(b, s, TargetACTAtek, "door")
	c := benchCapture(rand.New(rand.NewPCG(1, 2)))
	for i := range rows {
		if _, err := s.SaveCapture(ctx, testPerson("", "Bench", fmt.Sprint(i)), c, []TargetID{tg}); err != nil {
			b.Fatal(err)
		}
	}
	terminal := []BlobWant{{Photo, AnyVariant, ""}, {FaceImage, "far_off", Photo}, {FaceFeature, "far_off", ""}}
	var every, some time.Duration
	var everyBytes, someBytes int
	claim := func(wants []BlobWant, took *time.Duration, read *int) {
		start := time.Now()
		got, err := s.ClaimDueTargets(ctx, "desk", ClaimRequest{Want: map[TargetID]int{tg: rows}, Now: time.Now(), Lease: time.Minute, Blobs: wants})
		*took += time.Since(start)
		if err != nil || got.Len() != rows {
			b.Fatalf("claim: %d rows, %v", got.Len(), err)
		}
		*read = 0
		for _, cp := range got.Captures {
			*read += blobBytes(cp)
		}
		if _, err := s.ReleaseLeases(ctx, "desk", time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		claim(nil, &every, &everyBytes)
		claim(terminal, &some, &someBytes)
	}
	n := float64(b.N)
	b.ReportMetric(float64(every.Microseconds())/1000/n, "every-blob-ms/claim")
	b.ReportMetric(float64(some.Microseconds())/1000/n, "terminal-blobs-ms/claim")
	b.ReportMetric(float64(everyBytes)/(1<<20), "every-blob-MB/claim")
	b.ReportMetric(float64(someBytes)/(1<<20), "terminal-blobs-MB/claim")
}
