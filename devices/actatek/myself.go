package actatek

import (
	"context"
	"net/http"
)

// MyselfService reads and changes the account the client is logged in with (spec 8).
type MyselfService service

// Get returns the logged-in account as a user (getMyself, 8.1).
func (s *MyselfService) Get(ctx context.Context) (User, error) {
	var out User
	err := s.c.do(ctx, request{call: "getMyself", method: http.MethodGet,
		path: func(sid string) string { return seg("myself", sid) }}, &out)
	return out, err
}

// Update changes the logged-in account's names, card or password (updateMyself, 8.2);
// u.UserID must be the account's own.
func (s *MyselfService) Update(ctx context.Context, u MyselfUpdate) error {
	return s.c.writeOne(ctx, request{call: "updateMyself", method: http.MethodPut,
		path: func(sid string) string { return seg("myself", sid) }, body: u})
}

// MyselfUpdate is the body of updateMyself (8.2): only names, card and password can change,
// and UserID must be the logged-in user's.
type MyselfUpdate struct {
	UserID    string `json:"userID"`
	LastName  string `json:"lastName,omitempty"`
	FirstName string `json:"firstName,omitempty"`
	OtherName string `json:"otherName,omitempty"`
	Password  string `json:"password,omitempty"`
	CardSN    string `json:"cardsn,omitempty"`
}
