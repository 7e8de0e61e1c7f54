package enroll

import (
	"context"
	"fmt"
	"strings"

	"enrollstation/enroll/capture"
	"enrollstation/enroll/target"
	"enrollstation/store"
)

var _ capture.Elsewhere = (*Station)(nil)

// DuplicateCheckers are the journal's enabled EF-45 targets other than the capture camera
// at camera (HOST:PORT), for the duplicate check of each capture: they hold everyone enrolled at every desk that
// shares the journal (once pushed), where a desk's own camera holds only whom it was
// given. The capture camera is asked anyway.
func (s *Station) DuplicateCheckers(ctx context.Context, camera string) ([]capture.Checker, error) {
	ts, err := s.st.Targets(ctx)
	if err != nil {
		return nil, fmt.Errorf("duplicate checkers: %w", err)
	}
	var out []capture.Checker
	for _, t := range ts {
		if !t.Enabled || t.Kind != store.TargetEF45 || sameAddress(t.Address, camera) {
			continue
		}
		tg, err := target.OpenWith(ctx, t, s.sec, s.topts)
		if err != nil {
			return nil, fmt.Errorf("duplicate checkers: %w", err)
		}
		if c, ok := tg.(target.DuplicateChecker); ok {
			out = append(out, checker{name: t.Name, c: c})
		}
	}
	return out, nil
}

// sameAddress says a target's address names the camera at camera (HOST:PORT).
func sameAddress(addr, camera string) bool {
	norm := func(a string) string {
		a = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(a), "http://"), "https://")
		if c, err := CheckCameraAddress(strings.TrimSuffix(a, "/")); err == nil {
			return c
		}
		return a
	}
	return camera != "" && norm(addr) == norm(camera)
}

// checker is a target's duplicate check under the target's name.
type checker struct {
	name string
	c    target.DuplicateChecker
}

func (c checker) Name() string { return c.name }

func (c checker) CheckDuplicate(ctx context.Context, left, right []byte) (string, error) {
	return c.c.CheckDuplicate(ctx, left, right)
}
