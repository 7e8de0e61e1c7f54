package actatek_test

import (
	"bytes"
	"errors"
	"image/jpeg"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

func TestLogsFromUserAndDoorEvents(t *testing.T) {
	f := newFixture(t, actateksim.Options{TimeZone: "Asia/Hong_Kong"})
	ctx := ctxT(t)
	u := person(7)
	if _, err := f.c.Users.Add(ctx, u); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Minute)
	if msg, err := f.c.Terminal.OpenDoor(ctx); err != nil || msg != "Main door opened" {
		t.Fatalf("open door: %q %v", msg, err)
	}
	logs, err := f.c.Logs.List(ctx, actatek.LogFilter{})
	if err != nil || len(logs) != 2 {
		t.Fatalf("%+v %v", logs, err)
	}
	if string(logs[0].UserID) != u.UserID || logs[1].Trigger != "REMOTE DOOR OPEN" || logs[1].TerminalSN != f.sim.SerialNumber() {
		t.Errorf("logs %+v", logs)
	}
	// Without a UTC range the terminal answers in its local time: 09:00Z is 17:00 in Hong Kong.
	if !logs[0].Timestamp.Local || logs[0].Timestamp.String() != "2026-03-10T17:00:00" {
		t.Errorf("local timestamp %q local=%v", logs[0].Timestamp, logs[0].Timestamp.Local)
	}
	utc, err := f.c.Logs.List(ctx, actatek.LogFilter{From: actatek.UTC(f.clock.Now().Add(-time.Hour)), To: actatek.UTC(f.clock.Now())})
	if err != nil || len(utc) != 2 || utc[0].Timestamp.Local || utc[0].Timestamp.String() != "2026-03-10T09:00:00Z" {
		t.Errorf("UTC range: %+v %v", utc, err)
	}
	full, err := f.c.Logs.ListFull(ctx, actatek.LogFilter{}, 10)
	if err != nil || len(full) != 2 {
		t.Fatalf("%+v %v", full, err)
	}
	if full[0].UserName != "First7 Last7" || full[0].DepartmentName != "General" || !bytes.Equal(full[0].JPEGPhoto, u.FacialRecords[0].Photo) {
		t.Errorf("full log 0: %+v", full[0].UserName)
	}
	if _, err := jpeg.Decode(bytes.NewReader(full[1].JPEGPhoto)); err != nil {
		t.Errorf("door event photo is not a JPEG: %v", err)
	}
	photo, err := f.c.Logs.Photo(ctx, full[1].Timestamp, "")
	if err != nil || !bytes.Equal(photo, full[1].JPEGPhoto) {
		t.Errorf("log photo: %d bytes, %v", len(photo), err)
	}
	if _, err := f.c.Logs.Photo(ctx, actatek.UTC(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)), ""); !errors.Is(err, actatek.ErrNotFound) {
		t.Errorf("photo of no event: %v", err)
	}
}

func TestLogFiltersLimitAddDelete(t *testing.T) {
	f := newFixture(t, actateksim.Options{DemoUsers: 4})
	ctx := ctxT(t)
	all, err := f.c.Logs.List(ctx, actatek.LogFilter{})
	if err != nil || len(all) != 24 { // 4 users, 3 days, IN and OUT
		t.Fatalf("%d logs, %v", len(all), err)
	}
	id := f.sim.UserIDs()[2]
	mine, _ := f.c.Logs.List(ctx, actatek.LogFilter{EmployeeID: id, Trigger: "in"})
	if len(mine) != 3 {
		t.Errorf("%d IN events for %s, want 3", len(mine), id)
	}
	dept := 0
	if inDept, _ := f.c.Logs.List(ctx, actatek.LogFilter{DepartmentID: &dept}); len(inDept) != 24 {
		t.Errorf("department 0: %d", len(inDept))
	}
	limited, err := f.c.Logs.ListFull(ctx, actatek.LogFilter{TerminalSN: f.sim.SerialNumber()}, 5)
	if err != nil || len(limited) != 5 || len(limited[0].JPEGPhoto) == 0 || limited[0].AccessMethod != "FACE" {
		t.Errorf("limit 5: %d %v", len(limited), err)
	}
	if _, err := f.c.Logs.ListFull(ctx, actatek.LogFilter{}, 0); err == nil {
		t.Error("a full-log query without a limit was sent")
	}
	at := actatek.Local(time.Date(2026, 3, 10, 8, 30, 0, 0, time.UTC))
	if err := f.c.Logs.Add(ctx, at, "X1", "F3"); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.c.Logs.List(ctx, actatek.LogFilter{EmployeeID: "X1"}); len(got) != 1 || got[0].Timestamp.String() != at.String() || got[0].Trigger != "F3" {
		t.Errorf("added log: %+v", got)
	}
	if err := f.c.Logs.Add(ctx, at, "with space", "REMOTE DOOR OPEN"); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.c.Logs.List(ctx, actatek.LogFilter{Trigger: "REMOTE DOOR OPEN"}); len(got) != 1 || got[0].UserID != "with space" {
		t.Errorf("trigger with spaces: %+v", got)
	}
	if err := f.c.Logs.DeleteBefore(ctx, 2); err != nil { // keeps the last two days
		t.Fatal(err)
	}
	kept, _ := f.c.Logs.List(ctx, actatek.LogFilter{})
	if len(kept) != 2+4+8 { // the two added today, 4 OUTs of two days ago, yesterday's 8 events
		t.Errorf("%d logs kept", len(kept))
	}
	for _, l := range kept {
		if f.clock.Now().Sub(l.Timestamp.In(time.UTC)) > 48*time.Hour {
			t.Errorf("log %d from %v survived", l.LogID, l.Timestamp)
		}
	}
	if err := f.c.Logs.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.c.Logs.List(ctx, actatek.LogFilter{}); len(got) != 0 {
		t.Errorf("%d logs after reset", len(got))
	}
	if err := f.c.Logs.DeleteBefore(ctx, -1); err == nil || !strings.Contains(err.Error(), "negative") {
		t.Errorf("negative days: %v", err)
	}
}
