package clue

import (
	"context"
	"sync"
	"time"
)

// MinSpacing is the least time between two calls to one place: spec 000 asks for "at least
// 300ms between calls" so that CLUe can extract templates and sync devices.
const MinSpacing = 300 * time.Millisecond

// arrivalGuard is added to every spacing because CLUe measures the spacing where the calls
// arrive: a call that the server takes a little longer to pick up than the next one would
// otherwise be seen less than the spacing before it.
const arrivalGuard = 5 * time.Millisecond

// Pacer spaces the calls to each place. The application creates one and hands it to every
// Client, so that every caller in the process shares the same schedule and a bulk run cannot
// go faster than the place allows. It is safe for concurrent use.
//
// The spacing is counted from the moment a call actually went out, not from when its turn
// was planned, so a caller that is slow to send (a busy scheduler) does not squeeze the gap
// to the next call.
type Pacer struct {
	spacing time.Duration
	mu      sync.Mutex
	places  map[int64]*lane
}

// lane is the schedule of one place: one caller at a time between its turn and its send.
type lane struct {
	turn      chan struct{} // holds a token while a caller has the turn
	last      time.Time     // when the last call went out
	notBefore time.Time     // set by Defer
}

// NewPacer returns a pacer that keeps calls to one place at least spacing apart; a spacing
// below MinSpacing is raised to it.
func NewPacer(spacing time.Duration) *Pacer {
	return newPacer(max(spacing, MinSpacing))
}

// newPacer takes any spacing: tests and simulators run with short ones.
func newPacer(spacing time.Duration) *Pacer {
	return &Pacer{spacing: spacing, places: make(map[int64]*lane)}
}

// Spacing returns the least time between two calls to one place.
func (p *Pacer) Spacing() time.Duration { return p.spacing }

func (p *Pacer) lane(place int64) *lane {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.places[place]
	if l == nil {
		l = &lane{turn: make(chan struct{}, 1)}
		p.places[place] = l
	}
	return l
}

// Wait blocks until the caller may call the place and gives it the turn. The caller sends
// its call and then calls sent, once, which records the moment and passes the turn on; until
// then no other call to the place starts.
func (p *Pacer) Wait(ctx context.Context, place int64) (sent func(), err error) {
	l := p.lane(place)
	select {
	case l.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	for {
		p.mu.Lock()
		at := l.last.Add(p.spacing + arrivalGuard)
		if l.notBefore.After(at) {
			at = l.notBefore
		}
		p.mu.Unlock()
		d := time.Until(at)
		if d <= 0 {
			break
		}
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			<-l.turn
			return nil, ctx.Err()
		}
		// Defer may have moved notBefore meanwhile: look again.
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			p.mu.Lock()
			l.last = time.Now()
			p.mu.Unlock()
			<-l.turn
		})
	}, nil
}

// Defer keeps every caller away from the place for d from now, after the place said it was
// called too often (HTTP 429 with Retry-After).
func (p *Pacer) Defer(place int64, d time.Duration) {
	l := p.lane(place)
	p.mu.Lock()
	defer p.mu.Unlock()
	if until := time.Now().Add(d); l.notBefore.Before(until) {
		l.notBefore = until
	}
}
