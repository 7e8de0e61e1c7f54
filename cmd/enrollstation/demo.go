package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"enrollstation/devices/ef45/ef45sim"
)

// demoCamera is the simulated EF-45 of --demo, served on a loopback port.
type demoCamera struct {
	addr string
	srv  *http.Server
	done chan struct{}
}

// startDemo starts the EF-45 simulator on 127.0.0.1 with a port the system picks.
func startDemo(seed int64, log *slog.Logger) (*demoCamera, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start the demo camera: %w", err)
	}
	dev := ef45sim.New(ef45sim.Options{Seed: seed, Logger: log.With("component", "ef45sim")})
	d := &demoCamera{
		addr: ln.Addr().String(),
		srv:  &http.Server{Handler: dev, ReadHeaderTimeout: 10 * time.Second},
		done: make(chan struct{}),
	}
	go func() {
		defer close(d.done)
		if err := d.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("demo camera stopped", "err", err)
		}
	}()
	log.Info("demo camera started", "addr", d.addr, "seed", seed, "serial", dev.Serial())
	return d, nil
}

// stop shuts the simulator down, letting answers in flight finish for a moment.
func (d *demoCamera) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = d.srv.Shutdown(ctx)
	<-d.done
}
