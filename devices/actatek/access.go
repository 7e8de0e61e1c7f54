package actatek

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// AccessRightService manages access rights (spec 5).
type AccessRightService service

func pathAccessRight(sid string) string { return seg("accessright", sid) }

// Add adds access rights (add AccessRight, 5.1).
func (s *AccessRightService) Add(ctx context.Context, rs ...AccessRight) error {
	return writeMany(ctx, s.c, "addAccessRight", http.MethodPost, pathAccessRight, rs)
}

// Update changes access rights, found by ID (update AccessRight, 5.3).
func (s *AccessRightService) Update(ctx context.Context, rs ...AccessRight) error {
	return writeMany(ctx, s.c, "updateAccessRight", http.MethodPut, pathAccessRight, rs)
}

// List returns the access right with this ID, or all of them when id is nil
// (get AccessRight, 5.2; its request text was lost, the query follows 4.3's "id").
func (s *AccessRightService) List(ctx context.Context, id *int) ([]AccessRight, error) {
	q := url.Values{}
	if id != nil {
		q.Set("id", strconv.Itoa(*id))
	}
	var out List[AccessRight]
	err := s.c.do(ctx, request{call: "getAccessRight", method: http.MethodGet, path: pathAccessRight, query: q}, &out)
	return out, err
}

// Delete removes an access right (delete AccessRight, 5.4).
func (s *AccessRightService) Delete(ctx context.Context, id int) error {
	return s.c.writeOne(ctx, request{call: "deleteAccessRight", method: http.MethodDelete,
		path: func(sid string) string { return seg("accessright", sid, strconv.Itoa(id)) }})
}

// AccessGroupService manages access groups (spec 6).
type AccessGroupService service

func pathAccessGroup(sid string) string { return seg("accessgroup", sid) }

// Add adds access groups (add Access Group, 6.1). A group with ID 0 is sent without an
// id, so the terminal chooses one ("if not present will auto create"); group 0 itself is
// the terminal's default group and always exists.
func (s *AccessGroupService) Add(ctx context.Context, gs ...AccessGroup) error {
	add := make([]newAccessGroup, len(gs))
	for i, g := range gs {
		add[i] = newAccessGroup(g)
	}
	return writeMany(ctx, s.c, "addAccessGroup", http.MethodPost, pathAccessGroup, add)
}

// Update changes access groups, found by ID (update Access Group, 6.3).
func (s *AccessGroupService) Update(ctx context.Context, gs ...AccessGroup) error {
	return writeMany(ctx, s.c, "updateAccessGroup", http.MethodPut, pathAccessGroup, gs)
}

// List returns the access groups that match f; an empty filter lists them all
// (get Access Groups, 6.2).
func (s *AccessGroupService) List(ctx context.Context, f AccessGroupFilter) ([]AccessGroup, error) {
	var out List[AccessGroup]
	err := s.c.do(ctx, request{call: "getAccessGroups", method: http.MethodGet, path: pathAccessGroup, query: f.Query()}, &out)
	return out, err
}

// Delete removes an access group (delete Access Group, 6.4).
func (s *AccessGroupService) Delete(ctx context.Context, id int) error {
	return s.c.writeOne(ctx, request{call: "deleteAccessGroup", method: http.MethodDelete,
		path: func(sid string) string { return seg("accessgroup", sid, strconv.Itoa(id)) }})
}

// Weekdays are the days of a timespec (5.1, 7.2): the seven days and HOLIDAY.
func Weekdays() []string {
	return []string{"SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "HOLIDAY"}
}

// TimeSpec is one day of a schedule (5.1, 7.2): TimePattern is 48 characters of '0' or '1',
// one per half hour from 00:00.
type TimeSpec struct {
	Weekday     string `json:"weekday"`
	TimePattern string `json:"timePattern"`
}

// AlwaysOn is the TimePattern of a day with every half hour on.
const AlwaysOn = "111111111111111111111111111111111111111111111111"

// AccessRight is an access right (5.1 to 5.4). Sections 5.1 to 5.3 lost most of their
// text; what survives is the timespec table (weekday, timePattern, "only need if the
// weekday have any slot enabled") and the answers ("access right ID 14 Added"). The shape
// below follows the access group (6.1): an id, a name, and the timespec days, single or
// array. Bodies are sent to /accessright/{sessionid}, as 5.4's path shows.
type AccessRight struct {
	ID       Int            `json:"id"`
	Name     string         `json:"name"`
	TimeSpec List[TimeSpec] `json:"timespec,omitempty"`
}

// AccessGroup is an access group (6.1 to 6.4). departmentid is shown as a string in 6.2.
type AccessGroup struct {
	ID            Int    `json:"id"`
	Name          string `json:"name"`
	DepartmentID  Int    `json:"departmentid"`
	AccessRightID IDs    `json:"accessrightid"`
}

// newAccessGroup is an access group as addAccessGroup sends it: id only when given.
type newAccessGroup struct {
	ID            Int    `json:"id,omitempty"`
	Name          string `json:"name"`
	DepartmentID  Int    `json:"departmentid"`
	AccessRightID IDs    `json:"accessrightid"`
}

// AccessGroupFilter narrows getAccessGroups (6.2); nil is "any".
type AccessGroupFilter struct {
	GroupID      *int
	DepartmentID *int
}

// Query is the filter's query string (6.2 parameter names groupid and deptid).
func (f AccessGroupFilter) Query() url.Values {
	q := url.Values{}
	if f.GroupID != nil {
		q.Set("groupid", strconv.Itoa(*f.GroupID))
	}
	if f.DepartmentID != nil {
		q.Set("deptid", strconv.Itoa(*f.DepartmentID))
	}
	return q
}
