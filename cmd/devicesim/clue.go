package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"enrollstation/devices/clue/cluesim"
	"enrollstation/devices/demo"
)

// clueDoorEvery is how often someone uses a door of the served CLUe place, so that a demo
// has live events.
const clueDoorEvery = 20 * time.Second

// serveClue serves the CLUe API simulator on o.clue and returns its base URL.
func serveClue(ctx context.Context, o options, log *slog.Logger) (string, error) {
	sim := cluesim.New(cluesim.Options{Seed: o.seed, Latency: o.latency, Logger: log})
	s, err := demo.Serve(ctx, o.clue, sim, nil, log)
	if err != nil {
		return "", err
	}
	sim.StartDoorTicker(ctx, clueDoorEvery)
	// Demo credentials of the simulator, printed so that a person can try it.
	place := cluesim.DemoPlace()
	a := sim.Account()
	log.Info("clue simulator", "url", s.URL, "prefix", "/v1 or /v1/be", "place", place.ID,
		"doors", "234,235,236", "schedule", place.Schedules[0], "api_key", sim.APIKey(),
		"phone", a.Phone, "country", a.CountryCode, "password", a.Password, "control", s.URL+"/_sim/state")
	return s.URL, nil
}

// serveWebhook serves the vendor webhook simulator on o.webhook and returns its URL. Spec
// 002 requires https://: the simulator makes its own certificate, for loopback and for the
// address it was given, and leaves it in a file for `enrollctl clue vendor test --ca`.
func serveWebhook(ctx context.Context, o options, log *slog.Logger) (string, error) {
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	host, err := demo.CertHost(o.webhook)
	if err != nil {
		return "", err
	}
	if host != "" {
		hosts = append(hosts, host)
	}
	tlsConfig, caPEM, err := cluesim.SelfSignedTLS(hosts...)
	if err != nil {
		return "", err
	}
	hook := cluesim.NewWebhook(cluesim.WebhookOptions{Seed: o.seed, Logger: log})
	s, err := demo.Serve(ctx, o.webhook, hook, tlsConfig, log)
	if err != nil {
		return "", err
	}
	caFile := filepath.Join(os.TempDir(), "enrollstation-webhook-ca-"+strings.NewReplacer(":", "_", "[", "", "]", "").Replace(s.Addr)+".pem")
	// A certificate is public: readable by all, like any CA file.
	if err := os.WriteFile(caFile, caPEM, 0o644); err != nil {
		s.Close()
		return "", fmt.Errorf("write the webhook certificate: %w", err)
	}
	go func() {
		<-s.Done()
		os.Remove(caFile)
	}()
	url := s.URL + "/verify"
	log.Info("webhook simulator", "url", url, "ca_file", caFile, "grants", strings.Join(hook.Known(), ","),
		"control", s.URL+"/_sim/answer")
	return url, nil
}
