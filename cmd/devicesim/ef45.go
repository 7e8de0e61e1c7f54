package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"enrollstation/devices/ef45/ef45sim"
)

// serveEF45 starts the EF-45 simulator on o.ef45 and returns its base URL.
func serveEF45(ctx context.Context, o options, log *slog.Logger) (string, error) {
	dev := ef45sim.New(ef45sim.Options{Seed: o.seed, Version: o.version, FPS: o.fps, Latency: o.latency, Logger: log.With("device", "ef45")})
	return serve(ctx, o.ef45, dev, log)
}

// serve runs handler on addr until ctx ends and returns the base URL.
func serve(ctx context.Context, addr string, handler http.Handler, log *slog.Logger) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("simulator stopped", "addr", addr, "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutCtx)
	}()
	return "http://" + ln.Addr().String(), nil
}
