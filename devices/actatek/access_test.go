package actatek_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

func TestAccessRightsAndGroups(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	office := strings.Repeat("0", 16) + strings.Repeat("1", 20) + strings.Repeat("0", 12) // 08:00 to 18:00
	right := actatek.AccessRight{ID: 14, Name: "Office hours", TimeSpec: actatek.List[actatek.TimeSpec]{{Weekday: "MONDAY", TimePattern: office}}}
	if err := f.c.AccessRights.Add(ctx, right); err != nil {
		t.Fatal(err)
	}
	bad := actatek.AccessRight{ID: 15, Name: "Bad", TimeSpec: actatek.List[actatek.TimeSpec]{{Weekday: "FUNDAY", TimePattern: office}}}
	if err := f.c.AccessRights.Add(ctx, bad); err == nil || !strings.Contains(err.Error(), "FUNDAY") {
		t.Errorf("bad weekday: %v", err)
	}
	id := 14
	got, err := f.c.AccessRights.List(ctx, &id)
	if err != nil || len(got) != 1 || got[0].TimeSpec[0].TimePattern != office {
		t.Fatalf("%+v %v", got, err)
	}
	right.Name = "Office"
	if err := f.c.AccessRights.Update(ctx, right); err != nil {
		t.Fatal(err)
	}
	all, _ := f.c.AccessRights.List(ctx, nil)
	if len(all) != 2 || all[1].Name != "Office" {
		t.Errorf("rights %+v", all)
	}

	if err := f.c.AccessGroups.Add(ctx, actatek.AccessGroup{ID: 3, Name: "new manager3", DepartmentID: 0, AccessRightID: actatek.IDs{0, 14}}); err != nil {
		t.Fatal(err)
	}
	if err := f.c.AccessGroups.Add(ctx, actatek.AccessGroup{ID: 4, Name: "x", AccessRightID: actatek.IDs{77}}); !errors.Is(err, actatek.ErrNotFound) {
		t.Errorf("group with a missing access right: %v", err)
	}
	gid := 3
	groups, err := f.c.AccessGroups.List(ctx, actatek.AccessGroupFilter{GroupID: &gid})
	if err != nil || len(groups) != 1 || len(groups[0].AccessRightID) != 2 {
		t.Fatalf("%+v %v", groups, err)
	}
	groups[0].Name = "managers"
	if err := f.c.AccessGroups.Update(ctx, groups[0]); err != nil {
		t.Fatal(err)
	}
	dept := 0
	if byDept, _ := f.c.AccessGroups.List(ctx, actatek.AccessGroupFilter{DepartmentID: &dept}); len(byDept) != 2 || byDept[1].Name != "managers" {
		t.Errorf("by department: %+v", byDept)
	}
	if err := f.c.AccessRights.Delete(ctx, 14); err == nil || !strings.Contains(err.Error(), "used by access group 3") {
		t.Errorf("deleting a right in use: %v", err)
	}
	if err := f.c.AccessGroups.Delete(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if err := f.c.AccessRights.Delete(ctx, 14); err != nil {
		t.Fatal(err)
	}
	if err := f.c.AccessGroups.Delete(ctx, 3); !errors.Is(err, actatek.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
}

// TestAccessGroupAddSendsIDOnlyWhenGiven: 6.1 "id ... if not present will auto create".
// The bodies are the spec's example, with and without its id.
func TestAccessGroupAddSendsIDOnlyWhenGiven(t *testing.T) {
	ft := newFakeTerminal(t, func(r fakeRequest) (int, string) {
		return http.StatusOK, `{"status":"success","message":"access group ID 14 Added"}`
	})
	c := ft.client(t)
	g := actatek.AccessGroup{Name: "new manager3", DepartmentID: 1, AccessRightID: actatek.IDs{1, 2}}
	if err := c.AccessGroups.Add(t.Context(), g); err != nil {
		t.Fatal(err)
	}
	g.ID = 14
	if err := c.AccessGroups.Add(t.Context(), g); err != nil {
		t.Fatal(err)
	}
	g.ID = 0 // the default group is updated by its id, 0
	if err := c.AccessGroups.Update(t.Context(), g); err != nil {
		t.Fatal(err)
	}
	want := []struct{ method, body string }{
		{http.MethodPost, `{"name":"new manager3","departmentid":1,"accessrightid":[1,2]}`},
		{http.MethodPost, `{"id":14,"name":"new manager3","departmentid":1,"accessrightid":[1,2]}`},
		{http.MethodPut, `{"id":0,"name":"new manager3","departmentid":1,"accessrightid":[1,2]}`},
	}
	reqs := ft.requests()
	if len(reqs) != len(want) {
		t.Fatalf("%d requests", len(reqs))
	}
	for i, r := range reqs {
		if r.Method != want[i].method || r.Path != "accessgroup" || !jsonEqual(t, r.Body, want[i].body) {
			t.Errorf("request %d: %s %s %s, want %s %s", i, r.Method, r.Path, r.Body, want[i].method, want[i].body)
		}
	}
}
