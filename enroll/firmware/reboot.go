package firmware

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cenkalti/backoff/v5"

	"enrollstation/devices/ef45"
)

// errNotDownYet: the camera still answers with the old version and has not been seen
// restarting; it may take a moment to begin.
var errNotDownYet = errors.New("the camera has not restarted yet")

// awaitRestart polls the version, with growing pauses, until the camera answers with a
// version other than the old one, or answers again after it was seen down (then with the
// old version maybe: the result phase judges). Refused connections and "upgrade in
// progress" answers are what a restart looks like (specs/README.md). It also sets r.waited
// to how long it allowed.
func (r *run) awaitRestart(ctx context.Context, c *ef45.Client) (string, error) {
	o := r.u.opts
	wctx, cancel := context.WithTimeout(ctx, o.RebootTimeout)
	defer cancel()
	if dl, ok := wctx.Deadline(); ok {
		r.waited = time.Until(dl).Round(time.Millisecond)
	}
	b := &backoff.ExponentialBackOff{
		InitialInterval:     o.PollInterval,
		RandomizationFactor: 0.2, // cameras restarted together do not poll in step
		Multiplier:          1.5,
		MaxInterval:         o.PollMax,
	}
	old := r.res.OldVersion
	wentDown := false
	var last error
	v, err := backoff.Retry(wctx, func() (string, error) {
		callCtx, cancelCall := context.WithTimeout(wctx, min(o.CallTimeout, max(o.PollMax, 2*time.Second)))
		defer cancelCall()
		v, err := c.Version(callCtx)
		switch {
		case err != nil:
			if wctx.Err() == nil {
				wentDown = true
				last = err
			}
			return "", err
		case v != old || wentDown:
			return v, nil
		}
		last = errNotDownYet
		return "", errNotDownYet
	}, backoff.WithBackOff(b), backoff.WithMaxElapsedTime(0))
	if err == nil {
		return v, nil
	}
	if ctx.Err() != nil {
		return "", fmt.Errorf("ef45 wait for restart: %w", context.Cause(ctx))
	}
	if last != nil {
		return "", fmt.Errorf("ef45 wait for restart: last poll: %w", last)
	}
	return "", fmt.Errorf("ef45 wait for restart: %w", err)
}
