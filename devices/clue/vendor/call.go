package vendor

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"time"
)

// Class is the outcome of a test call as section 9.3 sorts them.
type Class string

// The three classes of section 9.3.
const (
	// ClassA: blocked at input validation; nothing was sent.
	ClassA Class = "A"
	// ClassB: sent, but no usable response (no answer, timeout, or a body that is not JSON);
	// success = false and saving is not possible.
	ClassB Class = "B"
	// ClassC: a JSON response was received (any status); success = true and saving is
	// possible, and the judgment criteria can be tuned on this response.
	ClassC Class = "C"
)

// Describe says what the class means for the technician.
func (c Class) Describe() string {
	switch c {
	case ClassA:
		return "blocked at input validation: the request was not sent"
	case ClassB:
		return "request sent, but no usable response from the vendor: the test failed and saving is not possible"
	case ClassC:
		return "response received: the test succeeded and saving is possible; check the judgment against it"
	}
	return string(c)
}

// DefaultTestTimeout is how long a test waits for the vendor ("several seconds", 9.3 B).
const DefaultTestTimeout = 5 * time.Second

// maxResponseBytes bounds the vendor's response body.
const maxResponseBytes = 1 << 20

// TestOptions adjust a test call.
type TestOptions struct {
	// Timeout bounds the whole exchange; DefaultTestTimeout when 0.
	Timeout time.Duration
	// RootCAs are the certificate authorities trusted for the webhook's HTTPS, for a webhook
	// with a private CA on a test network; the system's when nil.
	RootCAs *x509.CertPool
	// Registered are the APIs already registered, for the limit of APIs per auth type.
	Registered []Config
	// Transport sends the request; a fresh one (with RootCAs) when nil.
	Transport http.RoundTripper
}

// TestResult is what the test console shows.
type TestResult struct {
	Class      Class      `json:"class"`
	Success    bool       `json:"success"`              // false for A and B, true for C
	Violations Violations `json:"violations,omitempty"` // A
	Problem    string     `json:"problem,omitempty"`    // B: what went wrong
	Request    *Request   `json:"request,omitempty"`    // nil for A
	// StatusCode, ContentType and ResponseBody are the response as received (B and C).
	StatusCode   int           `json:"statusCode,omitempty"`
	ContentType  string        `json:"contentType,omitempty"`
	ResponseBody []byte        `json:"-"`
	Duration     time.Duration `json:"duration"`
	// Decision is the judgment of a C response, when the configuration has criteria.
	Decision *Decision `json:"decision,omitempty"`
}

// Test runs the test call of section 5.6: it validates the configuration and the test
// values (class A when they break a rule), sends the request, and classifies the outcome:
// B when no response arrives in time or the response is not JSON (Content-Type
// application/json and a JSON body), C otherwise, with the judgment applied.
func Test(ctx context.Context, cfg Config, in TestInput, opts TestOptions) *TestResult {
	// Spec 002 5.6: the test comes first and the criteria are set on its response, so a
	// configuration without criteria may be tested (saving still needs them).
	var vs Violations
	for _, v := range Validate(cfg) {
		if v.Rule != RuleJudgmentRequired {
			vs = append(vs, v)
		}
	}
	vs = append(vs, in.Validate(cfg.AuthType)...)
	vs = append(vs, registrationRules(cfg, opts.Registered, nil)...)
	if len(vs) > 0 {
		return &TestResult{Class: ClassA, Violations: vs}
	}
	req, err := BuildRequest(cfg, in)
	if err != nil {
		return &TestResult{Class: ClassA, Violations: Violations{{Rule: RuleManualValue, Field: "manualFields", Message: err.Error()}}}
	}
	res := &TestResult{Request: req}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTestTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, req.Method, req.URL, bytes.NewReader(req.Body))
	if err != nil {
		return res.fail(fmt.Sprintf("the request cannot be made: %v", err))
	}
	hr.Header = req.Header.Clone()
	client := &http.Client{
		Transport: opts.Transport,
		// CLUe posts once: a redirect is the vendor's answer, not an address to follow.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	if client.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.TLSClientConfig = &tls.Config{RootCAs: opts.RootCAs, MinVersion: tls.VersionTLS12}
		defer t.CloseIdleConnections()
		client.Transport = t
	}
	start := time.Now()
	resp, err := client.Do(hr)
	if err != nil {
		res.Duration = time.Since(start)
		return res.fail(describeSendError(ctx, err, timeout))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	res.Duration = time.Since(start)
	res.StatusCode, res.ContentType, res.ResponseBody = resp.StatusCode, resp.Header.Get("Content-Type"), body
	switch {
	case err != nil:
		return res.fail(describeSendError(ctx, err, timeout))
	case len(body) > maxResponseBytes:
		res.ResponseBody = body[:maxResponseBytes]
		return res.fail(fmt.Sprintf("the response is larger than %d bytes", maxResponseBytes))
	}
	if mt, _, _ := mime.ParseMediaType(res.ContentType); mt != "application/json" {
		ct := res.ContentType
		if ct == "" {
			ct = "none"
		}
		return res.fail(fmt.Sprintf("the response is not JSON: Content-Type is %s, not application/json", ct))
	}
	if !json.Valid(body) {
		return res.fail("the response says application/json but its body is not valid JSON")
	}
	res.Class, res.Success = ClassC, true
	if cfg.Judgment.Mode() != ModeNone {
		d := cfg.Judgment.Evaluate(resp.StatusCode, body)
		res.Decision = &d
	}
	return res
}

func (r *TestResult) fail(problem string) *TestResult {
	r.Class, r.Success, r.Problem = ClassB, false, problem
	return r
}

// describeSendError names a failure to get a response (9.3 B).
func describeSendError(ctx context.Context, err error, timeout time.Duration) string {
	var cert *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var nerr net.Error
	var opErr *net.OpError
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || (errors.As(err, &nerr) && nerr.Timeout()):
		return fmt.Sprintf("timeout: no response within %s", timeout)
	case errors.As(err, &cert), errors.As(err, &unknown), errors.As(err, &hostname):
		return fmt.Sprintf("the HTTPS certificate is not trusted: %v", err)
	case errors.As(err, &opErr):
		return fmt.Sprintf("connection failure: %v", err)
	}
	return fmt.Sprintf("network error: %v", err)
}
