package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"enrollstation/enroll"
	"enrollstation/enroll/capture"
	"enrollstation/enroll/demo"
	"enrollstation/enroll/firmware"
	"enrollstation/ui"
	"enrollstation/ui/console"
	"enrollstation/ui/devices"
	"enrollstation/ui/enrollment"
	"enrollstation/ui/firstrun"
	"enrollstation/ui/fonts"
	"enrollstation/ui/fwwizard"
	"enrollstation/ui/history"
	"enrollstation/ui/importlist"
	"enrollstation/ui/settings"
)

// operator names this workstation's operator in the journal.
const operator = "front-desk"

// engine is what the window runs on: the station (journal, targets, outbox worker), the
// camera's address, and what closing the window must stop.
type engine struct {
	station *enroll.Station
	camera  string
	stop    func()
}

// openEngine opens demo mode, or the journal with the camera at cfg.ef45, and starts the
// outbox worker.
func openEngine(ctx context.Context, cfg config, log *slog.Logger) (*engine, error) {
	var e engine
	closeAll := func() {}
	if cfg.demo {
		d, err := demo.Start(ctx, demo.Options{Seed: cfg.seed, Log: log})
		if err != nil {
			return nil, fmt.Errorf("start demo mode: %w", err)
		}
		e.station, e.camera = d.Station, d.Camera
		closeAll = func() {
			if err := d.Close(); err != nil {
				log.Warn("close demo mode", "err", err)
			}
		}
	} else {
		st, err := enroll.OpenStation(ctx, enroll.Config{JournalPath: cfg.journal, Log: log})
		if err != nil {
			return nil, err
		}
		e.station = st
		if e.camera, err = st.UseCamera(ctx, cfg.ef45, operator); err != nil {
			st.Close()
			return nil, err
		}
		closeAll = func() {
			if err := st.Close(); err != nil {
				log.Warn("close the journal", "err", err)
			}
		}
	}
	wctx, stopWorker := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := e.station.Run(wctx); err != nil && !errors.Is(err, context.Canceled) {
			log.Error("outbox worker", "err", err)
		}
	}()
	e.stop = func() {
		stopWorker()
		<-done
		closeAll()
	}
	return &e, nil
}

// The shell's tabs, in order.
const (
	tabEnroll = iota
	tabWaiting
	tabHistory
	tabDevices
	tabFirmware
	tabConsole
	tabSettings
)

// views are the models behind the window, closed before the engine.
type views struct {
	flow     *enrollment.Flow
	desk     *enrollment.Desk
	camera   *enrollment.EF45Camera
	status   *ui.OutboxStatus
	settings *settings.Model
	history  *history.Model
	waiting  *importlist.Model
	devices  *devices.Model
	firmware *fwwizard.Model
	console  *console.Model
	language string       // the language chosen when the screens were built
	fonts    *fonts.Check // the system's, which draw the languages Fyne's font lacks
	shell    *ui.Shell
	// guard wraps the window's close: a firmware upload running asks first.
	guard func(closeWindow func()) func()

	closeScreens func() // of the screens shown last
}

func (v *views) close() {
	if v.closeScreens != nil {
		fyne.DoAndWait(v.closeScreens)
	}
	v.desk.Close()
	v.flow.Close()
	v.flow.Capture.Close()
	v.status.Close()
	v.history.Close()
}

// newViews builds the models on the engine, with the station's preferences applied.
func newViews(ctx context.Context, e *engine, log *slog.Logger) (*views, error) {
	st := e.station
	cam, err := capture.OpenCamera(e.camera, st.Store())
	if err != nil {
		return nil, err
	}
	camera := enrollment.NewEF45Camera(cam, st.Store())
	camera.CheckElsewhere(st) // the people other desks of the journal enrolled
	v := &views{camera: camera, status: ui.NewOutboxStatus(st), fonts: fonts.System()}
	prefs, err := st.Preferences(ctx)
	if err != nil {
		log.Warn("preferences: the defaults apply", "err", err)
	}
	v.camera.SetGates(prefs.Gates)
	v.applyLanguage(prefs.Language, log)
	m := enrollment.NewCaptureModel(v.camera, enrollment.CaptureModelOptions{
		Logger: log, Journal: capture.WithQueue(st.Store(), st), Operator: operator})
	v.flow = enrollment.NewFlow(m, enrollment.NewPushList(st, operator, log), st, operator)
	v.flow.Duplicates.SetJournal(st.Store())
	v.desk = enrollment.NewDesk(st, v.flow, 0)
	v.settings = settings.NewModel(st, operator, st.Store().Path(), nil, log)
	v.settings.UseFonts(v.fonts)
	v.history = history.NewModel(history.FromStation(st), operator)
	v.waiting = importlist.NewModel(st)
	v.firmware = fwwizard.New(fwwizard.Config{Station: st, Updater: firmware.NewUpdater(firmware.Options{Journal: st.Store(), Logger: log}),
		Camera: e.camera, Operator: operator})
	v.console = console.New(enroll.VendorConsole{}, console.Options{})
	v.devices = devices.NewModel(st, operator)
	return v, nil
}

// applyLanguage makes the screens built next speak code, or English when no font of this
// computer has its letters.
func (v *views) applyLanguage(code string, log *slog.Logger) {
	applied, err := ui.ApplyReadableLanguage(code, v.fonts)
	if err != nil {
		log.Warn("language", "err", err)
	}
	if applied != code {
		log.Warn("no font of this computer has the chosen language's letters: the screens speak English", "language", code)
	}
	v.language = code
}

// show lays the screens out in w, and again in the new language when the settings
// change it; on the UI goroutine.
func (v *views) show(w fyne.Window, log *slog.Logger) {
	v.settings.OnSaved(func(p enroll.Preferences) {
		v.camera.SetGates(p.Gates)
		// The screens read the translations on the UI goroutine: load others only there.
		fyne.Do(func() {
			if p.Language == v.language {
				return
			}
			v.applyLanguage(p.Language, log)
			v.show(w, log)
		})
	})
	if v.closeScreens != nil {
		v.closeScreens()
	}
	ctx, stopScreens := context.WithCancel(context.Background())
	enrollScreen := enrollment.NewEnrollScreen(v.flow, v.desk)
	devicesScreen := devices.NewScreen(ctx, v.devices, w)
	historyScreen := history.NewScreen(v.history, w)
	waitingScreen := importlist.NewScreen(v.waiting, w)
	waitingScreen.OnNext = func(p enroll.Person) { // the form, filled, for the operator to confirm
		v.flow.UseWaiting(p)
		v.shell.Select(tabEnroll)
	}
	firmwareScreen := fwwizard.NewScreen(ctx, v.firmware, w)
	consoleScreen := console.NewScreen(ctx, v.console, w)
	consoleScreen.AddShortcuts(w.Canvas())
	settingsScreen := settings.NewScreen(v.settings)
	v.closeScreens = func() {
		stopScreens() // the devices' health checks, and the screens following their models
		enrollScreen.Close()
		historyScreen.Close()
		waitingScreen.Close()
		consoleScreen.Close()
		settingsScreen.Close()
	}
	shell := ui.NewShell(w, v.status, []ui.Screen{
		{Title: lang.X("shell.tab.enroll", "Enroll"), Icon: theme.AccountIcon(), Content: enrollScreen.Content(), TypedKey: enrollScreen.TypedKey, OnShow: enrollScreen.Shown},
		{Title: lang.X("shell.tab.waiting", "People to enroll"), Icon: theme.ListIcon(), Content: waitingScreen.Content(), OnShow: waitingScreen.Shown},
		{Title: lang.X("shell.tab.history", "History"), Icon: theme.HistoryIcon(), Content: historyScreen.Content(), OnShow: v.history.Refresh},
		{Title: lang.X("shell.tab.devices", "Devices"), Icon: theme.ComputerIcon(), Content: devicesScreen.Content(), TypedKey: devicesScreen.TypedKey},
		{Title: lang.X("shell.tab.firmware", "Firmware"), Icon: theme.UploadIcon(), Content: firmwareScreen.Content()},
		{Title: lang.X("shell.tab.console", "CLUe console"), Icon: theme.MailSendIcon(), Content: consoleScreen.Content()},
		{Title: lang.X("shell.tab.settings", "Settings"), Icon: theme.SettingsIcon(), Content: settingsScreen.Content()},
	})
	w.SetTitle(lang.X("shell.title", "Enroll Station"))
	w.SetContent(shell.Content())
	v.shell = shell
	v.guard = firmwareScreen.CloseIntercept
}

// firstRunPage is the page of a station with no camera yet: the camera, checked and kept,
// and the first targets on the Devices screen's own list and form. start gets the
// camera's address once the operator starts.
func firstRunPage(w fyne.Window, e *engine, log *slog.Logger, start func(addr string)) fyne.CanvasObject {
	m := firstrun.NewModel(e.station, operator)
	dm := devices.NewModel(e.station, operator)
	// The Devices list, read in the background, says how many targets there are.
	dm.Subscribe(func() {
		if st := dm.State(); !st.RefreshedAt.IsZero() {
			m.SetTargets(len(st.Rows))
		}
	})
	ctx, stop := context.WithCancel(context.Background())
	ds := devices.NewScreen(ctx, dm, w)
	page := firstrun.NewScreen(m, ds.Content(), func() {
		stop()
		addr, err := enroll.CheckCameraAddress(m.State().Address)
		if err != nil {
			log.Warn("first run", "err", err)
			return
		}
		start(addr)
	})
	return page.Content()
}
