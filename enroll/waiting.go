package enroll

import (
	"context"

	"enrollstation/store"
)

// WaitingOutcome is what adding a person to the waiting list did.
type WaitingOutcome = store.WaitingOutcome

// Outcomes of adding people to the waiting list.
const (
	WaitingAdded       = store.WaitingAdded
	WaitingKept        = store.WaitingKept
	WaitingOverwritten = store.WaitingOverwritten
)

// AddWaiting puts imported people at the end of the waiting list; a key the journal knows
// already is kept as it is unless overwrite. One outcome per person, in order.
func (s *Station) AddWaiting(ctx context.Context, people []Person, overwrite bool) ([]WaitingOutcome, error) {
	return s.st.AddWaiting(ctx, people, overwrite)
}

// Waiting is the waiting list, first to be called first.
func (s *Station) Waiting(ctx context.Context) ([]Person, error) { return s.st.Waiting(ctx) }

// NextWaiting is the first person on the waiting list; ErrNotFound when it is empty.
func (s *Station) NextWaiting(ctx context.Context) (Person, error) { return s.st.NextWaiting(ctx) }

// RemoveWaiting takes a person off the waiting list without enrolling them. Enrolling a
// person takes them off by itself.
func (s *Station) RemoveWaiting(ctx context.Context, key string) error {
	return s.st.RemoveWaiting(ctx, key)
}
