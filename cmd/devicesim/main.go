// Command devicesim serves the built-in device simulators on TCP ports, for trying Enroll
// Station without hardware, for training, and for support. It runs until interrupted and
// prints where each simulator listens; each logs its demo credentials.
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
	ef45, actatek, clue, webhook string

	seed    int64
	latency time.Duration

	version    string
	fps        int
	rebootTime time.Duration
	cardDelay  time.Duration

	actatekHTTP bool
}

// simulator is one simulator devicesim can serve.
type simulator struct {
	name  string
	addr  *string
	serve func(context.Context, options, *slog.Logger) (string, error)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	fs := flag.NewFlagSet("devicesim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.ef45, "ef45", "", "serve the EF-45 simulator on this address, e.g. 127.0.0.1:9980")
	fs.StringVar(&o.actatek, "actatek", "", "serve the ACTAtek simulator (HTTPS) on this address, e.g. 127.0.0.1:8443")
	fs.StringVar(&o.clue, "clue", "", "serve the CLUe cloud simulator on this address, e.g. 127.0.0.1:8080")
	fs.StringVar(&o.webhook, "webhook", "", "serve the vendor webhook simulator (HTTPS) on this address, e.g. 127.0.0.1:8444")
	fs.Int64Var(&o.seed, "seed", 1, "seed of every simulator: the same seed gives the same devices")
	fs.DurationVar(&o.latency, "latency", 0, "added to every answer")
	fs.StringVar(&o.version, "version", "", "EF-45 app version (default 1.2.34; 1.2.33 serves only the legacy biometric-data endpoint)")
	fs.IntVar(&o.fps, "fps", 0, "EF-45 preview frame rate (default 15, at most 60)")
	fs.DurationVar(&o.rebootTime, "reboot-time", 0, "how long the EF-45 takes to restart after a firmware upload (default 5s)")
	fs.DurationVar(&o.cardDelay, "card-delay", 0, "how long after card stand-by the EF-45 sees a card (default 2s)")
	fs.BoolVar(&o.actatekHTTP, "actatek-http", false, "serve the ACTAtek simulator over plain HTTP instead of HTTPS")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	sims := []simulator{
		{"EF-45", &o.ef45, serveEF45},
		{"ACTAtek", &o.actatek, serveActatek},
		{"CLUe", &o.clue, serveClue},
		{"webhook", &o.webhook, serveWebhook},
	}
	started := 0
	for _, s := range sims {
		if *s.addr == "" {
			continue
		}
		url, err := s.serve(ctx, o, log.With("device", s.name))
		if err != nil {
			return fmt.Errorf("%s simulator: %w", s.name, err)
		}
		fmt.Fprintf(stdout, "%s simulator listening on %s\n", s.name, url)
		started++
	}
	if started == 0 {
		fs.Usage()
		return fmt.Errorf("name at least one simulator to serve, e.g. --ef45 127.0.0.1:9980")
	}
	<-ctx.Done()
	return nil
}
