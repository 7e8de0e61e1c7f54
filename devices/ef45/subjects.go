package ef45

import (
	"context"
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
