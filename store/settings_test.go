package store

import (
	"context"
	"errors"
	"testing"
)

func TestSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	if _, err := s.Setting(ctx, "capture.min_usable_iris_area"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unset setting: %v", err)
	}
	if err := s.SetSetting(ctx, "capture.min_usable_iris_area", "70", "tech"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, "capture.min_usable_iris_area", "75", "tech"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, "capture.min_usable_iris_area", "75", "tech"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Setting(ctx, "capture.min_usable_iris_area"); err != nil || v != "75" {
		t.Fatalf("Setting = %q, %v", v, err)
	}
	if err := s.SetSetting(ctx, "ui.language", "fr", "op1"); err != nil {
		t.Fatal(err)
	}
	all, err := s.Settings(ctx)
	if err != nil || len(all) != 2 || all["ui.language"] != "fr" {
		t.Fatalf("Settings = %v, %v", all, err)
	}
	ev, _ := s.AuditLog(ctx, AuditQuery{Action: ActionSetting})
	// Setting the same value again is not a change and is not audited.
	if len(ev) != 3 || ev[1].Detail != `capture.min_usable_iris_area changed from "70" to "75"` || ev[2].Detail != `capture.min_usable_iris_area set to "70"` {
		t.Fatalf("setting audit: %+v", ev)
	}
	if err := s.SetSetting(ctx, "", "x", "op1"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("empty name: %v", err)
	}
}
