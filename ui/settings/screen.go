package settings

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"enrollstation/enroll"
	"enrollstation/store"
	"enrollstation/ui/observe"
)

// Screen shows a Model.
type Screen struct {
	m     *Model
	run   func(func()) // fyne.Do in the app
	dirty observe.Coalescer

	targets                                *widget.CheckGroup
	area, radius, near, far, frontal, roll *widget.Entry
	language                               *widget.Select
	retention                              *widget.Entry
	journal, status, schedule              *widget.Label
	noFont                                 *widget.Label
	save                                   *widget.Button
	problems                               map[string]*widget.Label
	names                                  map[string]enroll.TargetID // check label → target
	content                                fyne.CanvasObject
	showing                                bool // the widgets are being set from the model
	unsubscribe                            func()
}

// languageNames are the choices of the language picker, by code ("" is the system's).
func languageNames() map[string]string {
	return map[string]string{"": lang.X("settings.language.system", "As the system"), "en": "English", "ja": "日本語"}
}

// NewScreen builds the screen over m and loads it; on the UI goroutine.
func NewScreen(m *Model) *Screen { return newScreen(m, fyne.Do) }

func newScreen(m *Model, run func(func())) *Screen {
	s := &Screen{m: m, run: run, problems: map[string]*widget.Label{}, names: map[string]enroll.TargetID{}}
	s.build()
	s.unsubscribe = m.Subscribe(func() {
		s.dirty.Post(s.run, s.refresh)
	})
	m.Load()
	return s
}

// Close stops following the model, which outlives a screen rebuilt in another language.
func (s *Screen) Close() { s.unsubscribe() }

// Content is the screen's root object.
func (s *Screen) Content() fyne.CanvasObject { return s.content }

func (s *Screen) build() {
	s.targets = widget.NewCheckGroup(nil, func([]string) { s.edited() })
	number := func(field string) *widget.Entry {
		e := widget.NewEntry()
		e.OnChanged = func(string) { s.edited() }
		p := widget.NewLabel("")
		p.Importance = widget.DangerImportance
		p.Hide()
		s.problems[field] = p
		return e
	}
	s.area, s.radius = number("min_usable_iris_area"), number("min_iris_radius")
	s.near, s.far = number("distance"), widget.NewEntry()
	s.far.OnChanged = func(string) { s.edited() }
	s.frontal, s.roll = number("min_frontal_score"), number("max_roll")
	var choices []string
	for _, code := range append([]string{""}, enroll.Languages()...) {
		choices = append(choices, languageNames()[code])
	}
	s.language = widget.NewSelect(choices, func(string) { s.edited() })
	s.language.PlaceHolder = lang.X("settings.select_one", "(Select one)")
	s.problems["language"] = widget.NewLabel("")
	s.problems["language"].Hide()
	s.noFont = wrapped(lang.X("settings.language.no_font", "No font on this computer has this language's letters: every word would show as an empty box, so the station speaks English. Install a font for it (for Japanese on Debian or Ubuntu: fonts-ipafont-gothic) and start the station again."))
	s.noFont.Importance = widget.WarningImportance
	s.noFont.Hide()
	s.retention = number("retention_days")
	s.schedule = widget.NewLabel("")
	s.schedule.Wrapping = fyne.TextWrapWord
	s.journal = widget.NewLabel("")
	s.journal.Wrapping = fyne.TextWrapBreak
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	s.save = widget.NewButtonWithIcon(lang.X("settings.save", "Save"), theme.DocumentSaveIcon(), s.m.Save)
	s.save.Importance = widget.HighImportance

	row := func(e fyne.CanvasObject, field string) fyne.CanvasObject {
		return container.NewVBox(e, s.problems[field])
	}
	gates := widget.NewForm(
		widget.NewFormItem(lang.X("settings.gates.area", "Usable iris area, at least (%)"), row(s.area, "min_usable_iris_area")),
		widget.NewFormItem(lang.X("settings.gates.radius", "Iris radius, at least (px)"), row(s.radius, "min_iris_radius")),
		widget.NewFormItem(lang.X("settings.gates.near", "Distance, nearest (mm)"), row(s.near, "distance")),
		widget.NewFormItem(lang.X("settings.gates.far", "Distance, farthest (mm)"), s.far),
		widget.NewFormItem(lang.X("settings.gates.frontal", "Face frontal score, at least (0–1)"), row(s.frontal, "min_frontal_score")),
		widget.NewFormItem(lang.X("settings.gates.roll", "Head roll, at most (degrees)"), row(s.roll, "max_roll")),
	)
	s.content = container.NewVScroll(container.NewVBox(
		widget.NewCard(lang.X("settings.targets", "Enrollments go to"), lang.X("settings.targets.hint", "none ticked: every enabled target"), s.targets),
		widget.NewCard(lang.X("settings.gates", "Quality gates"), "", gates),
		widget.NewCard(lang.X("settings.language", "Language"), "", container.NewVBox(row(s.language, "language"), s.noFont)),
		widget.NewCard(lang.X("settings.retention", "Retention"), "",
			container.NewVBox(wrapped(lang.X("settings.retention.hint", "Biometrics are erased everywhere this many days after a person's validity ends, or after their last enrollment when they have no end; 0 keeps them until erased by hand.")),
				widget.NewForm(widget.NewFormItem(lang.X("settings.retention.days", "Erase after (days)"), row(s.retention, "retention_days"))), s.schedule)),
		widget.NewCard(lang.X("settings.journal", "Journal"), "", s.journal),
		container.NewHBox(s.save), s.status,
	))
}

// wrapped is a label that wraps: a card's subtitle does not, and a long one widens the window.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// edited reads the widgets into the model.
func (s *Screen) edited() {
	if s.showing {
		return
	}
	atoi := func(e *widget.Entry) int { n, _ := strconv.Atoi(strings.TrimSpace(e.Text)); return n }
	atof := func(e *widget.Entry) float64 { f, _ := strconv.ParseFloat(strings.TrimSpace(e.Text), 64); return f }
	var ids []enroll.TargetID
	for _, n := range s.targets.Selected {
		ids = append(ids, s.names[n])
	}
	code := ""
	for c, n := range languageNames() {
		if n == s.language.Selected {
			code = c
		}
	}
	s.m.Edit(func(p *enroll.Preferences) {
		p.Targets, p.Language = ids, code
		p.Gates.MinUsableIrisArea, p.Gates.MinIrisRadiusPx = atoi(s.area), atoi(s.radius)
		p.Gates.MinDistanceMM, p.Gates.MaxDistanceMM = atoi(s.near), atoi(s.far)
		p.Gates.MinFrontalScore, p.Gates.MaxRollDeg = atof(s.frontal), atof(s.roll)
		p.RetentionDays = atoi(s.retention)
	})
}

// refresh shows the model; on the UI goroutine.
func (s *Screen) refresh() {
	st := s.m.State()
	s.journal.SetText(journalText(st.Journal))
	s.schedule.SetText(scheduleLine(st.Retention))
	switch {
	case st.Err != nil:
		s.status.SetText(lang.X("settings.status.error", "Not saved: {{.Err}}", map[string]any{"Err": st.Err.Error()}))
	case st.Saving:
		s.status.SetText(lang.X("settings.status.saving", "Saving…"))
	case st.Saved:
		s.status.SetText(lang.X("settings.status.saved", "Saved."))
	default:
		s.status.SetText(lang.X("settings.status.edited", "Changed, not saved yet."))
	}
	for field, l := range s.problems {
		if msg := st.Problems[field]; msg != "" {
			l.SetText(lang.X("settings.problem."+field, msg))
			l.Show()
		} else {
			l.Hide()
		}
	}
	if st.NoFont {
		s.noFont.Show()
	} else {
		s.noFont.Hide()
	}
	if st.Loaded && len(s.targets.Options) == 0 {
		s.show(st)
	}
	if len(st.Problems) > 0 || st.Saving || !st.Loaded {
		s.save.Disable()
	} else {
		s.save.Enable()
	}
}

// show puts the loaded preferences in the widgets, once.
func (s *Screen) show(st State) {
	s.showing = true
	defer func() { s.showing = false }()
	var opts, sel []string
	for _, t := range st.Targets {
		n := t.Name
		s.names[n] = t.ID
		opts = append(opts, n)
		if slices.Contains(st.Prefs.Targets, t.ID) {
			sel = append(sel, n)
		}
	}
	s.targets.Options = opts
	s.targets.SetSelected(sel)
	g := st.Prefs.Gates
	s.area.SetText(strconv.Itoa(g.MinUsableIrisArea))
	s.radius.SetText(strconv.Itoa(g.MinIrisRadiusPx))
	s.near.SetText(strconv.Itoa(g.MinDistanceMM))
	s.far.SetText(strconv.Itoa(g.MaxDistanceMM))
	s.frontal.SetText(strconv.FormatFloat(g.MinFrontalScore, 'g', -1, 64))
	s.roll.SetText(strconv.FormatFloat(g.MaxRollDeg, 'g', -1, 64))
	s.language.SetSelected(languageNames()[st.Prefs.Language])
	s.retention.SetText(strconv.Itoa(st.Prefs.RetentionDays))
}

// scheduleLine says what the saved schedule does next.
func scheduleLine(r enroll.RetentionReport) string {
	if r.AfterDays == 0 {
		return lang.X("settings.retention.none", "No schedule: biometrics are kept until erased by hand.")
	}
	line := lang.X("settings.retention.due", "The next daily sweep erases {{.N}} people.", map[string]any{"N": len(r.Due)})
	if len(r.Next) > 0 {
		e := r.Next[0]
		line += " " + lang.X("settings.retention.next", "After them: {{.Name}} on {{.Date}}.",
			map[string]any{"Name": strings.TrimSpace(e.GivenName + " " + e.FamilyName), "Date": e.Due.Local().Format(time.DateOnly)})
	}
	if !r.LastSweep.IsZero() {
		line += " " + lang.X("settings.retention.last", "Last sweep {{.When}}: {{.N}} erased.",
			map[string]any{"When": r.LastSweep.Local().Format("2006-01-02 15:04"), "N": r.LastErased})
	}
	return line
}

// journalText says where the journal is: a file of this station's, or the site's database
// shared with the other stations (its URL shown without the password).
func journalText(location string) string {
	if store.IsPostgres(location) {
		return lang.X("settings.journal.shared", "Shared with the site's other stations, in the PostgreSQL database {{.URL}}",
			map[string]any{"URL": store.Redact(location)})
	}
	return lang.X("settings.journal.file", "This station's file {{.Path}}", map[string]any{"Path": location})
}
