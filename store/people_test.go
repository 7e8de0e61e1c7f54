package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// seedPeople saves people with the given names ("Given Family"), one minute apart from t0.
func seedPeople(t *testing.T, s *Store, t0 time.Time, names ...string) []string {
	t.Helper()
	ctx := context.Background()
	var keys []string
	for i, n := range names {
		given, family, _ := strings.Cut(n, " ")
		at := t0.Add(time.Duration(i) * time.Minute)
		s.now = func() time.Time { return at }
		saved, err := s.SaveCapture(ctx, testPerson(fmt.Sprintf("key-%02d", i), given, family), testCapture(n), nil)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, saved.PersonKey)
	}
	s.now = time.Now
	return keys
}

func keysOf(p Page) string {
	var k []string
	for _, x := range p.People {
		k = append(k, x.Key)
	}
	return strings.Join(k, " ")
}

func TestSearchPeople(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	t0 := time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC)
	seedPeople(t, s, t0,
		"Ada Lovelace",    // key-00
		"Alan Turing",     // key-01
		"Grace Hopper",    // key-02
		"Adele Lovell",    // key-03
		"Édith Piaf",      // key-04
		"Zoë  van Dijk",   // key-05: extra spaces are normalised
		"Charles Babbage", // key-06
	)
	for _, tc := range []struct {
		q    Query
		want string
	}{
		{Query{Text: "lov"}, "key-00 key-03"},                                      // family prefix, ordered by family name
		{Query{Text: "LOVELACE"}, "key-00"},                                        // case does not matter
		{Query{Text: "ad"}, "key-00 key-03"},                                       // given prefix
		{Query{Text: "ada love"}, "key-00"},                                        // full name, given first
		{Query{Text: "lovelace ada"}, "key-00"},                                    // full name, family first
		{Query{Text: "édith"}, "key-04"},                                           // non-ASCII
		{Query{Text: "ÉDITH"}, "key-04"},                                           // non-ASCII upper case
		{Query{Text: "van  dijk"}, "key-05"},                                       // spaces normalised
		{Query{Text: "key-0"}, "key-06 key-02 key-00 key-03 key-04 key-01 key-05"}, // key prefix, by name
		{Query{Text: "KEY-02"}, "key-02"},
		{Query{Text: "nobody"}, ""},
		{Query{Text: "ring"}, ""}, // not a prefix
		{Query{From: t0.Add(2 * time.Minute), To: t0.Add(4 * time.Minute), Order: ByNewest}, "key-03 key-02"},
		{Query{Text: "a", From: t0.Add(time.Minute)}, "key-03 key-01"},
		{Query{Order: ByNewest, Limit: 2}, "key-06 key-05"},
		{Query{Limit: 3, Offset: 2}, "key-00 key-03 key-04"},
	} {
		page, err := s.SearchPeople(ctx, tc.q)
		if err != nil {
			t.Fatalf("%+v: %v", tc.q, err)
		}
		if got := keysOf(page); got != tc.want {
			t.Errorf("search %+v = %q, want %q", tc.q, got, tc.want)
		}
	}
	page, err := s.SearchPeople(ctx, Query{Limit: 3, Offset: 3})
	if err != nil || page.Total != 7 || len(page.People) != 3 || !page.More() {
		t.Fatalf("page 2 of 3: total %d, %d people, more %v, %v", page.Total, len(page.People), page.More(), err)
	}
	page, _ = s.SearchPeople(ctx, Query{Limit: 3, Offset: 6})
	if page.Total != 7 || len(page.People) != 1 || page.More() {
		t.Fatalf("last page: %+v", page)
	}
	if _, err := s.SearchPeople(ctx, Query{State: "lost"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("unknown state: %v", err)
	}
}

func TestSearchPeopleByPushState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	tg := addTarget(t, s, TargetCLUe, "HQ")
	mk := func(key string) int64 {
		saved, err := s.SaveCapture(ctx, testPerson(key, "P", key), testCapture(key), []TargetID{tg})
		if err != nil {
			t.Fatal(err)
		}
		return saved.Outbox[0]
	}
	mk("pending")
	done, failed := mk("done"), mk("failed")
	if _, err := s.SaveCapture(ctx, testPerson("none", "P", "none"), testCapture("n"), nil); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := s.ClaimDue(ctx, "w", now, time.Minute, 10); err != nil {
		t.Fatal(err)
	}
	if err := s.Complete(ctx, done, "w", "auth-1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Fail(ctx, failed, "w", "user key already used"); err != nil {
		t.Fatal(err)
	}
	for state, want := range map[PushState]string{PushPending: "pending", PushDone: "done", PushFailed: "failed", PushNone: "none"} {
		page, err := s.SearchPeople(ctx, Query{State: state})
		if err != nil || keysOf(page) != want || page.Total != 1 {
			t.Errorf("state %s: %q (total %d), %v", state, keysOf(page), page.Total, err)
		}
	}
}

func TestCheckPersonKey(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"a", NewPersonKey(), "EMP-00042", "x.y_z", "...", ".a", strings.Repeat("k", 64)} {
		if err := CheckPersonKey(k); err != nil {
			t.Errorf("CheckPersonKey(%q) = %v", k, err)
		}
	}
	for _, k := range []string{"", "a b", "é", "a/b", `a\b`, "a\x00", "a\nb", "\x1b[31m", "\u0085", ".", "..", strings.Repeat("k", 65)} {
		if err := CheckPersonKey(k); !errors.Is(err, ErrInvalid) {
			t.Errorf("CheckPersonKey(%q) = %v, want ErrInvalid", k, err)
		}
	}
}

func TestPersonName(t *testing.T) {
	t.Parallel()
	if n := (Person{Key: "k", GivenName: "Ada", FamilyName: "Lovelace"}).Name(); n != "Ada Lovelace" {
		t.Errorf("Name = %q", n)
	}
	if n := (Person{Key: "k"}).Name(); n != "k" {
		t.Errorf("Name without names = %q", n)
	}
}

// A broad search is counted only CountAhead past its page, and says so; paging on still
// knows whether more follow, and near the end the count is exact again.
func TestSearchCountStopsAhead(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	const n = CountAhead + 200
	if err := s.SeedPeople(ctx, n, 7); err != nil {
		t.Fatal(err)
	}
	first, err := s.SearchPeople(ctx, Query{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if !first.Capped || first.Total != 50+CountAhead || !first.More() {
		t.Fatalf("first page: total %d, capped %v, more %v", first.Total, first.Capped, first.More())
	}
	last, err := s.SearchPeople(ctx, Query{Limit: 50, Offset: n - 30})
	if err != nil {
		t.Fatal(err)
	}
	if last.Capped || last.Total != n || len(last.People) != 30 || last.More() {
		t.Fatalf("last page: total %d, capped %v, %d people, more %v", last.Total, last.Capped, len(last.People), last.More())
	}
}

// Paging on with Next reads the same pages as counting offsets, in either order, with or
// without a text; a made-up or mismatched After is refused.
func TestSearchPagesAfterTheLastRow(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if err := s.SeedPeople(ctx, 700, 11); err != nil {
		t.Fatal(err)
	}
	for _, q := range []Query{{Limit: 64}, {Limit: 64, Order: ByNewest}, {Limit: 20, Text: "ma"}, {Limit: 30, State: PushFailed, Order: ByNewest}} {
		byOffset, byNext := []string{}, []string{}
		for off := 0; ; off += q.Limit {
			o := q
			o.Offset = off
			page, err := s.SearchPeople(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.People {
				byOffset = append(byOffset, p.Key)
			}
			if !page.More() {
				break
			}
		}
		next := q
		for {
			page, err := s.SearchPeople(ctx, next)
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != len(byOffset) {
				t.Fatalf("%+v at %d: total %d, want %d", q, next.Offset, page.Total, len(byOffset))
			}
			for _, p := range page.People {
				byNext = append(byNext, p.Key)
			}
			if page.Next == "" {
				break
			}
			next.Offset, next.After = next.Offset+len(page.People), page.Next
		}
		if len(byOffset) < 2*q.Limit || !slices.Equal(byOffset, byNext) {
			t.Fatalf("%+v: %d rows by offset, %d by next, equal %v", q, len(byOffset), len(byNext), slices.Equal(byOffset, byNext))
		}
	}
	first, err := s.SearchPeople(ctx, Query{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []Query{{After: "not-a-cursor"}, {After: first.Next, Order: ByNewest}} {
		if _, err := s.SearchPeople(ctx, bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("After %q, order %d: %v", bad.After, bad.Order, err)
		}
	}
}

// TestSearchReadersMapTheFile checks that a SQLite journal's readers read it memory-mapped
// (what keeps a search among a million people fast) while the writer does not.
func TestSearchReadersMapTheFile(t *testing.T) {
	s := openFile(t)
	var reader, writer int64
	if err := s.r.QueryRow(`PRAGMA mmap_size`).Scan(&reader); err != nil {
		t.Fatal(err)
	}
	if err := s.w.QueryRow(`PRAGMA mmap_size`).Scan(&writer); err != nil {
		t.Fatal(err)
	}
	if reader < 1<<30 || writer != 0 {
		t.Errorf("mmap_size: readers %d, writer %d; want readers 1 GiB, writer 0", reader, writer)
	}
}
