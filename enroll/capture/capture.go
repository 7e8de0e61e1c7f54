// Package capture runs an EF-45 capture (spec 003): the camera lock with stale-lock
// recovery, a Session whose states a screen can show, guidance from the preview, the
// quality gates, the duplicate check and the one-transaction accept into the journal.
// The CLI and the GUI share it.
package capture

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"enrollstation/devices/ef45"
)

// Options shape one capture.
type Options struct {
	// Modes are the biometric modes to start the camera with; at least one is needed.
	Modes ef45.StartModes
	// Timeout bounds the whole capture (default 60 s).
	Timeout time.Duration
	// OnPreview is called from the capture goroutine for every new preview frame. It must
	// return quickly; frames that arrive while it runs are skipped (latest frame wins).
	OnPreview func(p *ef45.Preview)
	// PreviewInterval is the preview polling period (default 1/30 s, above the camera's
	// 15 fps so no frame is missed; a slow answer simply delays the next poll).
	PreviewInterval time.Duration
	// DataInterval is the biometric-data polling period (default 250 ms).
	DataInterval time.Duration
}

// Result is what a capture produced. The item stays in the device buffer until the caller
// has kept it (Accept, or Release after writing it elsewhere): nothing is deleted before it
// is safe.
type Result struct {
	Data      *ef45.BiometricData
	Frames    int           // distinct preview frames received
	Elapsed   time.Duration // from camera start to biometric data
	StartedAt time.Time     // when the camera started
	// LastPreview is the last frame before the data arrived: its geometry (distance, iris
	// radii) is what the gates judge, as the biometric item does not carry it.
	LastPreview *ef45.Preview
	// DeviceVersion and RecordVersion name the camera's software and template format.
	DeviceVersion string
	RecordVersion int
	// Gates and Duplicates are filled by a Session: the quality gates' results and the
	// people this capture may already be.
	Gates      []GateResult
	Duplicates []Duplicate

	// owner is the Session holding the lock under which the item was captured, nil for a
	// bare Capture.
	owner *Session
}

// Release deletes the captured item from the device buffer (spec 003: after a capture,
// delete it by encounter id).
func (r *Result) Release(ctx context.Context, s *ef45.Session) error {
	if err := s.Biometrics.Delete(ctx, r.Data.EncounterID); err != nil && !errors.Is(err, ef45.ErrNotFound) {
		return fmt.Errorf("capture release item %s: %w", r.Data.EncounterID, err)
	}
	return nil
}

// maxTransient is how many transient failures in a row a polling loop rides out (a dropped
// connection, a malformed frame, a 500) before it gives up.
const maxTransient = 5

// Capture runs one capture on a session that holds the lock: camera mode Slave, empty the
// biometric buffer, start with the chosen modes, then poll the preview and the biometric
// data at once until an item arrives. Cancelling ctx, a timeout or an error stops the camera.
func Capture(ctx context.Context, s *ef45.Session, opts Options) (*Result, error) {
	if !opts.Modes.Any() {
		return nil, errors.New("capture: choose at least one capture mode (face, glasses, both eyes, either eye)")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 60 * time.Second
	}
	if opts.PreviewInterval <= 0 {
		opts.PreviewInterval = time.Second / 30
	}
	if opts.DataInterval <= 0 {
		opts.DataInterval = 250 * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()

	if err := prepareCamera(ctx, s); err != nil {
		return nil, ended(ctx, err, opts.Timeout)
	}
	if err := s.Camera.Start(ctx, opts.Modes); err != nil {
		stopCamera(ctx, s) // a start the deadline cut short may still have started it
		return nil, ended(ctx, err, opts.Timeout)
	}
	started := time.Now()

	loopCtx, stopLoops := context.WithCancel(ctx)
	frames := make(chan previewSeen, 1)
	go func() { frames <- previewLoop(loopCtx, s, opts) }()
	data, err := dataLoop(loopCtx, s, opts.DataInterval)
	elapsed := time.Since(started)
	stopLoops()
	seen := <-frames

	if err != nil {
		stopCamera(ctx, s)
		return nil, ended(ctx, err, opts.Timeout)
	}
	// The camera stops by itself once the data is sent; stopping again is harmless.
	stopCamera(ctx, s)
	return &Result{Data: data, Frames: seen.frames, Elapsed: elapsed, StartedAt: started,
		LastPreview: seen.last, DeviceVersion: s.Version()}, nil
}

// ended words how a capture that failed with err ended: the operator cancelled it, its
// time ran out (at whichever step), or the camera failed.
func ended(ctx context.Context, err error, timeout time.Duration) error {
	if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			return fmt.Errorf("capture: no capture within %s: %w", timeout, ctxErr)
		}
		return fmt.Errorf("capture: cancelled: %w", ctxErr)
	}
	return fmt.Errorf("capture: %w", err)
}

// prepareCamera sets Slave mode when needed and empties the biometric buffer (spec 003,
// "Start camera": before request, list and delete buffered data). The two are independent,
// so they run at once: on a slow link each round trip is what the operator waits for.
func prepareCamera(ctx context.Context, s *ef45.Session) error {
	var modeErr, clearErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		settings, err := s.Camera.Get(ctx)
		if err == nil && settings.CameraMode != ef45.ModeSlave {
			err = s.Camera.Set(ctx, ef45.ModeSlave, bool(settings.AudioEnabled))
		}
		modeErr = err
	})
	wg.Go(func() { _, clearErr = s.Biometrics.Clear(ctx) })
	wg.Wait()
	return cmp.Or(modeErr, clearErr) // both failing is one cause, told once
}

// stopCamera stops the camera even when ctx is already done.
func stopCamera(ctx context.Context, s *ef45.Session) {
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = s.Camera.Stop(stopCtx) // best effort: an already stopped camera refuses, which is fine
}

// dataLoop polls the biometric data until an item arrives.
func dataLoop(ctx context.Context, s *ef45.Session, every time.Duration) (*ef45.BiometricData, error) {
	t := time.NewTicker(every)
	defer t.Stop()
	failures := 0
	for {
		items, err := s.Biometrics.List(ctx)
		switch {
		case err == nil && len(items) > 0:
			it := items[len(items)-1]
			if it.ErrorMessage != "" && len(it.Left.EnrolTemplate) == 0 && len(it.Right.EnrolTemplate) == 0 && it.Faces[ef45.FaceFarOff].Empty() {
				return nil, fmt.Errorf("the camera reported: %s", it.ErrorMessage)
			}
			return &it, nil
		case err == nil:
			failures = 0
		case fatal(ctx, err):
			return nil, err
		default:
			if failures++; failures > maxTransient {
				return nil, err
			}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// previewSeen is what the preview loop saw: how many distinct frames, and the last one.
type previewSeen struct {
	frames int
	last   *ef45.Preview
}

// previewLoop polls the preview and hands each new frame to OnPreview. Preview trouble
// never fails a capture: the data loop decides the outcome.
func previewLoop(ctx context.Context, s *ef45.Session, opts Options) previewSeen {
	t := time.NewTicker(opts.PreviewInterval)
	defer t.Stop()
	var seen previewSeen
	var key []byte
	for {
		p, err := s.Camera.Preview(ctx)
		if err == nil && p.HasFrame() && !sameFrame(key, p) {
			seen.frames++
			seen.last, key = p, frameKey(p)
			if opts.OnPreview != nil {
				opts.OnPreview(p)
			}
		}
		if err != nil && fatal(ctx, err) {
			return seen
		}
		select {
		case <-ctx.Done():
			return seen
		case <-t.C:
		}
	}
}

// The preview carries no frame number: a frame is new when its left eye image differs.
func frameKey(p *ef45.Preview) []byte {
	if len(p.LeftEye) > 0 {
		return p.LeftEye
	}
	if len(p.RightEye) > 0 {
		return p.RightEye
	}
	return p.FaceImage
}

func sameFrame(last []byte, p *ef45.Preview) bool {
	return last != nil && bytes.Equal(last, frameKey(p))
}

// fatal reports errors no retry can mend: the lock is gone, the device is restarting, the
// context ended, or the device refused.
func fatal(ctx context.Context, err error) bool {
	return ctx.Err() != nil ||
		errors.Is(err, ef45.ErrLockLost) ||
		errors.Is(err, ef45.ErrRebooting) ||
		errors.Is(err, ef45.ErrRejected) ||
		errors.Is(err, ef45.ErrNotFound)
}
