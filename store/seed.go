package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// SeedPeople adds n made-up people in one transaction with one prepared statement, for
// benchmarks and load trials of the search (the journal of a large site holds 100,000):
// names from syllables, normalised as a save does, enrolment dates spread over 2025, push
// states spread evenly, no captures. The same seed makes the same names and dates (the
// keys are new UUIDs each time). The planner's statistics are refreshed afterwards, as a
// journal that grew over months would have them.
func (s *Store) SeedPeople(ctx context.Context, n int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	syll := []string{"ma", "ri", "an", "lo", "ve", "ta", "ke", "sa", "no", "be", "el", "du", "fi", "go", "ha", "jo", "ku", "li", "mo", "pe"}
	name := func(parts int) string {
		out := ""
		for range parts {
			out += syll[rng.IntN(len(syll))]
		}
		return string(out[0]-32) + out[1:]
	}
	states := []PushState{PushNone, PushPending, PushFailed, PushDone}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	// Many rows a statement: one round trip each, which a database server needs.
	const batch = 500
	row := `(?, ?, ?, ?, ?, 'op1', ?, ?, ?, ?, ?, ?)`
	err := s.write(ctx, func(tx *sql.Tx) error {
		for done := 0; done < n; done += batch {
			k := min(batch, n-done)
			args := make([]any, 0, k*11)
			for i := done; i < done+k; i++ {
				key, given, family := NewPersonKey(), name(2), name(3)
				at := start.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour)))).UnixMilli()
				fg, gf := nameNorms(given, family)
				args = append(args, key, given, family, fmt.Sprint(rng.Uint32()), start.UnixMilli(), at, at,
					fg, gf, normalize(key), string(states[i%len(states)]))
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO people (person_key, given_name, family_name, card_number,
				consent_at, consent_by, created_at, updated_at, name_fg, name_gf, key_norm, push_state)
				VALUES `+strings.Repeat(row+", ", k-1)+row, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("seed people: %w", err)
	}
	// On PostgreSQL, VACUUM also marks the pages all-visible, as autovacuum soon would, so
	// counts read the indexes alone.
	analyze := `ANALYZE`
	if s.pg {
		analyze = `VACUUM ANALYZE`
	}
	if _, err := s.w.ExecContext(ctx, analyze); err != nil {
		return fmt.Errorf("seed people: analyze: %w", err)
	}
	return nil
}
