package console

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"enrollstation/enroll"
)

// resultView shows a test call: the verdict and class in words, the judgment, then the
// request sent and the response received.
type resultView struct {
	verdict, class, stale, problem, violations, judgment, deviceMsg *widget.Label

	request, response               *widget.Card
	reqLine, reqHeaders, reqBody    *widget.Label
	respLine, respHeaders, respBody *widget.Label
	fields                          *fyne.Container // the response's fields, to use as criteria
	fieldsShown                     []ResponseField
	use                             func(i int, u Use)
	content                         *fyne.Container
	changed                         bool // a part was shown or hidden during show
}

func wrapped(imp widget.Importance) *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = imp
	l.Selectable = true
	return l
}

// code is a label for request and response text: monospace, selectable for copying.
func code() *widget.Label {
	l := widget.NewLabel("")
	l.TextStyle = fyne.TextStyle{Monospace: true}
	l.Wrapping = fyne.TextWrapBreak
	l.Selectable = true
	return l
}

func newResultView(use func(i int, u Use)) *resultView {
	v := &resultView{
		verdict:    widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		class:      wrapped(widget.MediumImportance),
		stale:      wrapped(widget.WarningImportance),
		problem:    wrapped(widget.DangerImportance),
		violations: wrapped(widget.DangerImportance),
		judgment:   wrapped(widget.MediumImportance),
		deviceMsg:  wrapped(widget.MediumImportance),
		reqLine:    code(), reqHeaders: code(), reqBody: code(),
		respLine: code(), respHeaders: code(), respBody: code(),
		fields: container.NewVBox(), use: use,
	}
	v.verdict.Wrapping = fyne.TextWrapWord
	v.request = widget.NewCard("", lang.X("console.request", "Request sent"), container.NewVBox(v.reqLine, v.reqHeaders, v.reqBody))
	v.response = widget.NewCard("", lang.X("console.response", "Response received"), container.NewVBox(v.respLine, v.respHeaders, v.respBody, v.fields))
	v.content = container.NewVBox(v.verdict, v.class, v.stale, v.problem, v.violations, v.judgment, v.deviceMsg, v.request, v.response)
	return v
}

func (v *resultView) showText(l *widget.Label, text string) {
	if l.Text != text {
		l.SetText(text)
	}
	v.changed = setVisible(l, text != "") || v.changed
}

func (v *resultView) setVisible(o fyne.CanvasObject, on bool) {
	v.changed = setVisible(o, on) || v.changed
}

// show renders the last result; running says a call is under way. It reports whether a
// part was shown or hidden.
func (v *resultView) show(r *Result, running bool) bool {
	v.changed = false
	switch {
	case running:
		v.verdict.Importance = widget.MediumImportance
		v.verdict.SetText(lang.X("console.result.running", "Waiting for the vendor…"))
	case r == nil:
		v.verdict.Importance = widget.MediumImportance
		v.verdict.SetText(lang.X("console.result.none", "No test yet: fill in the test values and press Execute test."))
	default:
		v.verdict.Importance = verdictImportance(r.Verdict)
		v.verdict.SetText(verdictText(r.Verdict))
	}
	if running || r == nil {
		for _, l := range []*widget.Label{v.class, v.stale, v.problem, v.violations, v.judgment, v.deviceMsg} {
			v.showText(l, "")
		}
		v.setVisible(v.request, false)
		v.setVisible(v.response, false)
		return v.changed
	}
	class := ""
	if r.Class != "" && r.Verdict != VerdictCancelled {
		class = lang.X("console.result.class", "Class {{.Class}}: {{.Meaning}}", map[string]any{"Class": string(r.Class), "Meaning": r.Meaning})
	}
	v.showText(v.class, class)
	stale := ""
	if r.Stale {
		stale = lang.X("console.result.stale", "The form or the test values changed since this test; execute it again to see their effect.")
	}
	v.showText(v.stale, stale)
	v.showText(v.problem, r.Problem)
	var vs []string
	for _, x := range r.Violations {
		vs = append(vs, x.String())
	}
	v.showText(v.violations, strings.Join(vs, "\n"))
	judgment, device := "", ""
	if d := r.Decision; d != nil {
		judgment = lang.X("console.result.judgment", "Judgment mode {{.Mode}}: {{.Reason}}", map[string]any{"Mode": d.Mode.String(), "Reason": d.Reason})
		if d.Message != "" {
			device = lang.X("console.result.deviceMessage", "Message on the device: “{{.Message}}”", map[string]any{"Message": printable(d.Message)})
		} else {
			device = lang.X("console.result.noDeviceMessage", "No message on the device.")
		}
	}
	v.showText(v.judgment, judgment)
	v.showText(v.deviceMsg, device)

	if r.Sent {
		v.showText(v.reqLine, r.Method+" "+r.URL)
		v.showText(v.reqHeaders, strings.Join(r.RequestHeaders, "\n"))
		v.showText(v.reqBody, r.RequestBody)
	}
	v.setVisible(v.request, r.Sent)
	if r.Answered {
		ct := r.ContentType
		if ct == "" {
			ct = lang.X("console.response.noContentType", "no Content-Type")
		}
		v.showText(v.respLine, lang.X("console.response.line", "HTTP {{.Status}}, {{.ContentType}}, {{.Ms}} ms",
			map[string]any{"Status": r.StatusCode, "ContentType": ct, "Ms": r.DurationMs}))
		v.showText(v.respHeaders, strings.Join(r.ResponseHeaders, "\n"))
		v.showText(v.respBody, r.ResponseBody)
		v.showFields(r.Fields)
	}
	v.setVisible(v.response, r.Answered)
	return v.changed
}

func verdictText(v Verdict) string {
	switch v {
	case VerdictBlocked:
		return lang.X("console.verdict.blocked", "Not sent: the form or the test values break a rule.")
	case VerdictFailed:
		return lang.X("console.verdict.failed", "Test failed: no usable response from the vendor.")
	case VerdictNoCriteria:
		return lang.X("console.verdict.noCriteria", "Response received. Set judgment criteria to judge it.")
	case VerdictGranted:
		return lang.X("console.verdict.granted", "Success: access would be granted.")
	case VerdictDenied:
		return lang.X("console.verdict.denied", "Failure: access would be denied.")
	case VerdictCancelled:
		return lang.X("console.verdict.cancelled", "Test cancelled.")
	}
	return ""
}

func verdictImportance(v Verdict) widget.Importance {
	switch v {
	case VerdictGranted:
		return widget.SuccessImportance
	case VerdictDenied, VerdictCancelled:
		return widget.WarningImportance
	case VerdictBlocked, VerdictFailed:
		return widget.DangerImportance
	}
	return widget.MediumImportance
}

// showFields lists the response's values with buttons that put one into a criterion
// (spec 002 5.7's drag and drop, reachable by keyboard). Rows are made only when the
// fields change, that is after a test.
func (v *resultView) showFields(fs []ResponseField) {
	if slices.Equal(fs, v.fieldsShown) {
		return
	}
	v.fieldsShown = slices.Clone(fs)
	v.changed = true
	var objs []fyne.CanvasObject
	if len(fs) > 0 {
		objs = append(objs, widget.NewLabelWithStyle(lang.X("console.fields", "Use a field of the response as a criterion"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	for i, f := range fs {
		buttons := container.NewHBox(
			widget.NewButton(lang.X("console.fields.result", "Success result"), func() { v.use(i, UseSuccessResult) }))
		if f.Type == enroll.VendorString {
			buttons.Add(widget.NewButton(lang.X("console.fields.successMessage", "Success message"), func() { v.use(i, UseSuccessMessage) }))
			buttons.Add(widget.NewButton(lang.X("console.fields.failureMessage", "Failure message"), func() { v.use(i, UseFailureMessage) }))
		}
		name := code()
		name.Wrapping, name.Truncation = fyne.TextWrapOff, fyne.TextTruncateEllipsis
		name.SetText(f.Shown())
		objs = append(objs, container.NewBorder(nil, nil, nil, buttons, name))
	}
	v.fields.Objects = objs
	v.fields.Refresh()
}
