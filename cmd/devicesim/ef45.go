package main

import (
	"context"
	"log/slog"

	"enrollstation/devices/demo"
	"enrollstation/devices/ef45/ef45sim"
)

// serveEF45 serves the EF-45 simulator on o.ef45 and returns its base URL.
func serveEF45(ctx context.Context, o options, log *slog.Logger) (string, error) {
	dev := ef45sim.New(ef45sim.Options{Seed: o.seed, Version: o.version, FPS: o.fps, Latency: o.latency,
		RebootTime: o.rebootTime, CardDelay: o.cardDelay, Logger: log})
	s, err := demo.Serve(ctx, o.ef45, dev, nil, log)
	if err != nil {
		return "", err
	}
	log.Info("ef45 simulator", "url", s.URL, "serial", dev.Serial(), "version", dev.Version(), "control", s.URL+"/sim/state")
	return s.URL, nil
}
