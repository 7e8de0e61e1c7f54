package push_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
	"enrollstation/enroll/push"
	"enrollstation/enroll/target"
	"enrollstation/store"
)

func fmtInt(n int64) string { return strconv.FormatInt(n, 10) }

func containsText(s, sub string) bool { return strings.Contains(s, sub) }

// drift changes a terminal behind the journal's back: keys[0] deleted, keys[1] renamed, a
// walk-in added by hand.
func drift(t *testing.T, url string, sim *actateksim.Simulator, keys []string) {
	t.Helper()
	ctx := t.Context()
	c, err := actatek.New(url, actatek.Options{Credentials: sim.Credentials()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Users.Delete(ctx, keys[0]); err != nil {
		t.Fatal(err)
	}
	u, err := c.Users.Get(ctx, keys[1])
	if err != nil {
		t.Fatal(err)
	}
	u.FirstName = "Changed"
	if err := c.Users.Update(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Users.Add(ctx, actatek.User{UserID: "walk-in", FirstName: "Walk", LastName: "In"}); err != nil {
		t.Fatal(err)
	}
}

func splitName(n string) (string, string, string) {
	p := strings.SplitN(n, ":", 3)
	return p[0], p[1], p[2]
}

// nilOpener stands in where no call is made.
var nilOpener push.Opener = func(context.Context, store.Target) (target.Target, error) { return nil, errors.New("no calls here") }
