package clue_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"enrollstation/devices/clue"
)

// The answers of specs 000 and 001 as printed (001's doubled opening brace removed).
const (
	sampleEvents000 = `{ "code": 200, "status": true, "message": "OK", "total": 75, "data": [ { "logId": "XjIAM5ABcB2c2xupDI6m", "eventAt": 1718842554980, "placeId": 448, "deviceId": 1343, "doorId": 645, "localLogId": 25280, "eventType": "DEV_DOOR_RELAY_OFF" }, { "logId": "WzIAM5ABcB2c2xupDI6m", "eventAt": 1718842553904, "placeId": 448, "authId": 107909, "deviceId": 1343, "doorId": 645, "doorName": "SupremaJP_In", "userId": "c2119100-fbb0-1fdf-82c6-7dba89b5fe29", "userName": "jinlee", "localLogId": 25278, "eventType": "DEV_FACE_AUTH_SUCCESS" } ] }`
	sampleEvents001 = `{"code": 200, "status": true, "message": "OK", "total": 507, "data": [ { "logId": 12907987, "eventAt": 1694066002529, "placeId": 178, "deviceId": 902, "doorId": 181, "localLogId": 4607, "eventType": "DEV_DOOR_RELAY_OFF" }, { "logId": 12907978, "eventAt": 1694065999471, "placeId": 178, "deviceId": 902, "doorId": 181, "authId": 8744, "doorName": "testDoor", "userId": "12345678", "userName": "EBISU", "localLogId": 4605, "eventType": "DEV_FACE_AUTH_SUCCESS" } ] }`
	sampleAuth      = `{ "code": 200, "status": true, "message": "OK", "data": { "authId": 118926, "lastModifiedAt": 1718841401642, "user": { "userId": 106569, "key": "34dab180-a14b-103b-8a4e-1166f21964da", "name": "test", "realNameAuthStatusType": "REAL_NAME_AUTH_BEFORE" }, "auth": { "startTime": 1718809200000, "endTime": 1718895540000, "doorAccessType": "SPECIFIC", "scheduleType": "SPECIFIC", "scheduleId": 333, "doors": [ { "doorId": 234, "doorName": "SmartLight" } ], "credentials": { "modes": [ "FACE" ], "faceImages": [ "..." ], "name": "test" }, "activeStatus": "ACTIVE" } } }`
	sampleLogin     = `{ "code" : 200, "status" : true, "message" : "OK", "data" : { "accountId" : 1, "accountType" : "BUSINESS_OWNER", "accountStatus" : "ACTIVE", "name" : "diaz", "countryCode" : "kr", "phone" : "01234567890", "accessToken" : "eyJ0.eyJ0.i-jE", "refreshToken" : "eyJ0.eyJ0.2idX" } }`
)

func TestDecodeEventsSamples(t *testing.T) {
	a, err := clue.DecodeEvents([]byte(sampleEvents000))
	if err != nil {
		t.Fatal(err)
	}
	ev := a.Data[1].Event()
	if a.Total != 75 || ev.LogID != "WzIAM5ABcB2c2xupDI6m" || ev.UserID != "c2119100-fbb0-1fdf-82c6-7dba89b5fe29" ||
		ev.UserName != "jinlee" || ev.AuthID != 107909 || ev.EventAt.UnixMilli() != 1718842553904 || ev.Type != clue.EventFaceAuthSuccess {
		t.Errorf("000 sample: %+v", ev)
	}
	a, err = clue.DecodeEvents([]byte(sampleEvents001))
	if err != nil {
		t.Fatal(err)
	}
	if ev := a.Data[0].Event(); a.Total != 507 || ev.LogID != "12907987" || ev.LocalLogID != 4607 || ev.DoorID != 181 {
		t.Errorf("001 sample: %+v", ev)
	}
}

func TestEventNameSpellings(t *testing.T) {
	for body, want := range map[string]string{
		`{"userName":"A"}`:               "A",
		`{"useName":"B"}`:                "B",
		`{"userName":"A","useName":"B"}`: "A",
	} {
		var w clue.EventWire
		if err := json.Unmarshal([]byte(body), &w); err != nil {
			t.Fatal(err)
		}
		if got := w.Event().UserName; got != want {
			t.Errorf("%s: %q", body, got)
		}
	}
}

func TestIDAndIntAcceptBothShapes(t *testing.T) {
	var v struct {
		A, B, C clue.ID
		N, M, O clue.Int
	}
	if err := json.Unmarshal([]byte(`{"A":12907987,"B":"XjIA","C":null,"N":"333","M":12,"O":null}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != "12907987" || v.B != "XjIA" || v.C != "" || v.N != 333 || v.M != 12 || v.O != 0 {
		t.Errorf("%+v", v)
	}
	for _, bad := range []string{`{"N":"abc"}`, `{"N":1.5}`, `{"A":{}}`, `{"A":[1]}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestCardShapes(t *testing.T) {
	var cards []clue.Card
	if err := json.Unmarshal([]byte(`[{"cardNumber":"12345","formatType":"CSN"}, 67890, "111", {"cardNumber":222}]`), &cards); err != nil {
		t.Fatal(err)
	}
	want := []clue.Card{{"12345", "CSN"}, {"67890", "CSN"}, {"111", "CSN"}, {"222", ""}}
	for i := range want {
		if cards[i] != want[i] {
			t.Errorf("card %d: %+v", i, cards[i])
		}
	}
}

// TestRegisterBodyShape: cards as objects, scheduleId a number (null when ALWAYS), as the
// sample of 000 sends them.
func TestRegisterBodyShape(t *testing.T) {
	id := clue.Int(333)
	b, err := json.Marshal(clue.RegisterBody{User: clue.UserBody{Key: "1", Name: "n"}, Auth: clue.AuthBody{
		ScheduleType: "SPECIFIC", ScheduleID: &id, Credentials: clue.CredentialsBody{Cards: []clue.Card{{"12345", "CSN"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"scheduleId":333`, `"cards":[{"cardNumber":"12345","formatType":"CSN"}]`, `"user":{"key":"1","name":"n"}`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
	b, _ = json.Marshal(clue.UpdateBody{ScheduleType: "ALWAYS"})
	if !strings.Contains(string(b), `"scheduleId":null`) || strings.Contains(string(b), "faceImages") {
		t.Errorf("update body %s", b)
	}
}

func TestDecodeAuthAndLoginSamples(t *testing.T) {
	a, err := clue.DecodeAuth([]byte(sampleAuth))
	if err != nil {
		t.Fatal(err)
	}
	if a.Data.AuthID != 118926 || a.Data.User.UserID != "106569" || *a.Data.Auth.ScheduleID != 333 || a.Data.Auth.Doors[0].DoorName != "SmartLight" {
		t.Errorf("auth sample: %+v", a.Data)
	}
	if _, err := clue.DecodeAuth([]byte(`{"code":200,"status":true,"data":{}}`)); err == nil {
		t.Error("an answer without authId was accepted")
	}
	l, err := clue.DecodeLogin([]byte(sampleLogin))
	if err != nil {
		t.Fatal(err)
	}
	if l.Data.AccessToken != "eyJ0.eyJ0.i-jE" || l.Data.AccountID != 1 {
		t.Errorf("login sample: %+v", l.Data)
	}
	if _, err := clue.DecodeLogin([]byte(`{"code":200,"status":true,"data":{"accountId":1}}`)); err == nil {
		t.Error("a login without token was accepted")
	}
	if _, err := clue.DecodeEvents([]byte(`{{`)); err == nil || !strings.Contains(err.Error(), "not the JSON expected") {
		t.Errorf("broken JSON: %v", err)
	}
}

func TestParseError(t *testing.T) {
	for body, want := range map[string][2]string{
		`{"errors":[{"code":"E1","message":"m1"},{"code":"E2"}]}`: {"E1", "m1"},
		`{"code":400,"status":false,"message":"bad"}`:             {"400", "bad"},
		`{"error":"Unauthorized"}`:                                {"", "Unauthorized"},
		`<html>oops</html>`:                                       {"", ""},
		`{"errors":[]}`:                                           {"", ""},
	} {
		code, msg := clue.ParseError([]byte(body))
		if code != want[0] || msg != want[1] {
			t.Errorf("%s: %q %q", body, code, msg)
		}
	}
}

func FuzzDecodeEvents(f *testing.F) {
	f.Add([]byte(sampleEvents000))
	f.Add([]byte(sampleEvents001))
	f.Add([]byte(`{"data":[{"logId":1e400,"userId":{"x":1}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := clue.DecodeEvents(b)
		if err != nil {
			return
		}
		for _, w := range a.Data {
			_ = w.Event()
		}
	})
}

func FuzzDecodeAuth(f *testing.F) {
	f.Add([]byte(sampleAuth))
	f.Add([]byte(`{"data":{"authId":"7","auth":{"scheduleId":"x"}}}`))
	f.Add([]byte(`{"data":{"authId":7,"auth":{"doors":{"doorId":"1"},"credentials":{"faceImages":"x"}}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if a, err := clue.DecodeAuth(b); err == nil && a.Data.AuthID == 0 {
			t.Fatal("accepted without authId")
		}
	})
}

func FuzzDecodeLogin(f *testing.F) {
	f.Add([]byte(sampleLogin))
	f.Fuzz(func(t *testing.T, b []byte) {
		if a, err := clue.DecodeLogin(b); err == nil && a.Data.AccessToken == "" {
			t.Fatal("accepted without token")
		}
	})
}

func FuzzParseError(f *testing.F) {
	f.Add([]byte(`{"errors":[{"code":"E1","message":"m1"}]}`))
	f.Add([]byte(`{"code":400,"status":false,"message":"bad"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = clue.ParseError(b)
	})
}

// FuzzAuthListShapes decodes auth.doors and faceImages in any shape and checks that what was
// read encodes to the samples' array shape and reads back the same.
func FuzzAuthListShapes(f *testing.F) {
	f.Add([]byte(`[{"doorId":234,"doorName":"SmartLight"}]`), []byte(`["..."]`))
	f.Add([]byte(`{"doorId":"234","doorName":"SmartLight"}`), []byte(`"..."`))
	f.Add([]byte(`null`), []byte(`""`))
	f.Fuzz(func(t *testing.T, doors, faces []byte) {
		var d, d2 clue.Doors
		if d.UnmarshalJSON(doors) == nil {
			b, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &d2); err != nil || !reflect.DeepEqual(d, d2) {
				t.Fatalf("doors %q -> %s -> %+v (%v)", doors, b, d2, err)
			}
		}
		var l, l2 clue.StringList
		if l.UnmarshalJSON(faces) == nil {
			b, err := json.Marshal(l)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &l2); err != nil || !reflect.DeepEqual(l, l2) {
				t.Fatalf("faces %q -> %s -> %q (%v)", faces, b, l2, err)
			}
		}
	})
}
