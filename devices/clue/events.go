package clue

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"enrollstation/devices/internal/fault"
)

// Endpoint chooses one of the two documented events calls.
type Endpoint int

const (
	// EndpointEvents is spec 000: GET {prefix}/events?...&placeId=N (takes q as well).
	EndpointEvents Endpoint = iota
	// EndpointPlaceEvents is spec 001: GET {prefix}/events/places/{placeId}.
	EndpointPlaceEvents
)

// String names the endpoint as its path does.
func (e Endpoint) String() string {
	if e == EndpointPlaceEvents {
		return "events/places"
	}
	return "events"
}

// Sort orders of events (the sort parameter, "id,asc" or "id,desc").
const (
	SortAsc  = "asc"
	SortDesc = "desc"
)

// DefaultPageSize is the page size of All when the query gives none (the sample's 200).
const DefaultPageSize = 200

// maxPages stops a paging loop that a misbehaving service would never end.
const maxPages = 100000

// EventQuery selects events. From and To are inclusive, to the millisecond.
type EventQuery struct {
	From, To time.Time // zero means unbounded on that side
	Types    []string  // filterEvents; all types when empty
	Query    string    // q, free text (EndpointEvents only)
	Page     int       // page number, from 0 (List only)
	Size     int       // page size; the service's default when 0 (All: DefaultPageSize)
	Sort     string    // SortAsc or SortDesc by log id; the service's default when empty
	Endpoint Endpoint
}

// EventPage is one page of events.
type EventPage struct {
	Events []Event
	Total  int // events matching the query across all pages
}

// EventsService reads the events of the place.
type EventsService struct{ c *Client }

// List makes one events call: one page of one window. CLUe refuses a range of more than
// MaxEventWindow; All splits such ranges.
func (s *EventsService) List(ctx context.Context, q EventQuery) (*EventPage, error) {
	if q.Sort != "" && q.Sort != SortAsc && q.Sort != SortDesc {
		return nil, fault.Local(fault.CLUe, "list events", fmt.Errorf("sort %q is neither %s nor %s", q.Sort, SortAsc, SortDesc))
	}
	v := url.Values{}
	if !q.From.IsZero() {
		v.Set("startTime", strconv.FormatInt(q.From.UnixMilli(), 10))
	}
	if !q.To.IsZero() {
		v.Set("endTime", strconv.FormatInt(q.To.UnixMilli(), 10))
	}
	if len(q.Types) > 0 {
		v.Set("filterEvents", strings.Join(q.Types, ","))
	}
	v.Set("page", strconv.Itoa(q.Page))
	if q.Size > 0 {
		v.Set("size", strconv.Itoa(q.Size))
	}
	if q.Sort != "" {
		v.Set("sort", "id,"+q.Sort)
	}
	path := PathEvents
	if q.Endpoint == EndpointPlaceEvents {
		path = fmt.Sprintf(PathPlaceEvents, s.c.place)
	} else {
		if q.Query != "" {
			v.Set("q", q.Query)
		}
		v.Set("placeId", strconv.FormatInt(s.c.place, 10))
	}
	var page *EventPage
	err := s.c.do(ctx, call{name: "list events", method: http.MethodGet, path: path, query: v, place: true},
		func(b []byte) error {
			a, err := DecodeEvents(b)
			if err != nil {
				return err
			}
			page = &EventPage{Total: int(a.Total), Events: make([]Event, 0, len(a.Data))}
			for _, w := range a.Data {
				page.Events = append(page.Events, w.Event())
			}
			return nil
		})
	return page, err
}

// Window is one range of an events query, inclusive at both ends.
type Window struct{ From, To time.Time }

// SplitWindows cuts from..to into consecutive windows that each pass the 7-day rule, in
// ascending order. Each window but the last spans MaxEventWindow less a millisecond, so no
// event falls into two windows.
func SplitWindows(from, to time.Time) []Window {
	from, to = from.Truncate(time.Millisecond), to.Truncate(time.Millisecond)
	if to.Before(from) {
		return nil
	}
	var out []Window
	for start := from; !start.After(to); start = start.Add(MaxEventWindow) {
		end := start.Add(MaxEventWindow - time.Millisecond)
		if end.After(to) {
			end = to
		}
		out = append(out, Window{start, end})
	}
	return out
}

// All fetches every event of the query: a range longer than MaxEventWindow is split into
// windows (newest first when sorting descending) and every page of every window is read.
// A zero To with a From set means now. Events seen twice (a page boundary moving while new
// events arrive) are kept once.
func (s *EventsService) All(ctx context.Context, q EventQuery) ([]Event, error) {
	if q.Size <= 0 {
		q.Size = DefaultPageSize
	}
	if q.Sort == "" {
		q.Sort = SortAsc
	}
	windows := []Window{{q.From, q.To}}
	if !q.From.IsZero() {
		to := q.To
		if to.IsZero() {
			to = time.Now()
		}
		if to.Before(q.From) {
			return nil, fault.Local(fault.CLUe, "list events", fmt.Errorf("the range ends (%s) before it starts (%s)", to.Format(time.RFC3339), q.From.Format(time.RFC3339)))
		}
		windows = SplitWindows(q.From, to)
		if q.Sort == SortDesc {
			for i, j := 0, len(windows)-1; i < j; i, j = i+1, j-1 {
				windows[i], windows[j] = windows[j], windows[i]
			}
		}
	}
	var out []Event
	seen := make(map[string]bool)
	for _, w := range windows {
		wq := q
		wq.From, wq.To = w.From, w.To
		read := 0
		for wq.Page = 0; wq.Page < maxPages; wq.Page++ {
			page, err := s.List(ctx, wq)
			if err != nil {
				return out, err
			}
			for _, e := range page.Events {
				if e.LogID != "" && seen[e.LogID] {
					continue
				}
				seen[e.LogID] = true
				out = append(out, e)
			}
			read += len(page.Events)
			// total counts the window's events across pages (spec 000 "total"): a page shorter
			// than asked for is not the end, as the service may cap the size. Without a total,
			// a short page is all there is to go by; an empty page always ends the window.
			if len(page.Events) == 0 || read >= page.Total && (page.Total > 0 || len(page.Events) < wq.Size) {
				break
			}
		}
	}
	return out, nil
}
