package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// The arms of a broad search are walked in the sort's index (see walkFrom); the pages,
// totals and paging they give are those of one plain query over every match, in either
// order, with a state, an offset or a cursor.
func TestSearchWalksBroadArms(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	s.walkFrom = 300 // a few thousand people, not the 60,000 the real threshold needs
	if err := s.SeedPeople(ctx, 6_000, 5); err != nil {
		t.Fatal(err)
	}
	// The cases below only mean something if their arms are broad enough to be walked.
	for _, arm := range []struct{ col, prefix, not string }{{"name_fg", "m", ""}, {"name_gf", "m", "name_fg"}} {
		where := arm.col + ` >= 'm' AND ` + arm.col + ` < 'n'`
		if arm.not != "" {
			where += ` AND NOT (` + arm.not + ` >= 'm' AND ` + arm.not + ` < 'n')`
		}
		var n int
		if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM people WHERE `+where).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n < s.walkThreshold() {
			t.Fatalf("the %s arm of %q has %d matches, fewer than the %d a walk needs", arm.col, arm.prefix, n, s.walkThreshold())
		}
	}
	for _, q := range []Query{
		{Text: "m"},
		{Text: "m", Order: ByNewest},
		{Text: "m", Offset: 300},
		{Text: "m", State: PushPending},
		{Text: "mo", Order: ByNewest, State: PushDone},
		{Text: "b"}, // also key prefixes (hexadecimal)
		{Text: "q"}, // nobody
	} {
		t.Run(fmt.Sprintf("%q state %q order %d offset %d", q.Text, q.State, q.Order, q.Offset), func(t *testing.T) {
			want, total := plainSearch(t, s, q, 3*50)
			var got []string
			next := q
			next.Limit = 50
			for range 3 {
				page, err := s.SearchPeople(ctx, next)
				if err != nil {
					t.Fatal(err)
				}
				if page.Total != min(total, q.Offset+50+CountAhead) && next.After == "" {
					t.Errorf("total %d, want %d", page.Total, total)
				}
				for _, p := range page.People {
					got = append(got, p.Key)
				}
				if page.Next == "" {
					break
				}
				next.After, next.Offset = page.Next, next.Offset+50
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%d people paged, want %d\n got %.5q\nwant %.5q", len(got), len(want), got, want)
			}
		})
	}
}

// plainSearch is q as one query over every match, sorted whole: n keys from q.Offset, and
// how many match in all.
func plainSearch(t *testing.T, s *Store, q Query, n int) ([]string, int) {
	t.Helper()
	t0, t1 := normalize(q.Text), prefixEnd(normalize(q.Text))
	where := `(name_fg >= ?1 AND name_fg < ?2 OR name_gf >= ?1 AND name_gf < ?2 OR key_norm >= ?1 AND key_norm < ?2)`
	args := []any{t0, t1}
	if q.State != "" {
		where += ` AND push_state = ?3`
		args = append(args, string(q.State))
	}
	order := `name_fg, created_at, id`
	if q.Order == ByNewest {
		order = `created_at DESC, id DESC`
	}
	var total int
	if err := s.r.QueryRowContext(t.Context(), `SELECT count(*) FROM people WHERE `+where, args...).Scan(&total); err != nil {
		t.Fatal(err)
	}
	rows, err := s.r.QueryContext(t.Context(), fmt.Sprintf(`SELECT person_key FROM people WHERE %s ORDER BY %s LIMIT %d OFFSET %d`,
		where, order, n, q.Offset), args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	keys := []string{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return keys, total
}
