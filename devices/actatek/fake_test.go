package actatek_test

import (
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

// fakeTerminal is a plain-HTTP terminal whose answers a test writes, for the answer shapes
// the simulator never sends. It answers login itself and records every other request.
type fakeTerminal struct {
	srv *httptest.Server

	mu     sync.Mutex
	logins int
	reqs   []fakeRequest
	answer func(r fakeRequest) (status int, body string)
}

// fakeRequest is one request the fake terminal received (login aside).
type fakeRequest struct {
	Method string
	Path   string // without the API prefix and session id: "user", "accessgroup"
	Body   string
}

func newFakeTerminal(t *testing.T, answer func(r fakeRequest) (int, string)) *fakeTerminal {
	t.Helper()
	f := &fakeTerminal{answer: answer}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rest := strings.TrimPrefix(r.URL.Path, actatek.APIPrefix)
		f.mu.Lock()
		if rest == "login" {
			f.logins++
			f.mu.Unlock()
			w.Write([]byte(`{"status":"success","sessionid":"1805350299"}`))
			return
		}
		name, _, _ := strings.Cut(rest, "/")
		req := fakeRequest{Method: r.Method, Path: name, Body: string(b)}
		f.reqs = append(f.reqs, req)
		f.mu.Unlock()
		status, body := f.answer(req)
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeTerminal) client(t *testing.T) *actatek.Client {
	t.Helper()
	c, err := actatek.New(f.srv.URL, actatek.Options{
		Credentials: actatek.Credentials{Username: "admin", Password: "pw"},
		Timeout:     5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// requests returns the requests received so far.
func (f *fakeTerminal) requests() []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeRequest(nil), f.reqs...)
}

func (f *fakeTerminal) loginCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.logins
}

// bodyMap decodes a JSON object body (or the one object of an array).
func bodyMap(t *testing.T, body string) map[string]any {
	t.Helper()
	var one map[string]any
	if err := json.Unmarshal([]byte(body), &one); err == nil {
		return one
	}
	var many []map[string]any
	if err := json.Unmarshal([]byte(body), &many); err != nil || len(many) != 1 {
		t.Fatalf("body %s is neither an object nor an array of one: %v", body, err)
	}
	return many[0]
}

// jsonEqual compares two JSON texts as values.
func jsonEqual(t *testing.T, got, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("got %s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %s: %v", want, err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	return string(gb) == string(wb)
}

// jsonText is v as JSON text.
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
