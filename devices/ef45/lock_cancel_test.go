package ef45_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
)

// A caller that gives up while the device is granting its lock (an operator's cancel, a
// closing window) is free at once and leaves no lock behind: the device granted it to an
// answer nobody read, and the station's next capture would be told the camera is in use
// by another workstation until the lock expired.
func TestOpenCancelledWhileTheLockIsGrantedLeavesNoLock(t *testing.T) {
	sim := ef45sim.New(ef45sim.Options{Seed: 1})
	granted, answer := make(chan struct{}, 1), make(chan struct{})
	var held atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/lock") || held.Swap(true) {
			sim.ServeHTTP(w, r)
			return
		}
		// The device takes the lock; its answer goes out only after the caller gave up.
		rec := httptest.NewRecorder()
		sim.ServeHTTP(rec, r.WithContext(context.WithoutCancel(r.Context())))
		granted <- struct{}{}
		<-answer
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(srv.Close)
	c, err := ef45.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	opened := make(chan error, 1)
	go func() {
		s, err := c.Open(ctx, false)
		if err == nil {
			_ = s.Close(context.Background())
		}
		opened <- err
	}()
	<-granted
	cancel()
	// The caller is free at once, though the device has not answered yet.
	if err := <-opened; !errors.Is(err, context.Canceled) {
		t.Fatalf("open cancelled while the lock was granted: %v, want context.Canceled", err)
	}
	close(answer)
	// The station tries again: its lock waits for the granted one to be released.
	s, err := c.Open(context.Background(), false)
	if err != nil {
		t.Fatalf("the next open: %v (the cancelled open left its lock behind)", err)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	other, err := ef45.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	uid, err := other.Lock(context.Background())
	if err != nil {
		t.Fatalf("another workstation's lock: %v", err)
	}
	if err := other.Unlock(context.Background(), uid); err != nil {
		t.Fatal(err)
	}
}
