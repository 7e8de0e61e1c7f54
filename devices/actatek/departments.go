package actatek

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// DepartmentService manages departments (spec 4).
type DepartmentService service

// writeMany sends one item as an object or several as an array ("or in array form", 4.1,
// 5.1, 6.1, 12.2) and checks the answer of every item (see Client.write): refused items are errors, joined.
func writeMany[T any](ctx context.Context, c *Client, call, method string, path func(string) string, items []T) error {
	if len(items) == 0 {
		return nil
	}
	var body any = items
	if len(items) == 1 {
		body = items[0]
	}
	_, err := c.write(ctx, request{call: call, method: method, path: path, body: body}, len(items), nil)
	return err
}

func pathDepartment(sid string) string { return seg("department", sid) }

// Add adds departments (addDepartment, 4.1); the caller chooses their IDs.
func (s *DepartmentService) Add(ctx context.Context, ds ...Department) error {
	return writeMany(ctx, s.c, "addDepartment", http.MethodPost, pathDepartment, ds)
}

// Update changes departments, found by ID (updateDepartment, 4.2).
func (s *DepartmentService) Update(ctx context.Context, ds ...Department) error {
	return writeMany(ctx, s.c, "updateDepartment", http.MethodPut, pathDepartment, ds)
}

// List returns the departments that match f; an empty filter lists them all
// (getDepartments, 4.3).
func (s *DepartmentService) List(ctx context.Context, f DepartmentFilter) ([]Department, error) {
	var out List[Department]
	err := s.c.do(ctx, request{call: "getDepartments", method: http.MethodGet, path: pathDepartment, query: f.Query()}, &out)
	return out, err
}

// Delete removes the departments that match f, which must name at least one field
// (deleteDepartment, 4.4).
func (s *DepartmentService) Delete(ctx context.Context, f DepartmentFilter) error {
	q := f.Query()
	if len(q) == 0 {
		return invalid("deleteDepartment", "name the department to delete (ID, name or description)")
	}
	return s.c.writeOne(ctx, request{call: "deleteDepartment", method: http.MethodDelete, path: pathDepartment, query: q})
}

// Department is a department (4.1 to 4.4).
type Department struct {
	ID          Int    `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// DepartmentFilter narrows getDepartments and names what deleteDepartment removes (4.3,
// 4.4). Zero fields are not sent; ID is a pointer because department 0 exists.
type DepartmentFilter struct {
	ID          *int
	Name        string
	Description string
}

// Query is the filter's query string (4.3 parameter names).
func (f DepartmentFilter) Query() url.Values {
	q := url.Values{}
	if f.ID != nil {
		q.Set("id", strconv.Itoa(*f.ID))
	}
	setIf(q, "name", f.Name)
	setIf(q, "description", f.Description)
	return q
}
