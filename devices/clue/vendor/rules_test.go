package vendor_test

import (
	"fmt"
	"strings"
	"testing"

	"enrollstation/devices/clue/vendor"
)

func headers(n int) []vendor.Header {
	hs := make([]vendor.Header, n)
	for i := range hs {
		hs[i] = vendor.Header{Key: fmt.Sprintf("X-H%d", i), Value: "v"}
	}
	return hs
}

func manuals(n int) []vendor.ManualField {
	ms := make([]vendor.ManualField, n)
	for i := range ms {
		ms[i] = vendor.ManualField{Name: fmt.Sprintf("m%d", i), Type: vendor.TypeString, Value: "x"}
	}
	return ms
}

// ruleCase breaks a rule (invalid) and comes as close as possible without breaking it
// (valid). The save states are checked with ValidateSave and the test values with
// TestInput.Validate; a case with neither is checked with Validate.
type ruleCase struct {
	field            string
	invalid, valid   func(*vendor.Config)
	invalidS, validS *vendor.SaveState
	test             *[2]vendor.TestInput // invalid, valid test values
	authType         vendor.AuthType      // for test value rules
}

func ruleCases() map[vendor.Rule][]ruleCase {
	long := func(n int) string { return strings.Repeat("é", n) }
	passed := &vendor.TestResult{Class: vendor.ClassC, Success: true}
	failed := &vendor.TestResult{Class: vendor.ClassB}
	face := func(n int) []vendor.Config {
		out := make([]vendor.Config, n)
		for i := range out {
			out[i] = vendor.Config{Name: fmt.Sprint("api", i), AuthType: vendor.AuthFace}
		}
		return out
	}
	return map[vendor.Rule][]ruleCase{
		vendor.RuleNameRequired: {{field: "name", invalid: func(c *vendor.Config) { c.Name = "  " }, valid: func(c *vendor.Config) { c.Name = "A" }}},
		vendor.RuleNameLength: {{field: "name",
			invalid: func(c *vendor.Config) { c.Name = long(65) }, valid: func(c *vendor.Config) { c.Name = long(64) }}},
		vendor.RuleAuthTypeRequired: {{field: "authType",
			invalid: func(c *vendor.Config) { c.AuthType = "" }, valid: func(c *vendor.Config) { c.AuthType = vendor.AuthFingerprint }}},
		vendor.RuleAuthTypeKnown: {{field: "authType",
			invalid: func(c *vendor.Config) { c.AuthType = "IRIS" }, valid: func(c *vendor.Config) { c.AuthType = vendor.AuthCLUeQR }}},
		vendor.RuleAuthTypeLocked: {{field: "authType",
			invalidS: &vendor.SaveState{Original: &vendor.Config{AuthType: vendor.AuthRFCard}, LastTest: passed},
			validS:   &vendor.SaveState{Original: &vendor.Config{AuthType: vendor.AuthFace}, LastTest: passed}}},
		vendor.RuleAuthTypeLimit: {{field: "authType",
			invalidS: &vendor.SaveState{Registered: face(3), LastTest: passed},
			validS:   &vendor.SaveState{Registered: append(face(2), vendor.Config{AuthType: vendor.AuthRFCard}), LastTest: passed}}},
		vendor.RuleURLRequired: {{field: "webhookUrl",
			invalid: func(c *vendor.Config) { c.WebhookURL = "" }, valid: func(c *vendor.Config) { c.WebhookURL = "https://v.example" }}},
		vendor.RuleURLHTTPS: {{field: "webhookUrl",
			invalid: func(c *vendor.Config) { c.WebhookURL = "http://vendor.example/verify" },
			valid:   func(c *vendor.Config) { c.WebhookURL = "https://vendor.example/verify" }}},
		vendor.RuleURLLength: {{field: "webhookUrl",
			invalid: func(c *vendor.Config) { c.WebhookURL = "https://v.example/" + strings.Repeat("a", 513-18) },
			valid:   func(c *vendor.Config) { c.WebhookURL = "https://v.example/" + strings.Repeat("a", 512-18) }}},
		vendor.RuleURLFormat: {
			{field: "webhookUrl", invalid: func(c *vendor.Config) { c.WebhookURL = "https:///verify" }, valid: func(c *vendor.Config) { c.WebhookURL = "https://10.0.0.5:8443/verify" }},
			{field: "webhookUrl", invalid: func(c *vendor.Config) { c.WebhookURL = "https://user:pw@v.example" }, valid: func(c *vendor.Config) { c.WebhookURL = "https://v.example?user=pw" }},
		},
		vendor.RuleHeadersCount: {{field: "headers",
			invalid: func(c *vendor.Config) { c.Headers = headers(11) }, valid: func(c *vendor.Config) { c.Headers = headers(10) }}},
		vendor.RuleHeaderKeyRequired: {{field: "headers[1].key",
			invalid: func(c *vendor.Config) { c.Headers = append(c.Headers, vendor.Header{Key: " ", Value: "x"}) },
			valid:   func(c *vendor.Config) { c.Headers = append(c.Headers, vendor.Header{Key: "X-Site", Value: ""}) }}},
		vendor.RuleHeaderKeyFormat: {{field: "headers[1].key",
			invalid: func(c *vendor.Config) { c.Headers = append(c.Headers, vendor.Header{Key: "X Site", Value: "x"}) },
			valid:   func(c *vendor.Config) { c.Headers = append(c.Headers, vendor.Header{Key: "X-Site_2", Value: "x"}) }}},
		vendor.RuleHeaderValueFormat: {{field: "headers[1].value",
			invalid: func(c *vendor.Config) {
				c.Headers = append(c.Headers, vendor.Header{Key: "X-A", Value: "a\r\nX-Evil: 1"})
			},
			valid: func(c *vendor.Config) { c.Headers = append(c.Headers, vendor.Header{Key: "X-A", Value: "a b\tc"}) }}},
		vendor.RuleHeaderDuplicate: {{field: "headers[1].key",
			invalid: func(c *vendor.Config) { c.Headers = append(c.Headers, vendor.Header{Key: "AUTHORIZATION", Value: "x"}) },
			valid: func(c *vendor.Config) {
				c.Headers = append(c.Headers, vendor.Header{Key: "X-Authorization", Value: "x"})
			}}},
		vendor.RuleHeaderReserved: {
			{field: "headers[1].key", invalid: func(c *vendor.Config) {
				c.Headers = append(c.Headers, vendor.Header{Key: "content-TYPE", Value: "text/xml"})
			},
				valid: func(c *vendor.Config) {
					c.Headers = append(c.Headers, vendor.Header{Key: "Content-Language", Value: "ja"})
				}},
			{field: "headers[1].key", invalid: func(c *vendor.Config) { c.Headers = append(c.Headers, vendor.Header{Key: "Accept", Value: "*/*"}) },
				valid: func(c *vendor.Config) {
					c.Headers = append(c.Headers, vendor.Header{Key: "Accept-Language", Value: "ja"})
				}},
		},
		vendor.RuleAutoPlaceholder: {{field: "autoFields[2].placeholder",
			invalid: func(c *vendor.Config) {
				c.AutoFields = append(c.AutoFields, vendor.AutoField{Key: "mail", Placeholder: "{{EMAIL}}", Enabled: true})
			},
			valid: func(c *vendor.Config) {
				c.AutoFields = append(c.AutoFields, vendor.AutoField{Key: "pin", Placeholder: "{{UNIQUE_PIN}}"})
			}}},
		vendor.RuleAutoAvailable: {{field: "autoFields[2].placeholder",
			invalid: func(c *vendor.Config) {
				c.AutoFields = append(c.AutoFields, vendor.AutoField{Key: "rfCard", Placeholder: "{{CARD_NUMBER}}", Enabled: true})
			},
			valid: func(c *vendor.Config) {
				c.AutoFields = append(c.AutoFields, vendor.AutoField{Key: "rfCard", Placeholder: "{{CARD_NUMBER}}", Enabled: false})
			}}},
		vendor.RuleAutoPlaceholderOnce: {{field: "autoFields[2].placeholder",
			invalid: func(c *vendor.Config) {
				c.AutoFields = append(c.AutoFields, vendor.AutoField{Key: "serial", Placeholder: "{{DEVICE_SERIAL}}"})
			},
			valid: func(c *vendor.Config) {
				c.AutoFields = c.AutoFields[:1]
				c.AutoFields = append(c.AutoFields, vendor.AutoField{Key: "user", Placeholder: "{{USER_KEY}}"})
			}}},
		vendor.RuleAutoKeyRequired: {{field: "autoFields[1].key",
			invalid: func(c *vendor.Config) { c.AutoFields[1].Key = "" },
			valid:   func(c *vendor.Config) { c.AutoFields[1].Key, c.AutoFields[1].Enabled = "", false }}},
		vendor.RuleManualNameRequired: {{field: "manualFields[0].name",
			invalid: func(c *vendor.Config) { c.ManualFields[0].Name = "" }, valid: func(c *vendor.Config) { c.ManualFields[0].Name = "s" }}},
		vendor.RuleManualType: {{field: "manualFields[0].type",
			invalid: func(c *vendor.Config) { c.ManualFields[0].Type = "DATE" },
			valid:   func(c *vendor.Config) { c.ManualFields[0].Type, c.ManualFields[0].Value = vendor.TypeNumber, "1" }}},
		vendor.RuleManualValue: {
			{field: "manualFields[0].value", invalid: func(c *vendor.Config) { c.ManualFields[0].Type, c.ManualFields[0].Value = vendor.TypeNumber, "12a" },
				valid: func(c *vendor.Config) { c.ManualFields[0].Type, c.ManualFields[0].Value = vendor.TypeNumber, "-12.5e3" }},
			{field: "manualFields[0].value", invalid: func(c *vendor.Config) { c.ManualFields[0].Type, c.ManualFields[0].Value = vendor.TypeBoolean, "yes" },
				valid: func(c *vendor.Config) { c.ManualFields[0].Type, c.ManualFields[0].Value = vendor.TypeBoolean, "FALSE" }},
		},
		vendor.RuleFieldDuplicate: {
			{field: "manualFields[0].name", invalid: func(c *vendor.Config) { c.ManualFields[0].Name = "employeeId" },
				valid: func(c *vendor.Config) { c.ManualFields[0].Name = "employeeID" }},
			{field: "autoFields[1].key", invalid: func(c *vendor.Config) { c.AutoFields[1].Key = "deviceId" },
				valid: func(c *vendor.Config) { c.AutoFields[1].Key = "deviceId"; c.AutoFields[0].Enabled = false }},
		},
		vendor.RuleFieldsCount: {{field: "fields",
			invalid: func(c *vendor.Config) { c.ManualFields = manuals(9) }, valid: func(c *vendor.Config) { c.ManualFields = manuals(8) }}},
		vendor.RuleJudgmentRequired: {{field: "judgment",
			invalid: func(c *vendor.Config) { c.Judgment.StatusCodes, c.Judgment.SuccessResult = nil, nil },
			valid:   func(c *vendor.Config) { c.Judgment.SuccessResult = nil }}},
		vendor.RuleStatusRange: {
			{field: "judgment.statusCodes[0]", invalid: func(c *vendor.Config) { c.Judgment.StatusCodes = codes("400") }, valid: func(c *vendor.Config) { c.Judgment.StatusCodes = codes("399") }},
			{field: "judgment.statusCodes[0]", invalid: func(c *vendor.Config) { c.Judgment.StatusCodes = codes("99") }, valid: func(c *vendor.Config) { c.Judgment.StatusCodes = codes("100") }},
			{field: "judgment.statusCodes[1]", invalid: func(c *vendor.Config) { c.Judgment.StatusCodes = codes("200", "200.5") }, valid: func(c *vendor.Config) { c.Judgment.StatusCodes = codes("200", "201") }},
		},
		vendor.RuleStatusCount: {{field: "judgment.statusCodes",
			invalid: func(c *vendor.Config) { c.Judgment.StatusCodes = codes("200", "201", "202", "204") },
			valid:   func(c *vendor.Config) { c.Judgment.StatusCodes = codes("200", "201", "202") }}},
		vendor.RuleStatusDuplicate: {{field: "judgment.statusCodes[1]",
			invalid: func(c *vendor.Config) { c.Judgment.StatusCodes = codes("200", "200") },
			valid:   func(c *vendor.Config) { c.Judgment.StatusCodes = codes("200", "302") }}},
		vendor.RuleResultComplete: {{field: "judgment.successResult",
			invalid: func(c *vendor.Config) { c.Judgment.SuccessResult.Value = "" },
			valid:   func(c *vendor.Config) { c.Judgment.SuccessResult.Value = "false" }}},
		vendor.RuleResultType: {{field: "judgment.successResult.type",
			invalid: func(c *vendor.Config) { c.Judgment.SuccessResult.Type = "BOOL" },
			valid:   func(c *vendor.Config) { c.Judgment.SuccessResult.Type = vendor.TypeString }}},
		vendor.RuleResultValue: {{field: "judgment.successResult.value",
			invalid: func(c *vendor.Config) { c.Judgment.SuccessResult.Value = "yes" },
			valid:   func(c *vendor.Config) { c.Judgment.SuccessResult.Value = "True" }}},
		vendor.RulePathFormat: {
			{field: "judgment.successResult.key", invalid: func(c *vendor.Config) { c.Judgment.SuccessResult.Key = "valid" },
				valid: func(c *vendor.Config) { c.Judgment.SuccessResult.Key = "$.data.items[0]['ok flag']" }},
			{field: "judgment.successMessage", invalid: func(c *vendor.Config) { c.Judgment.SuccessMessage = "$..message" },
				valid: func(c *vendor.Config) { c.Judgment.SuccessMessage = "$.result.message" }},
			{field: "judgment.failureMessage", invalid: func(c *vendor.Config) { c.Judgment.FailureMessage = "$[0]" },
				valid: func(c *vendor.Config) { c.Judgment.FailureMessage = "" }},
		},
		vendor.RulePathLength: {{field: "judgment.failureMessage",
			invalid: func(c *vendor.Config) { c.Judgment.FailureMessage = "$." + strings.Repeat("m", 127) },
			valid:   func(c *vendor.Config) { c.Judgment.FailureMessage = "$." + strings.Repeat("m", 126) }}},
		vendor.RuleSaveTested: {
			{field: "test", invalidS: &vendor.SaveState{}, validS: &vendor.SaveState{LastTest: passed}},
			{field: "test", invalidS: &vendor.SaveState{LastTest: failed}, validS: &vendor.SaveState{LastTest: &vendor.TestResult{Class: vendor.ClassC, Success: true}}},
		},
		vendor.RuleTestDeviceID: {
			{field: "test.deviceId", test: &[2]vendor.TestInput{{DeviceID: "12345678", UserKey: "u"}, {DeviceID: "123456789", UserKey: "u"}}, authType: vendor.AuthFace},
			{field: "test.deviceId", test: &[2]vendor.TestInput{{DeviceID: "1234567890123", UserKey: "u"}, {DeviceID: "123456789012", UserKey: "u"}}, authType: vendor.AuthFace},
			{field: "test.deviceId", test: &[2]vendor.TestInput{{DeviceID: "12345678a", UserKey: "u"}, {DeviceID: "000000000", UserKey: "u"}}, authType: vendor.AuthFace},
		},
		vendor.RuleTestUserKey: {
			{field: "test.userKey", test: &[2]vendor.TestInput{{DeviceID: "123456789"}, {DeviceID: "123456789", UserKey: "a"}}, authType: vendor.AuthFingerprint},
			{field: "test.userKey", test: &[2]vendor.TestInput{{DeviceID: "123456789", UserKey: strings.Repeat("k", 65)}, {DeviceID: "123456789", UserKey: strings.Repeat("k", 64)}}, authType: vendor.AuthCLUeQR},
			{field: "test.userKey", test: &[2]vendor.TestInput{{DeviceID: "123456789", UserKey: "jin lee"}, {DeviceID: "123456789", UserKey: "jin.lee-1_@x"}}, authType: vendor.AuthFace},
		},
		vendor.RuleTestValue: {
			{field: "test.cardNumber", test: &[2]vendor.TestInput{{DeviceID: "123456789"}, {DeviceID: "123456789", CardNumber: "12345"}}, authType: vendor.AuthRFCard},
			{field: "test.pin", test: &[2]vendor.TestInput{{DeviceID: "123456789", UserKey: "u"}, {DeviceID: "123456789", PIN: "4321"}}, authType: vendor.AuthUserPIN},
			{field: "test.qrCode", test: &[2]vendor.TestInput{{DeviceID: "123456789"}, {DeviceID: "123456789", QRCode: "QR"}}, authType: vendor.AuthCustomQR},
		},
	}
}

// TestRules checks every rule on both sides: the invalid input breaks it, naming the field,
// and the nearest valid input does not.
func TestRules(t *testing.T) {
	cases := ruleCases()
	for _, info := range vendor.Rules() {
		rule := info.Rule
		cs, ok := cases[rule]
		if !ok {
			t.Errorf("rule %s (section %s) has no test", rule, info.Section)
			continue
		}
		for i, tc := range cs {
			t.Run(fmt.Sprintf("%s/%d", rule, i), func(t *testing.T) {
				run := func(mod func(*vendor.Config), s *vendor.SaveState, in *vendor.TestInput) vendor.Violations {
					c := validConfig(t)
					if mod != nil {
						mod(&c)
					}
					switch {
					case in != nil:
						return in.Validate(tc.authType)
					case s != nil:
						return vendor.ValidateSave(c, *s)
					}
					return vendor.Validate(c)
				}
				var bad, good vendor.Violations
				if tc.test != nil {
					bad, good = run(nil, nil, &tc.test[0]), run(nil, nil, &tc.test[1])
				} else {
					bad, good = run(tc.invalid, tc.invalidS, nil), run(tc.valid, tc.validS, nil)
				}
				found := false
				for _, v := range bad {
					if v.Rule == rule {
						found = true
						if v.Field != tc.field || v.Message == "" {
							t.Errorf("violation %+v, want field %s", v, tc.field)
						}
					}
				}
				if !found {
					t.Errorf("invalid side not caught: %v", bad)
				}
				if good.Has(rule) {
					t.Errorf("valid side refused: %v", good)
				}
			})
		}
	}
	for rule := range cases {
		known := false
		for _, info := range vendor.Rules() {
			known = known || info.Rule == rule
		}
		if !known {
			t.Errorf("test for %s, which Rules() does not list", rule)
		}
	}
}
