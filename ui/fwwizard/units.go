package fwwizard

import (
	"context"
	"fmt"
	"strings"

	"enrollstation/enroll"
)

// Refresh reads the journal's EF-45 targets (and adds the capture camera), then each one's
// version live, in the background. Choices survive for units that are still offered and
// still selectable.
func (m *Model) Refresh(ctx context.Context) {
	m.mu.Lock()
	m.loadSeq++
	seq := m.loadSeq
	m.st.Loading = true
	m.mu.Unlock()
	m.Notify()
	go m.load(ctx, seq)
}

func (m *Model) load(ctx context.Context, seq int) {
	ctx, cancel := context.WithTimeout(ctx, m.cfg.ReadTimeout)
	defer cancel()
	var units []Unit
	var loadErr error
	if m.cfg.Station != nil {
		targets, err := m.cfg.Station.Targets(ctx)
		if err != nil {
			loadErr = fmt.Errorf("read the devices of the journal: %w", err)
		}
		units = unitsOf(targets, m.cfg.Camera)
	} else {
		units = unitsOf(nil, m.cfg.Camera)
	}
	addrs := make([]string, len(units))
	for i := range units {
		units[i].Reading = true
		addrs[i] = units[i].Addr
	}
	if !m.apply(seq, func() {
		selected := map[string]bool{}
		for _, u := range m.st.Units {
			selected[addrKey(u.Addr)] = u.Selected
		}
		for i := range units {
			units[i].Selected = selected[addrKey(units[i].Addr)]
		}
		m.st.Units, m.st.LoadErr = units, loadErr
	}) {
		return
	}
	versions := m.cfg.Updater.Versions(ctx, addrs)
	m.apply(seq, func() {
		for i, v := range versions {
			if i >= len(m.st.Units) {
				break
			}
			u := &m.st.Units[i]
			u.Reading, u.Version, u.Restarting, u.Busy, u.Err = false, v.Version, v.Restarting, v.Busy, v.Err
			if !u.Selectable() {
				u.Selected = false
			}
		}
		m.st.Loading = false
	})
}

// apply runs fn under the lock and notifies, unless a newer Refresh started since; it
// reports whether it ran.
func (m *Model) apply(seq int, fn func()) bool {
	m.mu.Lock()
	if seq != m.loadSeq {
		m.mu.Unlock()
		return false
	}
	fn()
	m.mu.Unlock()
	m.Notify()
	return true
}

// unitsOf lists the EF-45 targets, then the capture camera unless it is one of them.
func unitsOf(targets []enroll.Target, camera string) []Unit {
	var out []Unit
	seen := map[string]int{}
	for _, t := range targets {
		if t.Kind != enroll.TargetEF45 || strings.TrimSpace(t.Address) == "" {
			continue
		}
		k := addrKey(t.Address)
		if _, dup := seen[k]; dup {
			continue
		}
		seen[k] = len(out)
		out = append(out, Unit{Addr: t.Address, Name: t.Name, Target: t.ID})
	}
	if camera = strings.TrimSpace(camera); camera != "" {
		if i, ok := seen[addrKey(camera)]; ok {
			out[i].Camera = true
		} else {
			out = append(out, Unit{Addr: camera, Camera: true})
		}
	}
	return out
}

// addrKey is the form in which two spellings of one camera's address compare equal, as the
// engine's progress reports name it: host:port in lower case.
func addrKey(addr string) string {
	a := strings.TrimSpace(addr)
	if _, rest, ok := strings.Cut(a, "://"); ok {
		a = rest
	}
	a, _, _ = strings.Cut(a, "/")
	return strings.ToLower(a)
}

// Restart goes back to the first step after a result, keeping the file and the choices,
// and reads the versions again.
func (m *Model) Restart(ctx context.Context) error {
	m.mu.Lock()
	if m.st.Running {
		m.mu.Unlock()
		return ErrRunning
	}
	m.st.Step, m.st.Confirmed, m.st.Devices, m.st.Cancelling = StepUnits, false, nil, false
	m.mu.Unlock()
	m.Refresh(ctx)
	return nil
}
