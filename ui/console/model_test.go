package console

import (
	"bytes"
	"crypto/x509"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/clue/cluesim"
	"enrollstation/enroll"
)

// doorConfig is the portal's example configuration; its URL is the simulator's.
const doorConfig = `{"name": "Door API", "authType": "FACE", "webhookUrl": "URL",
 "headers": [{"key": "Authorization", "value": "Bearer abc"}],
 "autoFields": [{"key": "deviceId", "placeholder": "{{DEVICE_SERIAL}}", "enabled": true},
                {"key": "employeeId", "placeholder": "{{USER_KEY}}", "enabled": true}],
 "manualFields": [{"name": "site", "type": "STRING", "value": "HQ"}],
 "judgment": {"statusCodes": [200],
              "successResult": {"key": "$.valid", "value": "true", "type": "BOOLEAN"},
              "successMessage": "$.message", "failureMessage": "$.message"}}`

// simulator serves the vendor webhook simulator over HTTPS, as cmd/devicesim does, and
// returns it, its URL and the engine's console that trusts its certificate.
func simulator(t *testing.T, timeout time.Duration) (*cluesim.Webhook, string, enroll.VendorConsole) {
	t.Helper()
	hook := cluesim.NewWebhook(cluesim.WebhookOptions{Known: []string{"EMP-1"}, Authorization: "Bearer abc"})
	srv := httptest.NewTLSServer(hook)
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return hook, srv.URL + "/verify", enroll.VendorConsole{Options: enroll.VendorTestOptions{RootCAs: pool, Timeout: timeout}}
}

// loaded is a console over the simulator with the example configuration and test values
// of a known user.
func loaded(t *testing.T, timeout time.Duration) (*Model, *cluesim.Webhook) {
	t.Helper()
	hook, url, tester := simulator(t, timeout)
	m := New(tester, Options{Debounce: 10 * time.Millisecond})
	t.Cleanup(m.Close)
	if err := m.Load("door.json", strings.NewReader(strings.Replace(doorConfig, "URL", url, 1))); err != nil {
		t.Fatal(err)
	}
	m.SetDeviceID("123456789")
	m.SetInputValue("EMP-1")
	m.Validate()
	return m, hook
}

// waitFor waits until cond holds of the model's state.
func waitFor(t *testing.T, m *Model, what string, cond func(State) bool) State {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		st := m.State()
		if cond(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; state %+v", what, st)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func hasMessage(st State, field, part string) bool {
	return slices.ContainsFunc(st.Messages[field], func(s string) bool { return strings.Contains(s, part) })
}

func TestMissingFieldsAreReportedAndClearWhenFilled(t *testing.T) {
	_, url, tester := simulator(t, 0)
	m := New(tester, Options{Debounce: 10 * time.Millisecond})
	t.Cleanup(m.Close)
	st := m.State()
	for _, f := range []string{FieldName, FieldURL, FieldJudgment, FieldDeviceID, FieldUserKey} {
		if len(st.Messages[f]) == 0 {
			t.Errorf("a new form has no message for %s: %v", f, st.Messages)
		}
	}
	if st.Valid {
		t.Error("an empty form is valid")
	}
	m.SetName("Door API")
	m.SetURL(url)
	m.SetStatusCodes("200")
	m.SetDeviceID("123456789")
	m.SetInputValue("EMP-1")
	st = waitFor(t, m, "no messages", func(st State) bool { return len(st.Messages) == 0 })
	if !st.Valid || len(st.Config.Judgment.StatusCodes) != 1 {
		t.Errorf("filled form: %+v", st)
	}
}

func TestURLMessageFollowsTyping(t *testing.T) {
	_, _, tester := simulator(t, 0)
	m := New(tester, Options{Debounce: 50 * time.Millisecond})
	t.Cleanup(m.Close)
	m.SetURL("http://vendor.example/verify")
	// Debounced: the message of the empty URL stays until typing pauses.
	if st := m.State(); !hasMessage(st, FieldURL, "required") || st.Config.WebhookURL != "http://vendor.example/verify" {
		t.Errorf("before the pause: %v %q", st.Messages[FieldURL], st.Config.WebhookURL)
	}
	waitFor(t, m, "the https message", func(st State) bool { return hasMessage(st, FieldURL, "https://") })
	m.SetURL("https://")
	waitFor(t, m, "the host message", func(st State) bool { return hasMessage(st, FieldURL, "host") })
	m.SetURL("https://vendor.example/verify")
	waitFor(t, m, "no URL message", func(st State) bool { return len(st.Messages[FieldURL]) == 0 })
}

func TestJSONPathMessagesAppearAndClear(t *testing.T) {
	m, _ := loaded(t, 0)
	m.SetSuccessResult("valid", "true", enroll.VendorBoolean)
	m.SetSuccessMessage("$.items[*]")
	m.SetFailureMessage("$..message")
	st := waitFor(t, m, "JSONPath messages", func(st State) bool { return len(st.Messages[FieldResultKey]) > 0 })
	want := map[string]string{FieldResultKey: "must start with $.", FieldSuccessMessage: "wildcard", FieldFailureMessage: "descendant"}
	for f, part := range want {
		if !hasMessage(st, f, part) {
			t.Errorf("%s: %v, want %q", f, st.Messages[f], part)
		}
	}
	if st.Valid {
		t.Error("valid with bad paths")
	}
	m.SetSuccessResult("$.valid", "true", enroll.VendorBoolean)
	m.SetSuccessMessage("$.message")
	m.SetFailureMessage("$.message")
	st = waitFor(t, m, "no messages", func(st State) bool { return len(st.Messages) == 0 })
	if !st.Valid {
		t.Errorf("fixed paths: %v", st.Messages)
	}
}

func TestFieldRowMessages(t *testing.T) {
	m, _ := loaded(t, 0)
	m.AddHeader()
	m.SetHeader(1, "accept", "*/*")
	m.AddManualField()
	m.SetManualField(1, "floor", enroll.VendorNumber, "3rd")
	m.SetStatusCodes("200, 404, abc")
	m.SetSuccessResult("$.valid", "", enroll.VendorBoolean)
	m.SetAutoField(1, "site", true) // the manual field's name
	st := waitFor(t, m, "row messages", func(st State) bool { return len(st.Messages[HeaderKey(1)]) > 0 })
	want := map[string]string{
		HeaderKey(1): "cannot be added", ManualValue(1): "not a number", FieldStatusCodes: "404",
		FieldResult: "value", ManualName(0): "already the key",
	}
	for f, part := range want {
		if !hasMessage(st, f, part) {
			t.Errorf("%s: %v, want %q", f, st.Messages[f], part)
		}
	}
	if !hasMessage(st, FieldStatusCodes, "abc") {
		t.Errorf("status codes: %v", st.Messages[FieldStatusCodes])
	}
	m.RemoveHeader(1)
	m.RemoveManualField(1)
	m.SetStatusCodes("200")
	m.SetSuccessResult("$.valid", "true", enroll.VendorBoolean)
	m.SetAutoField(1, "employeeId", true)
	waitFor(t, m, "no messages", func(st State) bool { return len(st.Messages) == 0 })
}

func TestAuthTypeChangesAutoFieldsAndTestValue(t *testing.T) {
	m, _ := loaded(t, 0)
	m.SetAuthType(enroll.VendorAuthRFCard)
	st := waitFor(t, m, "card message", func(st State) bool { return len(st.Messages[FieldCardNumber]) > 0 })
	var phs []string
	for _, f := range st.Config.AutoFields {
		phs = append(phs, f.Placeholder)
	}
	if !slices.Equal(phs, []string{"{{DEVICE_SERIAL}}", "{{CARD_NUMBER}}"}) || st.Config.AutoFields[0].Key != "deviceId" {
		t.Errorf("auto fields %+v", st.Config.AutoFields)
	}
	m.SetInputValue("12345")
	st = waitFor(t, m, "no messages", func(st State) bool { return len(st.Messages) == 0 })
	if st.Input.CardNumber != "12345" || st.Input.UserKey != "EMP-1" || st.InputValue() != "12345" {
		t.Errorf("input %+v", st.Input)
	}
}

// run starts a test call and waits for its result.
func run(t *testing.T, m *Model) *Result {
	t.Helper()
	m.Run(t.Context())
	st := waitFor(t, m, "the result", func(st State) bool { return !st.Running && st.Result != nil })
	return st.Result
}

func TestRunShowsRequestResponseClassAndJudgment(t *testing.T) {
	m, hook := loaded(t, 0)
	got := run(t, m)
	got.DurationMs = 0
	got.ResponseHeaders = slices.DeleteFunc(got.ResponseHeaders, func(h string) bool { return strings.HasPrefix(h, "Date:") })
	want := &Result{
		Verdict: VerdictGranted, Class: enroll.VendorClassC, Meaning: got.Class.Describe(),
		Sent: true, Method: "POST", URL: m.State().Config.WebhookURL,
		RequestHeaders: []string{"Accept: application/json", "Authorization: [redacted, 10 characters]", "Content-Type: application/json"},
		RequestBody:    "{\n  \"deviceId\": \"123456789\",\n  \"employeeId\": \"EMP-1\",\n  \"site\": \"HQ\"\n}",
		Answered:       true, StatusCode: 200, ContentType: "application/json",
		ResponseHeaders: []string{"Content-Length: 42", "Content-Type: application/json"},
		ResponseBody:    "{\n  \"message\": \"Access granted.\",\n  \"valid\": true\n}", ResponseJSON: true,
		Fields: []ResponseField{{"$.message", "Access granted.", enroll.VendorString}, {"$.valid", "true", enroll.VendorBoolean}},
		Decision: &enroll.VendorDecision{Mode: 3, Granted: true, Message: "Access granted.",
			Reason: "status 200 is one of 200; $.valid is true (BOOLEAN)"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("result\n got %+v\nwant %+v\n got decision %+v", got, want, got.Decision)
	}
	if len(hook.Requests()) != 1 || hook.Requests()[0].Header.Get("Authorization") != "Bearer abc" {
		t.Errorf("requests %+v", hook.Requests())
	}

	// The criteria are tuned on the same answer: no second call.
	m.SetSuccessResult("$.valid", "true", enroll.VendorString)
	st := waitFor(t, m, "re-judged", func(st State) bool { return st.Result.Verdict == VerdictDenied })
	if r := st.Result; r.Stale || !strings.Contains(r.Decision.Reason, `$.valid is true, not "true" (STRING)`) || len(hook.Requests()) != 1 {
		t.Errorf("re-judged %+v %+v", r, r.Decision)
	}
	m.SetStatusCodes("")
	m.SetSuccessResult("", "", "")
	waitFor(t, m, "no criteria", func(st State) bool { return st.Result.Verdict == VerdictNoCriteria && st.Result.Decision == nil })
	m.SetInputValue("nobody")
	if st := waitFor(t, m, "stale", func(st State) bool { return st.Result.Stale }); st.Result.Verdict != VerdictNoCriteria {
		t.Errorf("stale %+v", st.Result)
	}
}

func TestUnknownUserIsDenied(t *testing.T) {
	m, _ := loaded(t, 0)
	m.SetInputValue("nobody")
	r := run(t, m)
	if r.Verdict != VerdictDenied || r.Class != enroll.VendorClassC || r.StatusCode != 403 ||
		r.Decision.Message != "Access denied: unknown credential." || !strings.Contains(r.Decision.Reason, "status 403 is not one of 200") {
		t.Errorf("%+v %+v", r, r.Decision)
	}
}

func TestHTMLAnswerIsAFailure(t *testing.T) {
	m, hook := loaded(t, 0)
	hook.SetAnswer(cluesim.HTMLAnswer(502, "<html><body>Bad Gateway</body></html>"))
	r := run(t, m)
	if r.Verdict != VerdictFailed || r.Class != enroll.VendorClassB || !r.Answered || r.StatusCode != 502 ||
		r.ResponseJSON || r.ResponseBody != "<html><body>Bad Gateway</body></html>" || !strings.Contains(r.Problem, "text/html") || r.Decision != nil {
		t.Errorf("%+v", r)
	}
}

func TestErrorAnswerIsDenied(t *testing.T) {
	m, hook := loaded(t, 0)
	hook.SetAnswer(cluesim.JSONAnswer(500, map[string]any{"valid": true, "message": "Internal error"}))
	r := run(t, m)
	if r.Verdict != VerdictDenied || r.Class != enroll.VendorClassC || r.StatusCode != 500 ||
		!strings.Contains(r.Decision.Reason, "status 500 is not one of 200; the body is not evaluated") || r.Decision.Message != "Internal error" {
		t.Errorf("%+v %+v", r, r.Decision)
	}
}

func TestBlockedTestSendsNothing(t *testing.T) {
	m, hook := loaded(t, 0)
	m.SetDeviceID("12")
	r := run(t, m)
	if r.Verdict != VerdictBlocked || r.Sent || r.Answered || len(hook.Requests()) != 0 ||
		!slices.ContainsFunc(r.Violations, func(v enroll.VendorViolation) bool { return v.Field == FieldDeviceID }) {
		t.Errorf("%+v", r)
	}
}

func TestCancelStopsTheCall(t *testing.T) {
	m, hook := loaded(t, time.Minute)
	hook.SetDelay(time.Minute)
	m.Run(t.Context())
	if !m.State().Running {
		t.Fatal("not running")
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(hook.Requests()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	m.Run(t.Context()) // ignored while one runs
	start := time.Now()
	m.Cancel()
	st := waitFor(t, m, "cancelled", func(st State) bool { return !st.Running && st.Result != nil })
	if st.Result.Verdict != VerdictCancelled || !st.Result.Sent || time.Since(start) > 5*time.Second || len(hook.Requests()) != 1 {
		t.Errorf("%+v after %s", st.Result, time.Since(start))
	}
}

func TestSaveAndLoad(t *testing.T) {
	m, _ := loaded(t, 0)
	var buf bytes.Buffer
	if err := m.Save("door.json", &buf); err != nil {
		t.Fatal(err)
	}
	if st := m.State(); st.FileAction != FileSaved || st.FileName != "door.json" {
		t.Errorf("%v %q", st.FileAction, st.FileName)
	}
	saved := m.State().Config

	_, _, tester := simulator(t, 0)
	other := New(tester, Options{})
	t.Cleanup(other.Close)
	if err := other.Load("door.json", &buf); err != nil {
		t.Fatal(err)
	}
	st := other.State()
	if !reflect.DeepEqual(st.Config, saved) || st.StatusCodes != "200" || !st.Valid {
		t.Errorf("loaded\n%+v\nwant\n%+v", st.Config, saved)
	}

	if err := other.Load("bad.json", strings.NewReader(`{"webhook": "https://x"}`)); err == nil {
		t.Error("a misspelt key loaded")
	}
	if st := other.State(); st.FileAction != FileLoadFailed || !strings.Contains(st.FileProblem, "webhook") || st.Config.Name != "Door API" {
		t.Errorf("failed load: %v %q %q", st.FileAction, st.FileProblem, st.Config.Name)
	}

	other.SetStatusCodes("200, OK")
	if err := other.Save("door.json", &bytes.Buffer{}); err == nil {
		t.Error("saved a status code that is not a number")
	}
	if st := other.State(); st.FileAction != FileSaveFailed || !strings.Contains(st.FileProblem, "OK") {
		t.Errorf("failed save: %v %q", st.FileAction, st.FileProblem)
	}
}

func TestResponseFieldsNameEveryValue(t *testing.T) {
	body := `{"data": {"ok": true, "items": [{"id": 7.50}], "a b": "x", "none": null}, "user name": "y", "message": "hi"}`
	got := responseFields([]byte(body))
	want := []ResponseField{
		{`$.data["a b"]`, "x", enroll.VendorString},
		{"$.data.items[0].id", "7.50", enroll.VendorNumber},
		{"$.data.ok", "true", enroll.VendorBoolean},
		{"$.message", "hi", enroll.VendorString},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if s := want[3].Shown(); s != `$.message = "hi"` {
		t.Errorf("shown %s", s)
	}
	if responseFields([]byte("<html>")) != nil {
		t.Error("fields of HTML")
	}
}

// The criteria are set from the response, as the portal's drag and drop does.
func TestCriteriaFromResponseFields(t *testing.T) {
	m, _ := loaded(t, 0)
	m.SetStatusCodes("")
	m.SetSuccessResult("", "", "")
	m.SetSuccessMessage("")
	m.SetFailureMessage("")
	r := run(t, m)
	if r.Verdict != VerdictNoCriteria || len(r.Fields) != 2 {
		t.Fatalf("%+v", r)
	}
	if err := m.UseField(1, UseSuccessResult); err != nil {
		t.Fatal(err)
	}
	if err := m.UseField(0, UseSuccessMessage); err != nil {
		t.Fatal(err)
	}
	if err := m.UseField(2, UseFailureMessage); err == nil {
		t.Error("a field that is not there was used")
	}
	st := waitFor(t, m, "granted", func(st State) bool { return st.Result.Verdict == VerdictGranted })
	j := st.Config.Judgment
	if *j.SuccessResult != (enroll.VendorSuccessResult{Key: "$.valid", Value: "true", Type: enroll.VendorBoolean}) ||
		j.SuccessMessage != "$.message" || st.Result.Decision.Message != "Access granted." || len(st.Messages) != 0 {
		t.Errorf("judgment %+v %+v, decision %+v, messages %v", j, j.SuccessResult, st.Result.Decision, st.Messages)
	}
}
