package demo

import (
	"context"
	"fmt"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

// demoDepartments are every demo terminal's departments, those of the demo's people.
var demoDepartments = []string{"Front desk", "Engineering", "Finance", "Facilities", "Security"}

// demoGroups are the access groups of each demo terminal: some shared, some not, so the
// form's picker shows them merged by name.
var demoGroups = [][]string{
	{"Staff", "Visitors", "Night shift"},
	{"Staff", "Engineering lab"},
}

// organise gives the terminal at url its departments and access groups, through its own
// API as a technician would set it up.
func organise(ctx context.Context, sim *actateksim.Simulator, url, pin string, groups []string) error {
	c, err := actatek.New(url, actatek.Options{Credentials: sim.Credentials(), PinSHA256: pin})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer c.Close()
	deps := make([]actatek.Department, len(demoDepartments))
	for i, n := range demoDepartments {
		deps[i] = actatek.Department{ID: actatek.Int(i + 1), Name: n, Description: n}
	}
	if err := c.Departments.Add(ctx, deps...); err != nil {
		return fmt.Errorf("demo: departments of %s: %w", url, err)
	}
	gs := make([]actatek.AccessGroup, len(groups))
	for i, n := range groups {
		gs[i] = actatek.AccessGroup{Name: n, AccessRightID: actatek.IDs{0}} // right 0: always
	}
	if err := c.AccessGroups.Add(ctx, gs...); err != nil {
		return fmt.Errorf("demo: access groups of %s: %w", url, err)
	}
	return nil
}
