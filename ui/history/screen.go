package history

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"enrollstation/enroll"
	"enrollstation/ui/observe"
)

// uiRunner runs fn on the UI goroutine; in the app it is fyne.Do, in tests a loop the
// test goroutine pumps.
type uiRunner func(fn func())

// stateChoices are the push state filter's options, in the order shown.
var stateChoices = []enroll.PushState{"", enroll.PushNone, enroll.PushPending, enroll.PushFailed, enroll.PushDone}

// Screen draws a Model: the search and its page of people on the left, the selected
// person's detail and actions on the right. Its widgets are made once; model changes only
// update them, on the UI goroutine.
type Screen struct {
	model *Model
	win   fyne.Window
	run   uiRunner
	dirty observe.Coalescer // a refresh is queued on the UI goroutine
	unsub func()

	search    *widget.Entry
	state     *widget.Select
	order     *widget.Select
	from, to  *widget.Entry
	dates     *problemView
	list      *widget.List
	people    []enroll.Person // the page the list shows
	listSel   int             // the list's selected row, -1 for none
	total     *widget.Label
	prev      *widget.Button
	next      *widget.Button
	searching *widget.ProgressBarInfinite
	problem   *problemView

	export       *widget.Button
	exportBar    *widget.ProgressBar
	exportCancel *widget.Button
	exportNote   *widget.Label
	exportProb   *problemView

	detail *detailView
	erase  *eraseView

	shortcuts []fyne.Shortcut
	keys      map[string]func() // the shortcuts' actions by name
	content   fyne.CanvasObject
}

// NewScreen builds the screen for m in win and subscribes it to m's changes. Call it on the
// UI goroutine; Close it when the screen goes away.
func NewScreen(m *Model, win fyne.Window) *Screen { return newScreen(m, win, fyne.Do) }

func newScreen(m *Model, win fyne.Window, run uiRunner) *Screen {
	s := &Screen{model: m, win: win, run: run, listSel: -1}
	s.build()
	s.unsub = m.Subscribe(s.changed)
	s.addShortcuts()
	s.refresh()
	return s
}

// Content is the screen's root object.
func (s *Screen) Content() fyne.CanvasObject { return s.content }

// Close stops following the model and removes the screen's shortcuts; the model is the
// caller's to close.
func (s *Screen) Close() {
	s.unsub()
	for _, sc := range s.shortcuts {
		s.win.Canvas().RemoveShortcut(sc)
	}
}

// changed queues one refresh for a burst of model changes.
func (s *Screen) changed() {
	s.dirty.Post(s.run, s.refresh)
}

func (s *Screen) build() {
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(lang.X("history.search.placeholder", "Search by name or key"))
	s.search.OnChanged = s.model.SetText
	stateNames := []string{
		lang.X("history.filter.all", "Any push state"), lang.X("history.filter.none", "Nothing to push"),
		lang.X("history.filter.pending", "Pending"), lang.X("history.filter.failed", "Failed"),
		lang.X("history.filter.done", "Done"),
	}
	s.state = widget.NewSelect(stateNames, nil)
	s.state.PlaceHolder = lang.X("history.select_one", "(Select one)")
	s.state.SetSelectedIndex(0)
	s.state.OnChanged = func(string) { s.model.SetState(stateChoices[max(s.state.SelectedIndex(), 0)]) }
	s.order = widget.NewSelect([]string{lang.X("history.order.name", "By name"), lang.X("history.order.newest", "Newest first")}, nil)
	s.order.PlaceHolder = lang.X("history.select_one", "(Select one)")
	s.order.SetSelectedIndex(0)
	s.order.OnChanged = func(string) {
		o := enroll.ByName
		if s.order.SelectedIndex() == 1 {
			o = enroll.ByNewest
		}
		s.model.SetOrder(o)
	}
	s.from, s.to = widget.NewEntry(), widget.NewEntry()
	for _, e := range []*widget.Entry{s.from, s.to} {
		e.SetPlaceHolder(lang.X("history.date.placeholder", "YYYY-MM-DD"))
		e.OnChanged = s.datesChanged
		e.OnSubmitted = func(string) { s.model.SetDates(s.from.Text, s.to.Text) }
	}
	s.dates = newProblemView(s.win)
	dates := container.NewGridWithColumns(4,
		widget.NewLabel(lang.X("history.date.from", "Enrolled from")), s.from,
		widget.NewLabel(lang.X("history.date.to", "to")), s.to)
	filters := container.NewVBox(s.search, container.NewGridWithColumns(2, s.state, s.order), dates, s.dates.box)

	s.list = widget.NewList(func() int { return len(s.people) }, newPersonRow, s.updatePersonRow)
	s.list.OnSelected = func(id widget.ListItemID) {
		s.listSel = id
		if id >= 0 && id < len(s.people) {
			s.model.Select(s.people[id].Key)
		}
	}
	s.total = widget.NewLabel("")
	s.prev = widget.NewButtonWithIcon(lang.X("history.page.prev", "Previous"), theme.NavigateBackIcon(), s.model.PrevPage)
	s.next = widget.NewButtonWithIcon(lang.X("history.page.next", "Next"), theme.NavigateNextIcon(), s.model.NextPage)
	s.next.IconPlacement = widget.ButtonIconTrailingText
	s.searching = widget.NewProgressBarInfinite()
	s.searching.Hide()
	s.problem = newProblemView(s.win)

	s.export = widget.NewButtonWithIcon(lang.X("history.export.button", "Export CSV…"), theme.DocumentSaveIcon(), s.chooseExportFile)
	s.exportBar = widget.NewProgressBar()
	s.exportCancel = widget.NewButtonWithIcon(lang.X("history.export.cancel", "Cancel export"), theme.CancelIcon(), s.model.CancelExport)
	s.exportNote = widget.NewLabel("")
	s.exportProb = newProblemView(s.win)
	exportRow := container.NewVBox(container.NewBorder(nil, nil, nil, s.exportCancel, s.exportBar), s.exportNote, s.exportProb.box)

	pager := container.NewHBox(s.prev, s.next, layout.NewSpacer(), s.export)
	bottom := container.NewVBox(s.searching, s.problem.box, s.total, pager, exportRow)
	left := container.NewBorder(filters, bottom, nil, nil, s.list)

	s.detail = newDetailView(s)
	s.erase = newEraseView(s)
	split := container.NewHSplit(left, s.detail.content)
	split.Offset = 0.45
	s.content = split
}

// datesChanged applies the range as soon as both dates are empty or complete; a date
// still being typed waits (Enter applies it, saying what is wrong).
func (s *Screen) datesChanged(string) {
	ready := func(t string) bool { return t == "" || len(t) == len("2006-01-02") }
	if ready(s.from.Text) && ready(s.to.Text) {
		s.model.SetDates(s.from.Text, s.to.Text)
	}
}

// addShortcuts makes the screen's actions reachable from the keyboard: Ctrl+F to search,
// Ctrl+Page Down/Up through the pages, Ctrl+E to export. The rest is reached with Tab.
func (s *Screen) addShortcuts() {
	s.keys = map[string]func(){}
	add := func(key fyne.KeyName, fn func()) {
		sc := &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
		s.shortcuts = append(s.shortcuts, sc)
		s.keys[sc.ShortcutName()] = fn
		s.win.Canvas().AddShortcut(sc, func(fyne.Shortcut) { fn() })
	}
	add(fyne.KeyF, func() { s.win.Canvas().Focus(s.search) })
	add(fyne.KeyPageDown, s.model.NextPage)
	add(fyne.KeyPageUp, s.model.PrevPage)
	add(fyne.KeyE, s.chooseExportFile)
}

func newPersonRow() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	sub := widget.NewLabel("")
	sub.Truncation = fyne.TextTruncateEllipsis
	state := widget.NewLabel("")
	return container.NewBorder(nil, nil, nil, state, container.NewVBox(name, sub))
}

func (s *Screen) updatePersonRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id < 0 || id >= len(s.people) {
		return
	}
	p := s.people[id]
	row := o.(*fyne.Container)
	texts := row.Objects[0].(*fyne.Container).Objects
	texts[0].(*widget.Label).SetText(p.Name())
	texts[1].(*widget.Label).SetText(lang.X("history.row.sub", "{{.Key}} · enrolled {{.Date}}",
		map[string]any{"Key": p.Key, "Date": p.CreatedAt.Local().Format("2006-01-02 15:04")}))
	state := row.Objects[1].(*widget.Label)
	state.Importance = personStateImportance(p.PushState)
	state.SetText(personStateText(p.PushState))
	row.Refresh() // the state's width changed with its text
}

func personStateText(ps enroll.PushState) string {
	switch ps {
	case enroll.PushNone:
		return lang.X("history.state.none", "nothing to push")
	case enroll.PushPending:
		return lang.X("history.state.pending", "pending")
	case enroll.PushFailed:
		return lang.X("history.state.failed", "failed")
	case enroll.PushDone:
		return lang.X("history.state.done", "done")
	}
	return string(ps)
}

func personStateImportance(ps enroll.PushState) widget.Importance {
	switch ps {
	case enroll.PushFailed:
		return widget.DangerImportance
	case enroll.PushPending:
		return widget.WarningImportance
	case enroll.PushDone:
		return widget.SuccessImportance
	}
	return widget.LowImportance
}

// refresh shows the model's state; on the UI goroutine.
func (s *Screen) refresh() {
	st := s.model.State()
	s.people = st.People
	s.list.Refresh()
	s.syncSelection(st)
	s.total.SetText(totalText(st))
	enable(s.prev, st.HasPrev())
	enable(s.next, st.HasNext())
	if st.Searching {
		s.searching.Show()
	} else {
		s.searching.Hide()
	}
	s.problem.show(st.SearchProblem)
	s.dates.show(st.DateProblem)
	s.refreshExport(st.Export)
	s.detail.refresh(st)
	s.erase.refresh(st)
}

// syncSelection keeps the list's selection on the person shown in detail.
func (s *Screen) syncSelection(st State) {
	want := -1
	for i, p := range st.People {
		if p.Key == st.Selected {
			want = i
		}
	}
	if want == s.listSel {
		return
	}
	if want < 0 {
		s.listSel = -1
		s.list.UnselectAll()
		return
	}
	s.list.Select(want) // OnSelected: the model already shows that person
}

func (s *Screen) refreshExport(e *ExportProgress) {
	running := e != nil && e.Running
	enable(s.export, !running)
	if running {
		s.exportBar.Show()
		s.exportCancel.Show()
		if e.Total > 0 {
			s.exportBar.SetValue(float64(e.Rows) / float64(e.Total))
		}
	} else {
		s.exportBar.Hide()
		s.exportCancel.Hide()
	}
	switch {
	case e == nil || running && e.Rows == 0:
		s.exportNote.SetText("")
	case e.Canceled:
		s.exportNote.SetText(lang.X("history.export.canceled", "Export cancelled after {{.Rows}} people", map[string]any{"Rows": e.Rows}))
	case running:
		s.exportNote.SetText(lang.X("history.export.running", "Exporting: {{.Rows}} of {{.Total}} people", map[string]any{"Rows": e.Rows, "Total": e.Total}))
	case e.Problem == nil:
		s.exportNote.SetText(lang.X("history.export.done", "Exported {{.Rows}} people", map[string]any{"Rows": e.Rows}))
	default:
		s.exportNote.SetText("")
	}
	if e == nil {
		s.exportProb.show(nil)
	} else {
		s.exportProb.show(e.Problem)
	}
}

// chooseExportFile asks where to save the search as CSV; the model writes and closes it.
func (s *Screen) chooseExportFile() {
	if st := s.model.State(); st.Export != nil && st.Export.Running {
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(err, s.win)
			return
		}
		if w != nil {
			s.model.Export(w)
		}
	}, s.win)
	d.SetFileName("people.csv")
	d.Show()
}

func enable(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

// totalText says which results the page shows, of how many.
func totalText(st State) string {
	switch {
	case st.Total == 0:
		return lang.X("history.total.none", "No one matches")
	case st.TotalCapped:
		return lang.X("history.total.many", "{{.First}}–{{.Last}} of more than {{.Total}}",
			map[string]any{"First": st.Offset + 1, "Last": st.Offset + len(st.People), "Total": st.Total - PageSize})
	}
	return lang.X("history.total", "{{.First}}–{{.Last}} of {{.Total}}",
		map[string]any{"First": st.Offset + 1, "Last": st.Offset + len(st.People), "Total": st.Total})
}
