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

// terminal is where a demo terminal answers.
type terminal struct{ url, pin string }

// TerminalUser is a user as a demo terminal holds it: its cardsn as the terminal writes it,
// and the names of its departments and access groups.
type TerminalUser struct {
	CardSN      string
	Departments []string
	Groups      []string
}

// TerminalUser reads the user with key from demo terminal i (0: the lobby, 1: the office),
// as a technician would check it; false when the terminal does not hold it.
func (d *Demo) TerminalUser(ctx context.Context, i int, key string) (TerminalUser, bool, error) {
	sim, at := d.Sims.ACTAtek[i], d.terminals[i]
	u, ok := sim.User(key)
	if !ok {
		return TerminalUser{}, false, nil
	}
	c, err := actatek.New(at.url, actatek.Options{Credentials: sim.Credentials(), PinSHA256: at.pin})
	if err != nil {
		return TerminalUser{}, true, fmt.Errorf("demo: %w", err)
	}
	defer c.Close()
	deps, err := c.Departments.List(ctx, actatek.DepartmentFilter{})
	if err != nil {
		return TerminalUser{}, true, fmt.Errorf("demo: %w", err)
	}
	groups, err := c.AccessGroups.List(ctx, actatek.AccessGroupFilter{})
	if err != nil {
		return TerminalUser{}, true, fmt.Errorf("demo: %w", err)
	}
	depName, groupName := map[int]string{}, map[int]string{}
	for _, x := range deps {
		depName[int(x.ID)] = x.Name
	}
	for _, x := range groups {
		groupName[int(x.ID)] = x.Name
	}
	out := TerminalUser{CardSN: u.CardSN}
	for _, id := range orDefault(u.DepartmentID) {
		out.Departments = append(out.Departments, depName[id])
	}
	for _, id := range orDefault(u.GroupID) {
		out.Groups = append(out.Groups, groupName[id])
	}
	return out, true, nil
}

// orDefault is ids, or the terminal's default [0] when none are set (spec 004, 3.1).
func orDefault(ids actatek.IDs) actatek.IDs {
	if len(ids) == 0 {
		return actatek.IDs{0}
	}
	return ids
}
