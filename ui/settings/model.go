// Package settings is the Settings screen: the targets new enrollments go to, the quality
// gates, the language, and where the journal is. Its model is plain Go.
package settings

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"enrollstation/enroll"
	"enrollstation/ui/fonts"
	"enrollstation/ui/observe"
)

// Engine is what the screen needs of the station; *enroll.Station has it.
type Engine interface {
	Preferences(ctx context.Context) (enroll.Preferences, error)
	SavePreferences(ctx context.Context, p enroll.Preferences, operator string) error
	Targets(ctx context.Context) ([]enroll.Target, error)
	Retention(ctx context.Context, now time.Time, next int) (enroll.RetentionReport, error)
}

// State is what the screen shows.
type State struct {
	Loaded   bool
	Prefs    enroll.Preferences // as edited
	Targets  []enroll.Target    // every target, to choose from
	Problems map[string]string  // field → what is wrong, as enroll.CheckPreferences says
	Saving   bool
	Saved    bool  // the edits are in the journal
	Err      error // the last load or save failure
	Journal  string
	// Retention is the schedule as saved: who the next sweep erases and who follows.
	Retention enroll.RetentionReport
	// NoFont says that no font of this computer has the chosen language's letters: the
	// station would show it as empty boxes, and speaks English instead.
	NoFont bool
	// FontChecked is the language whose fonts NoFont tells of, once the check answered.
	FontChecked string
}

// retentionNext is how many people after the due ones the schedule's summary names.
const retentionNext = 1

// Model loads, edits and saves the preferences.
type Model struct {
	observe.Notifier

	eng      Engine
	operator string
	log      *slog.Logger

	mu      sync.Mutex
	st      State
	onSaved func(enroll.Preferences)
	fonts   *fonts.Check // nil: the language is not checked
}

// UseFonts makes the model check the chosen language against c, the fonts the station
// draws with.
func (m *Model) UseFonts(c *fonts.Check) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fonts = c
}

// checkFont sets NoFont for the language code, in the background: the first check reads
// the system's fonts. A change of language meanwhile makes its answer moot.
func (m *Model) checkFont(code string) {
	m.mu.Lock()
	c := m.fonts
	m.mu.Unlock()
	if c == nil {
		return
	}
	go func() {
		ok, err := c.Readable(code)
		if err != nil {
			m.log.Warn("fonts", "err", err)
		}
		m.update(func(s *State) {
			if s.Prefs.Language == code {
				s.NoFont, s.FontChecked = err == nil && !ok, code
			}
		})
	}()
}

// OnSaved makes fn run after each save, with what was saved (the shell applies the
// language and the gates).
func (m *Model) OnSaved(fn func(enroll.Preferences)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.onSaved = fn
}

// NewModel returns the model; journal is the journal's path, shown. onSaved (may be nil)
// runs after each save, with what was saved: the shell applies the language and gates.
func NewModel(eng Engine, operator, journal string, onSaved func(enroll.Preferences), log *slog.Logger) *Model {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Model{eng: eng, operator: operator, onSaved: onSaved, log: log, st: State{Journal: journal}}
}

// State returns a snapshot.
func (m *Model) State() State {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.st
}

func (m *Model) update(fn func(*State)) {
	m.mu.Lock()
	fn(&m.st)
	m.mu.Unlock()
	m.Notify()
}

// retention reads the saved schedule's report, as the summary shows it.
func (m *Model) retention(ctx context.Context) (enroll.RetentionReport, error) {
	return m.eng.Retention(ctx, time.Now(), retentionNext)
}

// Load reads the preferences, the targets and the schedule's report, in the background.
func (m *Model) Load() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		p, err := m.eng.Preferences(ctx)
		var ts []enroll.Target
		if err == nil {
			ts, err = m.eng.Targets(ctx)
		}
		var ret enroll.RetentionReport
		if err == nil {
			ret, err = m.retention(ctx)
		}
		m.update(func(s *State) {
			s.Err = err
			if err == nil {
				s.Loaded, s.Prefs, s.Targets, s.Saved, s.Retention = true, p, ts, true, ret
				s.Problems = enroll.CheckPreferences(p)
			}
		})
		if err == nil {
			m.checkFont(p.Language)
		}
	}()
}

// Edit changes the edited preferences; what is wrong is checked at once.
func (m *Model) Edit(fn func(*enroll.Preferences)) {
	var was, now string
	m.update(func(s *State) {
		was = s.Prefs.Language
		fn(&s.Prefs)
		now = s.Prefs.Language
		s.Problems = enroll.CheckPreferences(s.Prefs)
		s.Saved = false
		if now != was {
			s.NoFont, s.FontChecked = false, ""
		}
	})
	if now != was {
		m.checkFont(now)
	}
}

// Save keeps the edits, when nothing is wrong with them.
func (m *Model) Save() {
	m.mu.Lock()
	p, ok := m.st.Prefs, m.st.Loaded && len(m.st.Problems) == 0 && !m.st.Saving
	if ok {
		m.st.Saving = true
	}
	m.mu.Unlock()
	if !ok {
		return
	}
	m.Notify()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := m.eng.SavePreferences(ctx, p, m.operator)
		if err != nil {
			m.log.Warn("save preferences", "err", err)
		}
		ret, rerr := m.retention(ctx)
		m.update(func(s *State) {
			s.Saving, s.Err, s.Saved = false, err, err == nil
			if rerr == nil {
				s.Retention = ret
			}
		})
		m.mu.Lock()
		fn := m.onSaved
		m.mu.Unlock()
		if err == nil && fn != nil {
			fn(p)
		}
	}()
}
