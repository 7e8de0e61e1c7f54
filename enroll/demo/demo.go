// Package demo sets up demo and training mode: the device simulators served on loopback
// (the EF-45 to capture with, a second EF-45, two ACTAtek terminals and a CLUe place), a
// journal in its own folder with them configured as targets, and a few people already
// enrolled, so that a new operator enrolls a simulated person within a minute.
package demo

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"enrollstation/devices/actatek/actateksim"
	"enrollstation/devices/clue/cluesim"
	devdemo "enrollstation/devices/demo"
	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/enroll"
	"enrollstation/store"
	"enrollstation/store/secrets"
)

// Options configure Start. Zero values take the defaults.
type Options struct {
	// Seed makes the simulators and the people repeatable (default 1).
	Seed int64
	// Dir holds the demo's journal and secrets file; a new temporary folder when empty,
	// removed by Close.
	Dir string
	// People is how many people are enrolled before the operator starts (default 5; -1
	// for none).
	People int
	// Latency is added to every simulator answer (training on a slow network).
	Latency time.Duration
	// CaptureDuration is how long the simulated person takes to settle in front of the
	// camera (default the simulator's 3 s).
	CaptureDuration time.Duration
	// DoorEvery is how often someone uses a door of the CLUe place (default 20 s).
	DoorEvery time.Duration
	Log       *slog.Logger
}

// Demo is demo mode running.
type Demo struct {
	// Station is the engine on the demo journal, its targets configured.
	Station *enroll.Station
	// Camera is the address (host:port) of the EF-45 to capture with.
	Camera string
	// Dir is the folder of the journal and secrets.
	Dir string
	// Sims are the simulators, for training knobs (faults, latency) and tests.
	Sims Sims

	stop      context.CancelFunc
	servers   []*devdemo.Server
	terminals [2]terminal // the ACTAtek simulators' addresses, for TerminalUser
	tempDir   bool
}

// Sims are the demo's simulators.
type Sims struct {
	Camera  *ef45sim.Device
	Gate    *ef45sim.Device
	ACTAtek [2]*actateksim.Simulator
	CLUe    *cluesim.Server
}

// The demo's targets, as the operator sees them.
const (
	GateName   = "Gate 2 (EF-45)"
	LobbyName  = "Lobby terminal"
	OfficeName = "Office terminal"
	CloudName  = "HQ cloud (CLUe)"
)

// Start serves the simulators, opens the demo journal with its targets and enrolls the
// first people. Their pushes are left to the station's worker, so they complete live once
// it runs.
func Start(ctx context.Context, o Options) (_ *Demo, err error) {
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.People == 0 {
		o.People = 5
	}
	if o.DoorEvery <= 0 {
		o.DoorEvery = 20 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	d := &Demo{Dir: o.Dir}
	if d.Dir == "" {
		if d.Dir, err = os.MkdirTemp("", "enrollstation-demo-"); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		d.tempDir = true
	}
	sctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	d.stop = stop
	defer func() {
		if err != nil {
			d.Close()
		}
	}()
	targets, err := d.serve(sctx, o)
	if err != nil {
		return nil, err
	}
	st, err := enroll.OpenStation(ctx, enroll.Config{
		JournalPath: filepath.Join(d.Dir, "journal.db"),
		Secrets:     secrets.NewFile(filepath.Join(d.Dir, "secrets.json")),
		Operator:    "demo", Log: o.Log})
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	d.Station = st
	// The demo camera is the station's capture camera, as the first-run page would keep it:
	// the desk's card reader is found through it.
	if err := st.SetCameraAddress(ctx, d.Camera, "demo"); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	var ids []store.TargetID
	for _, t := range targets {
		added, err := st.AddTarget(ctx, t.target, t.secret, "demo")
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		ids = append(ids, added.ID)
	}
	if err := d.enrollPeople(ctx, o, ids); err != nil {
		return nil, err
	}
	o.Log.Info("demo started", "dir", d.Dir, "camera", d.Camera, "people", max(o.People, 0))
	return d, nil
}

// demoTarget is a target to add with its secret.
type demoTarget struct {
	target store.Target
	secret secrets.Value
}

// serve starts the simulators and returns the targets they make.
func (d *Demo) serve(ctx context.Context, o Options) ([]demoTarget, error) {
	log := o.Log
	d.Sims.Camera = ef45sim.New(ef45sim.Options{Seed: o.Seed, Latency: o.Latency, CaptureDuration: o.CaptureDuration,
		Logger: log.With("sim", "camera")})
	d.Sims.Gate = ef45sim.New(ef45sim.Options{Seed: o.Seed + 1, Latency: o.Latency, Logger: log.With("sim", "gate")})
	cam, err := d.listen(ctx, d.Sims.Camera, nil, log)
	if err != nil {
		return nil, err
	}
	d.Camera = cam.Addr
	gate, err := d.listen(ctx, d.Sims.Gate, nil, log)
	if err != nil {
		return nil, err
	}
	out := []demoTarget{{target: store.Target{Kind: store.TargetEF45, Name: GateName, Address: gate.Addr, Enabled: true}}}
	for i, name := range []string{LobbyName, OfficeName} {
		sim, err := actateksim.New(actateksim.Options{Seed: o.Seed + 10 + int64(i)})
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		sim.SetLatency(o.Latency)
		d.Sims.ACTAtek[i] = sim
		t := store.Target{Kind: store.TargetACTAtek, Name: name, Account: sim.Credentials().Username, Enabled: true}
		if i == 0 { // the lobby terminal speaks TLS with its own certificate, pinned
			srv, err := d.listen(ctx, sim, sim, log)
			if err != nil {
				return nil, err
			}
			t.Address, t.CertPin = srv.URL, sim.Fingerprint()
		} else {
			srv, err := d.listen(ctx, sim, nil, log)
			if err != nil {
				return nil, err
			}
			t.Address = srv.URL
		}
		d.terminals[i] = terminal{url: t.Address, pin: t.CertPin}
		if err := organise(ctx, sim, t.Address, t.CertPin, demoGroups[i]); err != nil {
			return nil, err
		}
		out = append(out, demoTarget{target: t, secret: secrets.StringValue(sim.Credentials().Password)})
	}
	d.Sims.CLUe = cluesim.New(cluesim.Options{Seed: o.Seed + 20, Latency: o.Latency, Logger: log.With("sim", "clue")})
	srv, err := d.listen(ctx, d.Sims.CLUe, nil, log)
	if err != nil {
		return nil, err
	}
	d.Sims.CLUe.StartDoorTicker(ctx, o.DoorEvery)
	out = append(out, demoTarget{
		target: store.Target{Kind: store.TargetCLUe, Name: CloudName, Address: srv.URL,
			Account: fmt.Sprint(cluesim.DemoPlace().ID), Enabled: true},
		secret: secrets.StringValue(d.Sims.CLUe.APIKey())})
	return out, nil
}

// listen serves h on a loopback port the system picks, over TLS with tlsFor's certificate
// when given.
func (d *Demo) listen(ctx context.Context, h http.Handler, tlsFor *actateksim.Simulator, log *slog.Logger) (*devdemo.Server, error) {
	var tc *tls.Config
	if tlsFor != nil {
		tc = tlsFor.TLSConfig()
	}
	s, err := devdemo.Serve(ctx, "127.0.0.1:0", h, tc, log)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	d.servers = append(d.servers, s)
	return s, nil
}

// Close stops the station and the simulators, and removes the demo folder it made.
func (d *Demo) Close() error {
	var errs []error
	if d.Station != nil {
		errs = append(errs, d.Station.Close())
	}
	for _, s := range d.servers {
		s.Close()
	}
	if d.stop != nil {
		d.stop()
	}
	if d.tempDir {
		errs = append(errs, os.RemoveAll(d.Dir))
	}
	return errors.Join(errs...)
}

// Holders names the demo's targets whose simulator holds the person: a subject on the
// gate, a user on a terminal, an auth in the cloud place.
func (d *Demo) Holders(personKey string) []string {
	var where []string
	if d.Sims.Gate.HasSubject(personKey) {
		where = append(where, GateName)
	}
	for i, a := range d.Sims.ACTAtek {
		if _, ok := a.User(personKey); ok {
			where = append(where, []string{LobbyName, OfficeName}[i])
		}
	}
	for _, a := range d.Sims.CLUe.Auths(cluesim.DemoPlace().ID) {
		if a.Key == personKey {
			where = append(where, CloudName)
		}
	}
	return where
}
