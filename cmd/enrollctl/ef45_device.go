package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"enrollstation/devices/ef45"
)

type deviceInfo struct {
	Address       string `json:"address"`
	Version       string `json:"version"`
	RecordVersion int    `json:"record_version"`
	SerialNumber  string `json:"serial_number"`
	CameraMode    string `json:"camera_mode"`
	AudioEnabled  bool   `json:"audio_enabled"`
}

func (e *ef45Cmd) info(ctx context.Context, args []string) error {
	if err := e.noArgs(e.flags("info"), args); err != nil {
		return err
	}
	return e.withSession(ctx, func(s *ef45.Session) error {
		cam, err := s.Camera.Get(ctx)
		if err != nil {
			return err
		}
		rv, err := s.Subjects.RecordVersion(ctx)
		if err != nil {
			return err
		}
		info := deviceInfo{e.client.Addr(), s.Version(), rv, cam.SerialNumber, cam.CameraMode, bool(cam.AudioEnabled)}
		return e.emit(info, func(w io.Writer) {
			tw := table(w)
			fmt.Fprintf(tw, "address\t%s\nversion\t%s\nrecord version\t%d\nserial number\t%s\ncamera mode\t%s\naudio\t%s\n",
				info.Address, info.Version, info.RecordVersion, info.SerialNumber, info.CameraMode, onOff(info.AudioEnabled))
			tw.Flush()
		})
	})
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func (e *ef45Cmd) setTime(ctx context.Context, args []string) error {
	fs := e.flags("set-time")
	at := fs.String("time", "", "the time to set, RFC 3339 (default: this computer's clock)")
	if err := e.noArgs(fs, args); err != nil {
		return err
	}
	t := time.Now()
	if *at != "" {
		var err error
		if t, err = time.Parse(time.RFC3339, *at); err != nil {
			return e.usagef("ef45 set-time: --time %q is not an RFC 3339 time like 2026-11-22T14:05:00+01:00", *at)
		}
	}
	return e.withSession(ctx, func(s *ef45.Session) error {
		if err := s.Camera.SetTime(ctx, t); err != nil {
			return err
		}
		return e.emit(map[string]string{"device_time": t.Format(time.RFC3339)}, func(w io.Writer) {
			fmt.Fprintf(w, "device clock set to %s\n", t.Format("2006-01-02 15:04:05 MST"))
		})
	})
}

func (e *ef45Cmd) door(ctx context.Context, args []string) error {
	if err := e.noArgs(e.flags("door"), args); err != nil {
		return err
	}
	return e.withSession(ctx, func(s *ef45.Session) error {
		d, err := s.Config.DoorStatus(ctx)
		if err != nil {
			return err
		}
		return e.emit(d, func(w io.Writer) {
			fmt.Fprintf(w, "door sensor %d\nrelay %d\ntamper %d\nrequest to exit %d\n", d.DoorSensor, d.Relay, d.Tamper, d.RTE)
		})
	})
}

func (e *ef45Cmd) card(ctx context.Context, args []string) error {
	fs := e.flags("card")
	timeout := fs.Duration("timeout", 60*time.Second, "how long to wait for a card")
	if err := e.noArgs(fs, args); err != nil {
		return err
	}
	return e.withSession(ctx, func(s *ef45.Session) error {
		// Card stand-by needs Slave (enroll) mode first (spec 003, "Start card read").
		cam, err := s.Camera.Get(ctx)
		if err != nil {
			return err
		}
		if cam.CameraMode != ef45.ModeSlave {
			if err := s.Camera.Set(ctx, ef45.ModeSlave, bool(cam.AudioEnabled)); err != nil {
				return err
			}
		}
		fmt.Fprintln(e.stderr, "present a card to the camera's reader")
		waitCtx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		card, err := s.Control.ReadCard(waitCtx, 250*time.Millisecond)
		if err != nil {
			if waitCtx.Err() != nil && ctx.Err() == nil {
				return fmt.Errorf("no card presented within %s", *timeout)
			}
			return err
		}
		return e.emit(map[string]string{"card": card}, func(w io.Writer) { fmt.Fprintln(w, card) })
	})
}
