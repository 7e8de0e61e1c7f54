package push_test

import (
	"strconv"
	"strings"
	"testing"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
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
