package actatek

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/internal/fault"
)

func TestIDsDecodeEitherFormEncodeArray(t *testing.T) {
	cases := map[string]IDs{
		`3`:          {3},
		`"3"`:        {3},
		`[1,2]`:      {1, 2},
		`["1", 2.0]`: {1, 2},
		`null`:       nil,
		`[]`:         {},
	}
	for in, want := range cases {
		var got IDs
		if err := json.Unmarshal([]byte(in), &got); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v, want %#v", in, got, want)
		}
	}
	for _, bad := range []string{`"x"`, `[1.5]`, `{}`, `true`} {
		var got IDs
		if err := json.Unmarshal([]byte(bad), &got); err == nil {
			t.Errorf("%s decoded to %v, want an error", bad, got)
		}
	}
	b, _ := json.Marshal(struct {
		A IDs `json:"a"`
		B IDs `json:"b"`
		C IDs `json:"c,omitempty"`
	}{A: IDs{7}, B: nil})
	if string(b) != `{"a":[7],"b":[]}` {
		t.Errorf("encoded %s", b)
	}
}

func TestListDecodesSingleOrArray(t *testing.T) {
	var one, many List[FacialRecord]
	if err := json.Unmarshal([]byte(`{"FacialTemplateType":1,"FacialTemplate":"AAEC"}`), &one); err != nil {
		t.Fatal(err)
	}
	if len(one) != 1 || one[0].TemplateType != 1 || !bytes.Equal(one[0].Template, []byte{0, 1, 2}) {
		t.Errorf("single: %+v", one)
	}
	if err := json.Unmarshal([]byte(`[{"FacialTemplateType":2},{"FacialTemplateType":"3"}]`), &many); err != nil {
		t.Fatal(err)
	}
	if len(many) != 2 || many[1].TemplateType != 3 {
		t.Errorf("array: %+v", many)
	}
	b, _ := json.Marshal(one)
	if !strings.HasPrefix(string(b), "[{") {
		t.Errorf("a single record must encode as an array, got %s", b)
	}
}

func TestDateTimeKeepsUTCAndLocalApart(t *testing.T) {
	cases := []struct {
		in, out string
		local   bool
	}{
		{"2025-07-16T10:24:13Z", "2025-07-16T10:24:13Z", false},
		{"2025-07-16T10:24:13", "2025-07-16T10:24:13", true},
		{"2025-07-16 10:24:13", "2025-07-16T10:24:13", true},
		{"2025-07-16T10:24:13.750", "2025-07-16T10:24:13", true},
		{"2025-07-16T18:24:13+08:00", "2025-07-16T10:24:13Z", false},
		{"2025-07-16T10:24", "2025-07-16T10:24:00", true},
	}
	for _, c := range cases {
		d, err := ParseDateTime(c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if d.Local != c.local || d.String() != c.out {
			t.Errorf("%s: got %q local=%v, want %q local=%v", c.in, d.String(), d.Local, c.out, c.local)
		}
		var back DateTime
		b, _ := json.Marshal(d)
		if err := json.Unmarshal(b, &back); err != nil || back.String() != d.String() || back.Local != d.Local {
			t.Errorf("%s: round trip gave %q local=%v (%v)", c.in, back.String(), back.Local, err)
		}
	}
	for _, zero := range []string{`0`, `"0"`, `null`, `""`} {
		var d DateTime
		if err := json.Unmarshal([]byte(zero), &d); err != nil || !d.IsZero() {
			t.Errorf("%s: want the zero DateTime, got %v (%v)", zero, d, err)
		}
	}
	if b, _ := json.Marshal(DateTime{}); string(b) != "0" {
		t.Errorf("zero encodes as %s, want 0 (3.1 expirydate)", b)
	}
	if _, err := ParseDateTime("16/07/2025"); err == nil || !strings.Contains(err.Error(), "xsd:datetime") {
		t.Errorf("bad date: %v", err)
	}
	hk := time.FixedZone("HKT", 8*3600)
	local, _ := ParseDateTime("2025-07-16T10:00:00")
	utc, _ := ParseDateTime("2025-07-16T02:00:00Z")
	if !local.In(hk).Equal(utc.In(hk)) {
		t.Errorf("10:00 terminal-local in +08:00 is %v, 02:00Z is %v", local.In(hk), utc.In(hk))
	}
}

func TestBase64Lenient(t *testing.T) {
	want := []byte{0xfb, 0xff, 0xfe, 0x01}
	for _, in := range []string{`"+//+AQ=="`, `"+//+AQ"`, `"-__-AQ=="`, `"+//+\nAQ=="`, `"data:image/jpeg;base64,+//+AQ=="`} {
		var b Base64
		if err := json.Unmarshal([]byte(in), &b); err != nil || !bytes.Equal(b, want) {
			t.Errorf("%s: got %x (%v)", in, []byte(b), err)
		}
	}
	var b Base64
	if err := json.Unmarshal([]byte(`"not base64!"`), &b); err == nil {
		t.Error("invalid base64 decoded without an error")
	}
	if err := json.Unmarshal([]byte(`12`), &b); err == nil {
		t.Error("a number decoded as base64 data")
	}
	out, _ := json.Marshal(Base64(want))
	if string(out) != `"+//+AQ=="` {
		t.Errorf("encoded %s", out)
	}
}

func TestIntAndBoolLenient(t *testing.T) {
	var n struct {
		A, B, C Int
	}
	if err := json.Unmarshal([]byte(`{"A":"0","B":12.0,"C":null}`), &n); err != nil || n.A != 0 || n.B != 12 {
		t.Errorf("%+v %v", n, err)
	}
	var bad Int
	if err := json.Unmarshal([]byte(`1.5`), &bad); err == nil {
		t.Error("1.5 decoded as an integer")
	}
	for in, want := range map[string]Bool{`true`: true, `"1"`: true, `"enable"`: true, `0`: false, `"disable"`: false, `null`: false} {
		var b Bool
		if err := json.Unmarshal([]byte(in), &b); err != nil || b != want {
			t.Errorf("%s: got %v (%v)", in, b, err)
		}
	}
	var b Bool
	if err := json.Unmarshal([]byte(`"maybe"`), &b); err == nil {
		t.Error("maybe decoded as a boolean")
	}
}

func TestDecodeJSONAcceptsTheSpecsTrailingCommas(t *testing.T) {
	var r Result
	if err := decodeJSON([]byte(`{ "status": "success", }`), &r); err != nil || r.Status != "success" {
		t.Errorf("%+v %v", r, err)
	}
	var l []Log
	if err := decodeJSON([]byte(`[{"logID":1,"trigger":"a,}"},]`), &l); err != nil || len(l) != 1 || l[0].Trigger != "a,}" {
		t.Errorf("%+v %v", l, err)
	}
	if err := decodeJSON([]byte(`{"status":`), &r); err == nil {
		t.Error("truncated JSON decoded")
	}
}

func TestRefusalClassification(t *testing.T) {
	cases := []struct {
		call   string
		status int
		msg    string
		want   []*fault.Kind // kinds it must match
		not    []*fault.Kind // kinds it must not match
	}{
		{"getUsers", 400, MsgSessionExpired, []*fault.Kind{ErrSessionExpired}, []*fault.Kind{ErrUserExists, ErrRejected}},
		{"getUsers", 400, "Session expired", []*fault.Kind{ErrSessionExpired}, nil},
		{"x", 401, "", []*fault.Kind{ErrSessionExpired}, nil},
		{"x", 403, "forbidden", []*fault.Kind{ErrSessionExpired}, nil},
		// The word alone is not a session refusal: re-login is decided by status and shape.
		{"addUser", 400, "User session1 already exists", []*fault.Kind{ErrUserExists, ErrConflict}, []*fault.Kind{ErrSessionExpired}},
		{"addUser", 400, "user field sessionToken is not valid", []*fault.Kind{ErrRejected}, []*fault.Kind{ErrSessionExpired}},
		{"getUsers", 500, "invalid session table", nil, []*fault.Kind{ErrSessionExpired}},
		{"addUser", 400, "User A1 already exists", []*fault.Kind{ErrUserExists, ErrConflict}, nil},
		{"addUsers", 200, "User A1 already exists", []*fault.Kind{ErrUserExists}, nil},
		{"addDepartment", 200, "department ID 3 already exists", []*fault.Kind{ErrConflict}, []*fault.Kind{ErrUserExists}},
		{"addUser", 400, "terminal full: 1000 of 1000 users registered", []*fault.Kind{ErrTerminalFull, ErrRejected}, []*fault.Kind{ErrConflict}},
		{"addUser", 400, "department 7 does not exist", []*fault.Kind{ErrNotFound}, []*fault.Kind{ErrUserExists}},
		{"addUser", 200, "bad photo", []*fault.Kind{ErrRejected}, nil},
		{"x", 429, "", []*fault.Kind{ErrThrottled}, nil},
		{"x", 503, "", []*fault.Kind{ErrUnavailable}, nil},
	}
	for _, c := range cases {
		e := answerError(c.call, c.status, c.msg)
		for _, k := range c.want {
			if !errors.Is(e, k) {
				t.Errorf("%s %d %q: does not match %v", c.call, c.status, c.msg, k)
			}
		}
		for _, k := range c.not {
			if errors.Is(e, k) {
				t.Errorf("%s %d %q: matches %v", c.call, c.status, c.msg, k)
			}
		}
		if e.Device != fault.ACTAtek || e.Call != c.call || e.Status != c.status || e.Message != c.msg {
			t.Errorf("answerError(%s, %d, %q) = %+v", c.call, c.status, c.msg, *e)
		}
	}
	msg := answerError("addUsers", 400, "terminal full").Error()
	if !strings.Contains(msg, "addUsers") || !strings.Contains(msg, "400") || !strings.Contains(msg, "terminal full") {
		t.Errorf("error text %q must name the call, the status and the message", msg)
	}
}

func TestQueriesAndPaths(t *testing.T) {
	dept := 0
	from, _ := ParseDateTime("2025-07-16T00:00:00Z")
	q := LogFilter{From: from, Trigger: "REMOTE DOOR OPEN", DepartmentID: &dept}.Query()
	if got := encodeQuery(q); got != "departmentID=0&from=2025-07-16T00%3A00%3A00Z&trigger=REMOTE%20DOOR%20OPEN" {
		t.Errorf("query %s", got)
	}
	if got := pathUserID("123", "A/1 b"); got != "/cgi-bin/restapi/user/123/A%2F1%20b" {
		t.Errorf("path %s", got)
	}
	ts, _ := ParseDateTime("2025-07-20T10:20:30")
	if got := pathAddLog("9", ts, "105", "IN"); got != "/cgi-bin/restapi/addLog/9/2025-07-20T10:20:30/105/IN" {
		t.Errorf("path %s", got)
	}
	if got := pathFullLogs("9", 10); got != "/cgi-bin/restapi/getLogs/9/10" {
		t.Errorf("path %s", got)
	}
	if len((UserFilter{}).Query()) != 0 || len((DepartmentFilter{}).Query()) != 0 || len((JobCodeFilter{}).Query()) != 0 {
		t.Error("empty filters must send nothing")
	}
}

func TestSessionIDStringOrNumber(t *testing.T) {
	for in, want := range map[string]string{`{"sessionid":"1805350299"}`: "1805350299", `{"sessionid":1805350299}`: "1805350299"} {
		var a loginAnswer
		if err := json.Unmarshal([]byte(in), &a); err != nil || string(a.SessionID) != want {
			t.Errorf("%s: %q %v", in, a.SessionID, err)
		}
	}
	var a loginAnswer
	if err := json.Unmarshal([]byte(`{"sessionid":{}}`), &a); err == nil {
		t.Error("an object decoded as a session id")
	}
}

func TestErrorStatusIn200(t *testing.T) {
	err := errorStatus("opendoor", http.StatusOK, []byte(`{"status":"error","message":"door is locked down"}`))
	var e *Error
	if !errors.As(err, &e) || e.Message != "door is locked down" || e.Call != "opendoor" {
		t.Errorf("got %v", err)
	}
	if errorStatus("x", 200, []byte(`{"status":"success","message":"error count 0"}`)) != nil {
		t.Error("a success mentioning error is not a refusal")
	}
}

// Fuzz targets: the decoders of device data must never panic, and what they accept must
// survive a round trip through our encoding.

func FuzzDecodeUsers(f *testing.F) {
	f.Add([]byte(`[{"userID":"111","lastName":"Li","firstName":"Edwin","adminLevel":"PERSONALUSER","groupID":[0],"departmentID":[0],"status":{"active":true,"autoMatch":true,"smartCard":true,"fingerprint":true,"password":false,"facial":true,"facialAutoMatch":true},"facialrecords":[{"FacialTemplateType":2,"FacialTemplate":"QmFzZTY0"}],"cardsn":"AAAAAAAA","ScoreThreshold":0}]`))
	f.Add([]byte(`{"userID":"A0001","groupID":0,"departmentID":"1","keyrecords":{"keytype":1,"keystring":"k","keyid":"1","keyenabled":true},"facialrecords":{"FacialTemplateType":1,"FacialTemplate":"eHh4","FacialPhoto":"/9j/"},"expirydate":0,}`))
	f.Add([]byte(`[{"userID":"x","expirydate":"2026-01-01T00:00:00Z","status":{"active":"1"}}]`))
	f.Add([]byte(`[{"userID":111,"cardsn":3,"status":{"active":1,"facial":"true"},"ScoreThreshold":"70","expirydate":0}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var users List[User]
		if err := decodeJSON(data, &users); err != nil {
			return
		}
		enc, err := json.Marshal(users)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		var again List[User]
		if err := json.Unmarshal(enc, &again); err != nil {
			t.Fatalf("our own encoding %s does not decode: %v", enc, err)
		}
		enc2, _ := json.Marshal(again)
		if !bytes.Equal(enc, enc2) {
			t.Fatalf("round trip changed the users:\n%s\n%s", enc, enc2)
		}
	})
}

func FuzzDecodeLogs(f *testing.F) {
	f.Add([]byte(`[{"logID":1,"userID":"A999","timestamp":"2025-07-16T10:24:13","trigger":"REMOTE DOOR OPEN","terminalSN":"00111D000000"}]`))
	f.Add([]byte(`[{"logID":"2","timestamp":"2025-07-16T10:24:13Z"},]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var logs List[Log]
		if err := decodeJSON(data, &logs); err != nil {
			return
		}
		enc, err := json.Marshal(logs)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		var again List[Log]
		if err := json.Unmarshal(enc, &again); err != nil {
			t.Fatalf("our own encoding %s does not decode: %v", enc, err)
		}
		for i := range logs {
			if logs[i].Timestamp.String() != again[i].Timestamp.String() || logs[i].Timestamp.Local != again[i].Timestamp.Local {
				t.Fatalf("timestamp %q became %q", logs[i].Timestamp, again[i].Timestamp)
			}
		}
	})
}

func FuzzDecodeFullLogs(f *testing.F) {
	f.Add([]byte(`[{"logID":9355,"userID":"111","userName":"Edwin Li","departmentName":"General","timestamp":"2020-04-06T19:11:16","trigger":"IN","terminalSN":"00111D000000","terminalName":"ACTAtek","jpegPhoto":"/9j/4AAQ","accessMethod":"FACE","remarks":"#FACE#"},]`))
	f.Add([]byte(`{"logID":1,"jpegPhoto":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var logs List[FullLog]
		if err := decodeJSON(data, &logs); err != nil {
			return
		}
		enc, err := json.Marshal(logs)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		var again List[FullLog]
		if err := json.Unmarshal(enc, &again); err != nil {
			t.Fatalf("our own encoding %s does not decode: %v", enc, err)
		}
		for i := range logs {
			if !bytes.Equal(logs[i].JPEGPhoto, again[i].JPEGPhoto) {
				t.Fatalf("photo of log %d changed", logs[i].LogID)
			}
		}
	})
}

func FuzzParseDateTime(f *testing.F) {
	for _, s := range []string{"2025-07-16T10:24:13Z", "2025-07-16T10:24:13", "2025-07-16 10:24:13.5", "2025-07-16T18:24:13+08:00", "0", "0001-01-01T00:00:00.5", "9999-12-31T23:59:59-01:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDateTime(s)
		if err != nil {
			return
		}
		again, err := ParseDateTime(d.String())
		if err != nil {
			t.Fatalf("%q parsed, but its wire form %q does not: %v", s, d.String(), err)
		}
		if again.String() != d.String() || again.Local != d.Local {
			t.Fatalf("%q: %q local=%v became %q local=%v", s, d, d.Local, again, again.Local)
		}
	})
}

func FuzzDecodeAnswers(f *testing.F) {
	f.Add([]byte(`{"serialNumber":"00111D000000","registeredUsers":"16","maximumUsers":1000}`))
	f.Add([]byte(`[{"id":0,"name":"General Staff","departmentid":"0","accessrightid":[0]}]`))
	f.Add([]byte(`{"status":"error","message":"xxxxxxx"}`))
	f.Add([]byte(`{"format":"QR_PNG","expiry":"2025-08-20T04:14:40Z","data":"iVBORw0KGgo="}`))
	f.Add([]byte(`{ "status": "success", "message": "some holiday added", "invalid_dates": ["2025-13-01"] }`))
	f.Add([]byte(`[{"url":"https://anc.cde.com","registrationTime":"2025-08-29T09:24:21Z","lastCheckStatus":false,"active":true}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		targets := []any{
			&loginAnswer{}, &TerminalStatus{}, &List[Department]{}, &List[AccessGroup]{}, &List[AccessRight]{},
			&List[Trigger]{}, &List[Agent]{}, &TOTP{}, &Holidays{}, &HolidayResult{}, &List[Result]{},
			&List[RelaySetting]{}, &AutoInOut{}, &RTPSetting{}, &LogSetting{}, &List[JobCode]{}, &TerminalTime{},
			&logPhotoAnswer{}, &photoAnswer{}, &userCount{},
		}
		for _, v := range targets {
			_ = decodeJSON(data, v)
		}
		for _, status := range []int{200, 400, 500} {
			var e *Error
			if err := refusal("call", status, data); !errors.As(err, &e) || e.Status != status || e.Error() == "" {
				t.Fatalf("refusal gave %v", err)
			}
			if err := errorStatus("call", status, data); err != nil && !errors.As(err, &e) {
				t.Fatalf("errorStatus gave %T", err)
			}
		}
	})
}
