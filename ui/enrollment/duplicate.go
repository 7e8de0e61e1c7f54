package enrollment

import (
	"bytes"
	"context"
	"errors"
	"image"
	_ "image/jpeg" // the camera's face images are JPEG
	"slices"
	"sync"
	"time"

	"enrollstation/enroll"
	"enrollstation/enroll/capture"
	"enrollstation/ui/observe"
)

// DuplicateJournal is what the possible-duplicate dialog reads of the people already
// enrolled: the person, their captures (the newest one's photo decrypted on demand) and
// their push state per target. station.Store() has it.
type DuplicateJournal interface {
	enroll.CaptureReader
	Person(ctx context.Context, key string) (enroll.Person, error)
	Captures(ctx context.Context, personKey string) ([]enroll.Capture, error)
	PushStatus(ctx context.Context, personKey string) ([]enroll.OutboxItem, error)
}

// Newcomer is the person just captured, as the dialog shows them beside a match.
type Newcomer struct {
	Form PersonForm
	// Face is the captured colour face, decoded; nil when the capture has none.
	Face        image.Image
	Left, Right EyeSummary
	// FailedGates are the quality gates the capture did not pass: deciding accepts them.
	FailedGates []capture.GateResult
}

// Match is one person already enrolled that the capture may be.
type Match struct {
	Key string
	// Sources say who found the match ("left iris", "subjects check", …).
	Sources []string
	// Known: the journal holds the person; else another station enrolled them, or they
	// were erased here, and only the key is known.
	Known  bool
	Person enroll.Person
	// LastCapture is when the person's newest capture was taken (zero: none).
	LastCapture time.Time
	// Pushes are the person's current row per target.
	Pushes []enroll.OutboxItem
	// Loading: the journal is being read; PhotoLoading: the photo is being decrypted.
	Loading, PhotoLoading bool
	// Photo is the newest capture's portrait, held only while the dialog is open.
	Photo   image.Image
	Problem *Problem
}

// DuplicateState is a snapshot of the possible-duplicate dialog.
type DuplicateState struct {
	// Open: a capture found people already enrolled and waits for a decision.
	Open     bool
	Newcomer Newcomer
	Matches  []Match
	// Chosen is the index of the match "Same person" updates.
	Chosen int
	// Busy: the decision is being carried out (saving).
	Busy bool
	// Problem is why the last decision did not go through.
	Problem *Problem
}

// CanDecide reports whether the three decisions work.
func (s DuplicateState) CanDecide() bool { return s.Open && !s.Busy }

// DuplicateModel is the view model of the possible-duplicate dialog. It opens when a
// capture of the flow finds possible duplicates, reads each match from the journal, and
// carries out the operator's decision through the flow: same person (the capture updates
// the chosen match), new person (enrolled under the form's key) or cancel (the capture is
// discarded, nothing is saved). It knows nothing of Fyne and is safe for concurrent use.
type DuplicateModel struct {
	observe.Notifier

	flow  *Flow
	ctx   context.Context // ends at close
	stop  context.CancelFunc
	wg    sync.WaitGroup
	unsub func()

	mu      sync.Mutex
	journal DuplicateJournal
	st      DuplicateState
	shown   *CaptureSummary // the capture the dialog is open for
	gen     int             // bumped at every open and close, so late loads are dropped
}

func newDuplicateModel(f *Flow) *DuplicateModel {
	ctx, stop := context.WithCancel(context.Background())
	m := &DuplicateModel{flow: f, ctx: ctx, stop: stop}
	m.unsub = f.Capture.Subscribe(m.onCapture)
	return m
}

// SetJournal sets where the matches are read from (station.Store()). Without one the
// dialog shows what the capture's duplicate check found: the key and the name.
func (m *DuplicateModel) SetJournal(j DuplicateJournal) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.journal = j
}

// State returns a snapshot of the dialog.
func (m *DuplicateModel) State() DuplicateState {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.st
	st.Matches = slices.Clone(st.Matches)
	return st
}

// Choose makes match i the one "Same person" updates.
func (m *DuplicateModel) Choose(i int) {
	m.mu.Lock()
	if i < 0 || i >= len(m.st.Matches) || m.st.Chosen == i {
		m.mu.Unlock()
		return
	}
	m.st.Chosen = i
	m.mu.Unlock()
	m.Notify()
}

// SamePerson saves the capture as the chosen match: that person is updated with the form's
// details and the new capture, and pushed again.
func (m *DuplicateModel) SamePerson() {
	m.mu.Lock()
	if !m.st.CanDecide() || len(m.st.Matches) == 0 {
		m.mu.Unlock()
		return
	}
	key := m.st.Matches[m.st.Chosen].Key
	m.mu.Unlock()
	// Deciding on the dialog accepts the capture as it is: its failed gates are shown there.
	m.flow.Accept(capture.Decisions{Duplicate: capture.SamePerson, SamePersonKey: key, AcceptFailedGates: true})
}

// NewPerson saves the capture as someone else: the form's person is enrolled beside the
// matches.
func (m *DuplicateModel) NewPerson() {
	if !m.State().CanDecide() {
		return
	}
	m.flow.Accept(capture.Decisions{Duplicate: capture.NewPerson, AcceptFailedGates: true})
}

// Cancel discards the capture: nothing is saved, the camera is released and ready again.
func (m *DuplicateModel) Cancel() {
	if !m.State().CanDecide() {
		return
	}
	m.flow.Capture.Discard()
}

// close stops the loads and the following of the capture.
func (m *DuplicateModel) close() {
	m.unsub()
	m.stop()
	m.wg.Wait()
}

// onCapture opens the dialog for a finished capture with possible duplicates, follows it
// while it is saved, and closes it once the capture is saved, discarded or retaken.
func (m *DuplicateModel) onCapture() {
	cs := m.flow.Capture.State()
	pending := cs.Result != nil && len(cs.Result.Duplicates) > 0 && (cs.Phase == PhaseDone || cs.Phase == PhaseSaving)
	m.mu.Lock()
	switch {
	case pending && cs.Result == m.shown:
		busy, p := cs.Phase == PhaseSaving, cs.Problem
		if m.st.Busy == busy && m.st.Problem == p {
			m.mu.Unlock()
			return
		}
		m.st.Busy, m.st.Problem = busy, p
		m.mu.Unlock()
	case pending:
		m.gen++
		m.shown = cs.Result
		m.st = DuplicateState{Open: true, Newcomer: newcomer(m.flow.Form(), cs.Result),
			Busy: cs.Phase == PhaseSaving, Problem: cs.Problem}
		for _, d := range cs.Result.Duplicates {
			mt := Match{Key: d.PersonKey, Sources: d.Sources, Known: d.Person != nil, Loading: m.journal != nil}
			if d.Person != nil {
				mt.Person = *d.Person
			}
			m.st.Matches = append(m.st.Matches, mt)
		}
		m.st.Chosen = firstKnown(m.st.Matches)
		if m.journal != nil {
			m.loadAll(m.gen, m.journal, m.st.Matches)
		}
		m.mu.Unlock()
	case m.st.Open:
		// Decided: the faces and photos are dropped with the state.
		m.gen++
		m.shown, m.st = nil, DuplicateState{}
		m.mu.Unlock()
	default:
		m.mu.Unlock()
		return
	}
	m.Notify()
}

// newcomer is the left side of the dialog: the form and what the camera captured.
func newcomer(f PersonForm, r *CaptureSummary) Newcomer {
	n := Newcomer{Form: f, Left: r.Left, Right: r.Right, FailedGates: capture.FailedGates(r.Gates)}
	if len(r.FaceImage) > 0 {
		// A face that does not decode is shown as no face: the capture is still good.
		if img, _, err := image.Decode(bytes.NewReader(r.FaceImage)); err == nil {
			n.Face = img
		}
	}
	return n
}

// firstKnown is the match "Same person" starts on: the first the journal knows, as the
// engine would pick.
func firstKnown(ms []Match) int {
	for i, mt := range ms {
		if mt.Known {
			return i
		}
	}
	return 0
}

// loadAll reads every match from the journal; the caller holds m.mu.
func (m *DuplicateModel) loadAll(gen int, j DuplicateJournal, ms []Match) {
	for i, mt := range ms {
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			ctx, cancel := context.WithTimeout(m.ctx, 10*time.Second)
			defer cancel()
			m.load(ctx, gen, j, i, mt.Key)
		}()
	}
}

// load reads match i: the person, their captures and pushes, then the newest capture's
// photo, decrypted now and dropped when the dialog closes.
func (m *DuplicateModel) load(ctx context.Context, gen int, j DuplicateJournal, i int, key string) {
	p, err := j.Person(ctx, key)
	if errors.Is(err, enroll.ErrNotFound) {
		m.edit(gen, i, func(mt *Match) { mt.Known, mt.Loading = false, false })
		return
	}
	var caps []enroll.Capture
	var pushes []enroll.OutboxItem
	if err == nil {
		caps, err = j.Captures(ctx, key)
	}
	if err == nil {
		pushes, err = j.PushStatus(ctx, key)
	}
	ok := m.edit(gen, i, func(mt *Match) {
		mt.Loading = false
		if err != nil {
			mt.Problem = problem(say("enroll.duplicate.problem.read", "This person could not be read from the journal: {{.Err}}", "Err", err.Error()))
			return
		}
		mt.Known, mt.Person, mt.Pushes = true, p, pushes
		if len(caps) > 0 {
			mt.LastCapture, mt.PhotoLoading = caps[0].CapturedAt, true
		}
	})
	if !ok || err != nil || len(caps) == 0 {
		return
	}
	img, err := enroll.PortraitImage(ctx, j, caps[0].ID)
	m.edit(gen, i, func(mt *Match) {
		mt.PhotoLoading, mt.Photo = false, img
		if err != nil {
			mt.Problem = problem(say("enroll.duplicate.problem.photo", "The photo could not be shown: {{.Err}}", "Err", err.Error()))
		}
	})
}

// edit changes match i of the dialog opened as gen and tells the observers; false when the
// dialog is closed or open for another capture by now.
func (m *DuplicateModel) edit(gen, i int, fn func(mt *Match)) bool {
	m.mu.Lock()
	if gen != m.gen || i >= len(m.st.Matches) {
		m.mu.Unlock()
		return false
	}
	// Matches is replaced, never changed in place, so snapshots stay as they were.
	ms := slices.Clone(m.st.Matches)
	fn(&ms[i])
	m.st.Matches = ms
	m.mu.Unlock()
	m.Notify()
	return true
}
