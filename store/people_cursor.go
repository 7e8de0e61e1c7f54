// Keyset paging of search results: the page after a row is read by seeking to that row
// in the sort's index, not by counting every row before it.

package store

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// cursor is the sort key of a page's last row, as Page.Next and Query.After carry it.
type cursor struct {
	Order     Order  `json:"o"`
	NameFG    string `json:"n,omitempty"`
	CreatedMS int64  `json:"c"`
	ID        int64  `json:"i"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c) // plain fields: cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}

// afterCond is the condition on people's rows that keeps those after q.After, with its
// arguments; empty when q has no After.
func afterCond(q Query) (string, []any, error) {
	if q.After == "" {
		return "", nil, nil
	}
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(q.After)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID <= 0 {
		return "", nil, fmt.Errorf("%w: the page to follow is not one a search gave", ErrInvalid)
	}
	if c.Order != q.Order {
		return "", nil, fmt.Errorf("%w: the page to follow was sorted another way", ErrInvalid)
	}
	if q.Order == ByNewest {
		return `(created_at, id) < (?, ?)`, []any{c.CreatedMS, c.ID}, nil
	}
	return `(name_fg, created_at, id) > (?, ?, ?)`, []any{c.NameFG, c.CreatedMS, c.ID}, nil
}
