package ef45

import (
	"context"
	"encoding/hex"
	"encoding/json"
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
		return nil, local("find user by card", err)
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

// UserInfo is a user-info record (spec 003, GET /user-info/uuid/{uuid}). Card is hex bytes
// separated by spaces ("65 D8 A1 BD"). "indivisual" is the spec's spelling.
type UserInfo struct {
	UserUUID                    string `json:"user_uuid"`
	Card                        string `json:"card"`
	PIN                         string `json:"pin"`
	Admin                       Int    `json:"admin"`
	GroupIndex                  Int    `json:"group_index"`
	ByPassCard                  Int    `json:"by_pass_card"`
	Individual                  Int    `json:"indivisual"`
	ThreeOutStatus              Int    `json:"three_out_status"`
	ThreeOutStatusAccessAllowed Int    `json:"three_out_status_access_allowed"`
	JobCode                     Int    `json:"job_code"`
	TimeScheduleCode            Int    `json:"time_schedule_code"`
	APBStatus                   Int    `json:"apb_status"`
	Message                     string `json:"message"`
}

// BatchUser is the body of POST /user: a subject with its user info and faces.
type BatchUser struct {
	Subject
	UserInfo *UserInfo    `json:"user_info,omitempty"`
	Faces    []FaceRecord `json:"faces,omitempty"`
}

// UnmarshalJSON decodes user_uuid, card and pin as text or number.
func (v *UserInfo) UnmarshalJSON(b []byte) error {
	type plain UserInfo
	w := struct {
		*plain
		UserUUID Text `json:"user_uuid"`
		Card     Text `json:"card"`
		PIN      Text `json:"pin"`
	}{(*plain)(v), Text(v.UserUUID), Text(v.Card), Text(v.PIN)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.UserUUID = string(w.UserUUID)
	v.Card = string(w.Card)
	v.PIN = string(w.PIN)
	return nil
}

// UnmarshalJSON decodes the subject's members and the batch's own. Subject's decoder
// would otherwise be promoted and decode the subject alone.
func (v *BatchUser) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &v.Subject); err != nil {
		return err
	}
	w := struct {
		UserInfo *UserInfo    `json:"user_info"`
		Faces    []FaceRecord `json:"faces"`
	}{v.UserInfo, v.Faces}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.UserInfo, v.Faces = w.UserInfo, w.Faces
	return nil
}
