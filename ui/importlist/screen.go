package importlist

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"enrollstation/enroll"
	"enrollstation/enroll/importer"
	"enrollstation/ui/observe"
)

// Screen is the "People to enroll" screen: Import CSV and Enroll next above, the import
// under way (mapping, preview, keep or overwrite) or its result, and the waiting list.
type Screen struct {
	model *Model
	win   fyne.Window
	run   func(func())
	dirty observe.Coalescer
	// OnNext gets the person Enroll next called; the shell fills the Enroll form with them.
	OnNext func(enroll.Person)

	importBtn, next, doImport, cancel *widget.Button
	problem, result, refused, source  *widget.Label
	policy                            *widget.RadioGroup
	mapping                           *fyne.Container
	preview                           *widget.Table
	pendingBox                        *fyne.Container
	list                              *widget.List

	shown   State
	content fyne.CanvasObject
	unsub   func()
}

// NewScreen builds the screen over m in win. Call it on the UI goroutine.
func NewScreen(m *Model, win fyne.Window) *Screen { return newScreen(m, win, fyne.Do) }

func newScreen(m *Model, win fyne.Window, run func(func())) *Screen {
	s := &Screen{model: m, win: win, run: run}
	s.build()
	s.unsub = m.Subscribe(func() { s.dirty.Post(run, s.refresh) })
	s.refresh()
	return s
}

// Close stops the screen following its model: the window is rebuilt (in another
// language) around a new screen over the same model.
func (s *Screen) Close() { s.unsub() }

// Content is the screen's root object.
func (s *Screen) Content() fyne.CanvasObject { return s.content }

// Shown reads the waiting list again, as the screen comes up.
func (s *Screen) Shown() { go s.model.Reload(context.Background()) }

func policyKeep() string { return lang.X("import.policy.keep", "Keep what the journal has") }
func policyOverwrite() string {
	return lang.X("import.policy.overwrite", "Overwrite with the file's data")
}

func (s *Screen) build() {
	s.importBtn = widget.NewButtonWithIcon(lang.X("import.open", "Import CSV…"), theme.FolderOpenIcon(), s.pickFile)
	s.next = widget.NewButtonWithIcon(lang.X("import.next", "Enroll next"), theme.NavigateNextIcon(), s.enrollNext)
	s.next.Importance = widget.HighImportance
	s.problem = label(widget.DangerImportance)
	s.result = label(widget.MediumImportance)
	s.refused = label(widget.WarningImportance)
	s.source = label(widget.MediumImportance)
	s.policy = widget.NewRadioGroup([]string{policyKeep(), policyOverwrite()}, func(v string) {
		s.model.SetOverwrite(v == policyOverwrite())
	})
	s.policy.Horizontal, s.policy.Required = true, true
	s.mapping = container.NewGridWithColumns(2)
	s.preview = widget.NewTable(s.previewSize, func() fyne.CanvasObject { return widget.NewLabel("") }, s.previewCell)
	s.doImport = widget.NewButtonWithIcon(lang.X("import.do", "Import"), theme.ConfirmIcon(), func() {
		go s.model.Import(context.Background())
	})
	s.doImport.Importance = widget.HighImportance
	s.cancel = widget.NewButtonWithIcon(lang.X("import.cancel", "Cancel"), theme.CancelIcon(), s.model.Cancel)
	previewBox := container.NewGridWrap(fyne.NewSize(640, 180), s.preview)
	s.pendingBox = container.NewVBox(s.source,
		widget.NewLabelWithStyle(lang.X("import.mapping", "Columns"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.mapping,
		widget.NewLabelWithStyle(lang.X("import.preview", "First rows"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), previewBox,
		widget.NewLabel(lang.X("import.policy", "Keys the journal knows already:")), s.policy,
		container.NewHBox(s.doImport, s.cancel))
	s.list = widget.NewList(func() int { return len(s.shown.Waiting) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.shown.Waiting) {
				p := s.shown.Waiting[i]
				o.(*widget.Label).SetText(p.Name() + "  (" + p.Key + ")")
			}
		})
	top := container.NewVBox(container.NewHBox(s.importBtn, s.next), s.problem, s.pendingBox, s.result, s.refused,
		widget.NewLabelWithStyle(lang.X("import.waiting", "Waiting to be enrolled"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	s.content = container.NewBorder(container.NewVScroll(top), nil, nil, nil, s.list)
}

func label(imp widget.Importance) *widget.Label {
	l := widget.NewLabel("")
	l.Importance, l.Wrapping = imp, fyne.TextWrapWord
	return l
}

// fieldNames are the mapping choices as shown, in importer.Fields' order.
func fieldNames() []string {
	return []string{
		lang.X("import.field.ignore", "(not imported)"), lang.X("import.field.key", "Key"),
		lang.X("import.field.given", "Given name"), lang.X("import.field.family", "Family name"),
		lang.X("import.field.card", "Card number"), lang.X("import.field.department", "Department"),
		lang.X("import.field.group", "Access group"), lang.X("import.field.from", "Valid from"),
		lang.X("import.field.until", "Valid until"),
	}
}

func (s *Screen) pickFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		go s.model.Open(path)
	}, s.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".CSV", ".txt"}))
	d.Show()
}

func (s *Screen) enrollNext() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if p, ok := s.model.Next(ctx); ok && s.OnNext != nil {
			s.run(func() { s.OnNext(p) })
		}
	}()
}

func (s *Screen) previewSize() (int, int) {
	p := s.shown.Pending
	if p == nil {
		return 0, 0
	}
	t := p.Table.Preview(PreviewRows)
	return len(t.Rows) + 1, len(t.Header)
}

func (s *Screen) previewCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	l.SetText("")
	p := s.shown.Pending
	if p == nil {
		return
	}
	t := p.Table.Preview(PreviewRows)
	cells := t.Header
	l.TextStyle.Bold = id.Row == 0
	if id.Row > 0 && id.Row-1 < len(t.Rows) {
		cells = t.Rows[id.Row-1].Cells
	}
	if id.Col < len(cells) {
		l.SetText(cells[id.Col])
	}
}

func (s *Screen) refresh() {
	prev := s.shown.Pending
	st := s.model.State()
	s.shown = st
	s.next.Disable()
	if len(st.Waiting) > 0 {
		s.next.Enable()
	}
	s.problem.SetText("")
	if st.Problem != nil {
		text := lang.X(st.Problem.Key, st.Problem.Template, st.Problem.Args)
		if st.Detail != "" { // the importer's own words, labelled as such
			text += "\n" + lang.X("import.detail", "Detail: {{.Detail}}", map[string]any{"Detail": st.Detail})
		}
		s.problem.SetText(strings.TrimSpace(text))
	}
	setShown(s.problem, st.Problem != nil)
	if st.Pending == nil {
		s.pendingBox.Hide()
	} else {
		s.showPending(st.Pending, prev == nil || prev.Source != st.Pending.Source)
	}
	s.result.SetText("")
	s.refused.SetText("")
	if r := st.Result; r != nil {
		w := Summary(*r)
		s.result.SetText(lang.X(w.Key, w.Template, w.Args))
		s.refused.SetText(RefusedText(r.Refused))
	}
	setShown(s.result, st.Result != nil)
	setShown(s.refused, s.refused.Text != "")
	if st.Busy {
		s.doImport.Disable()
	} else {
		s.doImport.Enable()
	}
	s.list.Refresh()
}

// showPending shows the pending file; fresh builds the mapping's selects again (a new file).
func (s *Screen) showPending(p *Pending, fresh bool) {
	s.source.SetText(lang.X("import.source", "File: {{.Path}} ({{.Rows}} rows)",
		map[string]any{"Path": p.Source, "Rows": len(p.Table.Rows)}))
	if fresh {
		s.mapping.RemoveAll()
		names, fields := fieldNames(), importer.Fields()
		for i, h := range p.Table.Header {
			sel := widget.NewSelect(names, nil)
			sel.PlaceHolder = lang.X("import.select_one", "(Select one)")
			for j, f := range fields {
				if f == p.Mapping[i] {
					sel.SetSelectedIndex(j)
				}
			}
			sel.OnChanged = func(string) {
				if j := sel.SelectedIndex(); j >= 0 {
					s.model.SetField(i, fields[j])
				}
			}
			s.mapping.Add(widget.NewLabel(h))
			s.mapping.Add(sel)
		}
		if p.Overwrite {
			s.policy.SetSelected(policyOverwrite())
		} else {
			s.policy.SetSelected(policyKeep())
		}
	}
	s.preview.Refresh()
	s.pendingBox.Show()
}

// RefusedText is one line per refused row: its line in the file and what is wrong.
func RefusedText(rows []importer.Refused) string {
	var lines []string
	for _, r := range rows {
		var why []string
		for _, p := range r.Problems {
			why = append(why, lang.X(p.Key, p.Text))
		}
		lines = append(lines, lang.X("import.result.line", "Line {{.Line}}: {{.Why}}",
			map[string]any{"Line": r.Line, "Why": strings.Join(why, " ")}))
	}
	return strings.Join(lines, "\n")
}

func setShown(o fyne.CanvasObject, shown bool) {
	if shown {
		o.Show()
	} else {
		o.Hide()
	}
}
