package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	"enrollstation/devices/actatek"
	"enrollstation/store/files"
)

// logRow is an event as `logs` shows it; Photo is the file written with --photos.
type logRow struct {
	LogID    int    `json:"log_id"`
	Time     string `json:"time"`
	UserID   string `json:"user_id"`
	UserName string `json:"user_name,omitempty"`
	Trigger  string `json:"trigger"`
	Method   string `json:"access_method,omitempty"`
	Photo    string `json:"photo,omitempty"`
}

func (a *actatekCmd) logs(ctx context.Context, args []string) error {
	fs := a.flags("logs")
	from := fs.String("from", "", "first time, xsd:datetime: 2026-03-10T08:00:00 (terminal time) or 2026-03-10T08:00:00Z (UTC)")
	to := fs.String("to", "", "last time, same form as --from")
	limit := fs.Int("limit", 100, "at most this many events")
	photos := fs.String("photos", "", "write each event's photo to this folder as LOGID.jpg")
	if err := a.noArgs(fs, args); err != nil {
		return err
	}
	var f actatek.LogFilter
	var err error
	if f.From, err = actatek.ParseDateTime(*from); err != nil {
		return a.usagef("actatek logs: --from: %v", err)
	}
	if f.To, err = actatek.ParseDateTime(*to); err != nil {
		return a.usagef("actatek logs: --to: %v", err)
	}
	if *limit < 1 {
		return a.usagef("actatek logs: --limit must be at least 1")
	}
	var photoDir *files.Dir
	if *photos != "" {
		if photoDir, err = files.OpenDir(*photos); err != nil {
			return fmt.Errorf("event photos: %w", err)
		}
		defer photoDir.Close()
	}
	logs, err := a.client.Logs.ListFull(ctx, f, *limit)
	if err != nil {
		return err
	}
	rows := make([]logRow, 0, len(logs))
	for _, l := range logs {
		r := logRow{LogID: int(l.LogID), Time: l.Timestamp.String(), UserID: string(l.UserID), UserName: l.UserName, Trigger: l.Trigger, Method: l.AccessMethod}
		if photoDir != nil && len(l.JPEGPhoto) > 0 {
			name := strconv.Itoa(int(l.LogID)) + ".jpg"
			r.Photo = filepath.Join(*photos, name)
			// Event photos are biometric data: new files readable by the user only.
			if err := photoDir.WriteFile(name, l.JPEGPhoto); err != nil {
				return fmt.Errorf("event photo: %w", err)
			}
		}
		rows = append(rows, r)
	}
	return a.emit(rows, func(w io.Writer) {
		tw := table(w)
		fmt.Fprintln(tw, "LOG\tTIME\tUSER\tNAME\tTRIGGER\tMETHOD\tPHOTO")
		for _, r := range rows {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.LogID, r.Time, r.UserID, r.UserName, r.Trigger, r.Method, r.Photo)
		}
		tw.Flush()
		fmt.Fprintf(w, "%d events\n", len(rows))
	})
}
