package preview

import (
	"context"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
)

// simCamera is an EF-45 simulator on loopback with a started capture, read through a real
// client. Its clock is the test's: at advances it, so frames can be fetched one by one.
type simCamera struct {
	session *ef45.Session
	start   time.Time
	offset  atomic.Int64 // nanoseconds since start
	liveAt  atomic.Int64 // when live, the wall time (Unix ns) the clock started running
}

func (c *simCamera) now() time.Time {
	t := c.start.Add(time.Duration(c.offset.Load()))
	if at := c.liveAt.Load(); at != 0 {
		t = t.Add(time.Since(time.Unix(0, at)))
	}
	return t
}

// at stops the simulator's clock at d after the capture started.
func (c *simCamera) at(d time.Duration) {
	c.liveAt.Store(0)
	c.offset.Store(int64(d))
}

// live lets the simulator's clock run in real time from d after the capture started.
func (c *simCamera) live(d time.Duration) {
	c.offset.Store(int64(d))
	c.liveAt.Store(time.Now().UnixNano())
}

func newSimCamera(tb testing.TB, ctx context.Context, fps int, capture time.Duration) *simCamera {
	tb.Helper()
	c := &simCamera{start: time.Now()}
	dev := ef45sim.New(ef45sim.Options{Seed: 3, FPS: fps, CaptureDuration: capture, Now: c.now})
	srv := httptest.NewServer(dev)
	tb.Cleanup(srv.Close)
	client, err := ef45.New(srv.URL, ef45.WithTimeout(10*time.Second))
	if err != nil {
		tb.Fatal(err)
	}
	s, err := client.Open(ctx, false)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close(context.Background()) })
	if err := s.Camera.Set(ctx, ef45.ModeSlave, false); err != nil {
		tb.Fatal(err)
	}
	if err := s.Camera.Start(ctx, ef45.StartModes{Face: true, BothEyes: true}); err != nil {
		tb.Fatal(err)
	}
	c.session = s
	return c
}

// simFrames fetches n preview frames of one capture from the simulator, spread over the
// person's approach (so distance, eyes and face differ from frame to frame).
func simFrames(tb testing.TB, ctx context.Context, n int) []*ef45.Preview {
	tb.Helper()
	const fps, capture = 15, 20 * time.Second
	c := newSimCamera(tb, ctx, fps, capture)
	frames := make([]*ef45.Preview, 0, n)
	for i := range n {
		c.at(time.Duration(i) * capture / time.Duration(n+1))
		p, err := c.session.Camera.Preview(ctx)
		if err != nil {
			tb.Fatalf("preview %d: %v", i, err)
		}
		if len(p.FaceImage) == 0 || len(p.LeftEye) == 0 || len(p.RightEye) == 0 {
			tb.Fatalf("preview %d has an empty image", i)
		}
		frames = append(frames, p)
	}
	return frames
}
