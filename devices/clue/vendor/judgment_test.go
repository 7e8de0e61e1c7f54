package vendor_test

import (
	"strings"
	"testing"

	"enrollstation/devices/clue/vendor"
)

func judgment(statusCodes []string, key, value string, typ vendor.FieldType) vendor.Judgment {
	j := vendor.Judgment{StatusCodes: codes(statusCodes...), SuccessMessage: "$.message", FailureMessage: "$.error"}
	if key != "" {
		j.SuccessResult = &vendor.SuccessResult{Key: key, Value: vendor.Text(value), Type: typ}
	}
	return j
}

func TestModes(t *testing.T) {
	mode1 := judgment([]string{"200", "201"}, "", "", "")
	mode2 := judgment(nil, "$.valid", "true", vendor.TypeBoolean)
	mode3 := judgment([]string{"200"}, "$.valid", "true", vendor.TypeBoolean)
	none := vendor.Judgment{}
	if mode1.Mode() != vendor.ModeStatusCode || mode2.Mode() != vendor.ModeBody || mode3.Mode() != vendor.ModeCombined || none.Mode() != vendor.ModeNone {
		t.Fatal("modes not told apart")
	}
	granted := `{"valid":true,"message":"Access granted.","error":"n/a"}`
	denied := `{"valid":false,"message":"ok","error":"Access denied."}`
	cases := []struct {
		name    string
		j       vendor.Judgment
		status  int
		body    string
		granted bool
		message string
		reason  string
	}{
		{"mode 1 match", mode1, 201, denied, true, "ok", "status 201 is one of 200, 201"},
		{"mode 1 no match", mode1, 403, granted, false, "n/a", "status 403 is not one of 200, 201"},
		{"mode 1 ignores a non-JSON body", mode1, 200, "<html>", true, "", "status 200"},
		{"mode 2 body holds on a 500", mode2, 500, granted, true, "Access granted.", "$.valid is true (BOOLEAN)"},
		{"mode 2 body fails on a 200", mode2, 200, denied, false, "Access denied.", "$.valid is false, not true"},
		{"mode 2 key missing", mode2, 200, `{"message":"x","error":"e"}`, false, "e", "$.valid is not in the body"},
		{"mode 2 body not JSON", mode2, 200, `<html>503</html>`, false, "", "the body is not JSON"},
		{"mode 3 both", mode3, 200, granted, true, "Access granted.", "$.valid is true"},
		{"mode 3 status fails, body not evaluated", mode3, 403, granted, false, "n/a", "the body is not evaluated"},
		{"mode 3 body fails", mode3, 200, denied, false, "Access denied.", "$.valid is false"},
		{"no criteria", none, 200, granted, false, "", "no judgment criteria"},
	}
	for _, tc := range cases {
		d := tc.j.Evaluate(tc.status, []byte(tc.body))
		if d.Granted != tc.granted || d.Message != tc.message || !strings.Contains(d.Reason, tc.reason) || d.Mode != tc.j.Mode() {
			t.Errorf("%s: %+v", tc.name, d)
		}
	}
	if strings.Contains(mode3.Evaluate(403, []byte(granted)).Reason, "$.valid") {
		t.Error("mode 3 looked at the body after the status failed")
	}
}

// TestTypedEquality: the value must match in kind as well as in content.
func TestTypedEquality(t *testing.T) {
	cases := []struct {
		typ   vendor.FieldType
		value string
		body  string
		want  bool
	}{
		{vendor.TypeBoolean, "true", `{"v":true}`, true},
		{vendor.TypeBoolean, "true", `{"v":"true"}`, false},
		{vendor.TypeBoolean, "TRUE", `{"v":true}`, true},
		{vendor.TypeBoolean, "false", `{"v":false}`, true},
		{vendor.TypeBoolean, "false", `{"v":0}`, false},
		{vendor.TypeBoolean, "false", `{"v":null}`, false},
		{vendor.TypeString, "true", `{"v":"true"}`, true},
		{vendor.TypeString, "true", `{"v":true}`, false},
		{vendor.TypeString, "OK", `{"v":"ok"}`, false},
		{vendor.TypeString, "1", `{"v":1}`, false},
		{vendor.TypeNumber, "1", `{"v":1}`, true},
		{vendor.TypeNumber, "1", `{"v":1.0}`, true},
		{vendor.TypeNumber, "100", `{"v":1e2}`, true},
		{vendor.TypeNumber, "0.1", `{"v":1E-1}`, true},
		{vendor.TypeNumber, "0", `{"v":-0.0}`, true},
		{vendor.TypeNumber, "1", `{"v":"1"}`, false},
		{vendor.TypeNumber, "1", `{"v":1.0000000000000000001}`, false},
		{vendor.TypeNumber, "12345678901234567890", `{"v":12345678901234567891}`, false},
		{vendor.TypeNumber, "-2", `{"v":-2}`, true},
		{vendor.TypeNumber, "2", `{"v":-2}`, false},
		{vendor.TypeNumber, "1e999999", `{"v":10e999998}`, true},
	}
	for _, tc := range cases {
		j := judgment(nil, "$.v", tc.value, tc.typ)
		if got := j.Evaluate(200, []byte(tc.body)).Granted; got != tc.want {
			t.Errorf("%s %q vs %s: granted %v", tc.typ, tc.value, tc.body, got)
		}
	}
}

// TestMessagesOnlyFromStrings: a number, an object or a missing key gives no message.
func TestMessagesOnlyFromStrings(t *testing.T) {
	j := judgment([]string{"200"}, "", "", "")
	for body, want := range map[string]string{
		`{"message":"Welcome"}`:    "Welcome",
		`{"message":42}`:           "",
		`{"message":{"text":"x"}}`: "",
		`{"message":["x"]}`:        "",
		`{"message":null}`:         "",
		`{"other":"x"}`:            "",
		`{"message":"true"}`:       "true",
		`{"message":""}`:           "",
		`{"message":"Access\nok"}`: "Access\nok",
	} {
		d := j.Evaluate(200, []byte(body))
		if d.Message != want {
			t.Errorf("%s: message %q", body, d.Message)
		}
		if want == "" && strings.Contains(body, `"message":`) && body != `{"message":""}` && !strings.Contains(d.Reason, "not a string") {
			t.Errorf("%s: reason %q does not say why there is no message", body, d.Reason)
		}
	}
	// No message path, no message.
	j.SuccessMessage = ""
	if d := j.Evaluate(200, []byte(`{"message":"Welcome"}`)); d.Message != "" {
		t.Errorf("message without a path: %q", d.Message)
	}
}

// FuzzEvaluate: any criteria, status and body give a decision without a panic, and a
// decision never grants where its mode says it cannot.
func FuzzEvaluate(f *testing.F) {
	f.Add("200", "$.valid", "true", "BOOLEAN", "$.message", 200, []byte(`{"valid":true,"message":"hi"}`))
	f.Add("", "$.n", "1e3", "NUMBER", "$['m']", 500, []byte(`{"n":1000}`))
	f.Add("404", "", "", "", "", 404, []byte(`<html>`))
	f.Add("200", "$.a[0]", "x", "STRING", "$..", 200, []byte(`{"a":["x"]}`))
	f.Fuzz(func(t *testing.T, code, key, value, typ, msg string, status int, body []byte) {
		j := vendor.Judgment{SuccessMessage: msg, FailureMessage: msg}
		if code != "" {
			j.StatusCodes = codes(code)
		}
		if key != "" {
			j.SuccessResult = &vendor.SuccessResult{Key: key, Value: vendor.Text(value), Type: vendor.FieldType(typ)}
		}
		d := j.Evaluate(status, body)
		if d.Mode != j.Mode() {
			t.Fatalf("mode %v, want %v", d.Mode, j.Mode())
		}
		if d.Granted && (d.Mode == vendor.ModeNone || ((d.Mode == vendor.ModeStatusCode || d.Mode == vendor.ModeCombined) && (status < 100 || status > 399))) {
			t.Fatalf("granted %+v for status %d", d, status)
		}
	})
}
