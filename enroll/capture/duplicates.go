package capture

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"enrollstation/devices/ef45"
	"enrollstation/store"
)

// People is where the duplicate check looks a person key up. *store.Store satisfies it.
type People interface {
	Person(ctx context.Context, key string) (store.Person, error)
}

// Checker is another device that matches iris templates against the people it holds: an
// EF-45 the journal pushes to holds everyone enrolled at every desk of the site, where the
// capture camera holds only whom it was given.
type Checker interface {
	// Name names the device for the operator ("Gate 2").
	Name() string
	// CheckDuplicate returns the uuid of a subject whose templates match, or "".
	CheckDuplicate(ctx context.Context, left, right []byte) (string, error)
}

// Elsewhere gives the Checkers asked at each capture, besides the camera at camera
// (HOST:PORT), which is asked already and whose lock the capture holds: it must not be one.
type Elsewhere interface {
	DuplicateCheckers(ctx context.Context, camera string) ([]Checker, error)
}

// Duplicate is someone this capture may already be. The uuid a camera reports is the
// subject uuid, which is the person key this station pushes to EF-45s.
type Duplicate struct {
	// PersonKey is the duplicate uuid.
	PersonKey string
	// Sources say who found it: "left iris", "right iris", "face far_off" (the camera's
	// search during capture), "subjects check" (PUT /subjects/is-exist/template) or
	// "subjects check on NAME" (the same asked of a Checker).
	Sources []string
	// Person is the journal's person with that key; nil when the journal does not know
	// it (enrolled by another station, or erased here).
	Person *store.Person
}

// checkDuplicates gathers the item's duplicate uuids, asks the camera's subjects check and
// those of elsewhere with the item's iris templates, and looks each uuid up in the journal.
func checkDuplicates(ctx context.Context, s *ef45.Session, people People, elsewhere Elsewhere, camera string, d *ef45.BiometricData) ([]Duplicate, error) {
	var dups []Duplicate
	add := func(key, source string) {
		if key == "" {
			return
		}
		for i := range dups {
			if dups[i].PersonKey == key {
				if !slices.Contains(dups[i].Sources, source) {
					dups[i].Sources = append(dups[i].Sources, source)
				}
				return
			}
		}
		dups = append(dups, Duplicate{PersonKey: key, Sources: []string{source}})
	}
	add(d.Left.DuplicateUUID, "left iris")
	add(d.Right.DuplicateUUID, "right iris")
	for _, v := range ef45.FaceVariants() {
		add(d.Faces[v].DuplicateUUID, "face "+FaceVariantName(v))
	}
	var checkErr error
	if len(d.Left.EnrolTemplate) > 0 || len(d.Right.EnrolTemplate) > 0 {
		key, err := s.Subjects.CheckDuplicate(ctx, d.Left.EnrolTemplate, d.Right.EnrolTemplate)
		if err != nil {
			checkErr = fmt.Errorf("the camera's duplicate check: %w", err)
		}
		add(key, "subjects check")
		if elsewhere != nil {
			checkErr = errors.Join(checkErr, checkElsewhere(ctx, elsewhere, camera, d, add))
		}
	}
	if people != nil {
		for i := range dups {
			p, err := people.Person(ctx, dups[i].PersonKey)
			switch {
			case err == nil:
				dups[i].Person = &p
			case errors.Is(err, store.ErrNotFound):
			default:
				checkErr = errors.Join(checkErr, fmt.Errorf("look the duplicate up in the journal: %w", err))
			}
		}
	}
	return dups, checkErr
}

// checkElsewhere asks each of elsewhere's checkers with the item's iris templates. A
// checker that does not answer is reported and the others are still asked.
func checkElsewhere(ctx context.Context, elsewhere Elsewhere, camera string, d *ef45.BiometricData, add func(key, source string)) error {
	checkers, err := elsewhere.DuplicateCheckers(ctx, camera)
	if err != nil {
		return fmt.Errorf("the targets' duplicate check: %w", err)
	}
	var errs []error
	for _, c := range checkers {
		key, err := c.CheckDuplicate(ctx, d.Left.EnrolTemplate, d.Right.EnrolTemplate)
		if err != nil {
			errs = append(errs, fmt.Errorf("the duplicate check of %s: %w", c.Name(), err))
			continue
		}
		add(key, "subjects check on "+c.Name())
	}
	return errors.Join(errs...)
}
