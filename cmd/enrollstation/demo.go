package main

import (
	"context"
	"fmt"
	"log/slog"

	"enrollstation/devices/demo"
	"enrollstation/devices/ef45/ef45sim"
)

// startDemo serves the simulated EF-45 of --demo on 127.0.0.1, on a port the system picks.
func startDemo(seed int64, log *slog.Logger) (*demo.Server, error) {
	dev := ef45sim.New(ef45sim.Options{Seed: seed, Logger: log.With("component", "ef45sim")})
	s, err := demo.Serve(context.Background(), "127.0.0.1:0", dev, nil, log)
	if err != nil {
		return nil, fmt.Errorf("start the demo camera: %w", err)
	}
	log.Info("demo camera started", "addr", s.Addr, "seed", seed, "serial", dev.Serial())
	return s, nil
}
