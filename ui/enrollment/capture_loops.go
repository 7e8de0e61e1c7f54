package enrollment

import (
	"context"
	"image"
	"time"

	"enrollstation/enroll/capture"
)

// onPreview runs on the capture goroutine for every new frame: it only parks the frame
// and wakes the render loop, so a slow screen never slows the capture.
func (m *CaptureModel) onPreview(p *capture.Preview) {
	m.latest.Store(p)
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// renderLoop draws the newest frame whenever one is waiting. Frames that arrive while a
// frame is drawn or shown are dropped, except the newest.
func (m *CaptureModel) renderLoop(ctx context.Context, sink func(*image.RGBA)) {
	var lastErr string
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.wake:
		}
		p := m.latest.Swap(nil)
		if p == nil {
			continue
		}
		frame, err := m.renderer.Render(p)
		if err != nil {
			// A damaged frame keeps the last good one on screen; say so once per cause.
			if err.Error() != lastErr {
				m.log.Warn("preview frame skipped", "err", err)
				lastErr = err.Error()
			}
		} else if sink != nil {
			sink(frame)
		}
		g := capture.GuidanceFor(p)
		m.update(func(s *CaptureState) {
			if s.Phase != PhaseCapturing {
				return
			}
			s.Guidance = g
			if err == nil {
				s.Frames++
			}
		})
	}
}

// tickLoop refreshes the time left while a capture runs.
func (m *CaptureModel) tickLoop(ctx context.Context, start time.Time) {
	t := time.NewTicker(m.opts.Tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		used := time.Since(start)
		m.update(func(s *CaptureState) {
			if s.Phase != PhaseCapturing {
				return
			}
			s.Progress = min(float64(used)/float64(m.opts.Timeout), 1)
			s.Remaining = max(m.opts.Timeout-used, 0)
		})
	}
}
