package ef45

import (
	"context"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// List returns user-info records, a page at a time or all (GET /user-info).
func (u *UserService) List(ctx context.Context, opts *ListOptions) (*List[UserInfo], error) {
	var l List[UserInfo]
	if err := u.s.get(ctx, "list users", "user-info", opts.values(), &l, limitLarge); err != nil {
		return nil, err
	}
	return &l, nil
}

// Create registers user info (POST /user-info).
func (u *UserService) Create(ctx context.Context, v *UserInfo) error {
	return u.s.send(ctx, "register user info", http.MethodPost, "user-info", nil, v, nil)
}

// ByCard finds the user holding a card (GET /user-info/card/{card}). The card is given in
// hex, with or without spaces ("65D8A1BD", "65 d8 a1 bd").
func (u *UserService) ByCard(ctx context.Context, card string) (*UserInfo, error) {
	c, err := CardHex(card)
	if err != nil {
		return nil, &Error{Call: "find user by card", Err: err, local: true}
	}
	var v UserInfo
	if err := u.s.get(ctx, "find user by card", "user-info/card/"+url.PathEscape(c), nil, &v, 0); err != nil {
		return nil, err
	}
	return &v, nil
}

// CardHex writes a card number the way the device expects it: upper-case hex bytes
// separated by single spaces ("65 D8 A1 BD", spec 003 "Retrieve user info by card").
func CardHex(card string) (string, error) {
	compact := strings.Map(func(r rune) rune {
		if r == ' ' || r == ':' || r == '-' {
			return -1
		}
		return r
	}, card)
	b, err := hex.DecodeString(compact)
	if err != nil || len(b) == 0 {
		return "", fmt.Errorf("card %q is not a hex card number like \"65 D8 A1 BD\"", card)
	}
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("%02X", x)
	}
	return strings.Join(parts, " "), nil
}

// Get returns one user's info (GET /user-info/uuid/{uuid}).
func (u *UserService) Get(ctx context.Context, userUUID string) (*UserInfo, error) {
	var v UserInfo
	if err := u.s.get(ctx, "read user info", "user-info/uuid/"+url.PathEscape(userUUID), nil, &v, 0); err != nil {
		return nil, err
	}
	return &v, nil
}

// Update replaces one user's info (PUT /user-info/uuid/{uuid}).
func (u *UserService) Update(ctx context.Context, v *UserInfo) error {
	return u.s.send(ctx, "update user info", http.MethodPut, "user-info/uuid/"+url.PathEscape(v.UserUUID), nil, v, nil)
}

// Delete removes one user's info (DELETE /user-info/uuid/{uuid}).
func (u *UserService) Delete(ctx context.Context, userUUID string) error {
	return u.s.send(ctx, "delete user info", http.MethodDelete, "user-info/uuid/"+url.PathEscape(userUUID), nil, nil, nil)
}

// CreateBatch registers a whole user at once: subject, user info and faces (POST /user).
func (u *UserService) CreateBatch(ctx context.Context, v *BatchUser) error {
	return u.s.send(ctx, "register user", http.MethodPost, "user", nil, v, nil)
}

// DeleteBatch removes a whole user: subject, user info and faces (DELETE /user/{uuid}).
func (u *UserService) DeleteBatch(ctx context.Context, userUUID string) error {
	return u.s.send(ctx, "delete user", http.MethodDelete, "user/"+url.PathEscape(userUUID), nil, nil, nil)
}
