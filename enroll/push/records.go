package push

import (
	"context"
	"slices"
	"sync"

	"enrollstation/enroll/target"
	"enrollstation/store"
)

// records holds the decrypted blobs of a capture while claimed rows of it are being
// worked, so the rows of one capture for several targets decrypt it once. An entry lives
// while a claimed row needs it, and then among the few most recent ones (the same
// capture's row for another target is often claimed a moment later); biometric data is
// not kept in memory beyond that.
type records struct {
	st *store.Store

	mu      sync.Mutex
	entries map[string]*recordEntry
	recent  []string // released entries still kept, oldest first
}

// keepRecent is how many released records stay in memory.
const keepRecent = 64

type recordEntry struct {
	refs int
	load *recordLoad // the read under way or done; nil before the first, and after a failed one
}

// recordLoad is one read of a record; rec and err are set before ready is closed.
type recordLoad struct {
	ready chan struct{}
	rec   target.Record
	err   error
	// kinds are the kinds of target whose pushes the blobs read serve (a claim reads only
	// theirs); nil when every blob was read.
	kinds []store.TargetKind
}

// serves reports whether the record holds the blobs the pushes to kinds read.
func (l *recordLoad) serves(kinds ...store.TargetKind) bool {
	if l.kinds == nil {
		return true
	}
	for _, k := range kinds {
		if !slices.Contains(l.kinds, k) {
			return false
		}
	}
	return true
}

// hold says a claimed row will need the capture's record.
func (r *records) hold(captureID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.entries[captureID]
	if e == nil {
		e = &recordEntry{}
		r.entries[captureID] = e
	}
	e.refs++
}

// release says a claimed row no longer needs the record; it then stays among the recent
// ones until newer ones push it out.
func (r *records) release(captureID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.entries[captureID]
	if e == nil {
		return
	}
	if e.refs--; e.refs > 0 {
		return
	}
	r.recent = append(r.recent, captureID)
	for len(r.recent) > keepRecent {
		old := r.recent[0]
		r.recent = r.recent[1:]
		if e := r.entries[old]; e != nil && e.refs <= 0 {
			delete(r.entries, old)
		}
	}
}

// has reports whether the capture's record is loaded or being loaded, with the blobs the
// pushes to kinds read: a claim need not read it again.
func (r *records) has(captureID string, kinds []store.TargetKind) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.entries[captureID]
	return e != nil && e.load != nil && e.load.serves(kinds...)
}

// put gives a held capture the record a claim read with its rows, with the blobs the
// pushes to kinds read, unless it has one.
func (r *records) put(rec target.Record, kinds []store.TargetKind) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e := r.entries[rec.CaptureID]; e != nil && e.load == nil {
		l := &recordLoad{ready: make(chan struct{}), rec: rec, kinds: kinds}
		close(l.ready)
		e.load = l
	}
}

// get returns the capture's part of a record (its blobs), reading and decrypting it on
// first use. A row that holds no entry, or whose entry failed to load, reads it itself.
func (r *records) get(ctx context.Context, it store.OutboxItem) (target.Record, error) {
	r.mu.Lock()
	e := r.entries[it.CaptureID]
	if e == nil {
		r.mu.Unlock()
		return r.read(ctx, it)
	}
	l, mine := e.load, false
	if l == nil {
		l, mine = &recordLoad{ready: make(chan struct{})}, true
		e.load = l
	}
	r.mu.Unlock()
	if mine {
		l.rec, l.err = r.read(ctx, it)
		if l.err != nil {
			r.mu.Lock()
			e.load = nil // the next row tries again (this one's context may have ended)
			r.mu.Unlock()
		}
		close(l.ready)
		return l.rec, l.err
	}
	select {
	case <-l.ready:
	case <-ctx.Done():
		return target.Record{}, ctx.Err()
	}
	if l.err != nil || !l.serves(it.TargetKind) {
		return r.read(ctx, it)
	}
	return l.rec, nil
}

func (r *records) read(ctx context.Context, it store.OutboxItem) (target.Record, error) {
	c, err := r.st.Capture(ctx, it.CaptureID)
	if err != nil {
		return target.Record{}, err
	}
	return target.Record{CaptureID: c.ID, Blobs: c.Blobs}, nil
}
