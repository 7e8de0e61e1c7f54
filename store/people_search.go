// Searching the people of the journal: a page of matches, counted a little ahead, read
// from the indexes alone.

package store

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Order is the order of search results.
type Order int

// Orders of search results.
const (
	ByName   Order = iota // family name, given name, then enrolment time
	ByNewest              // most recently enrolled first
)

// Query selects people. Every field is optional; zero values match everyone.
type Query struct {
	// Text matches a prefix of the family or given name, of the full name in either order,
	// or of the person key; case does not matter.
	Text string
	// From and To bound the enrolment time: From <= created < To.
	From, To time.Time
	// State keeps only people with that push state.
	State PushState
	Order Order
	// Limit is the page size: 50 when zero, at most 1000.
	Limit int
	// Offset skips that many results, for page N of a list.
	Offset int
	// After, when set to the Next of the page before, reads the page that follows that
	// page's last row straight from the indexes, however deep: Offset then only says how
	// many results come before it.
	After string
}

// Page is one page of search results and the number of matches in all.
type Page struct {
	People []Person `json:"people"`
	// Total is how many match, counted up to CountAhead past the page; Capped says the
	// count stopped there, and more match.
	Total  int  `json:"total"`
	Capped bool `json:"total_capped,omitempty"`
	Offset int  `json:"offset"`
	Limit  int  `json:"limit"`
	// Next is the After of the page that follows, when one does.
	Next string `json:"next,omitempty"`
}

// CountAhead is how many matches past its page a search counts. Counting every match of
// a broad search among a million people took most of its time; nobody reads a total
// beyond "more than 10,000", and paging on is still told whether more follow.
const CountAhead = 10_000

// More reports whether pages follow this one.
func (p Page) More() bool { return p.Offset+len(p.People) < p.Total }

// SearchPeople returns one page of the people matching q, and how many match in all. The
// matches are found and ordered from indexes alone (each carries the sort and filter
// columns); only the page's own rows are read from the table, so a broad search among
// 100,000 people stays fast.
func (s *Store) SearchPeople(ctx context.Context, q Query) (Page, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	if q.Limit > 1000 {
		q.Limit = 1000
	}
	if q.Offset < 0 {
		q.Offset = 0
	}
	switch q.State {
	case "", PushNone, PushPending, PushFailed, PushDone:
	default:
		return Page{}, fmt.Errorf("search people: %w: push state %q (want none, pending, failed or done)", ErrInvalid, q.State)
	}
	var filters []string
	var fargs []any
	if !q.From.IsZero() {
		filters = append(filters, `created_at >= ?`)
		fargs = append(fargs, q.From.UnixMilli())
	}
	if !q.To.IsZero() {
		filters = append(filters, `created_at < ?`)
		fargs = append(fargs, q.To.UnixMilli())
	}
	if q.State != "" {
		filters = append(filters, `push_state = ?`)
		fargs = append(fargs, string(q.State))
	}
	order, outer := `name_fg, created_at, id`, `m.name_fg, m.created_at, m.id`
	if q.Order == ByNewest {
		order, outer = `created_at DESC, id DESC`, `m.created_at DESC, m.id DESC`
	}
	after, aargs, err := afterCond(q)
	if err != nil {
		return Page{}, fmt.Errorf("search people: %w", err)
	}
	skip := q.Offset
	if after != "" {
		filters, fargs, skip = append(filters, after), append(fargs, aargs...), 0
	}
	// The matches are arms of (id, name_fg, created_at) rows. A text search is three index
	// range scans (family-first name, given-first name, key), each leaving out what an
	// earlier one found, so UNION ALL needs no costly de-duplication. Both engines compare
	// these columns byte by byte, and UTF-8 keeps code point order, so [t, prefixEnd(t)) is
	// exactly "starts with t".
	var arms []arm
	if t := normalize(q.Text); t != "" {
		hi := prefixEnd(t)
		var seen []string
		for _, col := range []string{"name_fg", "name_gf", "key_norm"} {
			conds := append([]string{col + ` >= ?`, col + ` < ?`}, seen...)
			a := arm{where: strings.Join(append(conds, filters...), " AND "), args: []any{t, hi}}
			for range seen {
				a.args = append(a.args, t, hi)
			}
			a.args = append(a.args, fargs...)
			arms = append(arms, a)
			seen = append(seen, `NOT (`+col+` >= ? AND `+col+` < ?)`)
		}
	} else {
		arms = append(arms, arm{where: strings.Join(filters, " AND "), args: fargs})
	}
	page := Page{Offset: q.Offset, Limit: q.Limit, People: []Person{}}
	// Count and page in one read transaction, so the total matches the page.
	tx, err := s.readTx(ctx)
	if err != nil {
		return Page{}, fmt.Errorf("search people: %w", err)
	}
	defer tx.Rollback()
	// The count reads the arms in turn and stops CountAhead past the page; an arm whose
	// page may be walked in order (see walkFrom) is counted at least that far, to choose.
	upTo := skip + q.Limit + CountAhead
	n := 0
	for i := range arms {
		a := &arms[i]
		// The family-name arm of a search by name is read in its own index's order.
		a.walk = i == 0 && len(arms) > 1 && q.Order == ByName
		choose := len(arms) > 1 && !a.walk && skip+q.Limit <= walkReach
		limit := upTo - n
		if choose {
			limit = max(limit, s.walkThreshold())
		}
		if limit <= 0 {
			continue
		}
		var c int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (`+a.count()+` LIMIT ?) AS n`, append(a.args, limit)...).Scan(&c); err != nil {
			return Page{}, fmt.Errorf("search people: count: %w", err)
		}
		n += c
		if choose && c >= s.walkThreshold() {
			a.walk, a.index = true, s.orderIndex(q.Order)
		}
	}
	page.Total, page.Capped = q.Offset-skip+min(n, upTo), n >= upTo
	// The page merges the arms; an arm walked in the sort's order stops as far as the page
	// could reach.
	var paged []string
	var pargs []any
	for i, a := range arms {
		pargs = append(pargs, a.args...)
		if !a.walk {
			paged = append(paged, a.query(""))
			continue
		}
		paged = append(paged, fmt.Sprintf(`SELECT * FROM (%s ORDER BY %s LIMIT ?) AS arm%d`, a.query(a.index), order, i))
		pargs = append(pargs, skip+q.Limit)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+personColumns+`, m.name_fg, m.id
		FROM (SELECT id, name_fg, created_at FROM (`+strings.Join(paged, " UNION ALL ")+`) AS a ORDER BY `+order+` LIMIT ? OFFSET ?) AS m
		JOIN people p ON p.id = m.id ORDER BY `+outer, append(pargs, q.Limit, skip)...)
	if err != nil {
		return Page{}, fmt.Errorf("search people: %w", err)
	}
	defer rows.Close()
	var last cursor
	for rows.Next() {
		p, err := scanPerson(multiScanner{rows, []any{&last.NameFG, &last.ID}})
		if err != nil {
			return Page{}, fmt.Errorf("search people: %w", err)
		}
		last.Order, last.CreatedMS = q.Order, p.CreatedAt.UnixMilli()
		page.People = append(page.People, p)
	}
	if err := rows.Err(); err != nil {
		return Page{}, fmt.Errorf("search people: %w", err)
	}
	if page.More() && len(page.People) > 0 {
		page.Next = last.encode()
	}
	return page, nil
}

// An arm is one part of a search's matches: the people matching where with args.
type arm struct {
	where string
	args  []any
	// walk reads the arm's page in the sort's order, through index when one is named.
	walk  bool
	index string
}

// query selects the arm's rows, through index when it is set.
func (a arm) query(index string) string {
	q := `SELECT id, name_fg, created_at FROM people`
	if index != "" {
		q += ` INDEXED BY ` + index
	}
	return q + a.whereClause()
}

// count selects a row per match and no column: SQLite reads no column it is not asked
// for, which halves the time a count of 10,000 index entries takes.
func (a arm) count() string { return `SELECT 1 FROM people` + a.whereClause() }

func (a arm) whereClause() string {
	if a.where == "" {
		return ""
	}
	return ` WHERE ` + a.where
}

// An arm with many matches is read for its page by walking the index of the sort's order,
// which holds every column an arm filters on, and keeping the matches until the page is
// full: at walkFrom matches among a million people that reads about 10,000 index entries
// for a page of 50, and fewer the more match. With fewer matches, finding them all in the
// arm's own index and sorting them reads less. (Given-name prefix "ma": every match read
// and sorted took 42 ms on PostgreSQL, the walk 1 ms; a prefix nobody has, walked, reads
// the whole index.) Pages reached by offset past walkReach are read the sorting way.
const (
	walkFrom  = 5000
	walkReach = 1000
)

// walkThreshold is walkFrom, or the tests' own.
func (s *Store) walkThreshold() int {
	if s.walkFrom > 0 {
		return s.walkFrom
	}
	return walkFrom
}

// orderIndex is the index the sort o walks, as SQLite is told it (INDEXED BY). PostgreSQL
// has no such hint; its planner, told the LIMIT, takes the same index for the arms it is
// used for (their prefixes are common, so its statistics know them).
func (s *Store) orderIndex(o Order) string {
	if s.pg {
		return ""
	}
	if o == ByNewest {
		return "people_created"
	}
	return "people_name_fg"
}

// prefixEnd is the first string after every string that starts with t: t with its last
// character moved on by one code point (a last U+10FFFF is dropped first). It is valid
// UTF-8, which a PostgreSQL text parameter must be.
func prefixEnd(t string) string {
	r := []rune(t)
	for i := len(r) - 1; i >= 0; i-- {
		if r[i] < utf8.MaxRune {
			r[i]++
			if r[i] >= 0xd800 && r[i] <= 0xdfff { // surrogates are not characters
				r[i] = 0xe000
			}
			return string(r[:i+1])
		}
	}
	return string(utf8.MaxRune) + string(utf8.MaxRune) // t is all U+10FFFF: nothing sorts after
}
