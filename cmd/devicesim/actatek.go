package main

import (
	"context"
	"log/slog"

	"enrollstation/devices/actatek/actateksim"
	"enrollstation/devices/demo"
)

// actatekDemoUsers is how many made-up users (with photos and a few days of events) the
// served ACTAtek simulator starts with, so a demo has something to show.
const actatekDemoUsers = 12

// serveActatek serves the ACTAtek simulator on o.actatek, over HTTPS with its own
// self-signed certificate unless o.actatekHTTP, and returns its base URL.
func serveActatek(ctx context.Context, o options, log *slog.Logger) (string, error) {
	host, err := demo.CertHost(o.actatek)
	if err != nil {
		return "", err
	}
	var hosts []string
	if host != "" {
		hosts = append(hosts, host)
	}
	sim, err := actateksim.New(actateksim.Options{Seed: o.seed, DemoUsers: actatekDemoUsers, Hosts: hosts})
	if err != nil {
		return "", err
	}
	sim.SetLatency(o.latency)
	tlsConfig := sim.TLSConfig()
	if o.actatekHTTP {
		tlsConfig = nil
	}
	s, err := demo.Serve(ctx, o.actatek, sim, tlsConfig, log)
	if err != nil {
		return "", err
	}
	// Demo credentials of the simulator, printed so that a person can try it.
	cred := sim.Credentials()
	log.Info("actatek simulator", "url", s.URL, "certificate_sha256", sim.Fingerprint(),
		"user", cred.Username, "password", cred.Password)
	return s.URL, nil
}
