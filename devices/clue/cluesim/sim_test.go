package cluesim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/clue"
	"enrollstation/devices/clue/cluesim"
)

// cloud is a simulator on loopback with a tiny HTTP helper.
type cloud struct {
	t   *testing.T
	sim *cluesim.Server
	srv *httptest.Server
}

func newCloud(t *testing.T, opts cluesim.Options) *cloud {
	t.Helper()
	if opts.Spacing == 0 {
		opts.Spacing = -1 // most tests are not about pacing
	}
	sim := cluesim.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return &cloud{t: t, sim: sim, srv: srv}
}

// answer is a decoded reply: status, headers and the JSON body as a generic value.
type answer struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// call sends method path with body (JSON-encoded unless it is a string) and the API key.
func (c *cloud) call(method, path string, body any) answer {
	return c.callAs(c.sim.APIKey(), method, path, body)
}

func (c *cloud) callAs(token, method, path string, body any) answer {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.srv.URL+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.srv.Client().Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header, raw: raw}
	_ = json.Unmarshal(raw, &a.body)
	return a
}

// errorCode reads the code of an {"errors":[...]} body.
func (a answer) errorCode() string {
	errs, _ := a.body["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	m, _ := errs[0].(map[string]any)
	s, _ := m["code"].(string)
	return s
}

func (a answer) errorMessage() string {
	if errs, _ := a.body["errors"].([]any); len(errs) > 0 {
		m, _ := errs[0].(map[string]any)
		s, _ := m["message"].(string)
		return s
	}
	s, _ := a.body["message"].(string)
	return s
}

func (a answer) data() map[string]any {
	m, _ := a.body["data"].(map[string]any)
	return m
}

func register(key string) map[string]any {
	return map[string]any{
		"user": map[string]any{"key": key, "name": "n-" + key},
		"auth": map[string]any{"activeStatus": "ACTIVE", "startTime": 1718809200000, "endTime": clue.NoEnd,
			"doorAccessType": "ALL_DOOR", "scheduleType": "ALWAYS", "credentials": map[string]any{"cards": []any{}}},
	}
}

func (c *cloud) login() (access, refresh string) {
	c.t.Helper()
	a := c.sim.Account()
	r := c.callAs("", "POST", "/v1/accounts/login/phone", map[string]string{"countryCode": a.CountryCode, "phone": a.Phone,
		"password": a.Password, "accountType": a.AccountType, "authDeviceType": "MOBILE_APP"})
	if r.status != 200 {
		c.t.Fatalf("login: %d %s", r.status, r.raw)
	}
	return r.data()["accessToken"].(string), r.data()["refreshToken"].(string)
}

// The phone login is an account call of spec 001: /v1 only, never under /v1/be.
func TestPhoneLoginOnlyUnderV1(t *testing.T) {
	c := newCloud(t, cluesim.Options{})
	a := c.sim.Account()
	body := map[string]string{"countryCode": "KR", "phone": a.Phone, "password": a.Password,
		"accountType": a.AccountType, "authDeviceType": "MOBILE_APP"}
	want := map[string]int{"/v1/accounts/login/phone": 200, "/v1/be/accounts/login/phone": 404}
	got := map[string]int{}
	for path := range want {
		got[path] = c.callAs("", "POST", path, body).status
	}
	if !maps.Equal(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
}

func TestEveryCallUnderBothPrefixes(t *testing.T) {
	c := newCloud(t, cluesim.Options{})
	for i, p := range []string{"/v1", "/v1/be"} {
		r := c.call("POST", p+"/places/178/auths", register("k"+p))
		if r.status != 200 {
			t.Fatalf("%s register: %d %s", p, r.status, r.raw)
		}
		id := int64(r.data()["authId"].(float64))
		if id != 118926+int64(i) {
			t.Errorf("%s: auth id %d", p, id)
		}
		upd := register("x")["auth"]
		if r = c.call("PUT", p+"/places/auths/"+itoa(id), upd); r.status != 200 {
			t.Errorf("%s update: %d %s", p, r.status, r.raw)
		}
		if r = c.call("GET", p+"/events?placeId=178", nil); r.status != 200 || r.body["total"].(float64) < 2 {
			t.Errorf("%s events: %d %s", p, r.status, r.raw)
		}
		if r = c.call("GET", p+"/events/places/178", nil); r.status != 200 {
			t.Errorf("%s place events: %d %s", p, r.status, r.raw)
		}
		if r = c.call("DELETE", p+"/places/auths/"+itoa(id), nil); r.status != 200 {
			t.Errorf("%s delete: %d %s", p, r.status, r.raw)
		}
	}
	if r := c.call("GET", "/v2/events", nil); r.status != 404 || r.errorCode() != "NOT_FOUND" {
		t.Errorf("unknown path: %d %s", r.status, r.raw)
	}
}

func TestLogin(t *testing.T) {
	c := newCloud(t, cluesim.Options{})
	a := c.sim.Account()
	good := map[string]string{"countryCode": a.CountryCode, "phone": a.Phone, "password": a.Password, "accountType": a.AccountType, "authDeviceType": "MOBILE_APP"}
	for field, want := range map[string]struct {
		value  string
		status int
		code   string
	}{
		"password":       {"nope", 401, "LOGIN_FAILED"},
		"phone":          {"999", 401, "LOGIN_FAILED"},
		"accountType":    {"USER", 401, "LOGIN_FAILED"},
		"authDeviceType": {"", 400, "INVALID_PARAMETER"},
		"countryCode":    {"", 400, "INVALID_PARAMETER"},
	} {
		body := map[string]string{}
		for k, v := range good {
			body[k] = v
		}
		body[field] = want.value
		r := c.callAs("", "POST", "/v1/accounts/login/phone", body)
		if r.status != want.status || r.errorCode() != want.code {
			t.Errorf("%s=%q: %d %s", field, want.value, r.status, r.raw)
		}
	}
	if r := c.callAs("", "POST", "/v1/accounts/login/phone", "{"); r.status != 400 {
		t.Errorf("broken JSON: %d", r.status)
	}
	if c.sim.Logins() != 0 {
		t.Error("a refused login was counted")
	}
}

func TestTokens(t *testing.T) {
	c := newCloud(t, cluesim.Options{TokenTTL: 50 * time.Millisecond})
	access, refresh := c.login()
	if strings.Count(access, ".") != 2 || access == refresh {
		t.Fatalf("tokens %q %q", access, refresh)
	}
	cases := []struct {
		name, token string
		status      int
		code        string
	}{
		{"access token", access, 200, ""},
		{"API key", c.sim.APIKey(), 200, ""},
		{"no header", "", 401, "UNAUTHORIZED"},
		{"refresh token", refresh, 401, "INVALID_TOKEN"},
		{"made up", "eyJ.x.y", 401, "INVALID_TOKEN"},
	}
	for _, tc := range cases {
		if r := c.callAs(tc.token, "GET", "/v1/events/places/178", nil); r.status != tc.status || r.errorCode() != tc.code {
			t.Errorf("%s: %d %s", tc.name, r.status, r.raw)
		}
	}
	// A bare key without "Bearer" is accepted too.
	req, _ := http.NewRequest("GET", c.srv.URL+"/v1/events/places/178", nil)
	req.Header.Set("Authorization", c.sim.APIKey())
	if resp, err := c.srv.Client().Do(req); err != nil || resp.StatusCode != 200 {
		t.Errorf("bare key: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	time.Sleep(60 * time.Millisecond)
	if r := c.callAs(access, "GET", "/v1/events/places/178", nil); r.status != 401 || r.errorCode() != "TOKEN_EXPIRED" {
		t.Errorf("expired: %d %s", r.status, r.raw)
	}
	c.sim.SetTokenTTL(time.Hour)
	access, _ = c.login()
	c.sim.ExpireTokens()
	if r := c.callAs(access, "GET", "/v1/events/places/178", nil); r.status != 401 {
		t.Errorf("after ExpireTokens: %d", r.status)
	}
	if r := c.call("GET", "/v1/events/places/178", nil); r.status != 200 {
		t.Errorf("the API key stopped working: %d", r.status)
	}
}

func TestSpacingIsEnforcedPerPlace(t *testing.T) {
	other := cluesim.DemoPlace()
	other.ID = 448
	c := newCloud(t, cluesim.Options{Spacing: 200 * time.Millisecond, Places: []cluesim.Place{cluesim.DemoPlace(), other}})
	if r := c.call("GET", "/v1/events/places/178", nil); r.status != 200 {
		t.Fatalf("first: %d", r.status)
	}
	r := c.call("GET", "/v1/events?placeId=178", nil)
	if r.status != 429 || r.header.Get("Retry-After") != "1" || r.errorCode() != "TOO_MANY_REQUESTS" || !strings.Contains(r.errorMessage(), "at least 200ms apart") {
		t.Errorf("too close: %d %v %s", r.status, r.header, r.raw)
	}
	if r := c.call("GET", "/v1/events/places/448", nil); r.status != 200 {
		t.Errorf("another place was held back: %d", r.status)
	}
	a := c.sim.Account()
	if r := c.callAs("", "POST", "/v1/accounts/login/phone", map[string]string{"countryCode": a.CountryCode, "phone": a.Phone,
		"password": a.Password, "accountType": a.AccountType, "authDeviceType": "MOBILE_APP"}); r.status != 200 {
		t.Errorf("the login is not a call to a place: %d", r.status)
	}
	time.Sleep(210 * time.Millisecond)
	if r := c.call("GET", "/v1/events/places/178", nil); r.status != 200 {
		t.Errorf("after the spacing: %d %s", r.status, r.raw)
	}
	arr := c.sim.Arrivals(178)
	if len(arr) != 3 || !arr[0].Before(arr[1]) || !arr[1].Before(arr[2]) {
		t.Errorf("arrivals %v", arr)
	}
	if len(c.sim.Arrivals(448)) != 1 || len(c.sim.Arrivals(0)) != 0 {
		t.Error("arrivals recorded under the wrong place")
	}
}

func TestFaultKnobs(t *testing.T) {
	c := newCloud(t, cluesim.Options{})
	c.sim.SetErrorRate(1)
	if r := c.call("GET", "/v1/events/places/178", nil); r.status != 500 || r.body["status"] != false || !strings.Contains(r.errorMessage(), "internal server error") {
		t.Errorf("error rate: %d %s", r.status, r.raw)
	}
	c.sim.SetErrorRate(0)
	c.sim.SetMalformedRate(1)
	if r := c.call("GET", "/v1/events/places/178", nil); r.status != 200 || json.Valid(r.raw) {
		t.Errorf("malformed: %d %s", r.status, r.raw)
	}
	c.sim.SetMalformedRate(0)
	c.sim.SetDropRate(1)
	if _, err := c.srv.Client().Get(c.srv.URL + "/v1/events/places/178"); err == nil {
		t.Error("the connection was not dropped")
	}
	c.sim.SetDropRate(0)
	c.sim.SetLatency(80 * time.Millisecond)
	t0 := time.Now()
	c.call("GET", "/v1/events/places/178", nil)
	if d := time.Since(t0); d < 80*time.Millisecond {
		t.Errorf("latency: answered in %s", d)
	}
	c.sim.SetLatency(0)
	if r := c.call("GET", "/v1/events/places/178", nil); r.status != 200 {
		t.Errorf("after the faults: %d", r.status)
	}
}

func TestControlSurface(t *testing.T) {
	c := newCloud(t, cluesim.Options{})
	if r := c.callAs("", "POST", "/_sim/faults", map[string]any{"spacingMs": 500, "latencyMs": 1, "fieldTableShape": true}); r.status != 200 {
		t.Fatalf("faults: %d %s", r.status, r.raw)
	}
	r := c.callAs("", "GET", "/_sim/state", nil)
	if r.body["spacingMs"] != float64(500) || r.body["latencyMs"] != float64(1) {
		t.Errorf("state %s", r.raw)
	}
	if r := c.callAs("", "POST", "/_sim/door?place=178&at=1718842553904", nil); r.status != 200 {
		t.Errorf("door: %d %s", r.status, r.raw)
	}
	if r := c.callAs("", "POST", "/_sim/door?place=9", nil); r.status != 404 {
		t.Errorf("door at an unknown place: %d", r.status)
	}
	c.call("GET", "/v1/events/places/178", nil)
	r = c.callAs("", "GET", "/_sim/arrivals?place=178", nil)
	var ms []int64
	if err := json.Unmarshal(r.raw, &ms); err != nil || len(ms) != 1 || ms[0] < time.Now().Add(-time.Minute).UnixMilli() {
		t.Errorf("arrivals %s", r.raw)
	}
	r = c.callAs("", "GET", "/_sim/state", nil)
	if ev := r.body["events"].(map[string]any); ev["178"] != float64(1) {
		t.Errorf("events after a door use: %s", r.raw)
	}
	if r := c.callAs("", "POST", "/_sim/faults", "{"); r.status != 400 {
		t.Errorf("broken faults: %d", r.status)
	}
	if r := c.callAs("", "POST", "/_sim/faults", map[string]any{"expireTokens": true}); r.status != 200 {
		t.Errorf("expire: %d", r.status)
	}
	if c.sim.Calls() != 1 {
		t.Errorf("control calls counted as API calls: %d", c.sim.Calls())
	}
}

// TestDeterministicGivenSeed: the same seed gives the same key, ids and door use.
func TestDeterministicGivenSeed(t *testing.T) {
	run := func(seed int64) (string, []string) {
		sim := cluesim.New(cluesim.Options{Seed: seed, Spacing: -1})
		srv := httptest.NewServer(sim)
		defer srv.Close()
		c, err := clue.NewClient(clue.Options{BaseURL: srv.URL, PlaceID: 178, APIKey: clue.Secret(sim.APIKey()), Pacer: clue.NewPacer(0)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Auths.Register(context.Background(), clue.Registration{Key: "a", Name: "A", Access: clue.Access{Start: time.UnixMilli(1)}}); err != nil {
			t.Fatal(err)
		}
		var out []string
		for i := range 12 {
			evs, err := sim.DoorUse(178, time.UnixMilli(1718842553904+int64(i)*1000))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range evs {
				out = append(out, string(e.LogID)+e.EventType+itoa(int64(e.DoorID)))
			}
		}
		return sim.APIKey(), out
	}
	k1, e1 := run(7)
	k2, e2 := run(7)
	k3, e3 := run(8)
	if k1 != k2 || strings.Join(e1, ",") != strings.Join(e2, ",") {
		t.Error("the same seed gave different runs")
	}
	if k1 == k3 || strings.Join(e1, ",") == strings.Join(e3, ",") {
		t.Error("different seeds gave the same run")
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }
