package vendor

// Rule names one input rule of spec 002.
type Rule string

// The rules of sections 5, 8 and 9 (the section is in RuleInfo).
const (
	RuleNameRequired        Rule = "name.required"
	RuleNameLength          Rule = "name.length"
	RuleAuthTypeRequired    Rule = "authType.required"
	RuleAuthTypeKnown       Rule = "authType.known"
	RuleAuthTypeLocked      Rule = "authType.locked"
	RuleAuthTypeLimit       Rule = "authType.limit"
	RuleURLRequired         Rule = "webhookUrl.required"
	RuleURLHTTPS            Rule = "webhookUrl.https"
	RuleURLLength           Rule = "webhookUrl.length"
	RuleURLFormat           Rule = "webhookUrl.format"
	RuleHeadersCount        Rule = "headers.count"
	RuleHeaderKeyRequired   Rule = "headers.key.required"
	RuleHeaderKeyFormat     Rule = "headers.key.format"
	RuleHeaderValueFormat   Rule = "headers.value.format"
	RuleHeaderDuplicate     Rule = "headers.key.duplicate"
	RuleHeaderReserved      Rule = "headers.key.reserved"
	RuleAutoPlaceholder     Rule = "autoFields.placeholder.known"
	RuleAutoAvailable       Rule = "autoFields.placeholder.available"
	RuleAutoPlaceholderOnce Rule = "autoFields.placeholder.once"
	RuleAutoKeyRequired     Rule = "autoFields.key.required"
	RuleManualNameRequired  Rule = "manualFields.name.required"
	RuleManualType          Rule = "manualFields.type.known"
	RuleManualValue         Rule = "manualFields.value.type"
	RuleFieldDuplicate      Rule = "fields.key.duplicate"
	RuleFieldsCount         Rule = "fields.count"
	RuleJudgmentRequired    Rule = "judgment.required"
	RuleStatusRange         Rule = "judgment.statusCodes.range"
	RuleStatusCount         Rule = "judgment.statusCodes.count"
	RuleStatusDuplicate     Rule = "judgment.statusCodes.duplicate"
	RuleResultComplete      Rule = "judgment.successResult.complete"
	RuleResultType          Rule = "judgment.successResult.type.known"
	RuleResultValue         Rule = "judgment.successResult.value.type"
	RulePathFormat          Rule = "judgment.path.format"
	RulePathLength          Rule = "judgment.path.length"
	RuleSaveTested          Rule = "save.tested"
	RuleTestDeviceID        Rule = "test.deviceId"
	RuleTestUserKey         Rule = "test.userKey"
	RuleTestValue           Rule = "test.value.required"
)

// Limits of spec 002.
const (
	MaxNameLength   = 64  // 5.2, 8
	MaxURLLength    = 512 // 5.2, 8, 9.3 A
	MaxHeaders      = 10  // 5.3, 8
	MaxFields       = 10  // 5.4, 5.5, 8: auto and manual fields together
	MaxStatusCodes  = 3   // 5.7, 8
	MaxAPIsPerType  = 3   // 5, 8, 9.3 A
	MaxUserKeyChars = 64  // 5.6, 8, 9.3 A
)

// RuleInfo says where a rule comes from and what it asks.
type RuleInfo struct {
	Rule    Rule
	Section string
	Text    string
}

// Rules lists every rule the validator applies, with its section of spec 002.
func Rules() []RuleInfo {
	return []RuleInfo{
		{RuleNameRequired, "5.2, 8, 9.2", "the name is required"},
		{RuleNameLength, "5.2, 8", "the name has at most 64 characters"},
		{RuleAuthTypeRequired, "5.2, 8, 9.2", "the auth type is required"},
		{RuleAuthTypeKnown, "2.2, 5.2", "the auth type is one of the six credential types"},
		{RuleAuthTypeLocked, "5.2, 5.8, 8", "the auth type cannot be changed after saving"},
		{RuleAuthTypeLimit, "5, 8, 9.3 A", "at most 3 APIs per auth type"},
		{RuleURLRequired, "5.2, 8, 9.2", "the webhook URL is required"},
		{RuleURLHTTPS, "5.2, 8, 9.2, 9.3 A", "the webhook URL starts with https:// (http:// cannot be saved)"},
		{RuleURLLength, "5.2, 8, 9.3 A", "the webhook URL has at most 512 characters"},
		{RuleURLFormat, "9.3 A", "the webhook URL is a URL with a host"},
		{RuleHeadersCount, "5.3, 8, 9.3 A", "at most 10 custom headers"},
		{RuleHeaderKeyRequired, "5.3, 8", "a custom header has a key"},
		{RuleHeaderKeyFormat, "5.3", "a header key is a valid HTTP header name"},
		{RuleHeaderValueFormat, "5.3", "a header value has no line breaks or control characters"},
		{RuleHeaderDuplicate, "5.3, 8, 9.3 A, 9.4", "header keys are unique, ignoring case"},
		{RuleHeaderReserved, "5.3, 9.3 A", "Content-Type and Accept are fixed and cannot be added, ignoring case"},
		{RuleAutoPlaceholder, "5.4", "an auto field's placeholder is one of the five"},
		{RuleAutoAvailable, "5.4", "an enabled auto field's placeholder is available for the auth type"},
		{RuleAutoPlaceholderOnce, "5.4", "each placeholder appears in one auto field"},
		{RuleAutoKeyRequired, "5.4, 8", "an enabled auto field has a key"},
		{RuleManualNameRequired, "5.5, 8", "a manual field has a name"},
		{RuleManualType, "5.5, 8", "a manual field's type is STRING, NUMBER or BOOLEAN"},
		{RuleManualValue, "5.5, 5.8, 8, 9.2", "a manual field's value converts to its type"},
		{RuleFieldDuplicate, "5.5, 8, 9.3 A, 9.4", "auto field keys and manual field names are unique"},
		{RuleFieldsCount, "5.4, 5.5, 8, 9.3 A", "at most 10 auto and manual fields together"},
		{RuleJudgmentRequired, "5.7, 8, 9.2, 9.3 A", "status codes or a success result (or both)"},
		{RuleStatusRange, "5.7, 8, 9.3 A", "each status code is an integer from 100 to 399"},
		{RuleStatusCount, "5.7, 8, 9.3 A", "at most 3 status codes"},
		{RuleStatusDuplicate, "5.7, 8, 9.3 A", "no status code twice"},
		{RuleResultComplete, "5.7, 8, 9.2", "a success result has key, value and data format"},
		{RuleResultType, "5.7, 8", "the success result's data format is BOOLEAN, STRING or NUMBER"},
		{RuleResultValue, "5.7, 9.3 C", "the success result's value converts to its data format"},
		{RulePathFormat, "5.7, 9.3 A", "a JSONPath starts with $. and is of the supported subset"},
		{RulePathLength, "9.3 A", "a JSONPath has at most 128 characters"},
		{RuleSaveTested, "5.6, 5.8, 8, 9.2", "saving needs a test that received a JSON response"},
		{RuleTestDeviceID, "5.6, 8, 9.3 A", "the test device ID is a 9-12 digit number"},
		{RuleTestUserKey, "5.6, 8, 9.3 A", "the test user key has 1-64 letters, digits, -, _, @ or ."},
		{RuleTestValue, "5.6", "the test gives the value the auth type uses (card, PIN or QR)"},
	}
}
