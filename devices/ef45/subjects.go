package ef45

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
)

// List returns subjects, a page at a time or all with a nil or zero ListOptions
// (GET /subjects).
func (s *SubjectService) List(ctx context.Context, opts *ListOptions) (*List[Subject], error) {
	var l List[Subject]
	if err := s.s.get(ctx, "list subjects", "subjects", opts.values(), &l, limitLarge); err != nil {
		return nil, err
	}
	return &l, nil
}

// Get returns one subject (GET /subjects/{uuid}).
func (s *SubjectService) Get(ctx context.Context, userUUID string) (*Subject, error) {
	var v Subject
	if err := s.s.get(ctx, "read subject", "subjects/"+url.PathEscape(userUUID), nil, &v, limitLarge); err != nil {
		return nil, err
	}
	return &v, nil
}

// Create registers a subject (POST /subjects).
func (s *SubjectService) Create(ctx context.Context, v *Subject) error {
	return s.s.send(ctx, "register subject", http.MethodPost, "subjects", nil, v, nil)
}

// Update replaces a subject (PUT /subjects/{uuid}).
func (s *SubjectService) Update(ctx context.Context, v *Subject) error {
	return s.s.send(ctx, "update subject", http.MethodPut, "subjects/"+url.PathEscape(v.UserUUID), nil, v, nil)
}

// Delete removes a subject (DELETE /subjects/{uuid}).
func (s *SubjectService) Delete(ctx context.Context, userUUID string) error {
	return s.s.send(ctx, "delete subject", http.MethodDelete, "subjects/"+url.PathEscape(userUUID), nil, nil, nil)
}

// CheckDuplicate asks the device whether these iris templates are already enrolled
// (PUT /subjects/is-exist/template). It returns the matching subject's uuid, or "".
func (s *SubjectService) CheckDuplicate(ctx context.Context, left, right []byte) (string, error) {
	var r DuplicateResult
	err := s.s.send(ctx, "check duplicate", http.MethodPut, "subjects/is-exist/template", nil,
		DuplicateCheck{LeftEyeTemplate: left, RightEyeTemplate: right}, &r)
	return r.DuplicateUUID, err
}

// RecordVersion returns the biometric algorithm's record version (GET /subjects/record-version).
func (s *SubjectService) RecordVersion(ctx context.Context) (int, error) {
	var r RecordVersion
	err := s.s.get(ctx, "read record version", "subjects/record-version", nil, &r, 0)
	return int(r.RecordVersion), err
}

// Subject is a subject record (the object spec 003 shows for GET /subjects/{uuid}); also
// the body of POST /subjects and PUT /subjects/{uuid}.
type Subject struct {
	UserUUID         string `json:"user_uuid"`
	RecordVersion    Int    `json:"record_version"`
	LastName         string `json:"last_name"`
	AccessAllowed    Bool   `json:"access_allowed"`
	FirstName        string `json:"first_name"`
	MatchUntil       string `json:"match_until"`
	WiegandFacility  Int    `json:"wiegand_facility"`
	WiegandSite      Int    `json:"wiegand_site"`
	WiegandCode      Int    `json:"wiegand_code"`
	WiegandCustom    Int    `json:"wiegand_custom"`
	LeftEyeTemplate  []byte `json:"left_eye_template"`
	RightEyeTemplate []byte `json:"right_eye_template"`
	LeftImagePath    Int    `json:"left_image_path"`
	RightImagePath   Int    `json:"right_image_path"`
}

// RecordVersion is the answer of GET /subjects/record-version.
type RecordVersion struct {
	RecordVersion Int `json:"record_version"`
}

// DuplicateCheck is the body of PUT /subjects/is-exist/template.
type DuplicateCheck struct {
	LeftEyeTemplate  []byte `json:"left_eye_template"`
	RightEyeTemplate []byte `json:"right_eye_template"`
}

// DuplicateResult is its answer; an empty DuplicateUUID means no duplicate.
type DuplicateResult struct {
	DuplicateUUID string `json:"duplicate_uuid"`
}

// UnmarshalJSON decodes user_uuid and match_until as text or number.
func (v *Subject) UnmarshalJSON(b []byte) error {
	type plain Subject
	w := struct {
		*plain
		UserUUID   Text `json:"user_uuid"`
		MatchUntil Text `json:"match_until"`
	}{(*plain)(v), Text(v.UserUUID), Text(v.MatchUntil)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.UserUUID = string(w.UserUUID)
	v.MatchUntil = string(w.MatchUntil)
	return nil
}

// UnmarshalJSON decodes duplicate_uuid as text or number.
func (v *DuplicateResult) UnmarshalJSON(b []byte) error {
	type plain DuplicateResult
	w := struct {
		*plain
		DuplicateUUID Text `json:"duplicate_uuid"`
	}{(*plain)(v), Text(v.DuplicateUUID)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.DuplicateUUID = string(w.DuplicateUUID)
	return nil
}
