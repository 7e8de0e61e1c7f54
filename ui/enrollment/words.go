package enrollment

import (
	"strings"
	"text/template"
)

// Words is a text the operator reads: its translation key, its English template and the
// values the template names. The model says what happened in Words; the screen asks
// lang for the operator's language, and logs and tests read English.
type Words struct {
	Key      string
	Template string
	Args     map[string]any
}

// say makes Words; args are name, value pairs.
func say(key, tmpl string, args ...any) Words {
	w := Words{Key: key, Template: tmpl}
	if len(args) > 0 {
		w.Args = map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			w.Args[args[i].(string)] = args[i+1]
		}
	}
	return w
}

// English is the text in English.
func (w Words) English() string {
	if w.Args == nil {
		return w.Template
	}
	t, err := template.New(w.Key).Parse(w.Template)
	if err != nil {
		return w.Template
	}
	var b strings.Builder
	if err := t.Execute(&b, w.Args); err != nil {
		return w.Template
	}
	return b.String()
}
