package actatek_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

// person makes a user with one face, deterministic from n.
func person(n int) actatek.User {
	photo := actateksim.FacePhoto(int64(n), 64, 80)
	tmpl := bytes.Repeat([]byte{byte(n), byte(n >> 8), 0x5a}, 100)
	return actatek.User{
		UserID:    fmt.Sprintf("E%05d", n),
		FirstName: "First" + strconv.Itoa(n), LastName: "Last" + strconv.Itoa(n),
		DepartmentID: actatek.IDs{0}, GroupID: actatek.IDs{0},
		FacialRecords: actatek.List[actatek.FacialRecord]{{TemplateType: 2, Template: tmpl, Photo: photo}},
	}
}

func people(from, n int) []actatek.User {
	out := make([]actatek.User, n)
	for i := range out {
		out[i] = person(from + i)
	}
	return out
}

func TestAddGetUpdateDeleteUser(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	u := person(1)
	u.Password = "4321"
	u.Message = "welcome"
	res, err := f.c.Users.Add(ctx, u)
	if err != nil || res.Existing || !strings.Contains(res.Message, "Added") {
		t.Fatalf("add: %+v %v", res, err)
	}
	got, err := f.c.Users.Get(ctx, u.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if got.FirstName != u.FirstName || got.Status == nil || !actatek.On(got.Status.Active) || !actatek.On(got.Status.Facial) ||
		!bytes.Equal(got.FacialRecords[0].Photo, u.FacialRecords[0].Photo) || got.Password != "" || got.AdminLevel != actatek.PersonalUser {
		t.Errorf("stored user: %+v", got)
	}
	u.LastName = "Renamed"
	if err := f.c.Users.Update(ctx, u); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.c.Users.Get(ctx, u.UserID); got.LastName != "Renamed" {
		t.Errorf("after update: %q", got.LastName)
	}
	if err := f.c.Users.Delete(ctx, u.UserID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.Users.Get(ctx, u.UserID); !errors.Is(err, actatek.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if err := f.c.Users.Update(ctx, u); !errors.Is(err, actatek.ErrNotFound) {
		t.Errorf("update of a deleted user: %v", err)
	}
	if _, err := f.c.Users.Add(ctx, actatek.User{}); err == nil {
		t.Error("a user without an ID was sent")
	}
}

func TestAddIsIdempotent(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	u := person(2)
	if _, err := f.c.Users.Add(ctx, u); err != nil {
		t.Fatal(err)
	}
	res, err := f.c.Users.Add(ctx, u)
	if err != nil || !res.Existing {
		t.Errorf("the same user again: %+v %v", res, err)
	}
	changed := u
	changed.FacialRecords = actatek.List[actatek.FacialRecord]{{TemplateType: 2, Template: []byte("other"), Photo: u.FacialRecords[0].Photo}}
	_, err = f.c.Users.Add(ctx, changed)
	if !errors.Is(err, actatek.ErrUserExists) || !strings.Contains(err.Error(), "facial record") {
		t.Errorf("a different user under the same ID: %v", err)
	}
	if n := len(f.sim.UserIDs()); n != 1 {
		t.Errorf("%d users on the terminal, want 1", n)
	}
}

func TestListFiltersAndPaging(t *testing.T) {
	f := newFixture(t, actateksim.Options{DemoUsers: 7})
	ctx := ctxT(t)
	all, err := f.c.Users.List(ctx, actatek.UserFilter{})
	if err != nil || len(all) != 7 {
		t.Fatalf("%d users, %v", len(all), err)
	}
	part, err := f.c.Users.List(ctx, actatek.UserFilter{PartialUserID: "000"})
	if err != nil || len(part) != 7 {
		t.Errorf("partial: %d %v", len(part), err)
	}
	byName, err := f.c.Users.List(ctx, actatek.UserFilter{FirstName: all[0].FirstName, LastName: all[0].LastName})
	if err != nil || len(byName) == 0 || byName[0].FirstName != all[0].FirstName {
		t.Errorf("by name: %+v %v", byName, err)
	}
	n, err := f.c.Users.Count(ctx)
	if err != nil || n != 7 {
		t.Errorf("count %d %v", n, err)
	}
	page, err := f.c.Users.Batch(ctx, 5, 10)
	if err != nil || len(page) != 2 || page[0].UserID != all[5].UserID {
		t.Errorf("batch: %v %v", page, err)
	}
	var ids []string
	for u, err := range f.c.Users.All(ctx, 3) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.UserID)
	}
	if !slices.Equal(ids, f.sim.UserIDs()) {
		t.Errorf("All: %v", ids)
	}
	if _, err := f.c.Users.Batch(ctx, -1, 3); err == nil {
		t.Error("a negative offset was sent")
	}
}

func TestUpdateBatchActivateAndMessages(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	users := people(0, 3)
	if _, err := f.c.Users.AddBatch(ctx, users); err != nil {
		t.Fatal(err)
	}
	for i := range users {
		users[i].OtherName = "v2"
	}
	users = append(users, person(99)) // not on the terminal
	res, err := f.c.Users.UpdateBatch(ctx, users)
	if !errors.Is(err, actatek.ErrNotFound) || res[0].Err != nil || res[3].Err == nil {
		t.Fatalf("%+v %v", res, err)
	}
	if got, _ := f.sim.User(users[1].UserID); got.OtherName != "v2" {
		t.Errorf("update batch did not apply: %+v", got.OtherName)
	}
	id := users[0].UserID
	if err := f.c.Users.Deactivate(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.sim.User(id); actatek.On(got.Status.Active) {
		t.Error("still active")
	}
	if err := f.c.Users.Activate(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.sim.User(id); !actatek.On(got.Status.Active) {
		t.Error("still suspended")
	}
	if err := f.c.Users.SetMessage(ctx, id, "see HR"); err != nil {
		t.Fatal(err)
	}
	if m, err := f.c.Users.Message(ctx, id); err != nil || m != "see HR" {
		t.Errorf("message %q %v", m, err)
	}
	if err := f.c.Users.DeleteMessage(ctx, id); err != nil {
		t.Fatal(err)
	}
	if m, _ := f.c.Users.Message(ctx, id); m != "" {
		t.Errorf("message after delete %q", m)
	}
	if _, err := f.c.Users.Message(ctx, "ghost"); !errors.Is(err, actatek.ErrNotFound) {
		t.Errorf("message of an unknown user: %v", err)
	}
}

func TestTOTP(t *testing.T) {
	f := newFixture(t, actateksim.Options{DemoUsers: 1})
	ctx := ctxT(t)
	id := f.sim.UserIDs()[0]
	code, err := f.c.Users.TOTP(ctx, id, actatek.TOTPPasscode)
	if err != nil || len(code.Data) != 8 || strings.Trim(code.Data, "0123456789") != "" || code.Expiry.Local {
		t.Fatalf("passcode %+v %v", code, err)
	}
	if !code.Expiry.Time.After(f.clock.Now()) || code.Expiry.Time.Sub(f.clock.Now()) > 30*time.Second {
		t.Errorf("expiry %v at %v", code.Expiry, f.clock.Now())
	}
	png, err := f.c.Users.TOTP(ctx, id, "bogus")
	if err != nil || png.Format != actatek.TOTPPNG {
		t.Fatalf("unknown format must fall back to PNG: %+v %v", png.Format, err)
	}
	img, err := png.Image()
	if err != nil || !bytes.HasPrefix(img, []byte("\x89PNG")) {
		t.Errorf("PNG: %v", err)
	}
	text, err := f.c.Users.TOTP(ctx, id, actatek.TOTPPlainText)
	if err != nil || !strings.Contains(text.Data, code.Data) {
		t.Errorf("plain text %q should carry the passcode %s: %v", text.Data, code.Data, err)
	}
	if _, err := text.Image(); err == nil {
		t.Error("plain text is not an image")
	}
	svg, _ := f.c.Users.TOTP(ctx, id, actatek.TOTPSVG)
	if b, err := svg.Image(); err != nil || !bytes.HasPrefix(b, []byte("<svg")) {
		t.Errorf("SVG: %v", err)
	}
}
