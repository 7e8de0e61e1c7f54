package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"enrollstation/enroll/firmware"
)

func (e *ef45Cmd) firmware(ctx context.Context, args []string) error {
	fs := e.flags("firmware")
	j := firmwareJob{takeOver: e.force, callTimeout: max(e.timeout, firmware.DefaultCallTimeout)}
	fs.StringVar(&j.file, "file", "", "the firmware file")
	fs.BoolVar(&j.force, "force", false, "forced upgrade: needed to install the same or an older version")
	fs.DurationVar(&j.wait, "wait", firmware.DefaultRebootTimeout, "how long to wait for the camera to come back after the upload")
	if err := e.noArgs(fs, args); err != nil {
		return err
	}
	if j.file == "" {
		return e.usagef("ef45 firmware: --file F is required")
	}
	outs, err := e.uploadFirmware(ctx, j, []string{e.addr})
	if err != nil {
		return err
	}
	if outs[0].Err != nil {
		return outs[0].Err
	}
	rep := firmwareOutcome(j.file, outs[0])
	return e.emit(rep, func(w io.Writer) { fmt.Fprintln(w, updated(rep)) })
}

func mib(n int64) string { return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB" }

func percent(n, total int64) int64 {
	if total <= 0 {
		return 100
	}
	return n * 100 / total
}
