package cluesim_test

import (
	"context"
	"testing"
	"time"

	"enrollstation/devices/clue"
	"enrollstation/devices/clue/cluesim"
)

const day = 24 * time.Hour

func TestSevenDayRule(t *testing.T) {
	c := newCloud(t, cluesim.Options{})
	now := time.Now().UnixMilli()
	week := clue.MaxEventWindow.Milliseconds()
	for q, want := range map[string]int{
		"startTime=" + itoa(now-week) + "&endTime=" + itoa(now):   200,
		"startTime=" + itoa(now-week-1) + "&endTime=" + itoa(now): 400,
		"startTime=" + itoa(now-week-60000):                       400, // endTime is now
		"startTime=" + itoa(now-60000):                            200,
		"endTime=" + itoa(now):                                    200, // no start: every event until then
		"startTime=" + itoa(now) + "&endTime=" + itoa(now-1):      400,
		"startTime=abc": 400,
		"startTime=" + itoa(now-2*week) + "&endTime=" + itoa(now-week): 200,
	} {
		for _, path := range []string{"/v1/events?placeId=178&", "/v1/events/places/178?"} {
			r := c.call("GET", path+q, nil)
			if r.status != want {
				t.Errorf("%s%s: %d %s", path, q, r.status, r.raw)
			}
		}
	}
	r := c.call("GET", "/v1/events?placeId=178&startTime="+itoa(now-8*day.Milliseconds())+"&endTime="+itoa(now), nil)
	if r.body["code"] != float64(400) || r.body["status"] != false || r.errorMessage() != "startTime must be within 7 days of endTime" {
		t.Errorf("the refusal is not the envelope: %s", r.raw)
	}
}

func TestEventShapesAndPaging(t *testing.T) {
	c := newCloud(t, cluesim.Options{Seed: 2})
	c.call("POST", "/v1/places/178/auths", register("ebisu"))
	base := time.UnixMilli(1718842553904)
	for i := range 10 {
		if _, err := c.sim.DoorUse(178, base.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	all := c.call("GET", "/v1/events/places/178?sort=id,asc", nil)
	total := int(all.body["total"].(float64))
	items := all.body["data"].([]any)
	if total < 11 || len(items) != total {
		t.Fatalf("no size: %d of %d", len(items), total)
	}
	for _, it := range items {
		m := it.(map[string]any)
		if _, ok := m["logId"].(float64); !ok {
			t.Errorf("001 endpoint logId %v is not a number", m["logId"])
		}
		if m["eventType"] == clue.EventFaceAuthSuccess && (m["userId"] != "ebisu" || m["userName"] != "n-ebisu" || m["doorName"] == nil) {
			t.Errorf("success event %v", m)
		}
	}
	q := c.call("GET", "/v1/events?placeId=178", nil)
	if _, ok := q.body["data"].([]any)[0].(map[string]any)["logId"].(string); !ok {
		t.Error("000 endpoint logId is not text")
	}
	p := c.call("GET", "/v1/events/places/178?sort=id,desc&page=1&size=4", nil)
	page := p.body["data"].([]any)
	if len(page) != 4 || p.body["total"] != float64(total) {
		t.Fatalf("page 1: %s", p.raw)
	}
	if page[0].(map[string]any)["logId"] != items[total-5].(map[string]any)["logId"] {
		t.Errorf("page 1 of 4 descending starts at %v", page[0])
	}
	if r := c.call("GET", "/v1/events/places/178?page=99&size=4", nil); len(r.body["data"].([]any)) != 0 || r.body["total"] != float64(total) {
		t.Errorf("past the end: %s", r.raw)
	}
	if r := c.call("GET", "/v1/events/places/178?sort=name", nil); r.status != 400 {
		t.Errorf("bad sort: %d", r.status)
	}
	f := c.call("GET", "/v1/events/places/178?filterEvents=DEV_DOOR_RELAY_ON,DEV_DOOR_RELAY_OFF", nil)
	for _, it := range f.body["data"].([]any) {
		if typ := it.(map[string]any)["eventType"]; typ != clue.EventDoorRelayOn && typ != clue.EventDoorRelayOff {
			t.Errorf("filter let %v through", typ)
		}
	}
	c.sim.SetFieldTableShape(true)
	s := c.call("GET", "/v1/events/places/178?filterEvents=AUTH_REGISTERED", nil)
	m := s.body["data"].([]any)[0].(map[string]any)
	if id, ok := m["userId"].(float64); !ok || id != float64(int64(id)) || m["useName"] != "n-ebisu" || m["userName"] != nil {
		t.Errorf("field-table shape %v", m)
	}
}

func TestDoorUse(t *testing.T) {
	c := newCloud(t, cluesim.Options{Seed: 3})
	at := time.UnixMilli(1718842553904)
	evs, err := c.sim.DoorUse(178, at)
	if err != nil || len(evs) != 1 || evs[0].EventType != clue.EventFaceAuthFail {
		t.Fatalf("nobody registered: %+v %v", evs, err)
	}
	b := register("door")
	a := b["auth"].(map[string]any)
	a["doorAccessType"], a["doorIds"] = "SPECIFIC", []int{235}
	c.call("POST", "/v1/places/178/auths", b)
	success := 0
	for i := range 30 {
		evs, err := c.sim.DoorUse(178, at.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if evs[0].EventType != clue.EventFaceAuthSuccess {
			continue
		}
		success++
		if len(evs) != 3 || evs[0].DoorID != 235 || evs[1].EventType != clue.EventDoorRelayOn || evs[2].EventType != clue.EventDoorRelayOff ||
			int64(evs[2].EventAt-evs[0].EventAt) != 3000 || evs[0].AuthID == 0 || evs[0].LocalLogID == 0 {
			t.Errorf("granted use %+v", evs)
		}
	}
	if success < 15 {
		t.Errorf("%d of 30 uses granted to a valid auth", success)
	}
	// Before the window starts: refused.
	if evs, _ := c.sim.DoorUse(178, time.UnixMilli(1000)); evs[0].EventType != clue.EventFaceAuthFail {
		t.Errorf("outside the window: %+v", evs)
	}
	if _, err := c.sim.DoorUse(9, at); err == nil {
		t.Error("an unknown place has doors")
	}
}

func TestDoorTicker(t *testing.T) {
	c := newCloud(t, cluesim.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	c.sim.StartDoorTicker(ctx, 5*time.Millisecond)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if r := c.call("GET", "/v1/events/places/178", nil); r.body["total"].(float64) >= 2 {
			cancel()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	t.Fatal("the ticker made no events")
}
