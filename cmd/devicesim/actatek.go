package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"enrollstation/devices/actatek/actateksim"
)

// actatekDemoUsers is how many made-up users (with photos and a few days of events) the
// served ACTAtek simulator starts with, so a demo has something to show.
const actatekDemoUsers = 12

// serveActatek starts the ACTAtek simulator on addr and returns its base URL.
func serveActatek(ctx context.Context, addr string, seed int64, latency time.Duration, plainHTTP bool, log *slog.Logger) (baseURL string, err error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("actatek simulator address %q: %w", addr, err)
	}
	// A specific address other than loopback goes into the certificate too, so a client on
	// another machine can verify it with the certificate as CA file.
	var hosts []string
	if ip := net.ParseIP(host); host != "" && host != "localhost" && (ip == nil || !(ip.IsLoopback() || ip.IsUnspecified())) {
		hosts = append(hosts, host)
	}
	sim, err := actateksim.New(actateksim.Options{Seed: seed, DemoUsers: actatekDemoUsers, Hosts: hosts})
	if err != nil {
		return "", err
	}
	sim.SetLatency(latency)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("actatek simulator: %w", err)
	}
	srv := &http.Server{
		Handler:           sim,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
	scheme := "http"
	if !plainHTTP {
		scheme = "https"
		srv.TLSConfig = sim.TLSConfig()
		log.Info("actatek simulator certificate", "sha256", sim.Fingerprint())
	}
	go func() {
		var err error
		if plainHTTP {
			err = srv.Serve(ln)
		} else {
			err = srv.ServeTLS(ln, "", "")
		}
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("actatek simulator stopped", "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			srv.Close()
		}
	}()
	a := ln.Addr().(*net.TCPAddr)
	ip := a.IP
	if ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return fmt.Sprintf("%s://%s", scheme, net.JoinHostPort(ip.String(), fmt.Sprint(a.Port))), nil
}
