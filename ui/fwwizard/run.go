package fwwizard

import (
	"context"
	"errors"
	"time"

	"enrollstation/enroll/firmware"
)

// startLocked starts the upload to the chosen units under ctx.
func (m *Model) startLocked(ctx context.Context) {
	var devs []firmware.Device
	m.st.Devices = nil
	for _, u := range m.st.Units {
		if !u.Selected {
			continue
		}
		devs = append(devs, firmware.Device{Addr: u.Addr, Target: u.Target})
		m.st.Devices = append(m.st.Devices, Device{Addr: addrKey(u.Addr), Name: u.Name, Camera: u.Camera,
			Total: m.st.File.Size, OldVersion: u.Version, Forced: m.st.Force})
	}
	job := firmware.Job{
		Image:    firmware.Image{Path: m.st.File.Path, Size: m.st.File.Size},
		Force:    m.st.Force,
		Operator: m.cfg.Operator,
		Progress: m.progress,
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	m.st.Step, m.st.Running, m.st.Cancelling = StepRun, true, false
	m.cancelRun, m.runDone, m.rebootAt = cancel, done, map[string]time.Time{}
	go m.tick(rctx, done)
	go func() {
		defer close(done)
		defer cancel()
		outs := m.cfg.Updater.UploadAll(rctx, devs, job)
		m.update(func() { m.finishLocked(outs) })
	}()
}

// tick shows the reboot wait anew while a camera restarts.
func (m *Model) tick(ctx context.Context, done <-chan struct{}) {
	t := time.NewTicker(m.cfg.Tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-done:
			return
		case <-t.C:
			m.mu.Lock()
			waiting := len(m.rebootAt) > 0
			m.mu.Unlock()
			if waiting {
				m.Notify()
			}
		}
	}
}

// progress takes the engine's report of one camera; calls never overlap.
func (m *Model) progress(p firmware.Progress) {
	m.update(func() {
		d := m.deviceLocked(p.Addr)
		if d == nil {
			return
		}
		if p.Phase == firmware.PhaseReboot && d.Phase != firmware.PhaseReboot {
			m.rebootAt[d.Addr] = m.cfg.Now()
		}
		if p.Phase != firmware.PhaseReboot {
			delete(m.rebootAt, d.Addr)
		}
		d.Phase, d.Sent, d.Total = p.Phase, p.Sent, p.Total
		if p.Phase == firmware.PhaseVersion && p.Version != "" {
			d.OldVersion = p.Version
		}
	})
}

func (m *Model) deviceLocked(addr string) *Device {
	k := addrKey(addr)
	for i := range m.st.Devices {
		if m.st.Devices[i].Addr == k {
			return &m.st.Devices[i]
		}
	}
	return nil
}

// finishLocked records each camera's outcome and shows the results.
func (m *Model) finishLocked(outs []firmware.Outcome) {
	for i, o := range outs {
		if i >= len(m.st.Devices) {
			break
		}
		d := &m.st.Devices[i]
		d.Finished = true
		if r := o.Result; r.OldVersion != "" {
			d.OldVersion = r.OldVersion
		}
		d.NewVersion = o.Result.NewVersion
		if o.Result.Bytes > 0 {
			d.Sent = o.Result.Bytes
		}
		if o.Err != nil {
			d.Failure = failureOf(o.Err, d.Total)
		}
		if o.Result.Restart > 0 {
			d.RebootWait = o.Result.Restart
		}
	}
	m.st.Step, m.st.Running, m.st.Cancelling = StepResult, false, false
	m.rebootAt = nil
	m.cancelRun = nil
}

// failureOf turns an outcome's error into what the result step shows.
func failureOf(err error, total int64) *Failure {
	f := &Failure{Cause: firmware.CauseOf(err), Total: total, Details: err.Error()}
	var e *firmware.Error
	if errors.As(err, &e) {
		f.Phase, f.State, f.Version, f.Sent, f.Total, f.Wait = e.Phase, e.State, e.Version, e.Sent, e.Total, e.Wait
	}
	return f
}

// Cancel stops the running upload. Cameras that took the whole file go on installing it;
// the results say which.
func (m *Model) Cancel() {
	m.update(func() {
		if m.st.Running && m.cancelRun != nil {
			m.st.Cancelling = true
			m.cancelRun()
		}
	})
}

// Wait returns when no upload runs, or when ctx ends.
func (m *Model) Wait(ctx context.Context) error {
	m.mu.Lock()
	done := m.runDone
	running := m.st.Running
	m.mu.Unlock()
	if !running || done == nil {
		return nil
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
