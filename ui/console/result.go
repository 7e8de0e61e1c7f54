package console

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"enrollstation/enroll"
)

// Verdict is a test call's outcome in one word.
type Verdict int

// The verdicts.
const (
	// VerdictBlocked: class A, the form or the test values break a rule; nothing was sent.
	VerdictBlocked Verdict = iota + 1
	// VerdictFailed: class B, no usable answer (no response, timeout, HTML or other non-JSON).
	VerdictFailed
	// VerdictNoCriteria: class C, a JSON answer, but no judgment criteria to apply yet.
	VerdictNoCriteria
	// VerdictGranted: class C, and the criteria grant access.
	VerdictGranted
	// VerdictDenied: class C, and the criteria deny access.
	VerdictDenied
	// VerdictCancelled: the technician cancelled the call.
	VerdictCancelled
)

// maxShownBody is how much of a body the console shows.
const maxShownBody = 64 << 10

// Result is a test call as the console shows it.
type Result struct {
	Verdict    Verdict
	Class      enroll.VendorClass
	Meaning    string // the class in the engine's words (Class.Describe)
	Problem    string // class B: what went wrong
	Violations []enroll.VendorViolation

	// The request sent, credential headers masked; Sent is false for class A.
	Sent           bool
	Method, URL    string
	RequestHeaders []string // "Name: value", sorted
	RequestBody    string   // indented JSON

	// The response; Answered is false when none arrived.
	Answered        bool
	StatusCode      int
	ContentType     string
	DurationMs      int64
	ResponseHeaders []string
	ResponseBody    string // indented when JSON, else the text as received (control characters replaced)
	ResponseJSON    bool
	// Fields are the values of a JSON response, with the paths that name them.
	Fields []ResponseField

	// Decision is the judgment of a class C answer on the current criteria; nil without
	// criteria.
	Decision *enroll.VendorDecision
	// Stale: the form or test values changed since this call, outside the judgment.
	Stale bool
}

func newResult(r *enroll.VendorResult, cancelled bool) *Result {
	if r == nil {
		return &Result{Verdict: VerdictFailed, Problem: "no result"}
	}
	res := &Result{
		Class: r.Class, Meaning: r.Meaning, Problem: r.Problem,
		Violations: append([]enroll.VendorViolation(nil), r.Violations...),
	}
	if q := r.Request; q != nil {
		res.Sent, res.Method, res.URL = true, q.Method, q.URL
		res.RequestHeaders = headerLines(q.Header)
		res.RequestBody, _ = showBody(q.Body)
	}
	if p := r.Response; p != nil {
		res.Answered, res.StatusCode, res.ContentType = true, p.StatusCode, p.ContentType
		res.DurationMs = p.Duration.Milliseconds()
		res.ResponseHeaders = headerLines(p.Header)
		res.ResponseBody, res.ResponseJSON = showBody(p.Body)
		if res.ResponseJSON {
			res.Fields = responseFields(p.Body)
		}
	}
	switch {
	case cancelled:
		res.Verdict = VerdictCancelled
	case r.Class == enroll.VendorClassA:
		res.Verdict = VerdictBlocked
	case r.Class == enroll.VendorClassB:
		res.Verdict = VerdictFailed
	default:
		res.setDecision(r.Decision)
	}
	return res
}

// judge re-applies criteria to the response of a class C call.
func (r *Result) judge(j enroll.VendorJudgment, resp *enroll.VendorResponse) {
	if j.Mode() == enroll.VendorModeNone {
		r.setDecision(nil)
		return
	}
	d := enroll.JudgeVendor(j, resp.StatusCode, resp.Body)
	r.setDecision(&d)
}

func (r *Result) setDecision(d *enroll.VendorDecision) {
	r.Decision = d
	switch {
	case d == nil:
		r.Verdict = VerdictNoCriteria
	case d.Granted:
		r.Verdict = VerdictGranted
	default:
		r.Verdict = VerdictDenied
	}
}

func (r *Result) clone() *Result {
	if r == nil {
		return nil
	}
	c := *r
	c.Violations = slices.Clone(r.Violations)
	c.RequestHeaders = slices.Clone(r.RequestHeaders)
	c.ResponseHeaders = slices.Clone(r.ResponseHeaders)
	c.Fields = slices.Clone(r.Fields)
	if r.Decision != nil {
		d := *r.Decision
		c.Decision = &d
	}
	return &c
}

// headerLines lists headers as "Name: value", sorted by name.
func headerLines(h http.Header) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[k] {
			out = append(out, k+": "+printable(v))
		}
	}
	return out
}

// showBody is a body as the console shows it: indented JSON when it is JSON, otherwise the
// text as received, cut at maxShownBody.
func showBody(b []byte) (string, bool) {
	if len(bytes.TrimSpace(b)) > 0 && json.Valid(b) {
		var out bytes.Buffer
		if err := json.Indent(&out, b, "", "  "); err == nil {
			return cut(out.String()), true
		}
	}
	return cut(printable(strings.ToValidUTF8(string(b), "�"))), false
}

func cut(s string) string {
	if len(s) <= maxShownBody {
		return s
	}
	s = s[:maxShownBody]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}

// printable keeps a vendor's text from being taken for layout: control characters other
// than line breaks and tabs are replaced.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return '�'
	}, s)
}
