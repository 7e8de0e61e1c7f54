package ef45_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
)

func TestSubjectsLifecycle(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, ef45sim.Options{})
	s := openSession(t, newClient(t, d))
	rv, err := s.Subjects.RecordVersion(ctx)
	if err != nil || rv == 0 {
		t.Fatalf("record version %d, %v", rv, err)
	}
	for i := 0; i < 7; i++ {
		sub := &ef45.Subject{UserUUID: fmt.Sprintf("u-%d", i), FirstName: "Ada", LastName: fmt.Sprint(i), AccessAllowed: true,
			RecordVersion: ef45.Int(rv), LeftEyeTemplate: []byte{byte(i), 1}, RightEyeTemplate: []byte{byte(i), 2}}
		if err := s.Subjects.Create(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Subjects.List(ctx, nil)
	if err != nil || len(all.Items) != 7 || all.Total != 7 {
		t.Fatalf("all: %d items, total %d, %v", len(all.Items), all.Total, err)
	}
	page, err := s.Subjects.List(ctx, &ef45.ListOptions{Page: 2, PageSize: 3})
	if err != nil || len(page.Items) != 3 || !page.HasMore || page.Items[0].UserUUID != all.Items[3].UserUUID {
		t.Fatalf("page 2: %+v, %v", page, err)
	}
	last, err := s.Subjects.List(ctx, &ef45.ListOptions{Page: 3, PageSize: 3})
	if err != nil || len(last.Items) != 1 || last.HasMore {
		t.Fatalf("page 3: %+v, %v", last, err)
	}

	got, err := s.Subjects.Get(ctx, "u-3")
	if err != nil || got.LastName != "3" || !bytes.Equal(got.RightEyeTemplate, []byte{3, 2}) {
		t.Fatalf("get: %+v, %v", got, err)
	}
	got.LastName = "Lovelace"
	if err := s.Subjects.Update(ctx, got); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Subjects.Get(ctx, "u-3"); again.LastName != "Lovelace" {
		t.Fatalf("update not kept: %+v", again)
	}
	dup, err := s.Subjects.CheckDuplicate(ctx, []byte{3, 1}, []byte{3, 2})
	if err != nil || dup != "u-3" {
		t.Fatalf("duplicate check of enrolled templates = %q, %v", dup, err)
	}
	if dup, err := s.Subjects.CheckDuplicate(ctx, []byte{99}, []byte{98}); err != nil || dup != "" {
		t.Fatalf("duplicate check of new templates = %q, %v", dup, err)
	}
	if err := s.Subjects.Delete(ctx, "u-3"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Subjects.Get(ctx, "u-3"); !errors.Is(err, ef45.ErrNotFound) {
		t.Fatalf("deleted subject: %v", err)
	}
}
