package target

import (
	"context"

	"enrollstation/devices/ef45"
)

// DuplicateChecker is a target that matches iris templates against the people it holds:
// an EF-45 holds every person pushed to it, from whichever desk enrolled them.
type DuplicateChecker interface {
	CheckDuplicate(ctx context.Context, left, right []byte) (string, error)
}

var _ DuplicateChecker = (*ef45Target)(nil)

// CheckDuplicate asks the EF-45 whether these iris templates match a subject it holds
// (PUT /subjects/is-exist/template, under its lock) and returns the subject's uuid, which
// is the person key, or "".
func (e *ef45Target) CheckDuplicate(ctx context.Context, left, right []byte) (string, error) {
	var key string
	err := e.session(ctx, func(s *ef45.Session) error {
		var err error
		key, err = s.Subjects.CheckDuplicate(ctx, left, right)
		return err
	})
	return key, err
}
