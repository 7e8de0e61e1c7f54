package enrollment

import (
	"context"
	"errors"

	"enrollstation/enroll"
	"enrollstation/enroll/capture"
)

// The operator's decisions on a finished capture: accept it into the journal (which queues
// the pushes), retake it, or discard it. Each runs in a goroutine and ends in a new state.

// Accept saves the last capture for p into the journal, with a push to each target. It
// works in PhaseDone only. A failed gate needs d.AcceptFailedGates and a possible
// duplicate d.Duplicate, else the problem says what to decide.
func (m *CaptureModel) Accept(p enroll.Person, targets []enroll.TargetID, d capture.Decisions) {
	m.mu.Lock()
	res := m.result
	if m.busy() || m.state.Phase != PhaseDone || res == nil || m.opts.Journal == nil {
		m.mu.Unlock()
		return
	}
	m.wg.Add(1)
	m.mu.Unlock()
	if d.Operator == "" {
		d.Operator = m.opts.Operator
	}
	m.update(func(s *CaptureState) {
		s.Phase, s.Problem = PhaseSaving, nil
		s.setStatus(say("capture.status.saving", "Saving the capture…"))
	})
	go func() {
		defer m.wg.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(m.ctx), m.opts.CallTimeout)
		defer cancel()
		saved, err := res.Accept(ctx, m.opts.Journal, p, targets, d)
		if err != nil && !errors.Is(err, capture.ErrNotReleased) {
			m.log.Warn("accept failed", "err", err)
			m.update(func(s *CaptureState) {
				s.Phase, s.Problem = PhaseDone, acceptProblem(err)
				s.setStatus(say("capture.status.not_saved", "The capture is not saved yet."))
			})
			return
		}
		m.mu.Lock()
		m.result = nil
		m.mu.Unlock()
		m.log.Info("capture saved", "person", saved.PersonKey, "capture", saved.CaptureID, "pushes", len(saved.Outbox))
		m.update(func(s *CaptureState) {
			s.Phase, s.Saved = PhaseSaved, &saved
			s.setStatus(say("capture.status.saved", "Saved. Pushing to {{.N}} targets.", "N", len(saved.Outbox)))
			if err != nil { // saved, but the camera kept the item or the lock
				s.Problem = problem(say("capture.problem.not_released", "The capture is saved, but the camera could not be released: {{.Err}}", "Err", err.Error()))
				s.Problem.Reconnect = true
			}
		})
	}()
}

// acceptProblem says what the operator must decide or fix when a capture is not saved.
func acceptProblem(err error) *Problem {
	switch {
	case errors.Is(err, capture.ErrGatesFailed):
		return problem(say("capture.problem.gates", "A quality gate failed. Retake the capture, or accept it as it is."))
	case errors.Is(err, capture.ErrDuplicateUndecided):
		return problem(say("capture.problem.duplicate", "This person may already be enrolled. Decide: the same person, a new person, or discard."))
	}
	return problem(say("capture.problem.not_saved", "The capture could not be saved: {{.Err}}", "Err", err.Error()))
}

// Retake journals that the last capture is taken again, drops it from the camera and
// starts a new capture.
func (m *CaptureModel) Retake() {
	m.mu.Lock()
	res := m.result
	ok := !m.busy() && m.state.Phase == PhaseDone && res != nil
	m.mu.Unlock()
	if !ok {
		return
	}
	m.Capture() // settle() journals the drop as a retake before the camera starts again
}

// Discard drops the last capture: nothing is saved, the camera is released.
func (m *CaptureModel) Discard() {
	m.mu.Lock()
	if m.busy() || m.state.Phase != PhaseDone || m.result == nil {
		m.mu.Unlock()
		return
	}
	m.wg.Add(1)
	m.mu.Unlock()
	go func() {
		defer m.wg.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(m.ctx), m.opts.CallTimeout)
		defer cancel()
		m.settleAs(ctx, false)
		m.update(func(s *CaptureState) {
			s.Phase, s.Result, s.Problem = PhaseReady, nil, nil
			s.setStatus(say("capture.status.discarded", "Capture discarded. Nothing was saved."))
		})
	}()
}

// settle drops a capture that was neither accepted nor discarded, as a retake (a new
// capture starts) or at Close.
func (m *CaptureModel) settle(ctx context.Context) { m.settleAs(ctx, true) }

func (m *CaptureModel) settleAs(ctx context.Context, retake bool) {
	m.mu.Lock()
	res := m.result
	m.result = nil
	m.mu.Unlock()
	if res == nil {
		return
	}
	var err error
	switch {
	case m.opts.Journal == nil:
	case retake:
		err = res.Retake(ctx, m.opts.Journal, m.opts.Operator)
	default:
		err = res.Discard(ctx, m.opts.Journal, m.opts.Operator)
	}
	// The next session takes the lock anew; the last one lets it go.
	err = errors.Join(err, res.Close(ctx))
	if err != nil {
		m.log.Warn("drop the last capture", "err", err)
	}
}
