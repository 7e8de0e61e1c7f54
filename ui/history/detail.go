package history

import (
	"context"
	"fmt"
	"image"
	"slices"

	"enrollstation/enroll"
)

// Detail is the person shown in detail. It is never changed once in a State: the model
// replaces it whole, so a snapshot may be read without the model's lock.
type Detail struct {
	Person enroll.Person
	// Captures are the person's captures, newest first, without their data.
	Captures []enroll.Capture
	// Pushes are the current row per target, with the device's own message when failed.
	Pushes  []enroll.OutboxItem
	Loading bool
	Problem *Problem

	// Photo is the portrait of the newest capture, decrypted and decoded only while the
	// detail is shown; nil while PhotoLoading or when there is none.
	Photo        image.Image
	PhotoLoading bool
	PhotoProblem *Problem
	// Retrying holds the rows whose "push again" is being asked.
	Retrying []int64
}

// editDetail replaces the detail of key with a changed copy; false when another person is
// shown by now. The caller holds m.mu.
func (m *Model) editDetail(key string, gen int, fn func(d *Detail)) bool {
	if m.st.Detail == nil || m.st.Selected != key || (gen != 0 && gen != m.detailGen) {
		return false
	}
	d := *m.st.Detail
	fn(&d)
	m.st.Detail = &d
	return true
}

// Select shows the person with key in detail: their record, captures and pushes, then
// their photo, decrypted now and dropped when the detail closes.
func (m *Model) Select(key string) {
	m.mu.Lock()
	if m.st.Selected == key && m.st.Detail != nil {
		m.mu.Unlock()
		return
	}
	m.detailGen++
	gen := m.detailGen
	d := &Detail{Loading: true, PhotoLoading: true}
	for _, p := range m.st.People {
		if p.Key == key {
			d.Person = p // shown while the rest loads
		}
	}
	m.st.Selected, m.st.Detail, m.st.ActionProblem = key, d, nil
	m.mu.Unlock()
	m.Notify()
	m.goDo(func(ctx context.Context) { m.loadDetail(ctx, key, gen) })
}

// Deselect closes the detail, dropping the decrypted photo.
func (m *Model) Deselect() {
	m.mu.Lock()
	m.detailGen++
	m.st.Selected, m.st.Detail = "", nil
	m.mu.Unlock()
	m.Notify()
}

func (m *Model) loadDetail(ctx context.Context, key string, gen int) {
	p, err := m.engine.Person(ctx, key)
	var caps []enroll.Capture
	var pushes []enroll.OutboxItem
	if err == nil {
		caps, err = m.engine.Captures(ctx, key)
	}
	if err == nil {
		pushes, err = m.engine.PushStatus(ctx, key)
	}
	m.mu.Lock()
	ok := m.editDetail(key, gen, func(d *Detail) {
		d.Loading = false
		if err != nil {
			d.Problem = problem(OpDetail, err)
			d.PhotoLoading = false
			return
		}
		d.Person, d.Captures, d.Pushes = p, caps, pushes
		d.PhotoLoading = len(caps) > 0
	})
	m.mu.Unlock()
	if !ok {
		return
	}
	m.Notify()
	if err != nil || len(caps) == 0 {
		return
	}
	img, err := m.photo(ctx, caps[0].ID)
	m.mu.Lock()
	ok = m.editDetail(key, gen, func(d *Detail) {
		d.PhotoLoading = false
		d.Photo = img
		if err != nil {
			d.PhotoProblem = problem(OpPhoto, err)
		}
	})
	m.mu.Unlock()
	if ok {
		m.Notify()
	}
}

// photo decrypts a capture and decodes its portrait; the rest of the decrypted data is
// dropped at once.
func (m *Model) photo(ctx context.Context, captureID string) (image.Image, error) {
	return enroll.PortraitImage(ctx, m.engine, captureID)
}

// loadPushes reads the selected person's push state per target again, after a change.
func (m *Model) loadPushes(key string) {
	m.mu.Lock()
	m.pushGen++
	gen := m.pushGen
	m.mu.Unlock()
	m.goDo(func(ctx context.Context) {
		pushes, err := m.engine.PushStatus(ctx, key)
		var p enroll.Person
		if err == nil {
			p, err = m.engine.Person(ctx, key)
		}
		m.mu.Lock()
		ok := gen == m.pushGen && m.editDetail(key, 0, func(d *Detail) {
			if err != nil {
				d.Problem = problem(OpDetail, err)
				return
			}
			d.Pushes, d.Person.PushState = pushes, p.PushState
		})
		m.mu.Unlock()
		if ok {
			m.Notify()
		}
	})
}

// Retry makes a failed row of the selected person due again ("push again"); the worker
// pushes it and the change notifications show it move.
func (m *Model) Retry(id int64) {
	m.mu.Lock()
	key := m.st.Selected
	m.st.ActionProblem = nil
	m.editDetail(key, 0, func(d *Detail) { d.Retrying = append(slices.Clone(d.Retrying), id) })
	m.mu.Unlock()
	m.Notify()
	m.goDo(func(ctx context.Context) {
		err := m.engine.Retry(ctx, id, m.operator)
		m.mu.Lock()
		m.editDetail(key, 0, func(d *Detail) {
			d.Retrying = slices.DeleteFunc(slices.Clone(d.Retrying), func(r int64) bool { return r == id })
		})
		if err != nil {
			m.st.ActionProblem = problem(OpRetry, fmt.Errorf("push again (outbox %d): %w", id, err))
		}
		m.mu.Unlock()
		m.Notify()
		if err == nil {
			m.loadPushes(key)
		}
	})
}
