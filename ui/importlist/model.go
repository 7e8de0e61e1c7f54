// Package importlist is the "People to enroll" screen: a list of people imported from a
// CSV file, waiting in the journal to be enrolled, and the import itself (preview, column
// mapping, keep or overwrite, the result row by row). Model is Fyne-free; Screen shows it.
package importlist

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"enrollstation/enroll"
	"enrollstation/enroll/importer"
	"enrollstation/ui/observe"
)

// Engine is what the screen needs of the station; *enroll.Station has it.
type Engine interface {
	importer.Journal
	Waiting(ctx context.Context) ([]enroll.Person, error)
	NextWaiting(ctx context.Context) (enroll.Person, error)
}

// PreviewRows is how many rows of a file the preview shows.
const PreviewRows = 5

// Words is a text for the operator: a translation key, its English template and values.
type Words struct {
	Key, Template string
	Args          map[string]any
}

// Pending is a file read and waiting for the operator to check the mapping and import it.
type Pending struct {
	Source    string
	Table     importer.Table
	Mapping   importer.Mapping
	Overwrite bool
}

// State is what the screen shows.
type State struct {
	Waiting []enroll.Person
	Pending *Pending         // a file being imported; nil: none
	Result  *importer.Result // the last import's result
	Problem *Words           // what went wrong last, with its detail in Detail
	Detail  string
	Busy    bool
}

// Model is the screen's state and actions.
type Model struct {
	observe.Notifier

	engine Engine
	now    func() time.Time

	mu sync.Mutex
	st State
}

// NewModel is the screen's model over e.
func NewModel(e Engine) *Model { return &Model{engine: e, now: time.Now} }

// State is a copy of the state.
func (m *Model) State() State {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.st
	if st.Pending != nil {
		p := *st.Pending
		p.Mapping = append(importer.Mapping(nil), p.Mapping...)
		st.Pending = &p
	}
	return st
}

func (m *Model) update(fn func(*State)) {
	m.mu.Lock()
	fn(&m.st)
	m.mu.Unlock()
	m.Notify()
}

func (m *Model) fail(w Words, err error) {
	m.update(func(s *State) { s.Problem, s.Detail, s.Busy = &w, err.Error(), false })
}

// Reload reads the waiting list again.
func (m *Model) Reload(ctx context.Context) {
	list, err := m.engine.Waiting(ctx)
	if err != nil {
		m.fail(Words{Key: "import.problem.read", Template: "The waiting list could not be read."}, err)
		return
	}
	m.update(func(s *State) { s.Waiting = list })
}

// Open reads the file at path and proposes a mapping guessed from its header.
func (m *Model) Open(path string) {
	f, err := os.Open(path)
	if err != nil {
		m.fail(Words{Key: "import.problem.open", Template: "The file could not be opened."}, err)
		return
	}
	defer f.Close()
	t, err := importer.Parse(f)
	if err != nil {
		m.fail(Words{Key: "import.problem.file", Template: "The file is not a list of people in UTF-8 CSV."}, err)
		return
	}
	m.update(func(s *State) {
		s.Pending = &Pending{Source: path, Table: t, Mapping: importer.GuessMapping(t.Header)}
		s.Result, s.Problem, s.Detail = nil, nil, ""
	})
}

// SetField maps column i of the pending file to f.
func (m *Model) SetField(i int, f importer.Field) {
	m.update(func(s *State) {
		if s.Pending != nil && i >= 0 && i < len(s.Pending.Mapping) {
			s.Pending.Mapping[i] = f
		}
	})
}

// SetOverwrite chooses what happens to keys the journal knows: kept (false) or overwritten.
func (m *Model) SetOverwrite(overwrite bool) {
	m.update(func(s *State) {
		if s.Pending != nil {
			s.Pending.Overwrite = overwrite
		}
	})
}

// Cancel drops the pending file.
func (m *Model) Cancel() { m.update(func(s *State) { s.Pending = nil }) }

// Import adds the pending file's good rows to the waiting list and writes its refused rows
// beside it.
func (m *Model) Import(ctx context.Context) {
	m.mu.Lock()
	p := m.st.Pending
	if p == nil || m.st.Busy {
		m.mu.Unlock()
		return
	}
	pend := *p
	pend.Mapping = append(importer.Mapping(nil), p.Mapping...)
	m.st.Busy = true
	m.mu.Unlock()
	m.Notify()
	res, err := importer.Import(ctx, m.engine, pend.Table, pend.Mapping, pend.Overwrite, importer.RefusedPath(pend.Source, m.now()))
	if errors.Is(err, importer.ErrMapping) {
		m.fail(Words{Key: "import.problem.mapping", Template: "Map a column to the key and one to a name."}, err)
		return
	}
	if err != nil {
		m.fail(Words{Key: "import.problem.import", Template: "The list could not be imported."}, err)
		return
	}
	m.update(func(s *State) { s.Result, s.Pending, s.Problem, s.Detail, s.Busy = &res, nil, nil, "", false })
	m.Reload(ctx)
}

// Next is the first person on the waiting list, to be enrolled; false when there is none
// (the problem then says so).
func (m *Model) Next(ctx context.Context) (enroll.Person, bool) {
	p, err := m.engine.NextWaiting(ctx)
	if errors.Is(err, enroll.ErrNotFound) {
		m.update(func(s *State) {
			s.Problem, s.Detail = &Words{Key: "import.problem.empty", Template: "Nobody is waiting to be enrolled."}, ""
		})
		return enroll.Person{}, false
	}
	if err != nil {
		m.fail(Words{Key: "import.problem.read", Template: "The waiting list could not be read."}, err)
		return enroll.Person{}, false
	}
	return p, true
}

// Summary is the result of an import in one sentence.
func Summary(r importer.Result) Words {
	args := map[string]any{"Added": fmt.Sprint(r.Added), "Kept": fmt.Sprint(r.Kept),
		"Overwritten": fmt.Sprint(r.Overwritten), "Refused": fmt.Sprint(len(r.Refused)), "File": r.RefusedFile}
	if len(r.Refused) == 0 {
		return Words{Key: "import.result.summary", Args: args,
			Template: "{{.Added}} added, {{.Kept}} kept as they were, {{.Overwritten}} overwritten."}
	}
	return Words{Key: "import.result.refused", Args: args,
		Template: "{{.Added}} added, {{.Kept}} kept as they were, {{.Overwritten}} overwritten, {{.Refused}} refused. The refused rows, each with its reason, are in {{.File}}: fix them there and import that file again."}
}
