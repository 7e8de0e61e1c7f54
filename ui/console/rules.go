package console

import "fyne.io/fyne/v2/lang"

// ruleText is a validation message worded by the rule it breaks, "console.rule.<rule>" in
// the translations (every rule's key is checked by TestEveryRuleIsWorded); msg, the
// validator's English, when a rule has none.
func ruleText(rule, msg string) string {
	return lang.LocalizeKey("console.rule."+rule, msg)
}
