package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"

	"enrollstation/enroll/firmware"
)

// firmwareReport is one camera's upload, as --json prints it.
type firmwareReport struct {
	Address    string `json:"address"`
	File       string `json:"file"`
	Bytes      int64  `json:"bytes"`
	Forced     bool   `json:"forced"`
	OldVersion string `json:"old_version"`
	NewVersion string `json:"new_version"`
	UploadMS   int64  `json:"upload_ms"`
	RestartMS  int64  `json:"restart_ms"`
	// Phase and State say where a failed upload stopped and what the camera is left in.
	Phase string `json:"phase,omitempty"`
	State string `json:"state,omitempty"`
	Error string `json:"error,omitempty"`
}

// firmwareJob is what an upload from the command line needs.
type firmwareJob struct {
	file        string
	force       bool
	takeOver    bool
	wait        time.Duration
	callTimeout time.Duration
	db          string // the journal to audit in; none when empty
}

// runFirmware is `enrollctl firmware --file F [--force] HOST:PORT...`.
func runFirmware(ctx context.Context, c *cli, args []string) error {
	var j firmwareJob
	fs := c.flags("firmware")
	fs.StringVar(&j.file, "file", "", "the firmware file")
	fs.BoolVar(&j.force, "force", false, "forced upgrade: needed to install the same or an older version")
	fs.BoolVar(&j.takeOver, "take-over", false, "take the cameras over from another workstation that holds their lock")
	fs.DurationVar(&j.wait, "wait", firmware.DefaultRebootTimeout, "how long to wait for each camera to come back after the upload")
	fs.DurationVar(&j.callTimeout, "call-timeout", firmware.DefaultCallTimeout, "deadline of each call to a camera")
	fs.StringVar(&j.db, "db", "", "the journal to record the uploads in (default: none)")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if j.file == "" || fs.NArg() == 0 {
		return c.usagef("usage: enrollctl firmware --file F [--force] HOST:PORT...")
	}
	outs, err := c.uploadFirmware(ctx, j, fs.Args())
	if err != nil {
		return err
	}
	reps := make([]firmwareReport, len(outs))
	failed := 0
	for i, o := range outs {
		reps[i] = firmwareOutcome(j.file, o)
		if o.Err != nil {
			failed++
		}
	}
	if err := c.emit(reps, func(w io.Writer) {
		for i, o := range outs {
			if o.Err != nil {
				fmt.Fprintf(w, "%s: FAILED: %v\n", o.Device.Addr, o.Err)
				continue
			}
			fmt.Fprintf(w, "%s: %s\n", reps[i].Address, updated(reps[i]))
		}
	}); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("the upload failed on %d of %d cameras", failed, len(outs))
	}
	return nil
}

// updated says how one upload ended well.
func updated(r firmwareReport) string {
	return fmt.Sprintf("firmware updated: %s -> %s (upload %s, restart %s)", r.OldVersion, r.NewVersion,
		time.Duration(r.UploadMS)*time.Millisecond, time.Duration(r.RestartMS)*time.Millisecond)
}

func firmwareOutcome(file string, o firmware.Outcome) firmwareReport {
	r := o.Result
	rep := firmwareReport{Address: r.Addr, File: file, Bytes: r.Bytes, Forced: r.Forced, OldVersion: r.OldVersion,
		NewVersion: r.NewVersion, UploadMS: r.Upload.Milliseconds(), RestartMS: r.Restart.Milliseconds()}
	if rep.Address == "" {
		rep.Address = o.Device.Addr
	}
	if o.Err != nil {
		rep.Error = o.Err.Error()
		var fe *firmware.Error
		if errors.As(o.Err, &fe) {
			rep.Phase, rep.State = string(fe.Phase), string(fe.State)
		}
	}
	return rep
}

// uploadFirmware uploads j's file to every address in parallel, printing each camera's
// progress on standard error.
func (c *cli) uploadFirmware(ctx context.Context, j firmwareJob, addrs []string) ([]firmware.Outcome, error) {
	img, err := firmware.OpenImage(j.file)
	if err != nil {
		return nil, err
	}
	opts := firmware.Options{CallTimeout: j.callTimeout, RebootTimeout: j.wait}
	if j.db != "" {
		st, err := (&journalCmd{cli: c, db: j.db}).open(ctx)
		if err != nil {
			return nil, err
		}
		defer st.Close()
		opts.Journal = st
	}
	devs := make([]firmware.Device, len(addrs))
	for i, a := range addrs {
		devs[i] = firmware.Device{Addr: a}
	}
	p := &progressPrinter{w: c.stderr, file: filepath.Base(j.file), force: j.force, shown: map[string]int64{}}
	job := firmware.Job{Image: img, Force: j.force, TakeOver: j.takeOver, Operator: operatorName(), Progress: p.progress}
	return firmware.NewUpdater(opts).UploadAll(ctx, devs, job), nil
}

// progressPrinter prints a line per camera at each phase and every tenth of the file.
type progressPrinter struct {
	w     io.Writer
	file  string
	force bool

	mu    sync.Mutex
	shown map[string]int64 // the last tenth of the file printed, per camera
}

func (p *progressPrinter) progress(pr firmware.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch pr.Phase {
	case firmware.PhaseStart:
		kind := "normal"
		if p.force {
			kind = "forced"
		}
		fmt.Fprintf(p.w, "%s: version %s; %s upload of %s (%s); keep the camera powered\n",
			pr.Addr, pr.Version, kind, p.file, mib(pr.Total))
	case firmware.PhaseUnits, firmware.PhaseDone:
		tenth := int64(10)
		if pr.Total > 0 {
			tenth = pr.Sent * 10 / pr.Total
		}
		if pr.Sent > 0 && tenth > p.shown[pr.Addr] || pr.Sent == pr.Total && p.shown[pr.Addr] < 10 {
			p.shown[pr.Addr] = tenth
			fmt.Fprintf(p.w, "%s: uploaded %s of %s (%3d%%)\n", pr.Addr, mib(pr.Sent), mib(pr.Total), percent(pr.Sent, pr.Total))
		}
	case firmware.PhaseReboot:
		fmt.Fprintf(p.w, "%s: upload complete; waiting for the camera to restart\n", pr.Addr)
	}
}
