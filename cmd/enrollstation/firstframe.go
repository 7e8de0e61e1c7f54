package main

import (
	"fmt"
	"image"
	"io"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
)

// firstFrameEnv, set to 1, makes the app report when its first frame with content is on
// screen, and quit: the start-up benchmark reads it. It is read in main only, and is no
// flag because it is no operator's business.
const firstFrameEnv = "ENROLLSTATION_REPORT_FIRST_FRAME"

// firstFramePoll is how often the window is read back while waiting: often enough for a
// figure in milliseconds, seldom enough that the reading barely slows the start (each
// one holds the UI goroutine while the GL driver copies the window).
const firstFramePoll = 10 * time.Millisecond

// reportFirstFrame waits until the window's front buffer (what the GL driver last put on
// screen, which Capture reads back without drawing anything itself) holds more than one
// colour: before the first frame it is empty, and the first frames, drawn before the
// screens are built, are the bare background. Then it writes one line to out, "first
// frame N ms", N counted from started, and quits. The figure is late by one poll at
// most. Fyne has no hook for a frame shown, hence the polling.
func reportFirstFrame(w fyne.Window, started time.Time, out io.Writer, log *slog.Logger, quit func(int)) {
	giveUp := time.After(time.Minute)
	for {
		var img image.Image
		fyne.DoAndWait(func() { img = w.Canvas().Capture() })
		if img != nil && !img.Bounds().Empty() && !uniform(img, 4) {
			ms := time.Since(started).Milliseconds()
			fmt.Fprintf(out, "first frame %d ms after main started\n", ms)
			log.Info("first frame", "ms", ms)
			quit(0)
			return
		}
		select {
		case <-time.After(firstFramePoll):
		case <-giveUp:
			log.Error("no frame with content within a minute (with Mesa under Xvfb, GALLIUM_DRIVER=softpipe reads the window back)")
			fmt.Fprintln(out, "enrollstation: no frame with content within a minute")
			quit(1)
			return
		}
	}
}

// uniform reports whether every step-th pixel of every step-th row has the colour of the
// first: a quick look for a window with anything drawn on it, as the shell's tabs, fields
// and buttons are many pixels wide.
func uniform(img image.Image, step int) bool {
	b := img.Bounds()
	r0, g0, b0, a0 := img.At(b.Min.X, b.Min.Y).RGBA()
	for y := b.Min.Y; y < b.Max.Y; y += step {
		for x := b.Min.X; x < b.Max.X; x += step {
			if r, g, bb, a := img.At(x, y).RGBA(); r != r0 || g != g0 || bb != b0 || a != a0 {
				return false
			}
		}
	}
	return true
}
