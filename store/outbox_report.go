package store

import (
	"context"
	"fmt"
)

// TargetCounts is how many outbox rows of one target stand in each state.
type TargetCounts struct {
	Target TargetID            `json:"target"`
	Name   string              `json:"name"`
	Kind   TargetKind          `json:"kind"`
	Counts map[OutboxState]int `json:"counts"`
}

// OutboxByTarget counts outbox rows per target and state, every target listed (one with
// no rows has empty counts), in name order.
func (s *Store) OutboxByTarget(ctx context.Context) ([]TargetCounts, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT t.id, t.name, t.kind, COALESCE(o.state, ''), COUNT(o.id)
		FROM targets t LEFT JOIN outbox o ON o.target_id = t.id
		GROUP BY t.id, o.state ORDER BY t.name, o.state`)
	if err != nil {
		return nil, fmt.Errorf("outbox by target: %w", err)
	}
	defer rows.Close()
	var out []TargetCounts
	for rows.Next() {
		var tc TargetCounts
		var state OutboxState
		var n int
		if err := rows.Scan(&tc.Target, &tc.Name, &tc.Kind, &state, &n); err != nil {
			return nil, fmt.Errorf("outbox by target: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Target != tc.Target {
			tc.Counts = map[OutboxState]int{}
			out = append(out, tc)
		}
		if state != "" {
			out[len(out)-1].Counts[state] = n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("outbox by target: %w", err)
	}
	return out, nil
}

// FailedOutbox lists the rows that failed for good, newest first, at most limit.
func (s *Store) FailedOutbox(ctx context.Context, limit int) ([]OutboxItem, error) {
	items, err := queryOutbox(ctx, s.r, ` WHERE o.state = 'failed' ORDER BY o.updated_at DESC, o.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("failed outbox rows: %w", err)
	}
	return items, nil
}
