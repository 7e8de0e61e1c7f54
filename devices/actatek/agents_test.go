package actatek_test

import (
	"errors"
	"testing"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

func TestAgents(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	if err := f.c.Agents.Register(ctx, actatek.AgentRegistration{URL: "https://anc.cde.com", AgentVersion: "1.2", InitSync: true}); err != nil {
		t.Fatal(err)
	}
	if err := f.c.Agents.Register(ctx, actatek.AgentRegistration{URL: "https://anc.cde.com"}); !errors.Is(err, actatek.ErrConflict) || errors.Is(err, actatek.ErrUserExists) {
		t.Errorf("second registration: %v", err)
	}
	agents, err := f.c.Agents.List(ctx)
	if err != nil || len(agents) != 1 || agents[0].URL != "https://anc.cde.com" || !bool(agents[0].Active) {
		t.Fatalf("%+v %v", agents, err)
	}
	if agents[0].RegistrationTime.Local || !agents[0].RegistrationTime.Time.Equal(f.clock.Now()) || agents[0].LastCheck.Time.Unix() != 0 {
		t.Errorf("times %+v", agents[0])
	}
	if err := f.c.Agents.Unregister(ctx, "https://anc.cde.com"); err != nil {
		t.Fatal(err)
	}
	if err := f.c.Agents.Unregister(ctx, "https://anc.cde.com"); !errors.Is(err, actatek.ErrNotFound) {
		t.Errorf("second unregister: %v", err)
	}
	if err := f.c.Agents.Register(ctx, actatek.AgentRegistration{}); err == nil {
		t.Error("registration without a URL was sent")
	}
}
