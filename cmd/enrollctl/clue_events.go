package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"enrollstation/devices/clue"
)

func (k *clueCmd) events(ctx context.Context, args []string) error {
	fs := k.flags("clue events")
	from := fs.String("from", "", "first time: 2026-03-01, 2026-03-01T09:00, RFC 3339 or epoch ms (a range over 7 days is fetched week by week)")
	to := fs.String("to", "", "last time, same forms; a day means its end (default now)")
	filter := fs.String("filter", "", "only these event types, e.g. DEV_FACE_AUTH_SUCCESS,DEV_FACE_AUTH_FAIL")
	asCSV := fs.Bool("csv", false, "write CSV")
	endpoint := fs.String("endpoint", "events", "which documented call: events (spec 000) or places (spec 001)")
	size := fs.Int("size", clue.DefaultPageSize, "page size")
	sort := fs.String("sort", clue.SortAsc, "order by log id: asc or desc")
	query := fs.String("q", "", "free text (events endpoint only)")
	if err := k.noArgs(fs, args); err != nil {
		return err
	}
	q := clue.EventQuery{Size: *size, Sort: *sort, Query: *query}
	var err error
	if q.From, err = parseClueTime(*from, false); err != nil {
		return k.usagef("clue events: --from: %v", err)
	}
	if q.To, err = parseClueTime(*to, true); err != nil {
		return k.usagef("clue events: --to: %v", err)
	}
	switch *endpoint {
	case "events":
		q.Endpoint = clue.EndpointEvents
	case "places":
		q.Endpoint = clue.EndpointPlaceEvents
	default:
		return k.usagef("clue events: --endpoint is events or places")
	}
	if *sort != clue.SortAsc && *sort != clue.SortDesc {
		return k.usagef("clue events: --sort is asc or desc")
	}
	if *size < 1 {
		return k.usagef("clue events: --size must be at least 1")
	}
	for _, t := range strings.Split(*filter, ",") {
		if t = strings.TrimSpace(t); t != "" {
			q.Types = append(q.Types, t)
		}
	}
	evs, err := k.client.Events.All(ctx, q)
	if err != nil {
		return err
	}
	if evs == nil {
		evs = []clue.Event{}
	}
	if *asCSV && !k.json {
		return writeEventsCSV(k.data, evs)
	}
	return k.emit(evs, func(w io.Writer) {
		tw := table(w)
		fmt.Fprintln(tw, "TIME\tLOG\tTYPE\tDOOR\tAUTH\tUSER\tNAME")
		for _, e := range evs {
			door := ""
			if e.DoorID != 0 {
				door = strings.TrimSpace(fmt.Sprintf("%d %s", e.DoorID, e.DoorName))
			}
			auth := ""
			if e.AuthID != 0 {
				auth = strconv.FormatInt(e.AuthID, 10)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.EventAt.Local().Format("2006-01-02 15:04:05.000"), e.LogID, e.Type, door, auth, e.UserID, e.UserName)
		}
		tw.Flush()
		fmt.Fprintf(w, "%d events\n", len(evs))
	})
}

func writeEventsCSV(w io.Writer, evs []clue.Event) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"logId", "eventAt", "eventAtMs", "placeId", "deviceId", "doorId", "doorName", "authId", "userId", "userName", "localLogId", "eventType"})
	for _, e := range evs {
		row := []string{e.LogID, e.EventAt.UTC().Format("2006-01-02T15:04:05.000Z07:00"), strconv.FormatInt(e.EventAt.UnixMilli(), 10),
			strconv.FormatInt(e.PlaceID, 10), strconv.FormatInt(e.DeviceID, 10), strconv.FormatInt(e.DoorID, 10), e.DoorName,
			strconv.FormatInt(e.AuthID, 10), e.UserID, e.UserName, strconv.FormatInt(e.LocalLogID, 10), e.Type}
		for i := range row {
			row[i] = csvCell(row[i])
		}
		_ = cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// csvCell defuses text a spreadsheet would run as a formula (a cell starting with = + - @,
// a tab or a carriage return): every cell, as names and ids come from the cloud.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
