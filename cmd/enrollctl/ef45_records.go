package main

import (
	"context"
	"fmt"
	"io"

	"enrollstation/devices/ef45"
)

func (e *ef45Cmd) logs(ctx context.Context, args []string) error {
	fs := e.flags("logs")
	from := fs.Int("from", 0, "first log id")
	to := fs.Int("to", 0, "last log id")
	if err := e.noArgs(fs, args); err != nil {
		return err
	}
	return e.withSession(ctx, func(s *ef45.Session) error {
		var l *ef45.List[ef45.LogEntry]
		var err error
		if *from > 0 || *to > 0 {
			if *to == 0 {
				*to = 1<<31 - 1
			}
			l, err = s.Logs.Range(ctx, *from, *to, nil)
		} else {
			l, err = s.Logs.List(ctx, nil)
		}
		if err != nil {
			return err
		}
		return e.emit(l.Items, func(w io.Writer) {
			tw := table(w)
			fmt.Fprintln(tw, "ID\tTIME\tEVENT\tINFO\tRESULT\tUSER")
			for _, it := range l.Items {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", it.ID, it.Timestamp.Raw, it.EventType, it.Info, it.AdditionalData, it.UserUUID)
			}
			tw.Flush()
		})
	})
}

func (e *ef45Cmd) subjects(ctx context.Context, args []string) error {
	if err := e.noArgs(e.flags("subjects"), args); err != nil {
		return err
	}
	return e.withSession(ctx, func(s *ef45.Session) error {
		l, err := s.Subjects.List(ctx, nil)
		if err != nil {
			return err
		}
		type row struct {
			UUID          string `json:"user_uuid"`
			FirstName     string `json:"first_name"`
			LastName      string `json:"last_name"`
			AccessAllowed bool   `json:"access_allowed"`
			MatchUntil    string `json:"match_until"`
			Irises        int    `json:"iris_templates"`
		}
		rows := make([]row, 0, len(l.Items))
		for _, it := range l.Items {
			n := 0
			for _, t := range [][]byte{it.LeftEyeTemplate, it.RightEyeTemplate} {
				if len(t) > 0 {
					n++
				}
			}
			rows = append(rows, row{it.UserUUID, it.FirstName, it.LastName, bool(it.AccessAllowed), it.MatchUntil, n})
		}
		return e.emit(rows, func(w io.Writer) {
			tw := table(w)
			fmt.Fprintln(tw, "UUID\tNAME\tACCESS\tMATCH UNTIL\tIRISES")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s\t%d\n", r.UUID, r.FirstName, r.LastName, yesNo(r.AccessAllowed), r.MatchUntil, r.Irises)
			}
			tw.Flush()
			fmt.Fprintf(w, "%d subjects\n", len(rows))
		})
	})
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
