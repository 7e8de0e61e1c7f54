package firmware

import (
	"context"
	"errors"
	"sync"

	"enrollstation/devices/ef45"
)

// DeviceVersion is one camera's version as read for a screen, or why it could not be read.
type DeviceVersion struct {
	Addr    string
	Version string // empty when Err is set
	// Restarting: the camera answers "upgrade in progress" (it is installing firmware or
	// restarting), which is a state to wait out rather than a fault.
	Restarting bool
	// Busy: an upload to this camera is running in this process.
	Busy bool
	Err  error
}

// Versions reads the version of every camera in parallel (GET /version, no lock), for a
// screen that lists cameras before an upload. The answers come in the order of addrs; a
// camera that does not answer has Err set, and ctx bounds the whole read.
func (u *Updater) Versions(ctx context.Context, addrs []string) []DeviceVersion {
	out := make([]DeviceVersion, len(addrs))
	var wg sync.WaitGroup
	for i, a := range addrs {
		wg.Go(func() { out[i] = u.version(ctx, a) })
	}
	wg.Wait()
	return out
}

func (u *Updater) version(ctx context.Context, addr string) DeviceVersion {
	dv := DeviceVersion{Addr: addr, Busy: u.Running(addr)}
	hc := u.opts.HTTPClient
	opts := []ef45.Option{ef45.WithTimeout(u.opts.CallTimeout)}
	if hc != nil {
		opts = append(opts, ef45.WithHTTPClient(hc))
	}
	c, err := ef45.New(addr, opts...)
	if err != nil {
		dv.Err = err
		return dv
	}
	dv.Version, dv.Err = c.Version(ctx)
	dv.Restarting = errors.Is(dv.Err, ef45.ErrRebooting)
	return dv
}
