package actatek_test

import (
	"errors"
	"strings"
	"testing"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

func TestDepartments(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	if err := f.c.Departments.Add(ctx, actatek.Department{ID: 21, Name: "ABC", Description: "LONG"}); err != nil {
		t.Fatal(err)
	}
	if err := f.c.Departments.Add(ctx, actatek.Department{ID: 22, Name: "Lab", Description: "R&D"}, actatek.Department{ID: 21, Name: "dup", Description: "x"}); !errors.Is(err, actatek.ErrConflict) || errors.Is(err, actatek.ErrUserExists) {
		t.Errorf("batch with a duplicate: %v", err)
	}
	all, err := f.c.Departments.List(ctx, actatek.DepartmentFilter{})
	if err != nil || len(all) != 3 || all[0].Name != "General" || all[2].Name != "Lab" {
		t.Fatalf("%+v %v", all, err)
	}
	if err := f.c.Departments.Update(ctx, actatek.Department{ID: 21, Name: "ABC2"}); err != nil {
		t.Fatal(err)
	}
	id := 21
	one, err := f.c.Departments.List(ctx, actatek.DepartmentFilter{ID: &id})
	if err != nil || len(one) != 1 || one[0].Name != "ABC2" || one[0].Description != "LONG" {
		t.Errorf("after update: %+v %v", one, err)
	}
	if err := f.c.Departments.Update(ctx, actatek.Department{ID: 99, Name: "x"}); !errors.Is(err, actatek.ErrNotFound) {
		t.Errorf("update of a missing department: %v", err)
	}
	if err := f.c.Departments.Delete(ctx, actatek.DepartmentFilter{Name: "Lab"}); err != nil {
		t.Fatal(err)
	}
	if err := f.c.Departments.Delete(ctx, actatek.DepartmentFilter{}); err == nil || !strings.Contains(err.Error(), "name the department") {
		t.Errorf("delete without a filter: %v", err)
	}
	u := person(1)
	u.DepartmentID = actatek.IDs{22}
	if _, err := f.c.Users.Add(ctx, u); !errors.Is(err, actatek.ErrNotFound) || !strings.Contains(err.Error(), "department 22") {
		t.Errorf("user in a deleted department: %v", err)
	}
}
