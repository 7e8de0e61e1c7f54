package target

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

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
	deps, err := a.readDepartments(ctx)
	if err != nil {
		return Directory{}, fmt.Errorf("departments of %s: %w", a.info.Name, err)
	}
	groups, err := a.readGroups(ctx)
	if err != nil {
		return Directory{}, fmt.Errorf("access groups of %s: %w", a.info.Name, err)
	}
	var d Directory
	for _, x := range deps {
		d.Departments = appendName(d.Departments, x.name)
	}
	for _, x := range groups {
		d.Groups = appendName(d.Groups, x.name)
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

// directoryAge is how long pushes reuse a terminal's departments and access groups. A
// name missing from them is looked up on the terminal again at once, so a department added
// there is used at the next push; only one renamed or deleted there in the meantime can be
// missed, and a push the terminal refuses forgets them.
const directoryAge = time.Minute

// entry is one department or access group: its name and id.
type entry struct {
	name string
	id   int
}

// directory is one of a terminal's lists as pushes last read it. Its lock is held while it
// is read from the terminal: the pushes waiting for it need the same list.
type directory struct {
	mu      sync.Mutex
	entries []entry
	at      time.Time // zero: not read, or forgotten
}

// find returns the ids of names, in order, and the names the terminal does not have.
func (d *directory) find(ctx context.Context, now time.Time, read func(context.Context) ([]entry, error), names []string) ([]int, []string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	fresh := false
	if d.at.IsZero() || now.Sub(d.at) > directoryAge {
		if err := d.reread(ctx, now, read); err != nil {
			return nil, nil, err
		}
		fresh = true
	}
	ids, missing := d.lookup(names)
	if len(missing) > 0 && !fresh {
		if err := d.reread(ctx, now, read); err != nil {
			return nil, nil, err
		}
		ids, missing = d.lookup(names)
	}
	return ids, missing, nil
}

func (d *directory) reread(ctx context.Context, now time.Time, read func(context.Context) ([]entry, error)) error {
	entries, err := read(ctx)
	if err != nil {
		return err
	}
	d.entries, d.at = entries, now
	return nil
}

func (d *directory) lookup(names []string) (ids []int, missing []string) {
	for _, n := range names {
		i := slices.IndexFunc(d.entries, func(e entry) bool { return sameName(e.name, n) })
		if i < 0 {
			missing = append(missing, n)
			continue
		}
		ids = append(ids, d.entries[i].id)
	}
	return ids, missing
}

func (d *directory) forget() {
	d.mu.Lock()
	d.at = time.Time{}
	d.mu.Unlock()
}

// orgDirectory is a terminal's departments and access groups as pushes last read them.
type orgDirectory struct{ departments, groups directory }

func (a *actatekTarget) readDepartments(ctx context.Context) ([]entry, error) {
	deps, err := a.c.Departments.List(ctx, actatek.DepartmentFilter{})
	return entriesOf(deps, err, func(d actatek.Department) entry { return entry{d.Name, int(d.ID)} })
}

func (a *actatekTarget) readGroups(ctx context.Context) ([]entry, error) {
	groups, err := a.c.AccessGroups.List(ctx, actatek.AccessGroupFilter{})
	return entriesOf(groups, err, func(g actatek.AccessGroup) entry { return entry{g.Name, int(g.ID)} })
}

// entriesOf is a list read from the terminal as entries.
func entriesOf[T any](items []T, err error, of func(T) entry) ([]entry, error) {
	if err != nil {
		return nil, err
	}
	entries := make([]entry, len(items))
	for i, x := range items {
		entries[i] = of(x)
	}
	return entries, nil
}

// place finds the terminal's ids of the person's department and access groups, by name.
// A person without one gets the target's options department_id / group_id (none: the
// terminal's default, 3.1 "if not present add a default 0 id").
func (a *actatekTarget) place(ctx context.Context, p store.Person) (placement, error) {
	var pl placement
	if dep := strings.TrimSpace(p.Department); dep != "" {
		ids, _, err := a.org.departments.find(ctx, a.now(), a.readDepartments, []string{dep})
		if err != nil {
			return pl, fmt.Errorf("find department %q: %w", dep, err)
		}
		if len(ids) > 0 {
			pl.departments = actatek.IDs{ids[0]}
		} else {
			pl.missing = append(pl.missing, fmt.Sprintf("department %q", dep))
		}
	}
	var named []string
	for _, g := range p.AccessGroups {
		named = appendName(named, g)
	}
	if len(named) > 0 {
		ids, missing, err := a.org.groups.find(ctx, a.now(), a.readGroups, named)
		if err != nil {
			return pl, fmt.Errorf("find access group %q: %w", strings.Join(named, ", "), err)
		}
		pl.groups = ids
		for _, n := range missing {
			pl.missing = append(pl.missing, fmt.Sprintf("access group %q", n))
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
