package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"enrollstation/enroll"
	"enrollstation/enroll/capture"
	"enrollstation/enroll/demo"
	"enrollstation/ui"
	"enrollstation/ui/enrollment"
	"enrollstation/ui/uitest"
)

// asIs are the words a Japanese screen keeps in Latin letters: products and brands, file
// formats and protocols, units, and the values a device or the operator typed, shown as
// they are (camera modes, the demo's departments).
var asIs = map[string]bool{
	"ACTAtek": true, "CLUe": true, "CMITech": true, "Suprema": true, "CSV": true, "URL": true,
	"API": true, "PIN": true, "JSON": true, "JSONPath": true, "HTTP": true, "HTTPS": true, "TLS": true,
	"UUID": true, "SQLite": true, "KiB": true, "MiB": true, "GiB": true, "JPEG": true, "PNG": true, "USB": true, "UTC": true,
	"English": true,                                              // the language picker names each language in its own
	"YYYY":    true,                                              // a date's pattern
	"Slave":   true, "Master": true, "Auto": true, "Recog": true, // the EF-45's camera modes
	"bool": true, "int": true, "float": true, "string": true, // and its config value types
	"Webhook": true, "Content": true, "Type": true, "Accept": true, // CLUe's webhook and its headers
	"application": true, "json": true, "true": true, "false": true, // and JSON
	"https": true, "http": true,
}

var (
	// latinWord is what a Japanese text must not hold but for asIs and the data.
	latinWord = regexp.MustCompile(`[A-Za-z]{3,}`)
	// verbatim are parts of a text shown as they are: addresses, paths, keys and
	// identifiers (letters with digits), versions.
	// identifiers (letters with digits, enum values in capitals, placeholders, JSONPaths),
	// versions, file names, and what a Japanese text labels as the detail, in the words of
	// whoever gave it.
	verbatim = regexp.MustCompile(`https?://\S+|\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b|(^|\s)/\S+|\S*\d\S*|` +
		`\b[A-Z][A-Z_]{2,}\b|\{\{[^}]*\}\}|\$\.\S*|\S+\.(img|bin|csv|json|png|jpg)\b|詳細: [^）]*`)
)

// deviceTextBelow ends the Japanese label of a device's own text shown below it as it
// came (a device's log).
const deviceTextBelow = "（機器からの原文）:"

// untranslated returns the texts of a Japanese screen that hold an English word, those
// of data aside.
func untranslated(texts []string, data map[string]bool) []string {
	var bad []string
	for i, s := range texts {
		if i > 0 && strings.HasSuffix(texts[i-1], deviceTextBelow) {
			continue
		}
		rest := verbatim.ReplaceAllString(s, " ")
		for _, w := range latinWord.FindAllString(rest, -1) {
			if !asIs[w] && !data[w] {
				bad = append(bad, s)
				break
			}
		}
	}
	return bad
}

func TestUntranslatedFindsEnglish(t *testing.T) {
	data := map[string]bool{"Hopper": true}
	got := untranslated([]string{"登録", "EF-45 の ACTAtek", "Save", "Grace Hopper", "Hopper さん", "http://127.0.0.1:8080/x",
		"demo-0001", "v1.2.3", "/tmp/a.csv", "失敗（詳細: no such host）", "Not reachable: no such host",
		"ログ（機器からの原文）:", "ADD USER demo-0001 by admin", "ADD USER by admin"}, data)
	want := []string{"Save", "Grace Hopper", "Not reachable: no such host", "ADD USER by admin"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("untranslated = %q, want %q", got, want)
	}
}

// japaneseTour is the app shell on the demo, switched to Japanese, and what it found.
type japaneseTour struct {
	t    *testing.T
	loop *uitest.Loop
	w    fyne.Window
	v    *views
	data map[string]bool
	bad  map[string][]string // screen → its English texts
}

// look reads what screen shows now.
func (j *japaneseTour) look(screen string) {
	j.t.Helper()
	j.settle()
	texts := uitest.VisibleTexts(j.w.Canvas())
	if len(texts) < 3 {
		j.t.Errorf("%s: only %q on the screen", screen, texts)
	}
	if bad := untranslated(texts, j.data); len(bad) > 0 {
		j.bad[screen] = append(j.bad[screen], bad...)
	}
}

// settle runs the screens' coalesced refreshes.
func (j *japaneseTour) settle() { j.loop.Until(150*time.Millisecond, func() bool { return false }) }

// wait pumps the UI work until cond, failing the test after a minute.
func (j *japaneseTour) wait(what string, cond func() bool) {
	j.t.Helper()
	j.loop.PumpUntil(j.t, what, cond)
}

// Every screen of the app, switched to Japanese in Settings, speaks Japanese: a text in
// English on any of them (the form, the capture, the review, the pushes, History and a
// person, Devices with each target, its form and its actions, the firmware wizard, the
// vendor console, Settings, the first-run page) is listed with its screen.
func TestEveryScreenSpeaksJapanese(t *testing.T) {
	needJapaneseFont(t)
	for _, k := range []string{"LC_ALL", "LANGUAGE", "LC_MESSAGES", "LANG"} {
		t.Setenv(k, "")
	}
	t.Setenv("LANG", "en_US.UTF-8")
	loop := uitest.NewLoopApp(t)
	t.Cleanup(func() { _ = ui.ApplyLanguage("en") })
	log := slog.New(slog.DiscardHandler)
	ctx := t.Context()
	d, err := demo.Start(ctx, demo.Options{Seed: 1, Log: log, DoorEvery: time.Hour, CaptureDuration: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e := startEngine(t, d, loop)
	v, err := newViews(ctx, e, log)
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1400, 900))
	v.show(w, log)
	t.Cleanup(func() { closeViews(v, loop) })
	v.flow.Capture.Connect()
	j := &japaneseTour{t: t, loop: loop, w: w, v: v, data: demoWords(t, d), bad: map[string][]string{}}

	// Settings → Language → 日本語 → Save, as the operator does.
	j.wait("the settings", func() bool { return v.settings.State().Loaded })
	v.settings.Edit(func(p *enroll.Preferences) { p.Language = "ja" })
	v.settings.Save()
	j.wait("the window rebuilt in Japanese", func() bool { return w.Title() == "Enroll Station（登録ステーション）" })

	j.tourEnroll()
	j.tourWaiting()
	j.tourHistory()
	j.tourDevices()
	j.tourFirmware()
	v.shell.Select(tabConsole)
	j.look("CLUe console")
	v.shell.Select(tabSettings)
	j.look("Settings")

	first := test.NewWindow(nil)
	first.Resize(fyne.NewSize(1400, 900))
	first.SetContent(firstRunPage(first, e, log, func(string) {}))
	j.w = first
	j.look("first run")
	first.Close()

	screens := make([]string, 0, len(j.bad))
	for s := range j.bad {
		screens = append(screens, s)
	}
	sort.Strings(screens)
	for _, s := range screens {
		t.Errorf("%s: untranslated %q", s, j.bad[s])
	}
}

// needJapaneseFont fails the test at once where fontconfig knows no font with Japanese
// glyphs: Fyne would add a fallback font at each glyph it finds in none and search them all
// at the next, so the tour would take many minutes, and find nothing more.
func needJapaneseFont(t *testing.T) {
	t.Helper()
	out, err := exec.Command("fc-list", ":lang=ja", "family").Output()
	if err != nil {
		t.Logf("fc-list: %v; the fonts are not checked", err)
		return
	}
	if strings.TrimSpace(string(out)) == "" {
		t.Fatal("no font with Japanese glyphs is installed: scripts/setup.sh installs fonts-ipafont-gothic")
	}
}

func (j *japaneseTour) tourEnroll() {
	v, f := j.v, j.v.flow
	v.shell.Select(tabEnroll)
	j.wait("the camera", func() bool { return f.Capture.State().Phase == enrollment.PhaseReady })
	j.look("Enroll: the form")
	f.Start() // an empty form: its problems
	j.look("Enroll: the form's problems")
	form := f.Form()
	form.GivenName, form.FamilyName, form.CardNumber, form.Department, form.Consent = "Ada", "Lovelace", "4100777", "Engineering", true
	f.SetForm(form)
	f.Start()
	j.wait("the preview", func() bool {
		s := f.Capture.State()
		return s.Frames >= 5 || s.Phase != enrollment.PhaseCapturing
	})
	j.look("Enroll: capturing")
	j.wait("the review", func() bool {
		p := f.Capture.State().Phase
		return p == enrollment.PhaseDone || p == enrollment.PhaseFailed
	})
	j.look("Enroll: the review")
	f.Accept(capture.Decisions{AcceptFailedGates: true, Duplicate: capture.NewPerson})
	j.wait("every push done", f.Pushes.Done)
	j.look("Enroll: the pushes")
	j.data["Ada"], j.data["Lovelace"] = true, true
}

func (j *japaneseTour) tourWaiting() {
	v, m := j.v, j.v.waiting
	v.shell.Select(tabWaiting)
	j.wait("the waiting list", func() bool { return !m.State().Busy })
	j.look("People to enroll")
	list := filepath.Join(j.t.TempDir(), "people.csv")
	if err := os.WriteFile(list, []byte("key,given_name,family_name,card_number\nja-1,Yuki,Sato,4100900\nja-2,Kenji,Mori,\nja-3,,,\n"), 0o600); err != nil {
		j.t.Fatal(err)
	}
	fileWords := latinWord.FindAllString("key given_name family_name card_number", -1)
	for _, w := range append(fileWords, "Yuki", "Sato", "Kenji", "Mori") {
		j.data[w] = true // the file's own columns and people
	}
	m.Open(list)
	j.wait("the preview", func() bool { s := m.State(); return !s.Busy && (s.Pending != nil || s.Problem != nil) })
	j.look("People to enroll: the preview")
	m.Import(j.t.Context())
	j.wait("the import", func() bool { s := m.State(); return !s.Busy && (s.Result != nil || s.Problem != nil) })
	j.look("People to enroll: imported")
	for _, w := range fileWords {
		delete(j.data, w) // only this screen shows the file's columns
	}
}

func (j *japaneseTour) tourHistory() {
	v := j.v
	v.shell.Select(tabHistory)
	j.wait("the people", func() bool { s := v.history.State(); return !s.Searching && len(s.People) > 0 })
	j.look("History")
	v.history.Select(v.history.State().People[0].Key)
	j.wait("the detail", func() bool {
		d := v.history.State().Detail
		return d != nil && !d.Loading && !d.PhotoLoading
	})
	j.look("History: a person")
}

func (j *japaneseTour) tourDevices() {
	v, m, ctx := j.v, j.v.devices, j.t.Context()
	v.shell.Select(tabDevices)
	j.wait("the targets' health", func() bool {
		s := m.State()
		return !s.Refreshing && !s.RefreshedAt.IsZero() && len(s.Rows) > 0
	})
	j.look("Devices")
	for _, kind := range []enroll.TargetKind{enroll.TargetEF45, enroll.TargetACTAtek, enroll.TargetCLUe} {
		m.NewForm(kind)
		j.look(fmt.Sprintf("Devices: a new %s", kind))
		m.CloseForm()
	}
	for _, r := range m.State().Rows {
		id, name := r.Target.ID, r.Target.Name
		m.Select(id)
		j.look("Devices: " + name)
		m.EditForm(id)
		j.look("Devices: " + name + ": edit")
		m.CloseForm()
		j.settle()
		test.Tap(uitest.FindButton(j.t, j.w.Canvas(), lang.X("devices.action.remove", "Remove")))
		j.look("Devices: " + name + ": remove?")
		j.settle()
		test.Tap(uitest.FindButton(j.t, j.w.Canvas(), lang.X("devices.remove.no", "Keep it")))
		for what, act := range map[string]func() bool{
			"door":      func() bool { return m.TestDoor(ctx, id) },
			"card":      func() bool { return m.ReadCard(ctx, id) },
			"time":      func() bool { return m.SetTime(ctx, id) },
			"log":       func() bool { return m.ReadLog(ctx, id) },
			"mode":      func() bool { return m.ReadCameraMode(ctx, id) },
			"reconcile": func() bool { return m.Reconcile(ctx, id, false) },
			"config":    func() bool { return m.ReadConfig(ctx, id, "no_such_key", "string") },
		} {
			if !act() {
				continue // not one this kind has
			}
			j.look("Devices: " + name + ": " + what + " running")
			if !j.loop.Until(15*time.Second, func() bool { return !m.State().Action.Running }) {
				m.Cancel()
				j.wait(what+" canceled", func() bool { return !m.State().Action.Running })
			}
			j.look("Devices: " + name + ": " + what)
		}
	}
}

func (j *japaneseTour) tourFirmware() {
	v, m := j.v, j.v.firmware
	v.shell.Select(tabFirmware)
	j.wait("the units", func() bool { s := m.State(); return !s.Loading && len(s.Units) > 0 })
	j.look("Firmware: the units")
	m.Select(m.State().Units[0].Addr, true)
	j.look("Firmware: a unit chosen")
	if err := m.Next(j.t.Context()); err != nil {
		j.t.Fatal(err)
	}
	j.look("Firmware: the file")
	bad := filepath.Join(j.t.TempDir(), "firmware.img")
	if err := os.WriteFile(bad, []byte("not firmware"), 0o600); err != nil {
		j.t.Fatal(err)
	}
	m.ChooseFile(j.t.Context(), bad)
	j.wait("the file read", func() bool { return !m.State().FileReading })
	j.look("Firmware: a file that is no firmware")
	// An image as the EF-45 takes it: its header names the version (ef45-wire.md).
	head := make([]byte, 64, 64+4096)
	copy(head, "EF45FW1 version=9.9.99\n")
	good := filepath.Join(j.t.TempDir(), "ef45-9.9.99.img")
	if err := os.WriteFile(good, append(head, make([]byte, 4096)...), 0o600); err != nil {
		j.t.Fatal(err)
	}
	m.ChooseFile(j.t.Context(), good)
	j.wait("the image read", func() bool { return !m.State().FileReading })
	j.look("Firmware: an image")
	m.SetForce(true)
	j.look("Firmware: forced")
	if err := m.Next(j.t.Context()); err != nil {
		j.t.Fatalf("to the power warning: %v", err)
	}
	j.look("Firmware: the power warning")
	m.SetConfirmed(true)
	j.look("Firmware: the power warning confirmed")
}

// startEngine is openEngine's demo mode on d: the station with its outbox worker running.
func startEngine(t *testing.T, d *demo.Demo, loop *uitest.Loop) *engine {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = d.Station.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		stopped := make(chan struct{})
		go func() { defer close(stopped); _ = d.Close() }()
		loop.DrainUntilClosed(stopped)
	})
	return &engine{station: d.Station, camera: d.Camera, stop: cancel}
}

// closeViews is views.close with the UI goroutine pumped while the models stop.
func closeViews(v *views, loop *uitest.Loop) {
	v.closeScreens()
	v.closeScreens = nil
	done := make(chan struct{})
	go func() { defer close(done); v.close() }()
	loop.DrainUntilClosed(done)
}

// demoWords are the words of the demo's data: its people and its targets' names.
func demoWords(t *testing.T, d *demo.Demo) map[string]bool {
	t.Helper()
	words := map[string]bool{}
	add := func(s string) {
		for _, w := range latinWord.FindAllString(s, -1) {
			words[w] = true
		}
	}
	ts, err := d.Station.Targets(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ts {
		add(x.Name)
		add(x.Account)
	}
	for _, s := range []string{"Front desk", "Engineering", "Finance", "Facilities", "Security", "Aiko Tanaka", "Łukasz Nowak", "María García", "Kwame Mensah", "Priya Raman", "Jonas Berg", "Chen Wei", "Sofia Rossi", "front-desk", "demo"} {
		add(s) // the demo's departments, people and operators, and this station's
	}
	return words
}
