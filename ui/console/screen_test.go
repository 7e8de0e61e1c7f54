package console

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// queue stands for the UI goroutine: the model's goroutines queue refreshes, and the test
// applies them on its own goroutine with flush.
type queue struct {
	mu  sync.Mutex
	fns []func()
}

func (q *queue) run(fn func()) {
	q.mu.Lock()
	q.fns = append(q.fns, fn)
	q.mu.Unlock()
}

func (q *queue) flush() {
	for {
		q.mu.Lock()
		fns := q.fns
		q.fns = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return
		}
		for _, fn := range fns {
			fn()
		}
	}
}

func newTestScreen(t *testing.T, m *Model) (*Screen, *queue) {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	q := &queue{}
	s := newScreen(t.Context(), m, w, q.run)
	w.SetContent(s.Content())
	w.Resize(fyne.NewSize(1400, 900))
	return s, q
}

// retype replaces an entry's text as the technician would: clear it, then type.
func retype(e interface {
	SetText(string)
	TypedRune(rune)
}, text string) {
	e.SetText("")
	for _, r := range text {
		e.TypedRune(r)
	}
}

func TestScreenShowsMessagesBesideFields(t *testing.T) {
	m, _ := loaded(t, 0)
	s, q := newTestScreen(t, m)
	url := m.State().Config.WebhookURL
	if s.url.Text != url || s.urlMsg.Visible() || len(s.headerRows) != 1 || len(s.autoRows) != 2 || len(s.manualRows) != 1 {
		t.Fatalf("loaded form: url %q, message shown %v, rows %d %d %d", s.url.Text, s.urlMsg.Visible(), len(s.headerRows), len(s.autoRows), len(s.manualRows))
	}

	s.url.SetText("")
	test.Type(s.url, "http://vendor.example")
	waitFor(t, m, "the https message", func(st State) bool { return hasMessage(st, FieldURL, "https://") })
	q.flush()
	if !s.urlMsg.Visible() || !strings.Contains(s.urlMsg.Text, "https://") {
		t.Errorf("URL message %q shown %v", s.urlMsg.Text, s.urlMsg.Visible())
	}
	retype(s.url, url)
	waitFor(t, m, "no URL message", func(st State) bool { return len(st.Messages[FieldURL]) == 0 })
	q.flush()
	if s.urlMsg.Visible() || m.State().Config.WebhookURL != url {
		t.Errorf("URL message still shown: %q", s.urlMsg.Text)
	}

	retype(s.successMsg, "message")
	waitFor(t, m, "the JSONPath message", func(st State) bool { return len(st.Messages[FieldSuccessMessage]) > 0 })
	q.flush()
	if !s.successMsgMsg.Visible() || !strings.Contains(s.successMsgMsg.Text, "must start with $.") {
		t.Errorf("JSONPath message %q", s.successMsgMsg.Text)
	}

	test.Tap(s.addHeader)
	q.flush()
	if len(s.headerRows) != 2 {
		t.Fatalf("%d header rows", len(s.headerRows))
	}
	test.Type(s.headerRows[1].key, "Accept")
	waitFor(t, m, "the reserved header message", func(st State) bool { return hasMessage(st, HeaderKey(1), "cannot be added") })
	q.flush()
	if row := s.headerRows[1]; !row.msg.Visible() || !strings.Contains(row.msg.Text, "cannot be added") {
		t.Errorf("header message %q", row.msg.Text)
	}
	test.Tap(s.headerRows[1].remove)
	retype(s.successMsg, "$.message")
	waitFor(t, m, "no messages", func(st State) bool { return len(st.Messages) == 0 })
	q.flush()
	if len(s.headerRows) != 1 || s.successMsgMsg.Visible() || s.headerRows[0].value.Text != "Bearer abc" {
		t.Errorf("fixed: %d rows, message %q", len(s.headerRows), s.successMsgMsg.Text)
	}
}

func TestScreenRunsATest(t *testing.T) {
	m, hook := loaded(t, 0)
	s, q := newTestScreen(t, m)
	if s.inputLabel.Text != "User key" || s.inputValue.Text != "EMP-1" {
		t.Errorf("test value %q %q", s.inputLabel.Text, s.inputValue.Text)
	}
	test.Tap(s.execute)
	st := waitFor(t, m, "the result", func(st State) bool { return !st.Running && st.Result != nil })
	q.flush()
	if st.Result.Verdict != VerdictGranted || len(hook.Requests()) != 1 {
		t.Fatalf("%+v", st.Result)
	}
	v := s.result
	got := map[string]string{
		"verdict": v.verdict.Text, "class": v.class.Text, "judgment": v.judgment.Text, "device": v.deviceMsg.Text,
		"request": v.reqLine.Text, "response": v.respLine.Text,
	}
	want := map[string]string{
		"verdict": "Success: access would be granted.", "class": "Class C: " + st.Result.Meaning,
		"judgment": "Judgment mode 3 (combined verification): status 200 is one of 200; $.valid is true (BOOLEAN)",
		"device":   "Message on the device: “Access granted.”",
		"request":  "POST " + st.Config.WebhookURL,
		"response": "HTTP 200, application/json, " + strconv.FormatInt(st.Result.DurationMs, 10) + " ms",
	}
	for k := range want {
		if got[k] != want[k] {
			t.Errorf("%s: got %q, want %q", k, got[k], want[k])
		}
	}
	if !strings.Contains(v.reqHeaders.Text, "Authorization: [redacted, 10 characters]") || strings.Contains(v.reqHeaders.Text, "abc") {
		t.Errorf("request headers %q", v.reqHeaders.Text)
	}
	if !strings.Contains(v.respBody.Text, "\"valid\": true") || !strings.Contains(v.respHeaders.Text, "Content-Type: application/json") {
		t.Errorf("response %q %q", v.respHeaders.Text, v.respBody.Text)
	}

	// The response's fields fill the criteria: the success result becomes $.message = "Access granted." (STRING).
	if len(v.fields.Objects) != 3 {
		t.Fatalf("%d field rows", len(v.fields.Objects))
	}
	row := v.fields.Objects[1].(*fyne.Container) // $.message
	buttons := row.Objects[1].(*fyne.Container)
	test.Tap(buttons.Objects[0].(*widget.Button))
	waitFor(t, m, "the string criterion", func(st State) bool { return st.Config.Judgment.SuccessResult.Key == "$.message" })
	q.flush()
	if s.resultKey.Text != "$.message" || s.resultValue.Text != "Access granted." || s.resultType.Selected != "STRING" || v.verdict.Text != "Success: access would be granted." {
		t.Errorf("criterion from the response: %q %q %q, %q", s.resultKey.Text, s.resultValue.Text, s.resultType.Selected, v.verdict.Text)
	}

	// Tuning the criteria re-judges the same answer on screen.
	retype(s.codes, "201")
	waitFor(t, m, "re-judged", func(st State) bool { return st.Result.Verdict == VerdictDenied })
	q.flush()
	if v.verdict.Text != "Failure: access would be denied." || !strings.Contains(v.judgment.Text, "status 200 is not one of 201") {
		t.Errorf("re-judged %q %q", v.verdict.Text, v.judgment.Text)
	}
}

func TestScreenCancelsATest(t *testing.T) {
	m, hook := loaded(t, time.Minute)
	hook.SetDelay(time.Minute)
	s, q := newTestScreen(t, m)
	if !s.cancel.Disabled() || s.progress.Visible() {
		t.Error("cancel enabled or progress shown before a test")
	}
	test.Tap(s.execute)
	q.flush()
	if !s.progress.Visible() || s.cancel.Disabled() || !s.execute.Disabled() || s.result.verdict.Text != "Waiting for the vendor…" {
		t.Errorf("running: progress %v cancel %v execute %v %q", s.progress.Visible(), !s.cancel.Disabled(), !s.execute.Disabled(), s.result.verdict.Text)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(hook.Requests()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	test.Tap(s.cancel)
	st := waitFor(t, m, "cancelled", func(st State) bool { return !st.Running && st.Result != nil })
	q.flush()
	if st.Result.Verdict != VerdictCancelled || s.result.verdict.Text != "Test cancelled." || s.progress.Visible() || !s.cancel.Disabled() {
		t.Errorf("cancelled: %+v %q", st.Result, s.result.verdict.Text)
	}
}

// Enter in a test value runs the test, as the Execute button does.
func TestScreenEnterRunsATest(t *testing.T) {
	m, hook := loaded(t, 0)
	s, q := newTestScreen(t, m)
	s.win.Canvas().Focus(s.inputValue)
	s.inputValue.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	waitFor(t, m, "the result", func(st State) bool { return !st.Running && st.Result != nil })
	q.flush()
	if len(hook.Requests()) != 1 || s.result.verdict.Text != "Success: access would be granted." {
		t.Errorf("%d requests, verdict %q", len(hook.Requests()), s.result.verdict.Text)
	}
}

// The add buttons stop at the spec's limits: 10 headers, 10 fields sent together.
func TestScreenStopsAddingAtTheLimits(t *testing.T) {
	m, _ := loaded(t, 0)
	s, q := newTestScreen(t, m)
	for i := 0; i < 20 && !s.addManual.Disabled(); i++ {
		test.Tap(s.addManual)
		q.flush()
	}
	for i := 0; i < 20 && !s.addHeader.Disabled(); i++ {
		test.Tap(s.addHeader)
		q.flush()
	}
	st := m.State()
	if len(st.Config.ManualFields) != 8 || len(st.Config.Headers) != 10 || len(s.manualRows) != 8 || len(s.headerRows) != 10 {
		t.Errorf("%d manual fields, %d headers", len(st.Config.ManualFields), len(st.Config.Headers))
	}
	test.Tap(s.manualRows[7].remove)
	q.flush()
	if s.addManual.Disabled() || len(s.manualRows) != 7 {
		t.Errorf("add manual disabled with %d fields", len(s.manualRows))
	}
}
