package vendor_test

import (
	"encoding/json"
	"strings"
	"testing"

	"enrollstation/devices/clue/vendor"
)

// issueConfig is the example configuration of the portal form.
const issueConfig = `{"name": "Door API", "authType": "FACE", "webhookUrl": "https://vendor.example/verify",
 "headers": [{"key": "Authorization", "value": "Bearer abc"}],
 "autoFields": [{"key": "deviceId", "placeholder": "{{DEVICE_SERIAL}}", "enabled": true},
                {"key": "employeeId", "placeholder": "{{USER_KEY}}", "enabled": true}],
 "manualFields": [{"name": "site", "type": "STRING", "value": "HQ"}],
 "judgment": {"statusCodes": [200],
              "successResult": {"key": "$.valid", "value": "true", "type": "BOOLEAN"},
              "successMessage": "$.message", "failureMessage": "$.message"}}`

func validConfig(t testing.TB) vendor.Config {
	t.Helper()
	c, err := vendor.ParseConfig([]byte(issueConfig))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func codes(cs ...string) []json.Number {
	out := make([]json.Number, len(cs))
	for i, c := range cs {
		out[i] = json.Number(c)
	}
	return out
}

func TestIssueConfigIsValid(t *testing.T) {
	c := validConfig(t)
	if vs := vendor.Validate(c); vs != nil {
		t.Fatalf("the issue's example is invalid: %v", vs)
	}
	if c.Judgment.Mode() != vendor.ModeCombined || c.AutoFields[1].Key != "employeeId" || c.ManualFields[0].Value != "HQ" {
		t.Errorf("parsed %+v", c)
	}
	if vs := vendor.ValidateSave(c, vendor.SaveState{LastTest: &vendor.TestResult{Class: vendor.ClassC, Success: true}}); vs != nil {
		t.Errorf("cannot save: %v", vs)
	}
}

func TestViolationsListEveryProblem(t *testing.T) {
	vs := vendor.Validate(vendor.Config{WebhookURL: "http://x", Headers: []vendor.Header{{Key: "Accept"}}})
	for _, r := range []vendor.Rule{vendor.RuleNameRequired, vendor.RuleAuthTypeRequired, vendor.RuleURLHTTPS, vendor.RuleHeaderReserved, vendor.RuleJudgmentRequired} {
		if !vs.Has(r) {
			t.Errorf("%s missing from %v", r, vs)
		}
	}
	if lines := strings.Split(vs.Error(), "\n"); len(lines) != len(vs) || !strings.HasPrefix(lines[0], "name: ") {
		t.Errorf("Error() = %q", vs.Error())
	}
}

func TestParseConfig(t *testing.T) {
	if _, err := vendor.ParseConfig([]byte(`{"name":"x","webhook":"https://a"}`)); err == nil || !strings.Contains(err.Error(), "webhook") {
		t.Errorf("a misspelt key was accepted: %v", err)
	}
	if _, err := vendor.ParseConfig([]byte(`{} {}`)); err == nil {
		t.Error("two values accepted")
	}
	c, err := vendor.ParseConfig([]byte(`{"manualFields":[{"name":"n","type":"NUMBER","value":12.5},{"name":"b","type":"BOOLEAN","value":true}],
		"judgment":{"successResult":{"key":"$.ok","value":1,"type":"NUMBER"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.ManualFields[0].Value != "12.5" || c.ManualFields[1].Value != "true" || c.Judgment.SuccessResult.Value != "1" {
		t.Errorf("values as text: %+v %+v", c.ManualFields, c.Judgment.SuccessResult)
	}
	if _, err := vendor.ParseConfig([]byte(`{"manualFields":[{"name":"n","value":{"a":1}}]}`)); err == nil {
		t.Error("an object as a value was accepted")
	}
}

func TestDefaultAutoFields(t *testing.T) {
	want := map[vendor.AuthType][]string{
		vendor.AuthFace:        {"deviceId", "userKey"},
		vendor.AuthFingerprint: {"deviceId", "userKey"},
		vendor.AuthCLUeQR:      {"deviceId", "userKey"},
		vendor.AuthRFCard:      {"deviceId", "rfCard"},
		vendor.AuthUserPIN:     {"deviceId", "uniquePin"},
		vendor.AuthCustomQR:    {"deviceId", "qrCode"},
	}
	for _, at := range vendor.AuthTypes() {
		var keys []string
		for _, f := range vendor.DefaultAutoFields(at) {
			keys = append(keys, f.Key)
			if !f.Enabled || !vendor.Available(at, f.Placeholder) {
				t.Errorf("%s: %+v", at, f)
			}
		}
		if strings.Join(keys, ",") != strings.Join(want[at], ",") {
			t.Errorf("%s: %v", at, keys)
		}
		c := validConfig(t)
		c.AuthType, c.AutoFields = at, vendor.DefaultAutoFields(at)
		if vs := vendor.Validate(c); vs != nil {
			t.Errorf("%s defaults invalid: %v", at, vs)
		}
	}
	if vendor.Available(vendor.AuthFace, "{{NOPE}}") {
		t.Error("an unknown placeholder is available")
	}
}

// FuzzValidate: any configuration file is read and validated without a panic.
func FuzzValidate(f *testing.F) {
	f.Add([]byte(issueConfig))
	f.Add([]byte(`{"headers":[{"key":"\u0000"}],"judgment":{"statusCodes":[1e999,-1],"successResult":{"key":"$[","type":"NUMBER","value":"1e1"}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := vendor.ParseConfig(b)
		if err != nil {
			return
		}
		_ = vendor.Validate(c)
		_ = vendor.ValidateSave(c, vendor.SaveState{Registered: []vendor.Config{c, c, c}, Original: &c})
		_ = vendor.TestInput{DeviceID: c.Name, UserKey: c.WebhookURL}.Validate(c.AuthType)
		if vendor.Validate(c) != nil {
			return
		}
		r, err := vendor.BuildRequest(c, vendor.TestInput{DeviceID: "123456789", UserKey: "u"})
		if err != nil {
			t.Fatalf("a valid configuration gives no request: %v", err)
		}
		if !json.Valid(r.Body) {
			t.Fatalf("the body is not JSON: %s", r.Body)
		}
	})
}

// A success result key written with its value ("$.valid = true") is refused with the key and
// the value each named where they go.
func TestResultKeyWithItsValueSaysHowToWriteIt(t *testing.T) {
	c := validConfig(t)
	c.Judgment.SuccessResult.Key = "$.valid = true"
	var got []vendor.Violation
	for _, v := range vendor.Validate(c) {
		if v.Field == "judgment.successResult.key" {
			got = append(got, v)
		}
	}
	if len(got) != 1 || got[0].Rule != vendor.RulePathFormat ||
		!strings.Contains(got[0].Message, "write the key as $.valid and the value true in its own field") {
		t.Errorf("violations %+v", got)
	}
}
