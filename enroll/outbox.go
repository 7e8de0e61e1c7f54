package enroll

import (
	"context"

	"enrollstation/store"
)

// Outbox is the person's pushes and deletes, one row per target and capture, as they
// stand.
func (s *Station) Outbox(ctx context.Context, personKey string) ([]OutboxItem, error) {
	return s.st.Outbox(ctx, personKey)
}

// OutboxCounts is how many rows the outbox holds in each state.
func (s *Station) OutboxCounts(ctx context.Context) (map[OutboxState]int, error) {
	return s.st.OutboxCounts(ctx)
}

// CheckPersonKey reports whether key can be a person's id on every target.
func CheckPersonKey(key string) error { return store.CheckPersonKey(key) }

// NewPersonKey returns a fresh person key that every target takes.
func NewPersonKey() string { return store.NewPersonKey() }
