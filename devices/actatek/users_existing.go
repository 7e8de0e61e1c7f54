package actatek

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// What a write of users does when the terminal says a user is already there: compare
// its copy with what was sent (same: Existing; different: ErrUserExists).

// checkExisting compares a user the terminal says it already has with what was sent.
func (s *UserService) checkExisting(ctx context.Context, call string, sent User, refusal error) ItemResult {
	res := ItemResult{UserID: sent.UserID, Err: refusal}
	got, err := s.Get(ctx, sent.UserID)
	if err != nil {
		res.Err = fmt.Errorf("%w (and reading the terminal's copy failed: %v)", refusal, err)
		return res
	}
	if diff := userDiff(sent, got); diff != "" {
		res.Err = fmt.Errorf("%w with a different %s", refusal, diff)
		return res
	}
	var e *Error
	if errors.As(refusal, &e) {
		res.Message = e.Message
	}
	res.Existing, res.Err = true, nil
	return res
}

// userDiff names what differs between a user as sent and as the terminal has it, or ""
// when they are the same user. Passwords are not compared (the terminal need not return
// them), nor photos the terminal leaves out of its answer.
func userDiff(sent, got User) string {
	var d []string
	if sent.FirstName != got.FirstName {
		d = append(d, "first name")
	}
	if sent.LastName != got.LastName {
		d = append(d, "last name")
	}
	if sent.OtherName != got.OtherName {
		d = append(d, "other name")
	}
	if level(sent.AdminLevel) != level(got.AdminLevel) {
		d = append(d, "admin level")
	}
	if !sameIDs(sent.DepartmentID, got.DepartmentID) {
		d = append(d, "department")
	}
	if !sameIDs(sent.GroupID, got.GroupID) {
		d = append(d, "access group")
	}
	if sent.CardSN != got.CardSN {
		d = append(d, "card")
	}
	if !sameFaces(sent.FacialRecords, got.FacialRecords) {
		d = append(d, "facial record")
	}
	return strings.Join(d, ", ")
}

func level(l string) string {
	switch l = strings.ToUpper(strings.TrimSpace(l)); l {
	case NetworkAdmin, UserAdmin, SuperAdmin:
		return l
	}
	return PersonalUser
}

// sameIDs compares id lists as sets; an empty list is the terminal's default [0] (3.1).
func sameIDs(a, b IDs) bool {
	norm := func(ids IDs) []int {
		if len(ids) == 0 {
			return []int{0}
		}
		s := slices.Clone([]int(ids))
		slices.Sort(s)
		return slices.Compact(s)
	}
	return slices.Equal(norm(a), norm(b))
}

// sameFaces reports whether every face sent is on the terminal: same template type, and
// same template and photo where both sides have them.
func sameFaces(sent, got List[FacialRecord]) bool {
	if len(sent) != len(got) {
		return false
	}
	used := make([]bool, len(got))
	for _, f := range sent {
		found := false
		for j, g := range got {
			if used[j] || f.TemplateType != g.TemplateType {
				continue
			}
			if len(f.Template) > 0 && len(g.Template) > 0 && !bytes.Equal(f.Template, g.Template) {
				continue
			}
			if len(f.Photo) > 0 && len(g.Photo) > 0 && !bytes.Equal(f.Photo, g.Photo) {
				continue
			}
			used[j], found = true, true
			break
		}
		if !found {
			return false
		}
	}
	return true
}

func batchError(call string, results []ItemResult, first error) error {
	failed := 0
	for _, r := range results {
		if r.Err != nil {
			failed++
			if first == nil {
				first = r.Err
			}
		}
	}
	if failed == 0 {
		return nil
	}
	return &BatchError{Call: call, Failed: failed, Total: len(results), First: first}
}
