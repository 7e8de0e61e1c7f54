package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"enrollstation/devices/actatek"
)

// terminalInfo is what `status` reports.
type terminalInfo struct {
	URL             string `json:"url"`
	API             string `json:"api"`
	SerialNumber    string `json:"serial_number"`
	Description     string `json:"description"`
	Firmware        string `json:"firmware"`
	FAMVersion      string `json:"fam_version"`
	Status          string `json:"status"`
	RegisteredUsers int    `json:"registered_users"`
	MaximumUsers    int    `json:"maximum_users"`
	TerminalTime    string `json:"terminal_time"`
	Timezone        string `json:"timezone"`
}

func (a *actatekCmd) status(ctx context.Context, args []string) error {
	if err := a.noArgs(a.flags("status"), args); err != nil {
		return err
	}
	v, err := a.client.Terminal.APIVersion(ctx)
	if err != nil {
		return err
	}
	st, err := a.client.Terminal.Status(ctx)
	if err != nil {
		return err
	}
	tt, err := a.client.Time.Get(ctx)
	if err != nil {
		return err
	}
	info := terminalInfo{
		URL: a.url, API: strings.TrimSpace(v.Name + " " + v.Version), SerialNumber: st.SerialNumber,
		Description: st.Description, Firmware: st.FirmwareVersion, FAMVersion: st.FAMVersion, Status: st.CurrentStatus,
		RegisteredUsers: int(st.RegisteredUsers), MaximumUsers: int(st.MaximumUsers),
		TerminalTime: tt.CurrentTime.String(), Timezone: tt.Timezone,
	}
	return a.emit(info, func(w io.Writer) {
		tw := table(w)
		fmt.Fprintf(tw, "terminal\t%s\nAPI\t%s\nserial number\t%s\ndescription\t%s\nfirmware\t%s\nfingerprint module\t%s\nstatus\t%s\nusers\t%d of %d\nterminal time\t%s (%s)\n",
			info.URL, info.API, info.SerialNumber, info.Description, info.Firmware, info.FAMVersion, info.Status,
			info.RegisteredUsers, info.MaximumUsers, info.TerminalTime, info.Timezone)
		tw.Flush()
	})
}

func (a *actatekCmd) setTime(ctx context.Context, args []string) error {
	fs := a.flags("set-time")
	at := fs.String("time", "", "the time to set, xsd:datetime (default: this computer's clock, sent as UTC)")
	tz := fs.String("timezone", "", "also set the terminal's time zone, a tz database name such as Europe/London")
	if err := a.noArgs(fs, args); err != nil {
		return err
	}
	t := actatek.UTC(time.Now())
	if *at != "" {
		var err error
		if t, err = actatek.ParseDateTime(*at); err != nil || t.IsZero() {
			return a.usagef("actatek set-time: --time %q is not a time like 2026-03-10T14:05:00 or 2026-03-10T14:05:00Z", *at)
		}
	}
	if err := a.client.Time.Set(ctx, actatek.TerminalTime{CurrentTime: t, Timezone: *tz}); err != nil {
		return err
	}
	now, err := a.client.Time.Get(ctx)
	if err != nil {
		return err
	}
	out := map[string]string{"terminal_time": now.CurrentTime.String(), "timezone": now.Timezone}
	return a.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "terminal clock set; it now reads %s (%s)\n", now.CurrentTime, now.Timezone)
	})
}

func (a *actatekCmd) openDoor(ctx context.Context, args []string) error {
	if err := a.noArgs(a.flags("open-door"), args); err != nil {
		return err
	}
	msg, err := a.client.Terminal.OpenDoor(ctx)
	if err != nil {
		return err
	}
	return a.emit(map[string]string{"message": msg}, func(w io.Writer) { fmt.Fprintln(w, msg) })
}

func (a *actatekCmd) departments(ctx context.Context, args []string) error {
	if err := a.noArgs(a.flags("departments"), args); err != nil {
		return err
	}
	ds, err := a.client.Departments.List(ctx, actatek.DepartmentFilter{})
	if err != nil {
		return err
	}
	if ds == nil {
		ds = []actatek.Department{}
	}
	return a.emit(ds, func(w io.Writer) {
		tw := table(w)
		fmt.Fprintln(tw, "ID\tNAME\tDESCRIPTION")
		for _, d := range ds {
			fmt.Fprintf(tw, "%d\t%s\t%s\n", d.ID, d.Name, d.Description)
		}
		tw.Flush()
	})
}

func (a *actatekCmd) groups(ctx context.Context, args []string) error {
	if err := a.noArgs(a.flags("groups"), args); err != nil {
		return err
	}
	gs, err := a.client.AccessGroups.List(ctx, actatek.AccessGroupFilter{})
	if err != nil {
		return err
	}
	if gs == nil {
		gs = []actatek.AccessGroup{}
	}
	return a.emit(gs, func(w io.Writer) {
		tw := table(w)
		fmt.Fprintln(tw, "ID\tNAME\tDEPARTMENT\tACCESS RIGHTS")
		for _, g := range gs {
			fmt.Fprintf(tw, "%d\t%s\t%d\t%s\n", g.ID, g.Name, g.DepartmentID, joinInts(g.AccessRightID))
		}
		tw.Flush()
	})
}
