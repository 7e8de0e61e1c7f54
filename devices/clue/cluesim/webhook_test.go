package cluesim_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/clue/cluesim"
)

func post(t *testing.T, url, contentType, auth, body string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

func TestWebhookVendorLogic(t *testing.T) {
	w := cluesim.NewWebhook(cluesim.WebhookOptions{Known: []string{"EMP-1", "12345"}, Authorization: "Bearer abc"})
	srv := httptest.NewServer(w)
	defer srv.Close()
	cases := []struct {
		name, ct, auth, body string
		status               int
		want                 string
	}{
		{"known key", "application/json", "Bearer abc", `{"deviceId":"123456789","employeeId":"EMP-1"}`, 200, `"valid":true`},
		{"known card as a number", "application/json; charset=utf-8", "Bearer abc", `{"rfCard":12345}`, 200, `"valid":true`},
		{"unknown", "application/json", "Bearer abc", `{"employeeId":"EMP-2"}`, 403, `"valid":false`},
		{"no token", "application/json", "", `{"employeeId":"EMP-1"}`, 401, "Unauthorized"},
		{"form post", "application/x-www-form-urlencoded", "Bearer abc", `a=b`, 415, "Content-Type must be application/json"},
		{"array", "application/json", "Bearer abc", `["EMP-1"]`, 400, "not a JSON object"},
	}
	for _, tc := range cases {
		status, ct, body := post(t, srv.URL+"/verify", tc.ct, tc.auth, tc.body)
		if status != tc.status || ct != "application/json" || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d %s %s", tc.name, status, ct, body)
		}
	}
	resp, err := http.Get(srv.URL + "/verify")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("GET: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	reqs := w.Requests()
	if len(reqs) != len(cases)+1 || reqs[0].Body != cases[0].body || reqs[0].Header.Get("Authorization") != "Bearer abc" || reqs[len(reqs)-1].Method != "GET" {
		t.Errorf("requests %+v", reqs)
	}
}

func TestWebhookFixedAnswers(t *testing.T) {
	w := cluesim.NewWebhook(cluesim.WebhookOptions{})
	srv := httptest.NewServer(w)
	defer srv.Close()
	w.SetAnswer(cluesim.HTMLAnswer(502, "<html>Bad Gateway</html>"))
	if s, ct, b := post(t, srv.URL, "application/json", "", `{}`); s != 502 || !strings.HasPrefix(ct, "text/html") || b != "<html>Bad Gateway</html>" {
		t.Errorf("html: %d %s %s", s, ct, b)
	}
	w.SetAnswer(cluesim.Answer{Status: 200, ContentType: "application/json", Body: []byte(`{"valid":"true"}`), Delay: 60 * time.Millisecond})
	t0 := time.Now()
	if s, _, b := post(t, srv.URL, "application/json", "", `{}`); s != 200 || b != `{"valid":"true"}` || time.Since(t0) < 60*time.Millisecond {
		t.Errorf("json with delay: %d %s after %s", s, b, time.Since(t0))
	}
	w.ClearAnswer()
	if s, _, _ := post(t, srv.URL, "application/json", "", `{"k":"nobody"}`); s != 403 {
		t.Errorf("after clearing: %d", s)
	}
	w.SetDelay(50 * time.Millisecond)
	t0 = time.Now()
	post(t, srv.URL, "application/json", "", `{}`)
	if time.Since(t0) < 50*time.Millisecond {
		t.Error("SetDelay had no effect")
	}
	w.SetDelay(0)
	w.SetDropRate(1)
	if _, err := http.Post(srv.URL, "application/json", strings.NewReader(`{}`)); err == nil {
		t.Error("not dropped")
	}
}

func TestWebhookControlSurface(t *testing.T) {
	w := cluesim.NewWebhook(cluesim.WebhookOptions{Known: []string{}})
	srv := httptest.NewServer(w)
	defer srv.Close()
	if s, _, b := post(t, srv.URL+"/_sim/answer", "application/json", "", `{"status":201,"json":{"valid":true,"message":"hi"},"delayMs":1}`); s != 200 {
		t.Fatalf("set: %d %s", s, b)
	}
	if s, ct, b := post(t, srv.URL+"/verify", "application/json", "", `{}`); s != 201 || ct != "application/json" || b != `{"valid":true,"message":"hi"}` {
		t.Errorf("set answer: %d %s %s", s, ct, b)
	}
	if s, ct, _ := post(t, srv.URL+"/_sim/answer", "application/json", "", `{"status":500,"contentType":"text/plain","body":"down"}`); s != 200 || ct != "application/json" {
		t.Errorf("plain: %d", s)
	}
	if s, ct, b := post(t, srv.URL+"/verify", "application/json", "", `{}`); s != 500 || ct != "text/plain" || b != "down" {
		t.Errorf("plain answer: %d %s %s", s, ct, b)
	}
	if s, _, _ := post(t, srv.URL+"/_sim/answer", "application/json", "", `{"status":42}`); s != 400 {
		t.Errorf("bad status accepted: %d", s)
	}
	req, _ := http.NewRequest("DELETE", srv.URL+"/_sim/answer", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("clear: %v", err)
	}
	if s, _, _ := post(t, srv.URL+"/_sim/grant", "application/json", "", `{"values":["QR-9"]}`); s != 200 || !slices.Contains(w.Known(), "QR-9") {
		t.Errorf("grant: %d %v", s, w.Known())
	}
	if s, _, _ := post(t, srv.URL+"/verify", "application/json", "", `{"qrCode":"QR-9"}`); s != 200 {
		t.Errorf("granted value refused: %d", s)
	}
	resp, err := http.Get(srv.URL + "/_sim/requests")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var reqs []cluesim.WebhookRequest
	if err := json.NewDecoder(resp.Body).Decode(&reqs); err != nil || len(reqs) != 3 || reqs[2].Body != `{"qrCode":"QR-9"}` {
		t.Errorf("requests %+v %v", reqs, err)
	}
	if s, _, _ := post(t, srv.URL+"/_sim/nothing", "application/json", "", `{}`); s != 404 {
		t.Errorf("unknown control: %d", s)
	}
}

func TestDemoCredentialsFollowTheSeed(t *testing.T) {
	a, b, c := cluesim.DemoCredentials(1), cluesim.DemoCredentials(1), cluesim.DemoCredentials(2)
	if !slices.Equal(a, b) || slices.Equal(a, c) || !slices.Contains(a, "1234567") {
		t.Errorf("%v %v %v", a, b, c)
	}
	if got := cluesim.NewWebhook(cluesim.WebhookOptions{Seed: 1}).Known(); len(got) != len(a) {
		t.Errorf("default known %v", got)
	}
}
