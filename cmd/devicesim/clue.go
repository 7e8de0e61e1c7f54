package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"enrollstation/devices/clue/cluesim"
)

// clueDoorEvery is how often someone uses a door of the served CLUe place, so that a demo
// has live events.
const clueDoorEvery = 20 * time.Second

// serveClue starts the CLUe API simulator on addr and returns its base URL.
func serveClue(ctx context.Context, addr string, seed int64, latency time.Duration, log *slog.Logger) (baseURL string, err error) {
	sim := cluesim.New(cluesim.Options{Seed: seed, Latency: latency, Logger: log})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("clue simulator: %w", err)
	}
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelDebug)}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("clue simulator stopped", "err", err)
		}
	}()
	go shutdownWith(ctx, srv)
	sim.StartDoorTicker(ctx, clueDoorEvery)
	baseURL = "http://" + loopbackAddr(ln)
	// Demo credentials of the simulator, printed so that a person can try it.
	place := cluesim.DemoPlace()
	a := sim.Account()
	log.Info("clue simulator demo access", "base_url", baseURL, "prefix", "/v1 or /v1/be", "place", place.ID,
		"doors", "234,235,236", "schedule", place.Schedules[0], "api_key", sim.APIKey(),
		"phone", a.Phone, "country", a.CountryCode, "password", a.Password, "control", baseURL+"/_sim/state")
	return baseURL, nil
}

// serveWebhook starts the vendor webhook simulator on addr and returns its URL.
func serveWebhook(ctx context.Context, addr string, seed int64, log *slog.Logger) (url string, err error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("webhook simulator address %q: %w", addr, err)
	}
	// Spec 002 requires https://: the simulator makes its own certificate, for loopback and
	// for the address it was given, and leaves it in a file for --ca.
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	if host != "" && !slices.Contains(hosts, host) && !net.ParseIP(host).IsUnspecified() {
		hosts = append(hosts, host)
	}
	tlsConfig, caPEM, err := cluesim.SelfSignedTLS(hosts...)
	if err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("webhook simulator: %w", err)
	}
	at := loopbackAddr(ln)
	caFile := filepath.Join(os.TempDir(), "enrollstation-webhook-ca-"+strings.NewReplacer(":", "_", "[", "", "]", "").Replace(at)+".pem")
	// A certificate is public: readable by all, like any CA file.
	if err := os.WriteFile(caFile, caPEM, 0o644); err != nil {
		ln.Close()
		return "", fmt.Errorf("webhook simulator: write its certificate: %w", err)
	}
	hook := cluesim.NewWebhook(cluesim.WebhookOptions{Seed: seed, Logger: log})
	srv := &http.Server{Handler: hook, TLSConfig: tlsConfig, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelDebug)}
	go func() {
		if err := srv.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("webhook simulator stopped", "err", err)
		}
	}()
	go func() {
		shutdownWith(ctx, srv)
		os.Remove(caFile)
	}()
	url = "https://" + at + "/verify"
	log.Info("webhook simulator", "url", url, "ca_file", caFile, "grants", strings.Join(hook.Known(), ","),
		"control", "https://"+at+"/_sim/answer")
	return url, nil
}

// shutdownWith stops srv when ctx ends, giving calls under way a few seconds.
func shutdownWith(ctx context.Context, srv *http.Server) {
	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		srv.Close()
	}
}

// loopbackAddr is the listener's address, with 127.0.0.1 for an unspecified host.
func loopbackAddr(ln net.Listener) string {
	a := ln.Addr().(*net.TCPAddr)
	ip := a.IP
	if ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(a.Port))
}
