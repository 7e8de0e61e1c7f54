// Command devicesim serves the built-in device simulators on loopback ports, for trying
// Enroll Station without hardware, for training, and for support. It runs until
// interrupted and prints where each simulator listens.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "devicesim: %v\n", err)
		os.Exit(1)
	}
}

// options are the flags of devicesim.
type options struct {
	ef45        string
	actatek     string
	actatekHTTP bool
	seed        int64
	latency     time.Duration
	version     string
	fps         int
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	fs := flag.NewFlagSet("devicesim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.ef45, "ef45", "", "serve the EF-45 simulator on this address, e.g. 127.0.0.1:9980")
	fs.StringVar(&o.actatek, "actatek", "", "serve the ACTAtek simulator on this address, e.g. 127.0.0.1:8443")
	fs.BoolVar(&o.actatekHTTP, "actatek-http", false, "serve the ACTAtek simulator over plain HTTP instead of HTTPS")
	fs.Int64Var(&o.seed, "seed", 1, "seed of every simulator: the same seed gives the same devices")
	fs.DurationVar(&o.latency, "latency", 0, "added to every answer")
	fs.StringVar(&o.version, "version", "", "EF-45 app version (default 1.2.34; 1.2.33 serves only the legacy biometric-data endpoint)")
	fs.IntVar(&o.fps, "fps", 0, "EF-45 preview frame rate (default 15, at most 60)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	started := 0
	if o.ef45 != "" {
		url, err := serveEF45(ctx, o, log)
		if err != nil {
			return fmt.Errorf("ef45 simulator: %w", err)
		}
		fmt.Fprintf(stdout, "EF-45 simulator listening on %s\n", url)
		started++
	}
	if o.actatek != "" {
		url, err := serveActatek(ctx, o.actatek, o.seed, o.latency, o.actatekHTTP, log.With("device", "actatek"))
		if err != nil {
			return fmt.Errorf("actatek simulator: %w", err)
		}
		fmt.Fprintf(stdout, "ACTAtek simulator listening on %s\n", url)
		started++
	}
	if started == 0 {
		fs.Usage()
		return fmt.Errorf("name at least one simulator to serve, e.g. --ef45 127.0.0.1:9980")
	}
	<-ctx.Done()
	return nil
}
