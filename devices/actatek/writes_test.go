package actatek_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"enrollstation/devices/actatek"
)

// write is one write call of the client, with a single item.
type write struct {
	name string
	call func(ctx context.Context, c *actatek.Client) error
}

func everyWrite() []write {
	u := actatek.User{UserID: "A0001", FirstName: "Ben", FacialRecords: actatek.List[actatek.FacialRecord]{{TemplateType: 1, Template: []byte{1, 2, 3}}}}
	ts := actatek.UTC(time.Date(2026, 10, 12, 9, 0, 0, 0, time.UTC))
	return []write{
		{"addUser", func(ctx context.Context, c *actatek.Client) error { _, err := c.Users.Add(ctx, u); return err }},
		{"addUsers", func(ctx context.Context, c *actatek.Client) error {
			_, err := c.Users.AddBatch(ctx, []actatek.User{u})
			return err
		}},
		{"push", func(ctx context.Context, c *actatek.Client) error {
			_, err := c.Users.Push(ctx, []actatek.User{u}, 0)
			return err
		}},
		{"updateUser", func(ctx context.Context, c *actatek.Client) error { return c.Users.Update(ctx, u) }},
		{"updateUsers", func(ctx context.Context, c *actatek.Client) error {
			_, err := c.Users.UpdateBatch(ctx, []actatek.User{u})
			return err
		}},
		{"deleteUser", func(ctx context.Context, c *actatek.Client) error { return c.Users.Delete(ctx, "A0001") }},
		{"activateUser", func(ctx context.Context, c *actatek.Client) error { return c.Users.Activate(ctx, "A0001") }},
		{"deactivateUser", func(ctx context.Context, c *actatek.Client) error { return c.Users.Deactivate(ctx, "A0001") }},
		{"setUserMessage", func(ctx context.Context, c *actatek.Client) error { return c.Users.SetMessage(ctx, "A0001", "hi") }},
		{"deleteUserMessage", func(ctx context.Context, c *actatek.Client) error { return c.Users.DeleteMessage(ctx, "A0001") }},
		{"addLog", func(ctx context.Context, c *actatek.Client) error { return c.Logs.Add(ctx, ts, "A0001", "IN") }},
		{"deleteLogs", func(ctx context.Context, c *actatek.Client) error { return c.Logs.DeleteBefore(ctx, 30) }},
		{"resetLog", func(ctx context.Context, c *actatek.Client) error { return c.Logs.Reset(ctx) }},
		{"addDepartment", func(ctx context.Context, c *actatek.Client) error {
			return c.Departments.Add(ctx, actatek.Department{ID: 21, Name: "ABC"})
		}},
		{"updateDepartment", func(ctx context.Context, c *actatek.Client) error {
			return c.Departments.Update(ctx, actatek.Department{ID: 21, Name: "ABC"})
		}},
		{"deleteDepartment", func(ctx context.Context, c *actatek.Client) error {
			id := 21
			return c.Departments.Delete(ctx, actatek.DepartmentFilter{ID: &id})
		}},
		{"addAccessRight", func(ctx context.Context, c *actatek.Client) error {
			return c.AccessRights.Add(ctx, actatek.AccessRight{ID: 14, Name: "r"})
		}},
		{"updateAccessRight", func(ctx context.Context, c *actatek.Client) error {
			return c.AccessRights.Update(ctx, actatek.AccessRight{ID: 14, Name: "r"})
		}},
		{"deleteAccessRight", func(ctx context.Context, c *actatek.Client) error { return c.AccessRights.Delete(ctx, 14) }},
		{"addAccessGroup", func(ctx context.Context, c *actatek.Client) error {
			return c.AccessGroups.Add(ctx, actatek.AccessGroup{Name: "g", DepartmentID: 1})
		}},
		{"updateAccessGroup", func(ctx context.Context, c *actatek.Client) error {
			return c.AccessGroups.Update(ctx, actatek.AccessGroup{ID: 14, Name: "g", DepartmentID: 1})
		}},
		{"deleteAccessGroup", func(ctx context.Context, c *actatek.Client) error { return c.AccessGroups.Delete(ctx, 14) }},
		{"updateTrigger", func(ctx context.Context, c *actatek.Client) error {
			return c.Triggers.Update(ctx, actatek.Trigger{Type: "IN", Enable: true})
		}},
		{"clearTrigger", func(ctx context.Context, c *actatek.Client) error { return c.Triggers.Clear(ctx, "IN") }},
		{"updateMyself", func(ctx context.Context, c *actatek.Client) error {
			return c.Myself.Update(ctx, actatek.MyselfUpdate{UserID: "admin", FirstName: "A"})
		}},
		{"registerAgent", func(ctx context.Context, c *actatek.Client) error {
			return c.Agents.Register(ctx, actatek.AgentRegistration{URL: "https://a.example"})
		}},
		{"unregisterAgent", func(ctx context.Context, c *actatek.Client) error {
			return c.Agents.Unregister(ctx, "https://a.example")
		}},
		{"setNTP", func(ctx context.Context, c *actatek.Client) error {
			return c.Time.SetNTP(ctx, actatek.NTPSetting{ServerAddr: "pool.ntp.org", Enable: true})
		}},
		{"setTime", func(ctx context.Context, c *actatek.Client) error {
			return c.Time.Set(ctx, actatek.TerminalTime{CurrentTime: ts})
		}},
		{"openDoor", func(ctx context.Context, c *actatek.Client) error { _, err := c.Terminal.OpenDoor(ctx); return err }},
		{"relayAction", func(ctx context.Context, c *actatek.Client) error {
			_, err := c.Terminal.Relay(ctx, actatek.RelayOpen, actatek.RelayOne)
			return err
		}},
		{"setRelaySetting", func(ctx context.Context, c *actatek.Client) error {
			return c.Terminal.SetRelay(ctx, actatek.RelaySetting{ID: actatek.RelayOne, Option: "disable", Delay: 3})
		}},
		{"setAutoInOut", func(ctx context.Context, c *actatek.Client) error {
			return c.Terminal.SetAutoInOut(ctx, actatek.AutoInOut{Mode: "disable"})
		}},
		{"setLogUnauthorizedEvent", func(ctx context.Context, c *actatek.Client) error {
			return c.Terminal.SetLogUnauthorizedEvent(ctx, true)
		}},
		{"setRTPSetting", func(ctx context.Context, c *actatek.Client) error {
			return c.Terminal.SetRTP(ctx, actatek.RTPSetting{Mode: "disable", FPS: 10})
		}},
		{"setConsent", func(ctx context.Context, c *actatek.Client) error {
			return c.Terminal.SetConsent(ctx, actatek.Consent{Enable: true, DisplayName: "x"})
		}},
		{"setLogSetting", func(ctx context.Context, c *actatek.Client) error {
			return c.Terminal.SetLogSetting(ctx, actatek.LogSetting{LogEvent: "all"})
		}},
		{"updateJobCodeSettings", func(ctx context.Context, c *actatek.Client) error {
			return c.JobCodes.UpdateSettings(ctx, actatek.JobCodeSetting{JobCode: 1, Name: "a", Enable: "enable"})
		}},
		{"addJobCodes", func(ctx context.Context, c *actatek.Client) error {
			return c.JobCodes.Add(ctx, actatek.JobCode{JobCode: 1, ID: 2, Name: "a", Enable: "enable"})
		}},
		{"updateJobCodes", func(ctx context.Context, c *actatek.Client) error {
			return c.JobCodes.Update(ctx, actatek.JobCode{JobCode: 1, ID: 2, Name: "a", Enable: "enable"})
		}},
		{"deleteJobCodes", func(ctx context.Context, c *actatek.Client) error {
			return c.JobCodes.Delete(ctx, actatek.JobCodeFilter{JobCode: 1, ID: 2, Name: "a"})
		}},
		{"setHolidays", func(ctx context.Context, c *actatek.Client) error {
			_, err := c.Holidays.Add(ctx, "2026-10-12")
			return err
		}},
		{"deleteHolidays", func(ctx context.Context, c *actatek.Client) error {
			_, err := c.Holidays.Delete(ctx, "2026-10-12")
			return err
		}},
		{"logout", func(ctx context.Context, c *actatek.Client) error {
			if err := c.Login(ctx); err != nil {
				return err
			}
			return c.Logout(ctx)
		}},
	}
}

// TestEveryWriteChecksItsAnswer sends every write to a terminal that answers 200 with
// something that is not a success: each must fail, with an *Error of the right kind, and
// succeed when the same terminal answers the documented success.
func TestEveryWriteChecksItsAnswer(t *testing.T) {
	bad := []struct {
		name string
		body string
		kind error
	}{
		{"HTML page", "<html><body>Login</body></html>", actatek.ErrMalformed},
		{"empty body", "", actatek.ErrMalformed},
		{"error item", `[{"status":"error"}]`, actatek.ErrRejected},
		{"failed", `{"status":"failed"}`, actatek.ErrRejected},
		{"failed with a message", `{"status":"failed","message":"flash write error"}`, actatek.ErrRejected},
		{"no status", `{"message":"User A0001 Added"}`, actatek.ErrMalformed},
		{"not JSON", `status=success`, actatek.ErrMalformed},
		{"two answers for one item", `[{"status":"success"},{"status":"success"}]`, actatek.ErrMalformed},
	}
	for _, w := range everyWrite() {
		for _, b := range bad {
			f := newFakeTerminal(t, func(r fakeRequest) (int, string) {
				if r.Method == http.MethodGet { // the read-back of a user an add reported as existing
					return http.StatusOK, `[]`
				}
				return http.StatusOK, b.body
			})
			err := w.call(t.Context(), f.client(t))
			var e *actatek.Error
			switch {
			case err == nil:
				t.Errorf("%s, answer %s: no error", w.name, b.name)
			case !errors.As(err, &e):
				t.Errorf("%s, answer %s: %T is not an *actatek.Error: %v", w.name, b.name, err, err)
			case !errors.Is(err, b.kind):
				t.Errorf("%s, answer %s: %v is not %v", w.name, b.name, err, b.kind)
			}
		}
		f := newFakeTerminal(t, func(r fakeRequest) (int, string) {
			return http.StatusOK, `{"status":"success","message":"done"}`
		})
		if err := w.call(t.Context(), f.client(t)); err != nil {
			t.Errorf("%s, success answer: %v", w.name, err)
		}
	}
}

// TestFailuresAreClassified: what the push worker decides a retry on. Every failure is an
// *Error; no answer, a server error and an unreadable answer are temporary, a refusal is
// not.
func TestFailuresAreClassified(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		body      string
		kind      error
		temporary bool
	}{
		{"server error", 500, `{"status":"error","message":"internal error"}`, nil, true},
		{"busy", 503, `<html>busy</html>`, actatek.ErrUnavailable, true},
		{"throttled", 429, ``, actatek.ErrThrottled, true},
		{"HTML in a 200", 200, `<html>login</html>`, actatek.ErrMalformed, true},
		{"exists sent as a 500", 500, `{"status":"error","message":"User A0001 already exists"}`, actatek.ErrConflict, false},
		{"refused", 400, `{"status":"error","message":"department 7 does not exist"}`, actatek.ErrNotFound, false},
		{"full", 200, `{"status":"error","message":"terminal full: 10 of 10 users registered"}`, actatek.ErrTerminalFull, false},
	}
	for _, c := range cases {
		ft := newFakeTerminal(t, func(r fakeRequest) (int, string) {
			if r.Method == http.MethodGet {
				return http.StatusOK, `[]`
			}
			return c.status, c.body
		})
		err := ft.client(t).Users.Update(t.Context(), actatek.User{UserID: "A0001", FirstName: "x"})
		var e *actatek.Error
		if !errors.As(err, &e) || (c.kind != nil && !errors.Is(err, c.kind)) || e.Temporary() != c.temporary {
			t.Errorf("%s: %v (temporary %v), want kind %v temporary %v", c.name, err, e != nil && e.Temporary(), c.kind, c.temporary)
		}
	}
	ft := newFakeTerminal(t, func(fakeRequest) (int, string) { return 200, "" })
	c := ft.client(t)
	ft.srv.Close()
	err := c.Users.Delete(t.Context(), "A0001")
	var e *actatek.Error
	if !errors.As(err, &e) || !errors.Is(err, actatek.ErrUnreachable) || !e.Temporary() {
		t.Errorf("closed terminal: %v", err)
	}
}
