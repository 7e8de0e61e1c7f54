package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/enroll/capture"
)

// ef45Cmd is `enrollctl ef45 --addr HOST:PORT ACTION`.
type ef45Cmd struct {
	*cli
	addr    string
	force   bool
	timeout time.Duration
	client  *ef45.Client
	cam     *capture.Camera
}

func runEF45(ctx context.Context, c *cli, args []string) error {
	e := &ef45Cmd{cli: c}
	fs := c.flags("ef45")
	fs.StringVar(&e.addr, "addr", "", "the camera's address, HOST:PORT (port 9980 by default)")
	fs.BoolVar(&e.force, "force", false, "take the camera over from another workstation that holds its lock")
	fs.DurationVar(&e.timeout, "call-timeout", 10*time.Second, "deadline of each call to the camera")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if e.addr == "" {
		return c.usagef("ef45: --addr HOST:PORT is required")
	}
	client, err := ef45.New(e.addr, ef45.WithTimeout(e.timeout))
	if err != nil {
		return err
	}
	e.client = client
	e.cam = capture.NewCamera(client, nil)
	return c.subcommand(ctx, "ef45", fs.Args(), map[string]func(context.Context, []string) error{
		"info":     e.info,
		"set-time": e.setTime,
		"capture":  e.capture,
		"firmware": e.firmware,
		"logs":     e.logs,
		"subjects": e.subjects,
		"door":     e.door,
		"card":     e.card,
	})
}

// withSession runs fn holding the camera lock and always releases it. A release that
// fails is only a warning: the lock also lapses when the device restarts.
func (e *ef45Cmd) withSession(ctx context.Context, fn func(*ef45.Session) error) error {
	s, err := e.cam.Open(ctx, e.force)
	if errors.Is(err, capture.ErrInUse) {
		return fmt.Errorf("%w (run again with --force to take it over)", err)
	}
	if err != nil {
		return err
	}
	err = fn(s)
	if rerr := e.cam.Release(ctx, s); rerr != nil && err == nil {
		fmt.Fprintf(e.stderr, "warning: %v\n", rerr)
	}
	return err
}
