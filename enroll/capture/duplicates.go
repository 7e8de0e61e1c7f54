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

// Duplicate is someone this capture may already be. The uuid a camera reports is the
// subject uuid, which is the person key this station pushes to EF-45s.
type Duplicate struct {
	// PersonKey is the duplicate uuid.
	PersonKey string
	// Sources say who found it: "left iris", "right iris", "face far_off" (the camera's
	// search during capture) or "subjects check" (PUT /subjects/is-exist/template).
	Sources []string
	// Person is the journal's person with that key; nil when the journal does not know
	// it (enrolled by another station, or erased here).
	Person *store.Person
}

// checkDuplicates gathers the item's duplicate uuids, asks the camera's subjects check with
// the item's iris templates, and looks each uuid up in the journal.
func checkDuplicates(ctx context.Context, s *ef45.Session, people People, d *ef45.BiometricData) ([]Duplicate, error) {
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
