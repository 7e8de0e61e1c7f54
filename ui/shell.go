package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"enrollstation/enroll"
	"enrollstation/ui/observe"
)

// Screen is one page of the shell.
type Screen struct {
	Title   string
	Icon    fyne.Resource
	Content fyne.CanvasObject
	// TypedKey, when set, gets the keys typed while the screen shows (Esc, F5).
	TypedKey func(*fyne.KeyEvent) bool
	// OnShow, when set, runs each time the screen is brought up (a list to read again).
	OnShow func()
}

// Shell is the window's content: a tab per screen, and the outbox status line.
type Shell struct {
	status  *OutboxStatus
	screens []Screen
	tabs    *container.AppTabs
	line    *widget.Label
	dirty   observe.Coalescer
	content fyne.CanvasObject
}

// NewShell lays screens out in w, with the status line of status. Call it on the UI
// goroutine.
func NewShell(w fyne.Window, status *OutboxStatus, screens []Screen) *Shell {
	s := &Shell{status: status, screens: screens}
	var items []*container.TabItem
	for _, sc := range screens {
		items = append(items, container.NewTabItemWithIcon(sc.Title, sc.Icon, sc.Content))
	}
	s.tabs = container.NewAppTabs(items...)
	s.tabs.SetTabLocation(container.TabLocationLeading)
	s.tabs.OnSelected = func(*container.TabItem) {
		if i := s.tabs.SelectedIndex(); i >= 0 && i < len(screens) && screens[i].OnShow != nil {
			screens[i].OnShow()
		}
	}
	s.line = widget.NewLabel("")
	s.line.Truncation = fyne.TextTruncateEllipsis
	s.content = container.NewBorder(nil, s.line, nil, nil, s.tabs)
	w.Canvas().SetOnTypedKey(s.typedKey)
	status.Subscribe(func() {
		s.dirty.Post(fyne.Do, s.refresh)
	})
	s.refresh()
	return s
}

// Content is the window's content.
func (s *Shell) Content() fyne.CanvasObject { return s.content }

// Select shows the screen at index i.
func (s *Shell) Select(i int) { s.tabs.SelectIndex(i) }

// StatusLine is what the status line says.
func (s *Shell) StatusLine() string { return s.line.Text }

func (s *Shell) typedKey(k *fyne.KeyEvent) {
	i := s.tabs.SelectedIndex()
	if i >= 0 && i < len(s.screens) && s.screens[i].TypedKey != nil {
		s.screens[i].TypedKey(k)
	}
}

func (s *Shell) refresh() {
	s.line.SetText(StatusText(s.status.Counts()))
}

// StatusText is the status line for counts: what waits, runs and failed.
func StatusText(counts map[enroll.OutboxState]int, err error) string {
	if err != nil {
		return lang.X("shell.status.unreadable", "The journal could not be read: {{.Err}}", map[string]any{"Err": err.Error()})
	}
	if counts == nil {
		return lang.X("shell.status.reading", "Reading the outbox…")
	}
	waiting, pushing, failed := counts[enroll.OutboxPending], counts[enroll.OutboxInFlight], counts[enroll.OutboxFailed]
	if waiting+pushing+failed == 0 {
		return lang.X("shell.status.idle", "Every push is done.")
	}
	return lang.X("shell.status.counts", "Pushes: {{.Waiting}} waiting, {{.Pushing}} pushing, {{.Failed}} failed",
		map[string]any{"Waiting": fmt.Sprint(waiting), "Pushing": fmt.Sprint(pushing), "Failed": fmt.Sprint(failed)})
}
