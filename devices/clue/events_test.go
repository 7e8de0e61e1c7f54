package clue_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/clue"
	"enrollstation/devices/clue/cluesim"
)

func TestSplitWindows(t *testing.T) {
	day := 24 * time.Hour
	from := time.UnixMilli(1719932400000)
	ws := clue.SplitWindows(from, from.Add(20*day))
	if len(ws) != 3 {
		t.Fatalf("%d windows for 20 days", len(ws))
	}
	for i, w := range ws {
		if w.To.Sub(w.From) > clue.MaxEventWindow {
			t.Errorf("window %d spans %s", i, w.To.Sub(w.From))
		}
		if i > 0 && w.From.Sub(ws[i-1].To) != time.Millisecond {
			t.Errorf("window %d starts %s after the previous ends", i, w.From.Sub(ws[i-1].To))
		}
	}
	if !ws[0].From.Equal(from) || !ws[2].To.Equal(from.Add(20*day)) {
		t.Errorf("windows do not cover the range: %v", ws)
	}
	if got := clue.SplitWindows(from, from.Add(clue.MaxEventWindow)); len(got) != 2 {
		t.Errorf("exactly 7 days: %d windows (7 days less 1 ms, then the last millisecond)", len(got))
	}
	if got := clue.SplitWindows(from, from); len(got) != 1 {
		t.Errorf("one instant: %d windows", len(got))
	}
	if got := clue.SplitWindows(from, from.Add(-time.Second)); got != nil {
		t.Errorf("reversed range: %v", got)
	}
}

// withEvents registers one person and makes door events on the given days before now.
func withEvents(t *testing.T, e *env, days ...int) {
	t.Helper()
	c := e.client(nil)
	if _, err := c.Auths.Register(context.Background(), clue.Registration{Key: "ev-user", Name: "Ebisu",
		Access: clue.Access{Start: time.Now().Add(-30 * 24 * time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, d := range days {
		if _, err := e.sim.DoorUse(178, now.Add(-time.Duration(d)*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestEventsBothEndpoints(t *testing.T) {
	e := newEnv(t, cluesim.Options{Seed: 3})
	withEvents(t, e, 1, 2, 3, 4, 5, 6)
	c := e.client(nil)
	ctx := context.Background()
	numeric := regexp.MustCompile(`^[0-9]+$`)
	for _, ep := range []clue.Endpoint{clue.EndpointEvents, clue.EndpointPlaceEvents} {
		page, err := c.Events.List(ctx, clue.EventQuery{Endpoint: ep, Sort: clue.SortAsc})
		if err != nil {
			t.Fatalf("%s: %v", ep, err)
		}
		if page.Total < 7 || len(page.Events) != page.Total {
			t.Fatalf("%s: %d of %d events", ep, len(page.Events), page.Total)
		}
		users := 0
		for _, ev := range page.Events {
			if ev.PlaceID != 178 || ev.Type == "" || ev.LogID == "" || ev.EventAt.IsZero() {
				t.Errorf("%s: event %+v", ep, ev)
			}
			// 000's sample sends text log ids, 001's numbers; both come out as text.
			if isNum := numeric.MatchString(ev.LogID); isNum != (ep == clue.EndpointPlaceEvents) {
				t.Errorf("%s: log id %q", ep, ev.LogID)
			}
			if ev.Type == clue.EventFaceAuthSuccess {
				users++
				if ev.UserID != "ev-user" || ev.UserName != "Ebisu" || ev.AuthID == 0 || ev.DoorName == "" {
					t.Errorf("%s: success event %+v", ep, ev)
				}
			}
		}
		if users == 0 {
			t.Errorf("%s: no successful door use among %d events", ep, len(page.Events))
		}
	}
}

func TestEventsFieldTableShape(t *testing.T) {
	e := newEnv(t, cluesim.Options{})
	withEvents(t, e)
	e.sim.SetFieldTableShape(true)
	page, err := e.client(nil).Events.List(context.Background(), clue.EventQuery{Types: []string{cluesim.EventAuthRegistered}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Events) != 1 {
		t.Fatalf("%d events", len(page.Events))
	}
	ev := page.Events[0]
	if _, err := strconv.ParseInt(ev.UserID, 10, 64); err != nil || ev.UserName != "Ebisu" {
		t.Errorf("useName / numeric userId not read: %+v", ev)
	}
}

func TestEventsFilterSortPage(t *testing.T) {
	e := newEnv(t, cluesim.Options{Seed: 9})
	withEvents(t, e, 1, 1, 2, 2, 3, 3, 4, 4)
	c := e.client(nil)
	ctx := context.Background()
	all, err := c.Events.List(ctx, clue.EventQuery{Endpoint: clue.EndpointPlaceEvents, Sort: clue.SortDesc})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(all.Events); i++ {
		a, _ := strconv.ParseInt(all.Events[i-1].LogID, 10, 64)
		b, _ := strconv.ParseInt(all.Events[i].LogID, 10, 64)
		if a <= b {
			t.Errorf("descending order broken at %d: %d then %d", i, a, b)
		}
	}
	page, err := c.Events.List(ctx, clue.EventQuery{Endpoint: clue.EndpointPlaceEvents, Sort: clue.SortDesc, Page: 1, Size: 3})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != all.Total || len(page.Events) != 3 {
		t.Fatalf("page 1 of 3: %d events of %d", len(page.Events), page.Total)
	}
	if page.Events[0].LogID != all.Events[3].LogID {
		t.Errorf("page 1 starts at %s, want the 4th event %s", page.Events[0].LogID, all.Events[3].LogID)
	}
	fails, err := c.Events.List(ctx, clue.EventQuery{Types: []string{clue.EventFaceAuthFail, clue.EventDoorRelayOn}})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range fails.Events {
		if ev.Type != clue.EventFaceAuthFail && ev.Type != clue.EventDoorRelayOn {
			t.Errorf("filter let %s through", ev.Type)
		}
	}
	q, err := c.Events.List(ctx, clue.EventQuery{Query: "ebisu"})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range q.Events {
		if ev.UserName != "Ebisu" {
			t.Errorf("q let %+v through", ev)
		}
	}
	if len(q.Events) == 0 {
		t.Error("q found nothing")
	}
	if _, err := c.Events.List(ctx, clue.EventQuery{Sort: "sideways"}); err == nil {
		t.Error("a bad sort was sent")
	}
}

func TestEventsSevenDayRule(t *testing.T) {
	e := newEnv(t, cluesim.Options{})
	c := e.client(nil)
	now := time.Now()
	_, err := c.Events.List(context.Background(), clue.EventQuery{From: now.Add(-clue.MaxEventWindow - time.Millisecond), To: now})
	if ce := asError(t, err); ce.Status != 400 || !strings.Contains(ce.Message, "within 7 days") {
		t.Fatalf("8 days in one call: %+v", ce)
	}
	if _, err := c.Events.List(context.Background(), clue.EventQuery{From: now.Add(-clue.MaxEventWindow), To: now}); err != nil {
		t.Fatalf("exactly 7 days: %v", err)
	}
}

// TestEventsAllSplitsAndPages reads 20 days of events with pages of 4: every event comes
// once, and the simulator (which refuses a range over 7 days) is asked window by window.
func TestEventsAllSplitsAndPages(t *testing.T) {
	e := newEnv(t, cluesim.Options{Seed: 4})
	days := []int{1, 2, 3, 5, 8, 9, 10, 12, 15, 16, 18, 19}
	withEvents(t, e, days...)
	c := e.client(nil)
	ctx := context.Background()
	now := time.Now()
	want, err := c.Events.List(ctx, clue.EventQuery{})
	if err != nil {
		t.Fatal(err)
	}
	before := len(e.sim.Arrivals(178))
	for _, sort := range []string{clue.SortAsc, clue.SortDesc} {
		for _, ep := range []clue.Endpoint{clue.EndpointEvents, clue.EndpointPlaceEvents} {
			got, err := c.Events.All(ctx, clue.EventQuery{From: now.Add(-20 * 24 * time.Hour), To: now.Add(time.Minute), Size: 4, Sort: sort, Endpoint: ep})
			if err != nil {
				t.Fatalf("%s %s: %v", sort, ep, err)
			}
			if len(got) != want.Total {
				t.Errorf("%s %s: %d events, want %d", sort, ep, len(got), want.Total)
			}
			seen := map[string]bool{}
			for i, ev := range got {
				if seen[ev.LogID] {
					t.Errorf("%s %s: %s twice", sort, ep, ev.LogID)
				}
				seen[ev.LogID] = true
				if i > 0 && sort == clue.SortAsc && ev.EventAt.Before(got[i-1].EventAt.Add(-7*24*time.Hour)) {
					t.Errorf("%s %s: windows out of order", sort, ep)
				}
			}
		}
	}
	// Three windows each, at least one page each, several pages for the fuller windows.
	if calls := len(e.sim.Arrivals(178)) - before; calls < 4*4 {
		t.Errorf("%d calls for four reads of three windows in pages of 4", calls)
	}
}

func TestEventsAllWithoutStart(t *testing.T) {
	e := newEnv(t, cluesim.Options{})
	withEvents(t, e, 1, 10, 20)
	got, err := e.client(nil).Events.All(context.Background(), clue.EventQuery{Size: 2})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := e.client(nil).Events.List(context.Background(), clue.EventQuery{})
	if len(got) != page.Total {
		t.Errorf("%d events, want %d", len(got), page.Total)
	}
	if _, err := e.client(nil).Events.All(context.Background(), clue.EventQuery{From: time.Now(), To: time.Now().Add(-time.Hour)}); err == nil {
		t.Error("a reversed range was accepted")
	}
}
