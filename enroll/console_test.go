package enroll

import (
	"crypto/x509"
	"net/http/httptest"
	"strings"
	"testing"

	"enrollstation/devices/clue/cluesim"
)

const consoleConfig = `{"name": "Door API", "authType": "FACE", "webhookUrl": "https://vendor.example/verify",
 "headers": [{"key": "Authorization", "value": "Bearer abc"}],
 "autoFields": [{"key": "deviceId", "placeholder": "{{DEVICE_SERIAL}}", "enabled": true},
                {"key": "employeeId", "placeholder": "{{USER_KEY}}", "enabled": true}],
 "manualFields": [{"name": "site", "type": "STRING", "value": "HQ"}],
 "judgment": {"statusCodes": [200],
              "successResult": {"key": "$.valid", "value": "true", "type": "BOOLEAN"},
              "successMessage": "$.message", "failureMessage": "$.message"}}`

func TestVendorConfigRoundTrips(t *testing.T) {
	cfg, err := ParseVendorConfig([]byte(consoleConfig))
	if err != nil {
		t.Fatal(err)
	}
	if vs := ValidateVendor(cfg); len(vs) != 0 {
		t.Fatalf("valid config: %v", vs)
	}
	b, err := MarshalVendorConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseVendorConfig(b)
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	b2, _ := MarshalVendorConfig(again)
	if string(b) != string(b2) {
		t.Errorf("not stable:\n%s\n%s", b, b2)
	}
}

// The test call reports the response headers and never the vendor's credential.
func TestTestVendorShowsHeadersAndMasksSecrets(t *testing.T) {
	hook := cluesim.NewWebhook(cluesim.WebhookOptions{Known: []string{"EMP-1"}, Authorization: "Bearer abc"})
	srv := httptest.NewTLSServer(hook)
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	cfg, err := ParseVendorConfig([]byte(consoleConfig))
	if err != nil {
		t.Fatal(err)
	}
	cfg.WebhookURL = srv.URL + "/verify"
	c := VendorConsole{Options: VendorTestOptions{RootCAs: pool}}
	r := c.Test(t.Context(), cfg, VendorTestInput{DeviceID: "123456789", UserKey: "EMP-1"})
	if r.Class != VendorClassC || !r.Success || r.Request == nil || r.Response == nil || r.Decision == nil {
		t.Fatalf("%+v", r)
	}
	if got := r.Response.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("response Content-Type header %q", got)
	}
	if got := r.Request.Header.Get("Authorization"); strings.Contains(got, "abc") {
		t.Errorf("authorization shown: %q", got)
	}
	if !r.Decision.Granted || r.Meaning == "" {
		t.Errorf("%+v %q", r.Decision, r.Meaning)
	}
	if hook.Requests()[0].Header.Get("Authorization") != "Bearer abc" {
		t.Error("the real value was not sent")
	}
	// Tuning the criteria on the same answer.
	j := cfg.Judgment
	j.StatusCodes = nil
	j.SuccessResult = &VendorSuccessResult{Key: "$.valid", Value: "false", Type: VendorBoolean}
	if d := JudgeVendor(j, r.Response.StatusCode, r.Response.Body); d.Granted {
		t.Errorf("re-judged %+v", d)
	}
}

func TestCheckVendorPath(t *testing.T) {
	for p, ok := range map[string]bool{"$.valid": true, "$.items[0].ok": true, "$['user name']": true, "$..x": false, "valid": false} {
		if err := CheckVendorPath(p); (err == nil) != ok {
			t.Errorf("%s: %v", p, err)
		}
	}
}
