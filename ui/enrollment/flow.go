package enrollment

import (
	"context"
	"sync"
	"time"

	"enrollstation/enroll"
	"enrollstation/enroll/capture"
	"enrollstation/ui/observe"
)

// Targets is what the flow needs to know where an accepted capture goes; *enroll.Station
// has it.
type Targets interface {
	EnrollTargets(ctx context.Context) ([]enroll.TargetID, error)
}

// Flow is one enrollment from the operator's side: the person's form, the capture, the
// review and the pushes. It ties the three models together; each keeps its own state.
type Flow struct {
	observe.Notifier

	Capture *CaptureModel
	Pushes  *PushList
	// Duplicates is the possible-duplicate dialog of the capture; SetJournal on it names
	// where the matches are read from.
	Duplicates *DuplicateModel

	targets  Targets
	operator string
	now      func() time.Time

	mu       sync.Mutex
	form     PersonForm
	problems []FieldProblem // shown once the operator tried to start
	followed *enroll.Saved
	unsub    func()
}

// NewFlow ties a capture model and a push list together for operator.
func NewFlow(c *CaptureModel, p *PushList, t Targets, operator string) *Flow {
	f := &Flow{Capture: c, Pushes: p, targets: t, operator: operator, now: time.Now, form: NewPersonForm()}
	f.unsub = c.Subscribe(f.onCapture)
	f.Duplicates = newDuplicateModel(f)
	return f
}

// Form is the person as typed so far.
func (f *Flow) Form() PersonForm {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.form
}

// Problems are what the operator must fix in the form, after a first try to start.
func (f *Flow) Problems() []FieldProblem {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.problems
}

// SetForm takes the typed person; problems shown before are checked again.
func (f *Flow) SetForm(p PersonForm) {
	f.mu.Lock()
	f.form = p
	if f.problems != nil {
		f.problems = p.Problems()
	}
	f.mu.Unlock()
	f.Notify()
}

// Start begins the capture when the form is complete; else its problems are shown.
func (f *Flow) Start() bool {
	f.mu.Lock()
	f.problems = f.form.Problems()
	ok := len(f.problems) == 0
	f.mu.Unlock()
	f.Notify()
	if ok {
		f.Capture.Capture()
	}
	return ok
}

// Accept saves the capture for the form's person, pushed to the station's enrollment
// targets.
func (f *Flow) Accept(d capture.Decisions) {
	f.mu.Lock()
	p := f.form.Person(f.operator, f.now())
	ok := len(f.form.Problems()) == 0
	f.mu.Unlock()
	if !ok {
		f.Start() // shows what is missing
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ids, err := f.targets.EnrollTargets(ctx)
		if err != nil {
			f.Capture.update(func(s *CaptureState) {
				s.Problem = problem(say("capture.problem.targets", "The targets could not be read from the journal: {{.Err}}", "Err", err.Error()))
			})
			return
		}
		if d.Operator == "" {
			d.Operator = f.operator
		}
		f.Capture.Accept(p, ids, d)
	}()
}

// Next clears the form for the next person; the pushes of the last one go on.
func (f *Flow) Next() {
	f.mu.Lock()
	f.form, f.problems = NewPersonForm(), nil
	f.mu.Unlock()
	f.Notify()
}

// onCapture follows the pushes of a capture once it is saved.
func (f *Flow) onCapture() {
	st := f.Capture.State()
	if st.Phase != PhaseSaved || st.Saved == nil {
		return
	}
	f.mu.Lock()
	if f.followed == st.Saved {
		f.mu.Unlock()
		return
	}
	f.followed = st.Saved
	f.mu.Unlock()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		f.Pushes.Follow(ctx, *st.Saved)
		f.Notify()
	}()
}

// Close stops following the capture and the pushes.
func (f *Flow) Close() {
	f.unsub()
	f.Duplicates.close()
	f.Pushes.Close()
}

// UseWaiting fills the form with p, the person called from the waiting list, in place of
// what was typed. Consent is not carried: the operator asks the person at the desk.
func (f *Flow) UseWaiting(p enroll.Person) {
	f.mu.Lock()
	f.form, f.problems = FormOf(p), nil
	f.mu.Unlock()
	f.Notify()
}
