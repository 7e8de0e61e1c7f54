package target

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"enrollstation/devices/actatek"
	"enrollstation/store"
)

// Directory is what a target offers to put people in: its departments and access groups,
// by name.
type Directory struct {
	Departments []string
	Groups      []string
}

// DirectoryReader is a target that keeps departments and access groups (ACTAtek).
type DirectoryReader interface {
	Directory(ctx context.Context) (Directory, error)
}

// Directory lists the terminal's departments (getDepartments, 4.3) and access groups (get
// Access Groups, 6.2), by name, sorted.
func (a *actatekTarget) Directory(ctx context.Context) (Directory, error) {
	deps, err := a.c.Departments.List(ctx, actatek.DepartmentFilter{})
	if err != nil {
		return Directory{}, fmt.Errorf("departments of %s: %w", a.info.Name, err)
	}
	groups, err := a.c.AccessGroups.List(ctx, actatek.AccessGroupFilter{})
	if err != nil {
		return Directory{}, fmt.Errorf("access groups of %s: %w", a.info.Name, err)
	}
	var d Directory
	for _, x := range deps {
		d.Departments = appendName(d.Departments, x.Name)
	}
	for _, x := range groups {
		d.Groups = appendName(d.Groups, x.Name)
	}
	sort.Strings(d.Departments)
	sort.Strings(d.Groups)
	return d, nil
}

func appendName(names []string, n string) []string {
	if n = strings.TrimSpace(n); n != "" {
		names = append(names, n)
	}
	return names
}

// placement is where a user goes on one terminal: department and group ids, and the names
// the person carries that the terminal does not have.
type placement struct {
	departments, groups actatek.IDs
	missing             []string
}

// sameName compares names as an operator reads them: spaces around and case do not count.
func sameName(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b)) }

// place finds the terminal's ids of the person's department and access groups, by name.
// A person without one gets the target's options department_id / group_id (none: the
// terminal's default, 3.1 "if not present add a default 0 id"). The lists are read at
// each push, so a department added on the terminal is used at once.
func (a *actatekTarget) place(ctx context.Context, p store.Person) (placement, error) {
	var pl placement
	if dep := strings.TrimSpace(p.Department); dep != "" {
		deps, err := a.c.Departments.List(ctx, actatek.DepartmentFilter{})
		if err != nil {
			return pl, fmt.Errorf("find department %q: %w", dep, err)
		}
		for _, d := range deps {
			if sameName(d.Name, dep) {
				pl.departments = actatek.IDs{int(d.ID)}
				break
			}
		}
		if pl.departments == nil {
			pl.missing = append(pl.missing, fmt.Sprintf("department %q", dep))
		}
	}
	var named []string
	for _, g := range p.AccessGroups {
		named = appendName(named, g)
	}
	if len(named) > 0 {
		groups, err := a.c.AccessGroups.List(ctx, actatek.AccessGroupFilter{})
		if err != nil {
			return pl, fmt.Errorf("find access group %q: %w", strings.Join(named, ", "), err)
		}
		for _, n := range named {
			found := false
			for _, g := range groups {
				if sameName(g.Name, n) {
					pl.groups, found = append(pl.groups, int(g.ID)), true
					break
				}
			}
			if !found {
				pl.missing = append(pl.missing, fmt.Sprintf("access group %q", n))
			}
		}
	}
	if pl.departments == nil && a.department >= 0 {
		pl.departments = actatek.IDs{int(a.department)}
	}
	if pl.groups == nil && a.group >= 0 {
		pl.groups = actatek.IDs{int(a.group)}
	}
	return pl, nil
}
