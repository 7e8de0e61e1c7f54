package ef45_test

import (
	"context"
	"errors"
	"testing"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
)

func TestUserInfoLifecycle(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, ef45sim.Options{})
	s := openSession(t, newClient(t, d))
	u := &ef45.UserInfo{UserUUID: "u-1", Card: "65 D8 A1 BD", PIN: "1234", GroupIndex: 2}
	if err := s.Users.Create(ctx, u); err != nil {
		t.Fatal(err)
	}
	byCard, err := s.Users.ByCard(ctx, "65d8a1bd")
	if err != nil || byCard.UserUUID != "u-1" {
		t.Fatalf("by card: %+v, %v", byCard, err)
	}
	if _, err := s.Users.ByCard(ctx, "01 02 03 04"); !errors.Is(err, ef45.ErrNotFound) {
		t.Fatalf("unknown card: %v", err)
	}
	u.Message = "Welcome"
	if err := s.Users.Update(ctx, u); err != nil {
		t.Fatal(err)
	}
	got, err := s.Users.Get(ctx, "u-1")
	if err != nil || got.Message != "Welcome" || got.GroupIndex != 2 {
		t.Fatalf("get: %+v, %v", got, err)
	}
	l, err := s.Users.List(ctx, nil)
	if err != nil || len(l.Items) != 1 {
		t.Fatalf("list: %+v, %v", l, err)
	}
	if err := s.Users.Delete(ctx, "u-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Users.Get(ctx, "u-1"); !errors.Is(err, ef45.ErrNotFound) {
		t.Fatalf("deleted user: %v", err)
	}
}

func TestBatchUserCreatesAndDeletesEverything(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, ef45sim.Options{})
	s := openSession(t, newClient(t, d))
	b := &ef45.BatchUser{
		Subject:  ef45.Subject{UserUUID: "b-1", FirstName: "Grace", LastName: "Hopper", AccessAllowed: true, LeftEyeTemplate: []byte{1}},
		UserInfo: &ef45.UserInfo{UserUUID: "b-1", Card: "01 02 03 04"},
		Faces:    []ef45.FaceRecord{{UserUUID: "b-1", SubID: ef45.SubColourFace, Image: []byte{0xff, 0xd8}, Feature: []byte{7}}},
	}
	if err := s.Users.CreateBatch(ctx, b); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Subjects.Get(ctx, "b-1"); err != nil {
		t.Fatalf("subject: %v", err)
	}
	if _, err := s.Users.Get(ctx, "b-1"); err != nil {
		t.Fatalf("user info: %v", err)
	}
	if faces, err := s.Faces.Get(ctx, "b-1"); err != nil || len(faces) != 1 {
		t.Fatalf("faces: %d, %v", len(faces), err)
	}
	if err := s.Users.DeleteBatch(ctx, "b-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Subjects.Get(ctx, "b-1"); !errors.Is(err, ef45.ErrNotFound) {
		t.Fatalf("subject after batch delete: %v", err)
	}
	if _, err := s.Users.Get(ctx, "b-1"); !errors.Is(err, ef45.ErrNotFound) {
		t.Fatalf("user info after batch delete: %v", err)
	}
}
