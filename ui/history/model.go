// Package history is the History screen: an operator searches the people already
// enrolled, opens one (identity, captures, photo, push state per target) and acts on them
// (push again, erase everywhere, export the search as CSV). The view model here never
// imports Fyne; screen.go draws it.
package history

import (
	"context"
	"io"
	"strings"
	"sync"
	"time"

	"enrollstation/enroll"
	"enrollstation/ui/observe"
)

// PageSize is how many people a page of results holds: only the page is ever read from
// the journal, which may hold 100,000 people.
const PageSize = 50

// DefaultDebounce is how long typing must pause before the search runs.
const DefaultDebounce = 300 * time.Millisecond

// Journal is what the screen reads and exports from the journal; station.Store() has it.
type Journal interface {
	SearchPeople(ctx context.Context, q enroll.Query) (enroll.Page, error)
	Person(ctx context.Context, key string) (enroll.Person, error)
	Captures(ctx context.Context, personKey string) ([]enroll.Capture, error)
	Capture(ctx context.Context, id string) (enroll.Capture, error)
	PushStatus(ctx context.Context, personKey string) ([]enroll.OutboxItem, error)
	Outbox(ctx context.Context, personKey string) ([]enroll.OutboxItem, error)
	ExportCSV(ctx context.Context, w io.Writer) (int, error)
}

// Actions is what the screen asks of the station: its targets, a retry, an erase, and the
// outbox's change notifications.
type Actions interface {
	Targets(ctx context.Context) ([]enroll.Target, error)
	Retry(ctx context.Context, id int64, operator string) error
	Erase(ctx context.Context, personKey, operator string) error
	Subscribe(fn func(enroll.Change)) (unsubscribe func())
}

// Engine is the narrow part of the engine the History screen needs.
type Engine interface {
	Journal
	Actions
}

// stationEngine joins a station's journal and its actions. Both are interface fields, so
// only their own methods are promoted and none clashes with another.
type stationEngine struct {
	Journal
	Actions
}

// FromStation is the Engine of a running station.
func FromStation(st *enroll.Station) Engine { return stationEngine{st.Store(), st} }

// Op names what the model was doing when something went wrong; the screen words it.
type Op string

// Ops a Problem can name.
const (
	OpSearch Op = "search" // the search could not be run
	OpDates  Op = "dates"  // a date of the range is not a date
	OpDetail Op = "detail" // the person's details could not be read
	OpPhoto  Op = "photo"  // the photo could not be decrypted or decoded
	OpRetry  Op = "retry"  // a push could not be made due again
	OpErase  Op = "erase"  // the erase could not be queued or followed
	OpExport Op = "export" // the CSV export failed
)

// Problem is something that went wrong: what the model was doing (for the operator's
// wording) and the error itself (the details, one click away).
type Problem struct {
	Op     Op
	Detail string
}

func problem(op Op, err error) *Problem { return &Problem{Op: op, Detail: err.Error()} }

// Filter is the search as the operator set it.
type Filter struct {
	Text     string
	From, To time.Time // From <= enrolled < To; zero is open
	State    enroll.PushState
	Order    enroll.Order
}

func (f Filter) query(offset, limit int) enroll.Query {
	return enroll.Query{Text: f.Text, From: f.From, To: f.To, State: f.State, Order: f.Order, Offset: offset, Limit: limit}
}

// filtered reports whether the filter leaves anyone out.
func (f Filter) filtered() bool {
	return strings.TrimSpace(f.Text) != "" || !f.From.IsZero() || !f.To.IsZero() || f.State != ""
}

// State is a snapshot of the model for the screen and the tests.
type State struct {
	Filter Filter
	// Offset is the first result shown; People the page; Total every match, or a lower
	// bound of them when TotalCapped (a broad search is counted only so far).
	Offset      int
	People      []enroll.Person
	Total       int
	TotalCapped bool
	// Next is what the page after this one is read after (enroll.Query.After).
	Next      string
	Searching bool
	// SearchProblem is set when the last search failed; the page shown is the one before.
	SearchProblem *Problem
	// DateProblem is set while a date of the range cannot be read.
	DateProblem *Problem

	// Selected is the key of the person shown in detail; Detail is nil when none is.
	Selected string
	Detail   *Detail

	// ActionProblem is the last failed retry.
	ActionProblem *Problem
	// ErasePlan is the confirmation an erase waits for; Erase an erase under way or done.
	ErasePlan *ErasePlan
	Erase     *EraseProgress
	// Export is the CSV export under way or last done.
	Export *ExportProgress
}

// HasPrev and HasNext report whether there are pages before and after this one.
func (s State) HasPrev() bool { return s.Offset > 0 }

// HasNext reports whether pages follow this one.
func (s State) HasNext() bool { return s.Offset+len(s.People) < s.Total }

// Options tune the model; zero values take the defaults.
type Options struct {
	// Debounce is how long typing must pause before the search runs.
	Debounce time.Duration
	// Timeout bounds one journal read.
	Timeout time.Duration
}

// Model is the History screen's view model. It is safe for concurrent use; every action
// returns at once and does its I/O on its own goroutine, then notifies.
type Model struct {
	observe.Notifier

	engine   Engine
	operator string
	opts     Options

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	unsub  func()

	mu        sync.Mutex
	closed    bool // no goroutine starts after Close
	st        State
	searchGen int // the newest search; older answers are dropped
	// afters holds, by offset, the After each page of the current filter was read with, so
	// Prev and Refresh seek to a deep page instead of counting to it.
	afters    map[int]string
	debounce  *time.Timer
	detailGen int    // the newest detail load
	pushGen   int    // the newest push status load
	eraseGen  int    // the newest erase steps load
	eraseDone string // the person whose erase the worker finished (Change.Erased)
	refresh   *time.Timer
	exportEnd context.CancelFunc
}

// NewModel builds the model over engine, acting as operator, and runs the first search.
func NewModel(engine Engine, operator string) *Model {
	return NewModelWith(engine, operator, Options{})
}

// NewModelWith is NewModel with options.
func NewModelWith(engine Engine, operator string, opts Options) *Model {
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &Model{engine: engine, operator: operator, opts: opts, ctx: ctx, cancel: cancel}
	m.unsub = engine.Subscribe(m.changed)
	m.search()
	return m
}

// Close stops listening to the engine, cancels what is under way and waits for it.
func (m *Model) Close() {
	m.unsub()
	m.mu.Lock()
	m.closed = true
	if m.debounce != nil {
		m.debounce.Stop()
	}
	if m.refresh != nil {
		m.refresh.Stop()
	}
	m.mu.Unlock()
	m.cancel()
	m.wg.Wait()
}

// State returns a snapshot of the model.
func (m *Model) State() State {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.st
}

// Operator is who the model acts as.
func (m *Model) Operator() string { return m.operator }

// goDo runs fn on its own goroutine, counted for Close, with the model's context bounded by
// the read timeout.
func (m *Model) goDo(fn func(ctx context.Context)) {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return
	}
	m.wg.Add(1)
	m.mu.Unlock()
	go func() {
		defer m.wg.Done()
		ctx, cancel := context.WithTimeout(m.ctx, m.opts.Timeout)
		defer cancel()
		fn(ctx)
	}()
}

// SetText changes the search text; the search runs once typing pauses.
func (m *Model) SetText(text string) {
	m.mu.Lock()
	if m.st.Filter.Text == text {
		m.mu.Unlock()
		return
	}
	m.st.Filter.Text = text
	if m.debounce != nil {
		m.debounce.Stop()
	}
	m.debounce = time.AfterFunc(m.opts.Debounce, func() { m.search() })
	m.mu.Unlock()
	m.Notify()
}

// SetState keeps only people with that push state ("" for everyone) and searches again.
func (m *Model) SetState(s enroll.PushState) {
	m.mu.Lock()
	m.st.Filter.State = s
	m.mu.Unlock()
	m.search()
}

// SetOrder orders the results and searches again from the first page.
func (m *Model) SetOrder(o enroll.Order) {
	m.mu.Lock()
	m.st.Filter.Order = o
	m.mu.Unlock()
	m.search()
}

// SetRange bounds the enrolment time, From <= enrolled < To (zero is open), and searches
// again.
func (m *Model) SetRange(from, to time.Time) {
	m.mu.Lock()
	m.st.Filter.From, m.st.Filter.To = from, to
	m.st.DateProblem = nil
	m.mu.Unlock()
	m.search()
}

// SetDates is SetRange from the dates an operator types, "2006-01-02" in local time, both
// days included; an empty date is open. A date that cannot be read leaves the range as it
// was and says so.
func (m *Model) SetDates(from, to string) {
	f, errF := ParseDay(from)
	t, errT := ParseDay(to)
	if err := firstErr(errF, errT); err != nil {
		m.mu.Lock()
		m.st.DateProblem = problem(OpDates, err)
		m.mu.Unlock()
		m.Notify()
		return
	}
	if !t.IsZero() {
		t = t.AddDate(0, 0, 1) // the To day is included
	}
	m.SetRange(f, t)
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// ParseDay reads a date as an operator types it, "2006-01-02", as the start of that day in
// local time; an empty text is the zero time.
func ParseDay(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	return time.ParseInLocation(time.DateOnly, s, time.Local)
}

// changed takes the engine's change notifications: the detail follows its person's rows,
// an erase its delete rows, and the page is read again when someone on it changed. It runs
// on the worker's goroutines, so it only schedules reads.
func (m *Model) changed(c enroll.Change) {
	key := c.Erased
	if key == "" {
		key = c.Item.PersonKey
	}
	m.mu.Lock()
	selected := m.st.Selected == key
	erasing := m.st.Erase != nil && m.st.Erase.PersonKey == key
	onPage := false
	for _, p := range m.st.People {
		if p.Key == key {
			onPage = true
			break
		}
	}
	m.mu.Unlock()
	switch {
	case erasing:
		m.eraseChanged(c)
	case selected && c.Erased != "": // erased elsewhere (the CLI, another station)
		m.erased(key)
	}
	if selected && c.Erased == "" {
		m.loadPushes(key)
	}
	if onPage {
		m.refreshSoon()
	}
}

// refreshSoon reads the page again shortly, once for a burst of changes.
func (m *Model) refreshSoon() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.refresh != nil || m.closed {
		return
	}
	m.refresh = time.AfterFunc(m.opts.Debounce, func() {
		m.mu.Lock()
		m.refresh = nil
		m.mu.Unlock()
		m.Refresh()
	})
}
