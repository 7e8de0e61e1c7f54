package actatek

import (
	"context"
	"errors"
	"net/http"
)

// DepartmentService manages departments (spec 4).
type DepartmentService service

// writeMany sends one item as an object or several as an array ("or in array form", 4.1,
// 5.1, 6.1, 12.2) and turns every refused item into an error, joined.
func writeMany[T any](ctx context.Context, c *Client, call, method string, path func(string) string, items []T) error {
	if len(items) == 0 {
		return nil
	}
	var body any = items
	if len(items) == 1 {
		body = items[0]
	}
	var answers List[Result]
	if err := c.do(ctx, request{call: call, method: method, path: path, body: body}, &answers); err != nil {
		return err
	}
	var errs []error
	for _, a := range answers {
		if !a.OK() {
			errs = append(errs, &Error{Call: call, StatusCode: http.StatusOK, Message: a.Message})
		}
	}
	return errors.Join(errs...)
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
		return &Error{Call: "deleteDepartment", Err: errors.New("name the department to delete (ID, name or description)")}
	}
	return s.c.do(ctx, request{call: "deleteDepartment", method: http.MethodDelete, path: pathDepartment, query: q}, nil)
}
