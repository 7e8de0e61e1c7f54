package demo

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func hello() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") })
}

func get(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestServeUntilTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s, err := Serve(ctx, "0.0.0.0:0", hello(), nil, quiet())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
		t.Fatalf("URL %q: an unspecified host must be given as loopback", s.URL)
	}
	if got := get(t, http.DefaultClient, s.URL); got != "hello" {
		t.Fatalf("got %q", got)
	}
	cancel()
	select {
	case <-s.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not stop with its context")
	}
	if _, err := http.Get(s.URL); err == nil {
		t.Fatal("still serving after it stopped")
	}
}

func TestServeTLS(t *testing.T) {
	ts := httptest.NewUnstartedServer(nil)
	ts.StartTLS() // only for its certificate
	cert := ts.TLS.Certificates[0]
	client := ts.Client()
	ts.Close()
	s, err := Serve(context.Background(), "127.0.0.1:0", hello(), &tls.Config{Certificates: []tls.Certificate{cert}}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.HasPrefix(s.URL, "https://") {
		t.Fatalf("URL %q", s.URL)
	}
	if got := get(t, client, s.URL); got != "hello" {
		t.Fatalf("got %q", got)
	}
}

func TestServeRefusesABusyAddress(t *testing.T) {
	s, err := Serve(context.Background(), "127.0.0.1:0", hello(), nil, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := Serve(context.Background(), s.Addr, hello(), nil, quiet()); err == nil || !strings.Contains(err.Error(), s.Addr) {
		t.Fatalf("second listener on %s: %v", s.Addr, err)
	}
}

func TestCertHost(t *testing.T) {
	for addr, want := range map[string]string{"127.0.0.1:1": "", ":8443": "", "0.0.0.0:1": "", "localhost:1": "", "[::1]:1": "",
		"192.0.2.7:8443": "192.0.2.7", "station.example:443": "station.example"} {
		if got, err := CertHost(addr); err != nil || got != want {
			t.Errorf("CertHost(%q) = %q, %v; want %q", addr, got, err, want)
		}
	}
	if _, err := CertHost("nonsense"); err == nil {
		t.Error("an address without a port was accepted")
	}
}
