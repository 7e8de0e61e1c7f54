package cluesim_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"enrollstation/devices/clue/cluesim"
)

func face(t *testing.T, w, h int) string {
	t.Helper()
	b, err := cluesim.FacePhoto(1, w, h, 80)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// TestRegisterRules sends a body that breaks one rule of spec 000 at a time.
func TestRegisterRules(t *testing.T) {
	c := newCloud(t, cluesim.Options{MaxFaceBytes: 40_000})
	ok := face(t, 260, 300)
	big, _ := cluesim.FacePhoto(2, 800, 800, 95)
	gif := base64.StdEncoding.EncodeToString([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00"))
	auth := func(mod func(a map[string]any)) map[string]any {
		b := register("k")
		mod(b["auth"].(map[string]any))
		return b
	}
	creds := func(m map[string]any) map[string]any { return m["credentials"].(map[string]any) }
	cases := map[string]struct {
		body map[string]any
		want string
	}{
		"no key":            {map[string]any{"user": map[string]any{"name": "n"}, "auth": register("k")["auth"]}, "user.key is required"},
		"no name":           {map[string]any{"user": map[string]any{"key": "k"}, "auth": register("k")["auth"]}, "user.name is required"},
		"active status":     {auth(func(a map[string]any) { a["activeStatus"] = "ON" }), `auth.activeStatus "ON" is not ACTIVE or INACTIVE`},
		"no active status":  {auth(func(a map[string]any) { delete(a, "activeStatus") }), "auth.activeStatus is required"},
		"no start":          {auth(func(a map[string]any) { delete(a, "startTime") }), "auth.startTime is required"},
		"no end":            {auth(func(a map[string]any) { delete(a, "endTime") }), "auth.endTime is required"},
		"ends first":        {auth(func(a map[string]any) { a["endTime"] = 1718809100000 }), "auth.endTime must be after startTime"},
		"door access":       {auth(func(a map[string]any) { a["doorAccessType"] = "SOME" }), `auth.doorAccessType "SOME"`},
		"specific, no door": {auth(func(a map[string]any) { a["doorAccessType"] = "SPECIFIC" }), "auth.doorIds must list the doors"},
		"unknown door":      {auth(func(a map[string]any) { a["doorAccessType"], a["doorIds"] = "SPECIFIC", []int{234, 9} }), "door 9 is not a door of place 178"},
		"schedule type":     {auth(func(a map[string]any) { a["scheduleType"] = "NIGHTS" }), `auth.scheduleType "NIGHTS"`},
		"specific, no id":   {auth(func(a map[string]any) { a["scheduleType"] = "SPECIFIC" }), "auth.scheduleId is required"},
		"unknown schedule":  {auth(func(a map[string]any) { a["scheduleType"], a["scheduleId"] = "SPECIFIC", 1 }), "schedule 1 is not a schedule of place 178"},
		"three faces":       {auth(func(a map[string]any) { creds(a)["faceImages"] = []string{ok, ok, ok} }), "3 images, at most 2"},
		"small face":        {auth(func(a map[string]any) { creds(a)["faceImages"] = []string{face(t, 240, 300)} }), "faceImages[0]: 240x300 is smaller than 250x250"},
		"large face":        {auth(func(a map[string]any) { creds(a)["faceImages"] = []string{ok, base64.StdEncoding.EncodeToString(big)} }), "faceImages[1]: "},
		"gif":               {auth(func(a map[string]any) { creds(a)["faceImages"] = []string{gif} }), "not a JPEG or PNG image"},
		"not base64":        {auth(func(a map[string]any) { creds(a)["faceImages"] = []string{"%%%"} }), "not base64"},
		"card": {auth(func(a map[string]any) {
			creds(a)["cards"] = []any{map[string]any{"cardNumber": "12a", "formatType": "CSN"}}
		}), `cardNumber "12a" is not a decimal number`},
	}
	for name, tc := range cases {
		r := c.call("POST", "/v1/places/178/auths", tc.body)
		if r.status != 400 || r.errorCode() != "INVALID_PARAMETER" || !strings.Contains(r.errorMessage(), tc.want) {
			t.Errorf("%s: %d %s", name, r.status, r.raw)
		}
	}
	if len(c.sim.Auths(178)) != 0 {
		t.Error("a refused registration was stored")
	}
	if r := c.call("POST", "/v1/places/178/auths", "{"); r.status != 400 {
		t.Errorf("broken JSON: %d", r.status)
	}
	if r := c.call("POST", "/v1/places/5/auths", register("k")); r.status != 404 || r.errorCode() != "PLACE_NOT_FOUND" {
		t.Errorf("unknown place: %d %s", r.status, r.raw)
	}
	if r := c.call("POST", "/v1/places/178/auths", `{"user":{"key":"`+strings.Repeat("x", 9<<20)+`"}}`); r.status != 413 {
		t.Errorf("9 MiB body: %d", r.status)
	}
}

// TestRegisterSampleShapes: the sample of spec 000 and the lenient variants are accepted.
func TestRegisterSampleShapes(t *testing.T) {
	c := newCloud(t, cluesim.Options{})
	sample := `{ "user": { "key": "1234567", "name": "namehere" }, "auth": { "startTime": 1718809200000, "endTime": 1718895540000, "doorAccessType": "SPECIFIC", "doorIds":[234, 235,236], "scheduleType":"SPECIFIC", "scheduleId":333, "credentials": { "cards": [ { "cardNumber": "12345", "formatType": "CSN" } ], "faceImages":["` + face(t, 300, 300) + `"] }, "activeStatus":"ACTIVE" } }`
	r := c.call("POST", "/v1/be/places/178/auths", sample)
	if r.status != 200 || r.body["code"] != float64(200) || r.body["message"] != "OK" {
		t.Fatalf("sample: %d %s", r.status, r.raw)
	}
	d := r.data()
	user := d["user"].(map[string]any)
	auth := d["auth"].(map[string]any)
	doors := auth["doors"].([]any)
	if d["authId"] != float64(118926) || user["key"] != "1234567" || user["realNameAuthStatusType"] != "REAL_NAME_AUTH_BEFORE" ||
		auth["scheduleId"] != float64(333) || len(doors) != 3 || doors[0].(map[string]any)["doorName"] != "SmartLight" {
		t.Errorf("answer %s", r.raw)
	}
	lenient := `{"user":{"key":"2","name":"n"},"auth":{"activeStatus":"INACTIVE","startTime":"1718809200000","endTime":1718895540000,
		"doorAccessType":"ALL_DOOR","scheduleType":"SPECIFIC","scheduleId":"333","credentials":{"cards":[67890]}}}`
	if r := c.call("POST", "/v1/places/178/auths", lenient); r.status != 200 {
		t.Errorf("lenient: %d %s", r.status, r.raw)
	}
	rec := c.sim.Auths(178)
	if len(rec) != 2 || rec[1].Cards[0].CardNumber != "67890" || rec[1].ScheduleID != 333 || rec[0].Faces[0].Width != 300 {
		t.Errorf("stored %+v", rec)
	}
}

func TestUpdateDeleteKeepTheUser(t *testing.T) {
	c := newCloud(t, cluesim.Options{})
	b := register("u")
	b["auth"].(map[string]any)["credentials"] = map[string]any{"faceImages": []string{face(t, 300, 300)}}
	r := c.call("POST", "/v1/places/178/auths", b)
	id := int64(r.data()["authId"].(float64))
	userID := r.data()["user"].(map[string]any)["userId"]
	// faceImages left out: the face stays; the Update table's top-level name is read.
	upd := register("u")["auth"].(map[string]any)
	upd["name"] = "Renamed"
	if r := c.call("PUT", "/v1/places/auths/"+itoa(id), upd); r.status != 200 {
		t.Fatalf("update: %d %s", r.status, r.raw)
	}
	if rec, _ := c.sim.Auth(id); len(rec.Faces) != 1 || rec.Name != "Renamed" {
		t.Errorf("after update %+v", rec)
	}
	upd["endTime"] = 1
	if r := c.call("PUT", "/v1/places/auths/"+itoa(id), upd); r.status != 400 {
		t.Errorf("invalid update: %d", r.status)
	}
	if r := c.call("POST", "/v1/places/178/auths", register("u")); r.status != 409 || r.errorCode() != "DUPLICATE_USER_KEY" {
		t.Errorf("duplicate: %d %s", r.status, r.raw)
	}
	if r := c.call("DELETE", "/v1/places/auths/"+itoa(id), nil); r.status != 200 {
		t.Fatalf("delete: %d", r.status)
	}
	for _, m := range []string{"PUT", "DELETE"} {
		if r := c.call(m, "/v1/places/auths/"+itoa(id), register("u")["auth"]); r.status != 404 || r.errorCode() != "AUTH_NOT_FOUND" {
			t.Errorf("%s after delete: %d %s", m, r.status, r.raw)
		}
	}
	r = c.call("POST", "/v1/places/178/auths", register("u"))
	if r.status != 200 || r.data()["user"].(map[string]any)["userId"] != userID || r.data()["authId"] == float64(id) {
		t.Errorf("re-registration: %s", r.raw)
	}
}
