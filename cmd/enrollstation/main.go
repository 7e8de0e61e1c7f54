// Command enrollstation is the Enroll Station desktop application: the operator types or
// picks a person, captures face and iris on an EF-45 with live guidance, reviews and
// accepts, and follows the pushes to every target; the journal keeps it all.
//
//	enrollstation --ef45 192.0.2.10:9980 [--db FILE]
//	enrollstation --demo    # every device simulated in-process, a demo journal, for training
//
// For automated checks, --auto-capture starts a capture once connected, and --screenshot
// FILE writes the window as PNG once preview frames are on screen, then quits.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"enrollstation/assets"
	"enrollstation/ui/enrollment"
)

// Initial window size; the preview takes what the controls leave.
const windowWidth, windowHeight = 1024, 768

// config is what the command line says.
type config struct {
	demo        bool
	ef45        string
	journal     string
	seed        int64
	autoCapture bool
	screenshot  string
	tourDir     string
	shotFrames  int
	deadline    time.Duration
}

// parseFlags reads the command line; when it is wrong it explains why on stderr and
// returns false.
func parseFlags(args []string, stderr io.Writer) (config, bool) {
	var c config
	fs := flag.NewFlagSet("enrollstation", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&c.demo, "demo", false, "run against a simulated EF-45 started in-process on loopback")
	fs.StringVar(&c.ef45, "ef45", "", "address of the EF-45 camera, HOST:PORT (its API port is 9980)")
	fs.StringVar(&c.journal, "db", "", "the journal `FILE` (default: journal.db in the user data folder)")
	fs.Int64Var(&c.seed, "seed", 1, "with --demo: the simulator's seed (same seed, same session)")
	fs.BoolVar(&c.autoCapture, "auto-capture", false, "start a capture as soon as the camera is connected")
	fs.StringVar(&c.screenshot, "screenshot", "", "write the window as PNG to `FILE` and quit: after preview frames are shown with --auto-capture, else once connected")
	fs.StringVar(&c.tourDir, "screenshots", "", "with --demo: enroll a person, open the History and the Firmware wizard, write a PNG of each to `DIR`, and quit")
	fs.IntVar(&c.shotFrames, "screenshot-frames", 10, "with --auto-capture: preview frames to show before the screenshot (fewer if the capture ends first)")
	fs.DurationVar(&c.deadline, "screenshot-timeout", 60*time.Second, "with --screenshot: give up and exit 1 after this long")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: enrollstation [--ef45 HOST:PORT | --demo] [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, false
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "enrollstation: unexpected argument %q\n", fs.Arg(0))
	case c.demo && c.ef45 != "":
		fmt.Fprintln(stderr, "enrollstation: give either --demo or --ef45, not both")
	case c.tourDir != "" && (!c.demo || c.screenshot != "" || c.autoCapture):
		fmt.Fprintln(stderr, "enrollstation: --screenshots goes with --demo alone")
	case c.shotFrames < 1 || c.deadline <= 0:
		fmt.Fprintln(stderr, "enrollstation: --screenshot-frames and --screenshot-timeout must be positive")
	default:
		return c, true
	}
	fs.Usage()
	return c, false
}

func main() { os.Exit(run(os.Args[1:], os.Stderr)) }

func run(args []string, stderr io.Writer) int {
	started := time.Now()
	cfg, ok := parseFlags(args, stderr)
	if !ok {
		return 2
	}
	if err := checkDisplay(os.Getenv); err != nil {
		fmt.Fprintf(stderr, "enrollstation: %v\n", err)
		return 1
	}
	logger, closeLog, err := openLog()
	if err != nil {
		// The app still works without its log file; say where it could not be written.
		fmt.Fprintf(stderr, "enrollstation: %v; logging to stderr\n", err)
		logger, closeLog = slog.New(slog.NewTextHandler(stderr, nil)), func() {}
	}
	defer closeLog()
	logger.Info("starting", "version", metadata().Version, "demo", cfg.demo)

	if err := assets.LoadTranslations(); err != nil {
		logger.Warn("translations", "err", err)
	}
	eng, err := openEngine(context.Background(), cfg, logger)
	if err != nil {
		logger.Error("open", "err", err)
		fmt.Fprintf(stderr, "enrollstation: %v\n", err)
		return 1
	}
	defer eng.stop()
	app.SetMetadata(metadata())
	a := app.NewWithID(appID)
	a.SetIcon(assets.Icon())

	w := a.NewWindow(lang.X("shell.title", "Enroll Station"))
	w.SetIcon(assets.Icon())
	w.Resize(fyne.NewSize(windowWidth, windowHeight))
	w.SetMaster()

	var exit atomic.Int32
	var shown atomic.Pointer[views] // nil while the first-run page shows
	quit := func(code int) {
		exit.Store(int32(code))
		// The model stops a running capture (camera stopped, lock released) before the app
		// ends; it may need the UI goroutine meanwhile, so it is closed from here.
		go func() {
			if v := shown.Load(); v != nil {
				v.close()
			}
			fyne.Do(a.Quit)
		}()
	}
	w.SetCloseIntercept(func() {
		if v := shown.Load(); v != nil {
			v.guard(func() { quit(0) })()
			return
		}
		quit(0)
	})
	// begin builds the models on the camera at addr and shows the screens; off the UI
	// goroutine (it reads the journal).
	begin := func(addr string) (*views, error) {
		eng.camera = addr
		v, err := newViews(context.Background(), eng, logger)
		if err != nil {
			return nil, err
		}
		fyne.DoAndWait(func() { v.show(w, logger) })
		shown.Store(v)
		v.flow.Capture.Connect()
		return v, nil
	}
	if eng.camera == "" {
		w.SetContent(firstRunPage(w, eng, logger, func(addr string) {
			go func() {
				if _, err := begin(addr); err != nil {
					logger.Error("start", "err", err)
					fyne.Do(func() { dialog.ShowError(err, w) })
				}
			}()
		}))
	}

	reportFrame := os.Getenv(firstFrameEnv) == "1"
	a.Lifecycle().SetOnStarted(func() {
		if reportFrame {
			go reportFirstFrame(w, started, os.Stdout, logger, quit)
		}
		if eng.camera == "" {
			return // the first-run page asks for it
		}
		go func() {
			v, err := begin(eng.camera)
			if err != nil {
				logger.Error("start", "err", err)
				fmt.Fprintf(os.Stderr, "enrollstation: %v\n", err)
				quit(2)
				return
			}
			switch {
			case cfg.tourDir != "":
				ctx, cancel := context.WithTimeout(context.Background(), 2*cfg.deadline)
				defer cancel()
				if err := tour(ctx, v, w, cfg.tourDir, logger); err != nil {
					logger.Error("screenshots", "err", err)
					fmt.Fprintf(os.Stderr, "enrollstation: %v\n", err)
					quit(1)
					return
				}
				quit(0)
			case cfg.autoCapture || cfg.screenshot != "":
				drive(v.flow, w, cfg, logger, quit)
			}
		}()
	})
	w.ShowAndRun()
	logger.Info("stopped", "exit", exit.Load())
	return int(exit.Load())
}

// drive runs the unattended part: capture when connected, screenshot, quit.
func drive(f *enrollment.Flow, w fyne.Window, cfg config, log *slog.Logger, quit func(int)) {
	m := f.Capture
	ctx, cancel := context.WithTimeout(context.Background(), cfg.deadline)
	defer cancel()
	st, err := awaitState(ctx, m, func(s enrollment.CaptureState) bool {
		return s.Phase == enrollment.PhaseReady || s.Phase == enrollment.PhaseFailed
	})
	if err == nil && st.Phase == enrollment.PhaseFailed {
		err = fmt.Errorf("connect: %s", st.Problem.Message)
	}
	if err == nil && cfg.autoCapture {
		form := f.Form()
		form.GivenName, form.FamilyName, form.Consent = "Demo", "Person", true
		f.SetForm(form)
		f.Start()
		if cfg.screenshot != "" {
			// Enough frames for a live picture; on a slow machine the capture may end first,
			// which is fine as long as some frames were shown.
			st, werr := awaitState(ctx, m, func(s enrollment.CaptureState) bool {
				return s.Frames >= cfg.shotFrames || s.Phase == enrollment.PhaseFailed || s.Phase == enrollment.PhaseDone
			})
			switch {
			case werr != nil:
				err = werr
			case st.Phase == enrollment.PhaseFailed:
				err = fmt.Errorf("capture: %s", st.Problem.Message)
			case st.Frames == 0:
				err = errors.New("the capture ended before any preview frame was shown")
			}
		}
	}
	if err == nil && cfg.screenshot != "" {
		var blank bool
		if blank, err = screenshot(w, cfg.screenshot); blank {
			log.Warn("the screenshot is one single colour: this GL driver does not read the window back (with Mesa, try GALLIUM_DRIVER=softpipe)")
		}
	}
	if cfg.screenshot == "" && err == nil {
		return // --auto-capture alone: the operator carries on
	}
	if err != nil {
		log.Error("unattended run failed", "err", err)
		fmt.Fprintf(os.Stderr, "enrollstation: %v\n", err)
		quit(1)
		return
	}
	log.Info("screenshot written", "file", cfg.screenshot)
	quit(0)
}

// awaitState waits until cond holds for the model's state.
func awaitState(ctx context.Context, m *enrollment.CaptureModel, cond func(enrollment.CaptureState) bool) (enrollment.CaptureState, error) {
	changed := make(chan struct{}, 1)
	unsub := m.Subscribe(func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer unsub()
	for {
		if st := m.State(); cond(st) {
			return st, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			st := m.State()
			return st, fmt.Errorf("gave up waiting (%s, %d preview frames): %w", st.Phase, st.Frames, ctx.Err())
		}
	}
}
