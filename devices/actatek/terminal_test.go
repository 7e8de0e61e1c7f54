package actatek_test

import (
	"bytes"
	"image/jpeg"
	"strings"
	"testing"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

func TestTerminalInfo(t *testing.T) {
	f := newFixture(t, actateksim.Options{DemoUsers: 2})
	ctx := ctxT(t)
	v, err := f.c.Terminal.APIVersion(ctx)
	if err != nil || v.Name != "A4 REST API" || v.Version != "0.1" {
		t.Errorf("%+v %v", v, err)
	}
	if n := f.sim.Stats().Logins; n != 0 {
		t.Errorf("apiversion logged in (%d)", n)
	}
	st, err := f.c.Terminal.Status(ctx)
	if err != nil || st.SerialNumber != f.sim.SerialNumber() || st.RegisteredUsers != 2 || st.MaximumUsers != 1000 || st.CurrentStatus != "Online" {
		t.Errorf("%+v %v", st, err)
	}
	fp, err := f.c.Terminal.CaptureFingerprint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jpeg.Decode(bytes.NewReader(fp)); err != nil {
		t.Errorf("fingerprint image: %v", err)
	}
}

func TestRelays(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	if msg, err := f.c.Terminal.Relay(ctx, actatek.RelayOpen, actatek.RelayAll); err != nil || msg != "Relay ALL opened" {
		t.Errorf("%q %v", msg, err)
	}
	if _, err := f.c.Terminal.Relay(ctx, "wiggle", actatek.RelayOne); err == nil {
		t.Error("a bad relay action was accepted")
	}
	if err := f.c.Terminal.SetRelay(ctx, actatek.RelaySetting{ID: actatek.RelayOne, Option: "access_denied", Delay: 11}); err != nil {
		t.Fatal(err)
	}
	if err := f.c.Terminal.SetRelay(ctx, actatek.RelaySetting{ID: actatek.RelayOne, Option: "doorbell", Delay: 5}); err == nil || !strings.Contains(err.Error(), "doorbell") {
		t.Errorf("doorbell on relay ONE: %v", err)
	}
	if err := f.c.Terminal.SetRelay(ctx, actatek.RelaySetting{ID: actatek.RelayTwo, Option: "doorbell", Delay: 21}); err == nil {
		t.Error("a 21 s delay was accepted")
	}
	one, err := f.c.Terminal.RelaySettings(ctx, actatek.RelayOne)
	if err != nil || len(one) != 1 || one[0].Option != "access_denied" || one[0].Delay != 11 {
		t.Errorf("%+v %v", one, err)
	}
	both, err := f.c.Terminal.RelaySettings(ctx, actatek.RelayAll)
	if err != nil || len(both) != 2 || both[1].ID != actatek.RelayTwo {
		t.Errorf("%+v %v", both, err)
	}
}

func TestTerminalSettings(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)

	a := actatek.AutoInOut{Mode: "anti_passback", AutoReset: true, RejectRepeatTimeSec: 8, LockoutTimeMin: 20, CrowdLimitCount: 100, CrowdResetHHMM: "10:11"}
	if err := f.c.Terminal.SetAutoInOut(ctx, a); err != nil {
		t.Fatal(err)
	}
	if got, err := f.c.Terminal.AutoInOut(ctx); err != nil || got != a {
		t.Errorf("autoInOut %+v %v", got, err)
	}
	a.CrowdResetHHMM = "25:00"
	if err := f.c.Terminal.SetAutoInOut(ctx, a); err == nil {
		t.Error("25:00 accepted")
	}

	if err := f.c.Terminal.SetLogUnauthorizedEvent(ctx, false); err != nil {
		t.Fatal(err)
	}
	if on, err := f.c.Terminal.LogUnauthorizedEvent(ctx); err != nil || on {
		t.Errorf("log unauthorised %v %v", on, err)
	}

	r := actatek.RTPSetting{Mode: "SRTP", Key: "123", Target: "abc", FPS: 10, STUN: "stun:stun1.l.google.com:3478"}
	if err := f.c.Terminal.SetRTP(ctx, r); err != nil {
		t.Fatal(err)
	}
	if got, err := f.c.Terminal.RTP(ctx); err != nil || got.Status != "Running" || !strings.HasSuffix(got.SDPFile, "/A4.sdp") || got.Key != "123" {
		t.Errorf("rtp %+v %v", got, err)
	}
	r.FPS = 12
	if err := f.c.Terminal.SetRTP(ctx, r); err == nil {
		t.Error("12 fps accepted")
	}

	if err := f.c.Terminal.SetConsent(ctx, actatek.Consent{Enable: true, DisplayName: "Jakin ID"}); err != nil {
		t.Fatal(err)
	}
	if got, err := f.c.Terminal.Consent(ctx); err != nil || !bool(got.Enable) || got.DisplayName != "Jakin ID" {
		t.Errorf("consent %+v %v", got, err)
	}

	l := actatek.LogSetting{LogEvent: "user_event", LogSize: 100000, LogUnauthEvent: true, LogPhotoAuthEvent: false, LogEMOption: "ID"}
	if err := f.c.Terminal.SetLogSetting(ctx, l); err != nil {
		t.Fatal(err)
	}
	if got, err := f.c.Terminal.LogSetting(ctx); err != nil || got != l {
		t.Errorf("log setting %+v %v", got, err)
	}
	// With photos of authorised events off, opening the door logs no photo.
	if _, err := f.c.Terminal.OpenDoor(ctx); err != nil {
		t.Fatal(err)
	}
	logs, _ := f.c.Logs.ListFull(ctx, actatek.LogFilter{Trigger: "REMOTE DOOR OPEN"}, 1)
	if len(logs) != 1 || len(logs[0].JPEGPhoto) != 0 {
		t.Errorf("door event with photo logging off: %d logs, photo %d bytes", len(logs), len(logs[0].JPEGPhoto))
	}
	l.LogSize = 12345
	if err := f.c.Terminal.SetLogSetting(ctx, l); err == nil {
		t.Error("log size 12345 accepted")
	}
}
