package ef45_test

import (
	"context"
	"testing"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
)

func TestFacesBySubID(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, ef45sim.Options{})
	s := openSession(t, newClient(t, d))
	for _, sub := range []int{ef45.SubColourFace, ef45.SubBWFace, ef45.SubColourGlasses} {
		f := &ef45.FaceRecord{UserUUID: "f-1", SubID: ef45.Int(sub), Image: []byte{0xff, 0xd8, byte(sub)}, Feature: []byte{byte(sub)}, Score: 0.9}
		if err := s.Faces.Create(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Faces.Get(ctx, "f-1")
	if err != nil || len(all) != 3 {
		t.Fatalf("faces: %d, %v", len(all), err)
	}
	bw, err := s.Faces.GetSub(ctx, "f-1", ef45.SubBWFace)
	if err != nil || len(bw) != 1 || bw[0].SubID != ef45.SubBWFace {
		t.Fatalf("sub 1: %+v, %v", bw, err)
	}
	bw[0].Score = 0.5
	if err := s.Faces.Update(ctx, &bw[0]); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Faces.GetSub(ctx, "f-1", ef45.SubBWFace); len(again) != 1 || again[0].Score != 0.5 {
		t.Fatalf("update not kept: %+v", again)
	}
	if err := s.Faces.Delete(ctx, "f-1", ef45.SubColourGlasses); err != nil {
		t.Fatal(err)
	}
	list, err := s.Faces.List(ctx, &ef45.ListOptions{Page: 1, PageSize: 10})
	if err != nil || len(list.Items) != 2 {
		t.Fatalf("list after delete: %+v, %v", list, err)
	}
}
