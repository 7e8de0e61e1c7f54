package actatek_test

import (
	"strings"
	"testing"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

func TestMyself(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	me, err := f.c.Myself.Get(ctx)
	if err != nil || me.UserID != "admin" || me.AdminLevel != actatek.SuperAdmin {
		t.Fatalf("%+v %v", me, err)
	}
	// An admin user logs in with its own ID and password and sees itself.
	boss := person(5)
	boss.AdminLevel = actatek.UserAdmin
	boss.Password = "boss-pass"
	if _, err := f.c.Users.Add(ctx, boss); err != nil {
		t.Fatal(err)
	}
	c := f.client(t, actatek.Options{PinSHA256: f.sim.Fingerprint(), Credentials: actatek.Credentials{Username: boss.UserID, Password: "boss-pass"}})
	me, err = c.Myself.Get(ctx)
	if err != nil || me.UserID != boss.UserID || me.Password != "" {
		t.Fatalf("%+v %v", me, err)
	}
	if err := c.Myself.Update(ctx, actatek.MyselfUpdate{UserID: boss.UserID, FirstName: "Chief", CardSN: "00003"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.sim.User(boss.UserID); got.FirstName != "Chief" || got.CardSN != "00003" || got.LastName != boss.LastName {
		t.Errorf("after update: %+v", got)
	}
	if err := c.Myself.Update(ctx, actatek.MyselfUpdate{UserID: "admin", FirstName: "x"}); err == nil || !strings.Contains(err.Error(), "not the logged-in user") {
		t.Errorf("updating someone else: %v", err)
	}
}
