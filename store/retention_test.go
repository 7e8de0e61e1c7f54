package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestRetentionDueAndNext(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	tg := addTarget(t, s, TargetACTAtek, "Lobby")
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	save := func(key string, at time.Time, validUntil time.Time) {
		t.Helper()
		s.now = func() time.Time { return at }
		p := testPerson(key, "Given "+key, "Family")
		p.ValidUntil = validUntil
		if _, err := s.SaveCapture(ctx, p, testCapture(key), []TargetID{tg}); err != nil {
			t.Fatal(err)
		}
	}
	// A schedule of 30 days.
	save("ended-long-ago", now.Add(-400*day), now.Add(-60*day)) // due: validity ended 60 days ago
	save("ended-lately", now.Add(-400*day), now.Add(-10*day))   // next: due in 20 days
	save("old-enrollment", now.Add(-45*day), time.Time{})       // due: enrolled 45 days ago, no end
	save("new-enrollment", now.Add(-5*day), time.Time{})        // next: due in 25 days
	save("valid-for-years", now.Add(-400*day), now.Add(700*day))
	save("being-erased", now.Add(-400*day), now.Add(-90*day))
	if _, err := s.QueueErase(ctx, "being-erased", "op1", []TargetID{tg}); err != nil {
		t.Fatal(err)
	}
	// Enrolled again lately: the last enrollment counts, not the first.
	save("re-enrolled", now.Add(-100*day), time.Time{})
	save("re-enrolled", now.Add(-2*day), time.Time{})

	due, next, err := s.Retention(ctx, 30, now, 100, 3)
	if err != nil {
		t.Fatal(err)
	}
	keys := func(es []RetentionEntry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.PersonKey)
		}
		return out
	}
	if got := keys(due); len(got) != 2 || got[0] != "ended-long-ago" || got[1] != "old-enrollment" {
		t.Fatalf("due %v", got)
	}
	if !due[0].ValidityEnd || due[1].ValidityEnd || !due[0].Due.Equal(now.Add(-30*day)) || !due[1].Basis.Equal(now.Add(-45*day)) {
		t.Fatalf("due entries %+v", due)
	}
	if got := keys(next); len(got) != 3 || got[0] != "ended-lately" || got[1] != "new-enrollment" || got[2] != "re-enrolled" {
		t.Fatalf("next %v", got)
	}
	if !next[0].Due.Equal(now.Add(20 * day)) {
		t.Fatalf("next due %v", next[0].Due)
	}
	if _, _, err := s.Retention(ctx, 0, now, 10, 10); !errors.Is(err, ErrInvalid) {
		t.Fatalf("a schedule of 0 days: %v", err)
	}
}
