package enroll

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"enrollstation/devices/clue/vendor"
)

// The CLUe vendor webhook configuration (spec 002) as the console screen edits it; a screen
// imports enroll, never devices/clue/vendor.
type (
	VendorConfig        = vendor.Config
	VendorHeader        = vendor.Header
	VendorAutoField     = vendor.AutoField
	VendorManualField   = vendor.ManualField
	VendorJudgment      = vendor.Judgment
	VendorSuccessResult = vendor.SuccessResult
	VendorAuthType      = vendor.AuthType
	VendorFieldType     = vendor.FieldType
	VendorText          = vendor.Text
	VendorTestInput     = vendor.TestInput
	VendorViolation     = vendor.Violation
	// VendorRuleInfo is a rule of the vendor console's validator and what it asks.
	VendorRuleInfo    = vendor.RuleInfo
	VendorClass       = vendor.Class
	VendorDecision    = vendor.Decision
	VendorMode        = vendor.Mode
	VendorTestOptions = vendor.TestOptions
)

// Credential types of a vendor API (spec 002, 2.2).
const (
	VendorAuthFace        = vendor.AuthFace
	VendorAuthFingerprint = vendor.AuthFingerprint
	VendorAuthRFCard      = vendor.AuthRFCard
	VendorAuthUserPIN     = vendor.AuthUserPIN
	VendorAuthCLUeQR      = vendor.AuthCLUeQR
	VendorAuthCustomQR    = vendor.AuthCustomQR
)

// Data formats of manual fields and of the success result (spec 002, 5.5 and 5.7).
const (
	VendorString  = vendor.TypeString
	VendorNumber  = vendor.TypeNumber
	VendorBoolean = vendor.TypeBoolean
)

// Classes of a test call (spec 002, 9.3).
const (
	VendorClassA = vendor.ClassA
	VendorClassB = vendor.ClassB
	VendorClassC = vendor.ClassC
)

// Limits of the form (spec 002, 5.3-5.5 and 8).
const (
	VendorMaxHeaders = vendor.MaxHeaders // custom headers
	VendorMaxFields  = vendor.MaxFields  // auto and manual fields sent, together
)

// Judgment modes (spec 002, 5.7).
const (
	VendorModeNone = vendor.ModeNone
)

// VendorAuthTypes lists the credential types in the portal's order.
func VendorAuthTypes() []VendorAuthType { return vendor.AuthTypes() }

// VendorDefaultAutoFields returns the auto fields offered for a credential type, enabled,
// with their default keys.
func VendorDefaultAutoFields(t VendorAuthType) []VendorAutoField {
	return vendor.DefaultAutoFields(t)
}

// ValidateVendor applies every rule that depends on the configuration alone.
func ValidateVendor(cfg VendorConfig) []VendorViolation { return vendor.Validate(cfg) }

// VendorRules lists every rule ValidateVendor and ValidateVendorInput apply.
func VendorRules() []VendorRuleInfo { return vendor.Rules() }

// ValidateVendorInput checks the test values for a credential type.
func ValidateVendorInput(in VendorTestInput, t VendorAuthType) []VendorViolation {
	return in.Validate(t)
}

// ParseVendorConfig reads a configuration file; unknown fields are refused.
func ParseVendorConfig(b []byte) (VendorConfig, error) { return vendor.ParseConfig(b) }

// MarshalVendorConfig writes a configuration as the file ParseVendorConfig and
// `enrollctl clue vendor` read.
func MarshalVendorConfig(cfg VendorConfig) ([]byte, error) {
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("write the vendor API configuration: %w", err)
	}
	return append(b, '\n'), nil
}

// JudgeVendor applies judgment criteria to a response already received, so that criteria
// can be tuned on the last test's answer without calling the vendor again (spec 002, 5.7).
func JudgeVendor(j VendorJudgment, status int, body []byte) VendorDecision {
	return j.Evaluate(status, body)
}

// VendorRequest is the request a test sent, with credential header values masked.
type VendorRequest struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
}

// VendorResponse is the vendor's answer to a test, as received.
type VendorResponse struct {
	StatusCode  int
	Header      http.Header
	ContentType string
	Body        []byte
	Duration    time.Duration
}

// VendorResult is a test call as the console shows it. It never holds a secret: the request
// is the redacted one.
type VendorResult struct {
	Class      VendorClass
	Meaning    string // the class in the technician's words
	Success    bool   // a JSON response was received (class C)
	Problem    string // class B: what went wrong
	Violations []VendorViolation
	Request    *VendorRequest  // nil when nothing was sent (class A)
	Response   *VendorResponse // nil when no answer arrived
	Decision   *VendorDecision // the judgment of a class C answer, when there are criteria
}

// VendorConsole runs test calls of vendor webhooks with fixed options (timeout, a private
// CA for a webhook on a test network).
type VendorConsole struct {
	Options VendorTestOptions
}

// Test runs one test call (spec 002, 5.6).
func (c VendorConsole) Test(ctx context.Context, cfg VendorConfig, in VendorTestInput) *VendorResult {
	return TestVendor(ctx, cfg, in, c.Options)
}

// TestVendor runs the test call of spec 002 5.6 and returns what the console shows,
// response headers included (the engine keeps only the Content-Type, so the transport is
// wrapped to see them).
func TestVendor(ctx context.Context, cfg VendorConfig, in VendorTestInput, opts VendorTestOptions) *VendorResult {
	rec := &headerRecorder{next: opts.Transport}
	if rec.next == nil {
		// The engine's own default: a fresh transport trusting RootCAs.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.TLSClientConfig = &tls.Config{RootCAs: opts.RootCAs, MinVersion: tls.VersionTLS12}
		defer t.CloseIdleConnections()
		rec.next = t
	}
	opts.Transport = rec
	r := vendor.Test(ctx, cfg, in, opts)
	out := &VendorResult{
		Class: r.Class, Meaning: r.Class.Describe(), Success: r.Success, Problem: r.Problem,
		Violations: r.Violations, Decision: r.Decision,
	}
	if r.Request != nil {
		red := r.Request.Redacted()
		out.Request = &VendorRequest{Method: red.Method, URL: red.URL, Header: red.Header, Body: red.Body}
	}
	if r.StatusCode != 0 {
		out.Response = &VendorResponse{
			StatusCode: r.StatusCode, Header: rec.header(), ContentType: r.ContentType,
			Body: r.ResponseBody, Duration: r.Duration,
		}
	}
	return out
}

// headerRecorder keeps the headers of the response it passes on.
type headerRecorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	h    http.Header
}

func (r *headerRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err == nil {
		r.mu.Lock()
		r.h = resp.Header.Clone()
		r.mu.Unlock()
	}
	return resp, err
}

func (r *headerRecorder) header() http.Header {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.h
}

// CheckVendorPath reports why p is not a JSONPath of the subset the judgment criteria take
// (spec 002, 5.7 and 9.3 A); nil when it is one.
func CheckVendorPath(p string) error {
	_, err := vendor.ParsePath(p)
	return err
}
