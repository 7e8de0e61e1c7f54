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
	return s.c.do(ctx, request{call: "deleteAccessRight", method: http.MethodDelete,
		path: func(sid string) string { return seg("accessright", sid, strconv.Itoa(id)) }}, nil)
}

// AccessGroupService manages access groups (spec 6).
type AccessGroupService service

func pathAccessGroup(sid string) string { return seg("accessgroup", sid) }

// Add adds access groups (add Access Group, 6.1).
func (s *AccessGroupService) Add(ctx context.Context, gs ...AccessGroup) error {
	return writeMany(ctx, s.c, "addAccessGroup", http.MethodPost, pathAccessGroup, gs)
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
	return s.c.do(ctx, request{call: "deleteAccessGroup", method: http.MethodDelete,
		path: func(sid string) string { return seg("accessgroup", sid, strconv.Itoa(id)) }}, nil)
}
