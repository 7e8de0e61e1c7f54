package uitest

import (
	"context"

	"enrollstation/enroll"
)

// FirmwareTargets is a journal's target list for the firmware wizard's tests: it answers
// Targets with itself, or with Err when set.
type FirmwareTargets struct {
	List []enroll.Target
	Err  error
}

// Targets returns the list, or Err.
func (f FirmwareTargets) Targets(context.Context) ([]enroll.Target, error) {
	if f.Err != nil {
		return nil, f.Err
	}
	return f.List, nil
}
