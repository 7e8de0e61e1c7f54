package vendor_test

import (
	"encoding/json"
	"strings"
	"testing"

	"enrollstation/devices/clue/vendor"
)

func TestBuildRequest(t *testing.T) {
	c := validConfig(t)
	c.AutoFields = append(c.AutoFields, vendor.AutoField{Key: "rfCard", Placeholder: vendor.PlaceholderCardNumber, Enabled: false})
	c.ManualFields = append(c.ManualFields,
		vendor.ManualField{Name: "floor", Type: vendor.TypeNumber, Value: " 3 "},
		vendor.ManualField{Name: "visitor", Type: vendor.TypeBoolean, Value: "False"},
		vendor.ManualField{Name: "code", Type: vendor.TypeString, Value: "007"},
	)
	c.Headers = append(c.Headers, vendor.Header{Key: "content-type", Value: "text/plain"}, vendor.Header{Key: "X-Site", Value: "HQ"})
	r, err := vendor.BuildRequest(c, vendor.TestInput{DeviceID: "123456789", UserKey: "EMP-1", CardNumber: "999"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"deviceId":"123456789","employeeId":"EMP-1","site":"HQ","floor":3,"visitor":false,"code":"007"}`
	if string(r.Body) != want {
		t.Errorf("body %s\nwant %s", r.Body, want)
	}
	if r.Method != "POST" || r.URL != "https://vendor.example/verify" {
		t.Errorf("%s %s", r.Method, r.URL)
	}
	// Content-Type and Accept are CLUe's, whatever a custom header says.
	if got := r.Header.Values("Content-Type"); len(got) != 1 || got[0] != "application/json" || r.Header.Get("Accept") != "application/json" {
		t.Errorf("fixed headers: %v", r.Header)
	}
	if r.Header.Get("Authorization") != "Bearer abc" || r.Header.Get("X-Site") != "HQ" {
		t.Errorf("custom headers: %v", r.Header)
	}
	red := r.Redacted()
	if got := red.Header.Get("Authorization"); strings.Contains(got, "abc") || !strings.Contains(got, "redacted") {
		t.Errorf("redacted Authorization: %q", got)
	}
	if red.Header.Get("X-Site") != "HQ" || r.Header.Get("Authorization") != "Bearer abc" {
		t.Error("Redacted changed the wrong header or the original")
	}
	j, err := json.Marshal(vendor.TestResult{Request: r})
	if err != nil || strings.Contains(string(j), "Bearer abc") || !strings.Contains(string(j), `"body":{"deviceId":"123456789"`) {
		t.Errorf("marshalled: %s %v", j, err)
	}
}

func TestBuildRequestPerAuthType(t *testing.T) {
	in := vendor.TestInput{DeviceID: "123456789012", UserKey: "u1", CardNumber: "12345", PIN: "4321", QRCode: "QR-1"}
	want := map[vendor.AuthType]string{
		vendor.AuthFace:     `{"deviceId":"123456789012","userKey":"u1"}`,
		vendor.AuthRFCard:   `{"deviceId":"123456789012","rfCard":"12345"}`,
		vendor.AuthUserPIN:  `{"deviceId":"123456789012","uniquePin":"4321"}`,
		vendor.AuthCustomQR: `{"deviceId":"123456789012","qrCode":"QR-1"}`,
	}
	for at, body := range want {
		c := vendor.Config{AuthType: at, AutoFields: vendor.DefaultAutoFields(at)}
		r, err := vendor.BuildRequest(c, in)
		if err != nil {
			t.Fatal(err)
		}
		if string(r.Body) != body {
			t.Errorf("%s: %s", at, r.Body)
		}
	}
	empty, err := vendor.BuildRequest(vendor.Config{}, in)
	if err != nil || string(empty.Body) != "{}" {
		t.Errorf("no fields: %s %v", empty.Body, err)
	}
	_, err = vendor.BuildRequest(vendor.Config{ManualFields: []vendor.ManualField{{Name: "n", Type: vendor.TypeNumber, Value: "x"}}}, in)
	if err == nil || !strings.Contains(err.Error(), "manual field n") {
		t.Errorf("bad number: %v", err)
	}
}
