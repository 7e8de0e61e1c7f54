package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"

	"enrollstation/enroll/capture"
	"enrollstation/ui/enrollment"
)

// tour is --screenshots DIR: in demo mode, one enrollment from the form to every push
// done, then the History detail of that person, the Devices screen and the Firmware
// wizard, with a PNG of each step in dir, the pictures of the README. It quits when done.
func tour(ctx context.Context, v *views, w fyne.Window, dir string, log *slog.Logger) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("screenshots: %w", err)
	}
	shot := func(name string) error {
		path := filepath.Join(dir, name+".png")
		blank, err := screenshot(w, path)
		if err == nil && blank {
			err = fmt.Errorf("screenshot %s is one single colour: this GL driver does not read the window back (with Mesa, try GALLIUM_DRIVER=softpipe)", name)
		}
		if err == nil {
			log.Info("screenshot written", "file", path)
		}
		return err
	}
	f, m := v.flow, v.flow.Capture
	if _, err := awaitState(ctx, m, func(s enrollment.CaptureState) bool { return s.Phase == enrollment.PhaseReady }); err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	form := f.Form()
	form.GivenName, form.FamilyName, form.CardNumber, form.Department, form.Consent = "Ada", "Lovelace", "4100777", "Engineering", true
	f.SetForm(form)
	f.Start()
	if _, err := awaitState(ctx, m, func(s enrollment.CaptureState) bool { return s.Frames >= 20 || s.Phase != enrollment.PhaseCapturing }); err != nil {
		return err
	}
	if err := shot("enroll-preview"); err != nil {
		return err
	}
	st, err := awaitState(ctx, m, func(s enrollment.CaptureState) bool {
		return s.Phase == enrollment.PhaseDone || s.Phase == enrollment.PhaseFailed
	})
	if err != nil || st.Phase != enrollment.PhaseDone {
		return fmt.Errorf("capture: %v %+v", err, st.Problem)
	}
	if err := shot("enroll-review"); err != nil {
		return err
	}
	f.Accept(capture.Decisions{AcceptFailedGates: true, Duplicate: capture.NewPerson})
	if err := until(ctx, "every push done", f.Pushes.Done); err != nil {
		return err
	}
	time.Sleep(300 * time.Millisecond) // the list's last refresh
	if err := shot("enroll-pushes"); err != nil {
		return err
	}

	fyne.DoAndWait(func() { v.shell.Select(tabHistory) }) // shown, it reads the people again
	if err := until(ctx, "the new person listed", func() bool {
		for _, p := range v.history.State().People {
			if p.Key == form.Key {
				return true
			}
		}
		return false
	}); err != nil {
		return err
	}
	v.history.Select(form.Key)
	if err := until(ctx, "the detail", func() bool {
		d := v.history.State().Detail
		return d != nil && !d.Loading && !d.PhotoLoading
	}); err != nil {
		return err
	}
	time.Sleep(300 * time.Millisecond)
	if err := shot("history-detail"); err != nil {
		return err
	}

	fyne.DoAndWait(func() { v.shell.Select(tabDevices) })
	if err := until(ctx, "the targets' health", func() bool {
		st := v.devices.State()
		return !st.Refreshing && !st.RefreshedAt.IsZero() && len(st.Rows) > 0
	}); err != nil {
		return err
	}
	time.Sleep(300 * time.Millisecond)
	if err := shot("devices"); err != nil {
		return err
	}

	fyne.DoAndWait(func() { v.shell.Select(tabFirmware) })
	if err := until(ctx, "the units", func() bool { s := v.firmware.State(); return !s.Loading && len(s.Units) > 0 }); err != nil {
		return err
	}
	time.Sleep(300 * time.Millisecond)
	return shot("firmware-wizard")
}

// until polls cond until it holds or ctx ends.
func until(ctx context.Context, what string, cond func() bool) error {
	for !cond() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("gave up waiting for %s: %w", what, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil
}
