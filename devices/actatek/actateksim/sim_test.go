package actateksim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"enrollstation/devices/actatek"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// start serves a simulator over plain HTTP on loopback.
func start(t *testing.T, opts Options) (*Simulator, *httptest.Server, *testClock) {
	t.Helper()
	clk := &testClock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	if opts.Now == nil {
		opts.Now = clk.Now
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv, clk
}

func send(t *testing.T, srv *httptest.Server, method, path, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func login(t *testing.T, s *Simulator, srv *httptest.Server) string {
	t.Helper()
	creds := s.Credentials()
	body, _ := json.Marshal(map[string]string{"username": creds.Username, "password": creds.Password})
	code, b := send(t, srv, http.MethodPost, actatek.APIPrefix+"login", string(body))
	var ans struct{ Status, Sessionid string }
	if err := json.Unmarshal(b, &ans); code != 200 || err != nil || ans.Sessionid == "" {
		t.Fatalf("login: %d %s", code, b)
	}
	return ans.Sessionid
}

func TestDeterministicGivenSeed(t *testing.T) {
	a, srvA, _ := start(t, Options{Seed: 5, DemoUsers: 3})
	b, srvB, _ := start(t, Options{Seed: 5, DemoUsers: 3})
	c, _, _ := start(t, Options{Seed: 6, DemoUsers: 3})
	if a.Fingerprint() != b.Fingerprint() || a.Fingerprint() == c.Fingerprint() || a.SerialNumber() != b.SerialNumber() {
		t.Errorf("fingerprints %s %s %s", a.Fingerprint(), b.Fingerprint(), c.Fingerprint())
	}
	sa, sb := login(t, a, srvA), login(t, b, srvB)
	if sa != sb {
		t.Errorf("session ids %s and %s from the same seed", sa, sb)
	}
	_, la := send(t, srvA, http.MethodGet, actatek.APIPrefix+"getLogs/"+sa+"/100", "")
	_, lb := send(t, srvB, http.MethodGet, actatek.APIPrefix+"getLogs/"+sb+"/100", "")
	if !bytes.Equal(la, lb) || len(la) < 1000 {
		t.Errorf("demo logs differ (%d and %d bytes)", len(la), len(lb))
	}
}

func TestRoutingAndErrorShape(t *testing.T) {
	s, srv, _ := start(t, Options{})
	sid := login(t, s, srv)
	cases := []struct {
		method, path string
		code         int
		msg          string
	}{
		{"GET", "/index.html", 404, "not an ACTAtek"},
		{"GET", actatek.APIPrefix + "nosuchcall/" + sid, 404, "unknown API call"},
		{"PATCH", actatek.APIPrefix + "user/" + sid, 405, "does not take PATCH"},
		{"GET", actatek.APIPrefix + "terminalstatus/12345", 400, actatek.MsgSessionExpired},
		{"GET", actatek.APIPrefix + "terminalstatus", 400, "session id missing"},
		{"POST", actatek.APIPrefix + "login", 400, "username and password"},
		{"POST", actatek.APIPrefix + "user/" + sid, 400, "not valid JSON"},
	}
	for _, c := range cases {
		code, body := send(t, srv, c.method, c.path, "")
		var r actatek.Result
		if err := json.Unmarshal(body, &r); err != nil || code != c.code || r.Status != "error" || !strings.Contains(r.Message, c.msg) {
			t.Errorf("%s %s: %d %s", c.method, c.path, code, body)
		}
	}
	// Trailing slashes, as some Path lines have them.
	if code, body := send(t, srv, "GET", actatek.APIPrefix+"myself/"+sid+"/", ""); code != 200 || !strings.Contains(string(body), `"admin"`) {
		t.Errorf("myself with a slash: %d %s", code, body)
	}
	// 13.1's garbled holiday path.
	if code, body := send(t, srv, "GET", actatek.APIPrefix+"holiday/"+sid+"/date=2026-0-0", ""); code != 200 || string(body) != `{"dates":[]}` {
		t.Errorf("holiday path: %d %s", code, body)
	}
}

func TestFaultKnobs(t *testing.T) {
	s, srv, _ := start(t, Options{})
	path := actatek.APIPrefix + "apiversion"

	s.SetDropRate(1)
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	if resp, err := srv.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Error("a dropped call got an answer")
	}
	s.SetDropRate(0)

	s.SetErrorRate(1)
	if code, body := send(t, srv, "GET", path, ""); code != 500 || !strings.Contains(string(body), `"status":"error"`) {
		t.Errorf("error rate: %d %s", code, body)
	}
	s.SetErrorRate(0)

	s.SetMalformedRate(1)
	for range 3 {
		if code, body := send(t, srv, "GET", path, ""); code != 200 || json.Valid(body) {
			t.Errorf("malformed: %d %q is valid JSON", code, body)
		}
	}
	s.SetMalformedRate(0)

	s.SetLatency(80 * time.Millisecond)
	begin := time.Now()
	if code, _ := send(t, srv, "GET", path, ""); code != 200 || time.Since(begin) < 80*time.Millisecond {
		t.Errorf("latency: %d after %v", code, time.Since(begin))
	}
	s.SetLatency(0)
	if st := s.Stats(); st.Calls != 6 {
		t.Errorf("calls %d, want 6 (faulted ones count)", st.Calls)
	}
}

func TestSessionsExpire(t *testing.T) {
	s, srv, clk := start(t, Options{IdleExpiry: time.Minute})
	sid := login(t, s, srv)
	status := actatek.APIPrefix + "terminalstatus/" + sid
	clk.Advance(59 * time.Second)
	if code, _ := send(t, srv, "GET", status, ""); code != 200 {
		t.Fatal("expired before the idle time")
	}
	clk.Advance(61 * time.Second)
	if code, body := send(t, srv, "GET", status, ""); code != 400 || !strings.Contains(string(body), actatek.MsgSessionExpired) {
		t.Errorf("after idle: %d %s", code, body)
	}
	sid = login(t, s, srv)
	s.ExpireSessions()
	if code, _ := send(t, srv, "GET", actatek.APIPrefix+"terminalstatus/"+sid, ""); code != 400 {
		t.Error("ExpireSessions left a session alive")
	}
	sid = login(t, s, srv)
	if code, _ := send(t, srv, "DELETE", actatek.APIPrefix+"logout/"+sid, ""); code != 200 {
		t.Error("logout failed")
	}
	if code, _ := send(t, srv, "GET", actatek.APIPrefix+"terminalstatus/"+sid, ""); code != 400 {
		t.Error("a logged-out session still works")
	}
}

func userJSON(ids ...string) string {
	var us []actatek.User
	for _, id := range ids {
		us = append(us, actatek.User{UserID: id, Status: &actatek.UserStatus{Active: actatek.Flag(true), AutoMatch: actatek.Flag(false), SmartCard: actatek.Flag(false), Fingerprint: actatek.Flag(false), Password: actatek.Flag(false), Facial: actatek.Flag(false), FacialAutoMatch: actatek.Flag(false)}})
	}
	b, _ := json.Marshal(us)
	return string(b)
}

func TestBatchExpiryModes(t *testing.T) {
	s, srv, _ := start(t, Options{})
	sid := login(t, s, srv)
	s.ExpireSessionsAfterWrites(2, ExpiryPerItem)
	code, body := send(t, srv, "POST", actatek.APIPrefix+"user/"+sid, userJSON("a", "b", "c", "d"))
	var res []actatek.Result
	if err := json.Unmarshal(body, &res); code != 200 || err != nil || len(res) != 4 {
		t.Fatalf("%d %s", code, body)
	}
	if !res[0].OK() || !res[1].OK() || res[2].OK() || res[3].Message != actatek.MsgSessionExpired {
		t.Errorf("per item: %+v", res)
	}
	if ids := s.UserIDs(); len(ids) != 2 {
		t.Errorf("users %v", ids)
	}
	sid = login(t, s, srv)
	s.ExpireSessionsAfterWrites(1, ExpiryWholeCall)
	code, body = send(t, srv, "POST", actatek.APIPrefix+"user/"+sid, userJSON("e", "f", "g"))
	if code != 400 || !strings.Contains(string(body), actatek.MsgSessionExpired) {
		t.Errorf("whole call: %d %s", code, body)
	}
	if ids := s.UserIDs(); len(ids) != 3 || ids[2] != "e" {
		t.Errorf("users %v: the write before the expiry stays", ids)
	}
}

func TestFullTerminalAndValidation(t *testing.T) {
	s, srv, _ := start(t, Options{MaxUsers: 1})
	sid := login(t, s, srv)
	path := actatek.APIPrefix + "user/" + sid
	if code, body := send(t, srv, "POST", path, `{"userID":"x"}`); code != 400 || !strings.Contains(string(body), "status is required") {
		t.Errorf("no status: %d %s", code, body)
	}
	// 3.1: every member of the status object is required.
	if code, body := send(t, srv, "POST", path, `{"userID":"x","status":{"active":true}}`); code != 400 || !strings.Contains(string(body), "every member of status") {
		t.Errorf("partial status: %d %s", code, body)
	}
	if code, body := send(t, srv, "POST", path, `{"userID":"x","status":{"active":true,"autoMatch":false,"smartCard":false,"fingerprint":false,"password":false,"facial":false,"facialAutoMatch":false},"facialrecords":{"FacialTemplateType":1,"FacialPhoto":"iVBORw0KGgo="}}`); code != 400 || !strings.Contains(string(body), "not a JPEG") {
		t.Errorf("PNG photo: %d %s", code, body)
	}
	if code, body := send(t, srv, "POST", path, `{"userID":"a/b","status":{"active":true,"autoMatch":false,"smartCard":false,"fingerprint":false,"password":false,"facial":false,"facialAutoMatch":false}}`); code != 400 || !strings.Contains(string(body), "cannot have") {
		t.Errorf("slash in ID: %d %s", code, body)
	}
	if code, _ := send(t, srv, "POST", path, `{"userID":"x","status":{"active":true,"autoMatch":false,"smartCard":false,"fingerprint":false,"password":false,"facial":false,"facialAutoMatch":false}}`); code != 200 {
		t.Fatal("first user refused")
	}
	code, body := send(t, srv, "POST", path, `{"userID":"y","status":{"active":true,"autoMatch":false,"smartCard":false,"fingerprint":false,"password":false,"facial":false,"facialAutoMatch":false}}`)
	var r actatek.Result
	json.Unmarshal(body, &r)
	if code != 400 || r.Status != "error" || !strings.HasPrefix(r.Message, actatek.MsgTerminalFull) {
		t.Errorf("full: %d %s", code, body)
	}
	// A photo without a template gets one extracted.
	s.SetMaxUsers(2)
	photo := actatek.Base64(FacePhoto(1, 32, 32))
	b, _ := json.Marshal(actatek.User{UserID: "z", Status: &actatek.UserStatus{Active: actatek.Flag(true), AutoMatch: actatek.Flag(false), SmartCard: actatek.Flag(false), Fingerprint: actatek.Flag(false), Password: actatek.Flag(false), Facial: actatek.Flag(true), FacialAutoMatch: actatek.Flag(true)}, FacialRecords: actatek.List[actatek.FacialRecord]{{TemplateType: 2, Photo: photo}}})
	if code, body := send(t, srv, "POST", path, string(b)); code != 200 {
		t.Fatalf("photo only: %d %s", code, body)
	}
	if u, _ := s.User("z"); len(u.FacialRecords[0].Template) != 512 {
		t.Errorf("template of %d bytes", len(u.FacialRecords[0].Template))
	}
}

func TestControlSurface(t *testing.T) {
	s, srv, _ := start(t, Options{})
	login(t, s, srv)
	code, body := send(t, srv, "GET", ControlPrefix+"state", "")
	var st ControlState
	if err := json.Unmarshal(body, &st); code != 200 || err != nil || st.Sessions != 1 || st.Fingerprint != s.Fingerprint() {
		t.Errorf("state: %d %s", code, body)
	}
	if code, _ := send(t, srv, "POST", ControlPrefix+"expire-sessions", ""); code != 200 || s.Stats().Sessions != 0 {
		t.Error("expire-sessions")
	}
	if code, _ := send(t, srv, "PUT", ControlPrefix+"faults", `{"error_rate":1,"max_users":3}`); code != 200 {
		t.Fatal("faults")
	}
	if code, _ := send(t, srv, "GET", actatek.APIPrefix+"apiversion", ""); code != 500 {
		t.Errorf("error rate from the control surface: %d", code)
	}
	if code, _ := send(t, srv, "PUT", ControlPrefix+"faults", `{"error_rate":`); code != 400 {
		t.Error("bad faults body accepted")
	}
	if code, _ := send(t, srv, "DELETE", ControlPrefix+"state", ""); code != 405 {
		t.Error("DELETE state")
	}
}
