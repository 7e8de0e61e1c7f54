package vendor_test

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/clue/cluesim"
	"enrollstation/devices/clue/vendor"
)

// webhook serves the vendor simulator over HTTPS and returns a configuration pointing at it
// and the pool that trusts its certificate.
func webhook(t *testing.T) (*cluesim.Webhook, vendor.Config, *x509.CertPool) {
	t.Helper()
	w := cluesim.NewWebhook(cluesim.WebhookOptions{Known: []string{"EMP-1"}, Authorization: "Bearer abc"})
	srv := httptest.NewTLSServer(w)
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	c := validConfig(t)
	c.WebhookURL = srv.URL + "/verify"
	return w, c, pool
}

var testIn = vendor.TestInput{DeviceID: "123456789", UserKey: "EMP-1"}

func TestCallGranted(t *testing.T) {
	w, c, pool := webhook(t)
	r := vendor.Test(context.Background(), c, testIn, vendor.TestOptions{RootCAs: pool})
	if r.Class != vendor.ClassC || !r.Success || r.StatusCode != 200 || r.Decision == nil {
		t.Fatalf("%+v", r)
	}
	if !r.Decision.Granted || r.Decision.Message != "Access granted." || r.Decision.Mode != vendor.ModeCombined {
		t.Errorf("decision %+v", r.Decision)
	}
	reqs := w.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	got := reqs[0]
	if got.Method != "POST" || got.Path != "/verify" || got.Header.Get("Content-Type") != "application/json" ||
		got.Header.Get("Accept") != "application/json" || got.Header.Get("Authorization") != "Bearer abc" {
		t.Errorf("request %+v", got)
	}
	if got.Body != `{"deviceId":"123456789","employeeId":"EMP-1","site":"HQ"}` {
		t.Errorf("body %s", got.Body)
	}
}

func TestCallDeniedIsStillC(t *testing.T) {
	_, c, pool := webhook(t)
	r := vendor.Test(context.Background(), c, vendor.TestInput{DeviceID: "123456789", UserKey: "nobody"}, vendor.TestOptions{RootCAs: pool})
	if r.Class != vendor.ClassC || !r.Success || r.StatusCode != 403 || r.Decision.Granted ||
		r.Decision.Message != "Access denied: unknown credential." || !strings.Contains(r.Decision.Reason, "status 403 is not one of 200") {
		t.Fatalf("%+v %+v", r, r.Decision)
	}
}

// TestCallClasses covers each symptom of section 9.3 B and C with the simulator's answers.
func TestCallClasses(t *testing.T) {
	w, c, pool := webhook(t)
	cases := []struct {
		name    string
		answer  cluesim.Answer
		class   vendor.Class
		problem string
		status  int
	}{
		{"html error page", cluesim.HTMLAnswer(502, "<html><body>Bad Gateway</body></html>"), vendor.ClassB, "Content-Type is text/html", 502},
		{"no content type", cluesim.Answer{Status: 200, Body: []byte(`{"valid":true}`)}, vendor.ClassB, "not JSON", 200},
		{"json type, broken body", cluesim.Answer{Status: 200, ContentType: "application/json", Body: []byte(`{"valid":`)}, vendor.ClassB, "not valid JSON", 200},
		{"empty body", cluesim.Answer{Status: 200, ContentType: "application/json"}, vendor.ClassB, "not valid JSON", 200},
		{"timeout", cluesim.Answer{Status: 200, ContentType: "application/json", Body: []byte(`{}`), Delay: time.Second}, vendor.ClassB, "timeout", 0},
		{"500 with JSON", cluesim.JSONAnswer(500, map[string]any{"valid": true, "message": "oops"}), vendor.ClassC, "", 500},
		{"302 with JSON", cluesim.JSONAnswer(302, map[string]any{"valid": true}), vendor.ClassC, "", 302},
		{"charset", cluesim.Answer{Status: 200, ContentType: "application/json; charset=utf-8", Body: []byte(`{"valid":"true"}`)}, vendor.ClassC, "", 200},
	}
	for _, tc := range cases {
		w.SetAnswer(tc.answer)
		r := vendor.Test(context.Background(), c, testIn, vendor.TestOptions{RootCAs: pool, Timeout: 300 * time.Millisecond})
		if r.Class != tc.class || r.Success != (tc.class == vendor.ClassC) || !strings.Contains(r.Problem, tc.problem) || r.StatusCode != tc.status {
			t.Errorf("%s: %+v", tc.name, r)
		}
		if r.Request == nil {
			t.Errorf("%s: the request sent is not reported", tc.name)
		}
	}
	// Mode 3 on a 500: the status fails, so no grant even though the body says valid.
	w.SetAnswer(cluesim.JSONAnswer(500, map[string]any{"valid": true}))
	if r := vendor.Test(context.Background(), c, testIn, vendor.TestOptions{RootCAs: pool}); r.Decision == nil || r.Decision.Granted {
		t.Errorf("500 granted: %+v", r.Decision)
	}
	// The string "true" is not the boolean true.
	w.SetAnswer(cluesim.JSONAnswer(200, map[string]any{"valid": "true"}))
	if r := vendor.Test(context.Background(), c, testIn, vendor.TestOptions{RootCAs: pool}); r.Decision == nil || r.Decision.Granted {
		t.Errorf(`"true" granted: %+v`, r.Decision)
	}
}

func TestCallNetworkFailures(t *testing.T) {
	_, c, _ := webhook(t)
	// The simulator's certificate is not trusted without --ca.
	r := vendor.Test(context.Background(), c, testIn, vendor.TestOptions{})
	if r.Class != vendor.ClassB || !strings.Contains(r.Problem, "certificate is not trusted") {
		t.Errorf("untrusted: %+v", r)
	}
	// Nothing listens.
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	c.WebhookURL = srv.URL
	srv.Close()
	r = vendor.Test(context.Background(), c, testIn, vendor.TestOptions{})
	if r.Class != vendor.ClassB || !strings.Contains(r.Problem, "connection failure") {
		t.Errorf("refused: %+v", r)
	}
	// Dropped connection.
	w, c2, pool := webhook(t)
	w.SetDropRate(1)
	r = vendor.Test(context.Background(), c2, testIn, vendor.TestOptions{RootCAs: pool})
	if r.Class != vendor.ClassB || r.Success {
		t.Errorf("dropped: %+v", r)
	}
}

func TestCallBlockedAtValidation(t *testing.T) {
	w, c, pool := webhook(t)
	c.Headers = append(c.Headers, vendor.Header{Key: "Accept", Value: "*/*"})
	r := vendor.Test(context.Background(), c, vendor.TestInput{DeviceID: "12", UserKey: "EMP-1"}, vendor.TestOptions{RootCAs: pool})
	if r.Class != vendor.ClassA || r.Success || !r.Violations.Has(vendor.RuleHeaderReserved) || !r.Violations.Has(vendor.RuleTestDeviceID) || r.Request != nil {
		t.Errorf("%+v", r)
	}
	_, c3, _ := webhook(t)
	full := []vendor.Config{{AuthType: vendor.AuthFace}, {AuthType: vendor.AuthFace}, {AuthType: vendor.AuthFace}}
	if r := vendor.Test(context.Background(), c3, testIn, vendor.TestOptions{RootCAs: pool, Registered: full}); r.Class != vendor.ClassA || !r.Violations.Has(vendor.RuleAuthTypeLimit) {
		t.Errorf("limit: %+v", r)
	}
	if n := len(w.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	b, err := json.Marshal(r)
	if err != nil || !strings.Contains(string(b), `"class":"A"`) {
		t.Errorf("JSON %s %v", b, err)
	}
}

// Spec 002 5.6 and 5.7: the test call comes first and the criteria are set on its response,
// so a configuration without criteria is tested (no decision), and only saving needs them.
func TestCallRunsBeforeJudgmentCriteria(t *testing.T) {
	w, c, pool := webhook(t)
	c.Judgment = vendor.Judgment{}
	r := vendor.Test(t.Context(), c, testIn, vendor.TestOptions{RootCAs: pool})
	got := struct {
		Class    vendor.Class
		Success  bool
		Status   int
		Decided  bool
		Requests int
	}{r.Class, r.Success, r.StatusCode, r.Decision != nil, len(w.Requests())}
	want := got
	want.Class, want.Success, want.Status, want.Decided, want.Requests = vendor.ClassC, true, 200, false, 1
	if got != want {
		t.Errorf("got %+v, want %+v (%v)", got, want, r.Violations)
	}
	if vs := vendor.ValidateSave(c, vendor.SaveState{LastTest: r}); !vs.Has(vendor.RuleJudgmentRequired) {
		t.Errorf("saved without criteria: %v", vs)
	}
}
