package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode"

	"enrollstation/devices/clue/vendor"
)

// invalidConfig is a vendor configuration that breaks rules; exit status 1.
type invalidConfig struct{ n int }

func (e invalidConfig) Error() string {
	if e.n == 1 {
		return "the configuration breaks 1 rule"
	}
	return fmt.Sprintf("the configuration breaks %d rules", e.n)
}

// ExitCode is 1, "invalid".
func (invalidConfig) ExitCode() int { return 1 }

// testFailed is a test call of class A or B; exit status 1.
type testFailed struct{ class vendor.Class }

func (e testFailed) Error() string { return "test " + string(e.class) + ": " + e.class.Describe() }

// ExitCode is 1: the configuration cannot be saved as it is.
func (testFailed) ExitCode() int { return 1 }

func (k *clueCmd) vendor(ctx context.Context, args []string) error {
	return k.subcommand(ctx, "clue vendor", args, map[string]func(context.Context, []string) error{
		"validate": k.vendorValidate,
		"test":     k.vendorTest,
	})
}

func readVendorConfig(path string) (vendor.Config, error) {
	b, err := readLimited(path, maxVendorFileBytes)
	if err != nil {
		return vendor.Config{}, err
	}
	c, err := vendor.ParseConfig(b)
	if err != nil {
		return vendor.Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

func (k *clueCmd) vendorValidate(_ context.Context, args []string) error {
	fs := k.flags("clue vendor validate")
	path := fs.String("config", "", "the vendor API configuration (JSON, as the portal's form)")
	if err := k.noArgs(fs, args); err != nil {
		return err
	}
	if *path == "" {
		return k.usagef("clue vendor validate: --config is required")
	}
	cfg, err := readVendorConfig(*path)
	if err != nil {
		return invalidRead{err}
	}
	vs := vendor.Validate(cfg)
	out := struct {
		Valid      bool              `json:"valid"`
		Mode       string            `json:"judgmentMode"`
		Violations vendor.Violations `json:"violations"`
	}{len(vs) == 0, cfg.Judgment.Mode().String(), vs}
	if out.Violations == nil {
		out.Violations = vendor.Violations{}
	}
	if err := k.emit(out, func(w io.Writer) {
		if len(vs) == 0 {
			fmt.Fprintf(w, "valid: %s, %s, judgment mode %s\n", cfg.Name, cfg.AuthType, cfg.Judgment.Mode())
			return
		}
		for _, v := range vs {
			fmt.Fprintf(w, "%s: %s [%s]\n", v.Field, v.Message, v.Rule)
		}
	}); err != nil {
		return err
	}
	if len(vs) > 0 {
		return invalidConfig{len(vs)}
	}
	return nil
}

// invalidRead is a configuration file that cannot be read as one; exit status 1.
type invalidRead struct{ error }

func (e invalidRead) Unwrap() error { return e.error }

// ExitCode is 1, "invalid".
func (invalidRead) ExitCode() int { return 1 }

// testReport is what `clue vendor test` prints.
type testReport struct {
	Request struct {
		Method string              `json:"method"`
		URL    string              `json:"url"`
		Header map[string][]string `json:"header"`
		Body   json.RawMessage     `json:"body"`
	} `json:"request"`
	Response *struct {
		StatusCode  int    `json:"statusCode"`
		ContentType string `json:"contentType"`
		Body        string `json:"body"`
		DurationMs  int64  `json:"durationMs"`
	} `json:"response,omitempty"`
	Class        vendor.Class      `json:"class"`
	Meaning      string            `json:"meaning"`
	Success      bool              `json:"success"`
	Problem      string            `json:"problem,omitempty"`
	Violations   vendor.Violations `json:"violations,omitempty"`
	Decision     *vendor.Decision  `json:"decision,omitempty"`
	Granted      *bool             `json:"granted,omitempty"`
	JudgmentMode string            `json:"judgmentMode,omitempty"`
}

func (k *clueCmd) vendorTest(ctx context.Context, args []string) error {
	fs := k.flags("clue vendor test")
	path := fs.String("config", "", "the vendor API configuration (JSON, as the portal's form)")
	var in vendor.TestInput
	fs.StringVar(&in.DeviceID, "device-id", "", "the device serial to send (9-12 digits)")
	fs.StringVar(&in.UserKey, "user-key", "", "the user key to send (FACE, FINGERPRINT, CLUE_QR)")
	fs.StringVar(&in.CardNumber, "card", "", "the card number to send (RF_CARD)")
	fs.StringVar(&in.PIN, "pin", "", "the PIN to send (USER_PIN)")
	fs.StringVar(&in.QRCode, "qr", "", "the QR payload to send (CUSTOM_QR)")
	caFile := fs.String("ca", "", "PEM file of a private CA to trust for the webhook (a webhook on a test network)")
	timeout := fs.Duration("timeout", vendor.DefaultTestTimeout, "how long to wait for the vendor")
	if err := k.noArgs(fs, args); err != nil {
		return err
	}
	given := 0
	for _, v := range []string{in.UserKey, in.CardNumber, in.PIN, in.QRCode} {
		if v != "" {
			given++
		}
	}
	switch {
	case *path == "":
		return k.usagef("clue vendor test: --config is required")
	case given > 1:
		return k.usagef("clue vendor test: give one of --user-key, --card, --pin, --qr")
	}
	cfg, err := readVendorConfig(*path)
	if err != nil {
		return invalidRead{err}
	}
	opts := vendor.TestOptions{Timeout: *timeout}
	if *caFile != "" {
		pem, err := readLimited(*caFile, maxVendorFileBytes)
		if err != nil {
			return err
		}
		opts.RootCAs = x509.NewCertPool()
		if !opts.RootCAs.AppendCertsFromPEM(pem) {
			return k.usagef("clue vendor test: --ca %s holds no PEM certificate", *caFile)
		}
	}
	res := vendor.Test(ctx, cfg, in, opts)
	rep := report(res)
	if err := k.emit(rep, func(w io.Writer) { printReport(w, rep) }); err != nil {
		return err
	}
	if !res.Success {
		return testFailed{res.Class}
	}
	return nil
}

// report turns a test result into what is shown, secrets in headers redacted.
func report(res *vendor.TestResult) testReport {
	var rep testReport
	rep.Class, rep.Meaning, rep.Success, rep.Problem, rep.Violations = res.Class, res.Class.Describe(), res.Success, res.Problem, res.Violations
	if res.Request != nil {
		r := res.Request.Redacted()
		rep.Request.Method, rep.Request.URL, rep.Request.Header, rep.Request.Body = r.Method, r.URL, r.Header, r.Body
	}
	if res.Class != vendor.ClassA && (res.StatusCode != 0 || len(res.ResponseBody) > 0) {
		rep.Response = &struct {
			StatusCode  int    `json:"statusCode"`
			ContentType string `json:"contentType"`
			Body        string `json:"body"`
			DurationMs  int64  `json:"durationMs"`
		}{res.StatusCode, res.ContentType, string(res.ResponseBody), res.Duration.Milliseconds()}
	}
	if res.Decision != nil {
		rep.Decision = res.Decision
		g := res.Decision.Granted
		rep.Granted = &g
		rep.JudgmentMode = res.Decision.Mode.String()
	}
	return rep
}

func printReport(w io.Writer, rep testReport) {
	if rep.Request.Method != "" {
		fmt.Fprintf(w, "request:\n  %s %s\n", rep.Request.Method, rep.Request.URL)
		for _, name := range sortedKeys(rep.Request.Header) {
			for _, v := range rep.Request.Header[name] {
				fmt.Fprintf(w, "  %s: %s\n", name, printable(v))
			}
		}
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, rep.Request.Body, "  ", "  "); err == nil {
			fmt.Fprintf(w, "  %s\n", pretty.String())
		}
	}
	if r := rep.Response; r != nil {
		ct := r.ContentType
		if ct == "" {
			ct = "no Content-Type"
		}
		fmt.Fprintf(w, "response:\n  HTTP %d, %s, %d ms\n", r.StatusCode, ct, r.DurationMs)
		body := r.Body
		if len(body) > maxShownBody {
			body = body[:maxShownBody] + "…"
		}
		if body != "" {
			fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(printable(body), "\n", "\n  "))
		}
	}
	fmt.Fprintf(w, "class: %s (%s)\n", rep.Class, rep.Meaning)
	if rep.Problem != "" {
		fmt.Fprintf(w, "problem: %s\n", rep.Problem)
	}
	for _, v := range rep.Violations {
		fmt.Fprintf(w, "  %s: %s [%s]\n", v.Field, v.Message, v.Rule)
	}
	if d := rep.Decision; d != nil {
		verdict := "denied"
		if d.Granted {
			verdict = "granted"
		}
		fmt.Fprintf(w, "judgment: %s (mode %s): %s\n", verdict, d.Mode, d.Reason)
		if d.Message != "" {
			fmt.Fprintf(w, "message: %s\n", printable(d.Message))
		} else {
			fmt.Fprintln(w, "message: none")
		}
	} else if rep.Class == vendor.ClassC {
		fmt.Fprintln(w, "judgment: none (no judgment criteria yet)")
	}
}

// printable keeps a vendor's text from driving the terminal: control characters other than
// line breaks and tabs are replaced.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return '�'
	}, s)
}

func sortedKeys(m map[string][]string) []string { return slices.Sorted(maps.Keys(m)) }
