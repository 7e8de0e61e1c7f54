package console

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"enrollstation/enroll"
)

// ResponseField is a value of the last JSON response, offered as a JSONPath for the
// judgment criteria: spec 002 5.7 lets the technician drag a field of the response onto a
// criterion instead of writing the path.
type ResponseField struct {
	Path  string                 // e.g. $.data.valid
	Value string                 // the value as the success result takes it: true, 12, Access granted.
	Type  enroll.VendorFieldType // its data format
}

// Shown is the field as the list shows it: $.valid = true, $.message = "Access granted.".
func (f ResponseField) Shown() string {
	v := f.Value
	if f.Type == enroll.VendorString {
		b, _ := json.Marshal(v)
		v = string(b)
	}
	return cut(printable(f.Path + " = " + v))
}

// Use is the criterion a response field is put into.
type Use int

// The criteria a response field can fill.
const (
	UseSuccessResult Use = iota
	UseSuccessMessage
	UseFailureMessage
)

// The bounds of the field list, so that a large answer does not make a long one.
const (
	maxFields     = 40
	maxFieldDepth = 8
)

// responseFields lists the scalar values of a JSON body with their paths, objects' members
// in name order. Only paths the criteria accept are listed.
func responseFields(body []byte) []ResponseField {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil
	}
	var out []ResponseField
	var walk func(path string, v any, depth int)
	walk = func(path string, v any, depth int) {
		if len(out) >= maxFields || depth > maxFieldDepth {
			return
		}
		switch v := v.(type) {
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(v)) {
				walk(path+member(k), v[k], depth+1)
			}
		case []any:
			for i, e := range v {
				walk(path+"["+strconv.Itoa(i)+"]", e, depth+1)
			}
		case string:
			out = appendField(out, ResponseField{Path: path, Value: v, Type: enroll.VendorString})
		case json.Number:
			out = appendField(out, ResponseField{Path: path, Value: v.String(), Type: enroll.VendorNumber})
		case bool:
			out = appendField(out, ResponseField{Path: path, Value: strconv.FormatBool(v), Type: enroll.VendorBoolean})
		}
	}
	walk("$", doc, 0)
	return out
}

func appendField(out []ResponseField, f ResponseField) []ResponseField {
	// The criteria take paths that start with $. and parse (spec 002, 9.3 A).
	if strings.HasPrefix(f.Path, "$.") && len(f.Path) <= 128 && enroll.CheckVendorPath(f.Path) == nil {
		out = append(out, f)
	}
	return out
}

// member is the path segment of an object member: .name when the name allows it, else a
// quoted selector.
func member(k string) string {
	ok := k != ""
	for i, r := range k {
		letter := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0x80
		if !letter && (i == 0 || r < '0' || r > '9') {
			ok = false
			break
		}
	}
	if ok {
		return "." + k
	}
	b, _ := json.Marshal(k) // a JSON string is an RFC 9535 double-quoted literal
	return "[" + string(b) + "]"
}

// UseField puts the i-th field of the last response into a criterion: the success result
// (path, value and data format) or a message path.
func (m *Model) UseField(i int, use Use) error {
	m.mu.Lock()
	var fields []ResponseField
	if m.result != nil {
		fields = m.result.Fields
	}
	m.mu.Unlock()
	if i < 0 || i >= len(fields) {
		return fmt.Errorf("no response field %d", i)
	}
	f := fields[i]
	switch use {
	case UseSuccessResult:
		m.SetSuccessResult(f.Path, f.Value, f.Type)
	case UseSuccessMessage:
		m.SetSuccessMessage(f.Path)
	case UseFailureMessage:
		m.SetFailureMessage(f.Path)
	}
	return nil
}
