package ef45

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
)

// A biometric-data answer is ~5 MB, nearly all of it base64 in a few long strings.
// encoding/json scans every byte twice through its state machine (~50 ms a poll);
// fastBiometricList finds each string's end with IndexByte and decodes the base64 in place,
// and hands every small field to encoding/json so the lenient rules stay the same. On
// anything unusual (escapes in a long string, case-folded keys) it gives up
// and encoding/json decodes the whole answer, so both always agree: the differential fuzz
// target FuzzFastBiometricMatchesEncodingJSON holds them to that. Both drop null items.

// DecodeBiometricList decodes a GET /biometric-data(/ver1) answer.
func DecodeBiometricList(data []byte) ([]BiometricData, error) {
	if items, ok := fastBiometricList(data); ok {
		return items, nil
	}
	var l List[*BiometricData]
	if err := unmarshal(data, &l); err != nil {
		return nil, err
	}
	return captures(l.Items), nil
}

// captures drops the null items of a list: {"items":[null]} is no capture, not an
// empty one that would be saved and pushed.
func captures(items []*BiometricData) []BiometricData {
	if items == nil {
		return nil
	}
	out := make([]BiometricData, 0, len(items))
	for _, it := range items {
		if it != nil {
			out = append(out, *it)
		}
	}
	return out
}

// bytesField is a base64 field of the wire item: its key and its place.
type bytesField struct {
	key string
	dst *[]byte
}

// biometricBytesFields lists the base64 fields of w, the only large ones.
func biometricBytesFields(w *biometricWire) [14]bytesField {
	return [...]bytesField{
		{"left_eye", &w.LeftEye}, {"left_eye_enrol_template", &w.LeftEyeEnrolTemplate},
		{"right_eye", &w.RightEye}, {"right_eye_enrol_template", &w.RightEyeEnrolTemplate},
		{"iris_off_face", &w.faceWireIrisOff.Image}, {"iris_off_face_feature", &w.faceWireIrisOff.Feature},
		{"far_off_face", &w.faceWireFarOff.Image}, {"far_off_face_feature", &w.faceWireFarOff.Feature},
		{"far_on_face", &w.faceWireFarOn.Image}, {"far_on_face_feature", &w.faceWireFarOn.Feature},
		{"near_off_face", &w.faceWireNearOff.Image}, {"near_off_face_feature", &w.faceWireNearOff.Feature},
		{"near_on_face", &w.faceWireNearOn.Image}, {"near_on_face_feature", &w.faceWireNearOn.Feature},
	}
}

// bytesFieldFor returns the place of key's base64 field, or nil when key is not one;
// folded reports a key that is not one but that encoding/json would match to one,
// case-insensitively (the fast path leaves such answers to it).
func bytesFieldFor(fields *[14]bytesField, key []byte) (dst *[]byte, folded bool) {
	for _, f := range fields {
		if string(key) == f.key {
			return f.dst, false
		}
		folded = folded || bytes.EqualFold(key, []byte(f.key))
	}
	return nil, folded
}

func fastBiometricList(data []byte) ([]BiometricData, bool) {
	s := jsonScan{data: data}
	if !s.consume('{') {
		return nil, false
	}
	var items []BiometricData
	// The envelope's other members are decoded by encoding/json, so a malformed status
	// fails the same way on both paths.
	rest := []byte{'{'}
	ok := s.members(func(key []byte) bool {
		if string(key) != "items" {
			if bytes.EqualFold(key, []byte("items")) {
				return false
			}
			return s.copyMember(&rest, key)
		}
		if s.literal("null") {
			items = nil
			return true
		}
		if !s.consume('[') {
			return false
		}
		items = make([]BiometricData, 0, 1)
		if s.consume(']') {
			return true
		}
		for {
			if !s.literal("null") {
				var d BiometricData
				if !s.item(&d) {
					return false
				}
				items = append(items, d)
			}
			if s.consume(']') {
				return true
			}
			if !s.consume(',') {
				return false
			}
		}
	})
	s.ws()
	if !ok || s.pos != len(s.data) {
		return nil, false
	}
	var envelope List[*BiometricData]
	if json.Unmarshal(append(rest, '}'), &envelope) != nil {
		return nil, false
	}
	return items, true
}

// copyMember skips the value at the scan position and appends "key":value to obj.
func (s *jsonScan) copyMember(obj *[]byte, key []byte) bool {
	start := s.pos
	if !s.skipValue(0) {
		return false
	}
	if len(*obj) > 1 {
		*obj = append(*obj, ',')
	}
	*obj = append(*obj, '"')
	*obj = append(*obj, key...)
	*obj = append(*obj, '"', ':')
	*obj = append(*obj, s.data[start:s.pos]...)
	return true
}

// item decodes one wire item into d: the base64 fields here, the small ones (gathered into
// one small object) by encoding/json into the same wire struct.
func (s *jsonScan) item(d *BiometricData) bool {
	if !s.consume('{') {
		return false
	}
	var w biometricWire
	fields := biometricBytesFields(&w)
	small := []byte{'{'}
	ok := s.members(func(key []byte) bool {
		dst, folded := bytesFieldFor(&fields, key)
		if dst != nil {
			return s.base64Value(dst)
		}
		return !folded && s.copyMember(&small, key)
	})
	if !ok || json.Unmarshal(append(small, '}'), &w) != nil {
		return false
	}
	d.fromWire(&w)
	return true
}

// base64Value decodes a JSON string of base64 (or null) into dst, as encoding/json does
// for a []byte field.
func (s *jsonScan) base64Value(dst *[]byte) bool {
	if s.literal("null") {
		*dst = nil
		return true
	}
	raw, ok := s.rawString()
	// The base64 decoder refuses '\\' and control characters, except CR and LF, which it
	// skips but JSON forbids raw in a string.
	if !ok || bytes.IndexByte(raw, '\n') >= 0 || bytes.IndexByte(raw, '\r') >= 0 {
		return false
	}
	b := make([]byte, base64.StdEncoding.DecodedLen(len(raw)))
	n, err := base64.StdEncoding.Decode(b, raw)
	if err != nil {
		return false
	}
	*dst = b[:n]
	return true
}

// jsonScan is a strict reader of JSON text, enough to walk objects and skip values.
type jsonScan struct {
	data []byte
	pos  int
}

func (s *jsonScan) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// consume skips white space and c, reporting whether c was there.
func (s *jsonScan) consume(c byte) bool {
	s.ws()
	if s.pos < len(s.data) && s.data[s.pos] == c {
		s.pos++
		return true
	}
	return false
}

func (s *jsonScan) literal(lit string) bool {
	s.ws()
	if bytes.HasPrefix(s.data[s.pos:], []byte(lit)) {
		s.pos += len(lit)
		return true
	}
	return false
}

// members walks the members of an object whose '{' is consumed, calling member with each
// key, positioned at its value; member must consume the value.
func (s *jsonScan) members(member func(key []byte) bool) bool {
	if s.consume('}') {
		return true
	}
	for {
		s.ws()
		key, ok := s.plainString()
		if !ok || !s.consume(':') || !member(key) {
			return false
		}
		if s.consume('}') {
			return true
		}
		if !s.consume(',') {
			return false
		}
	}
}

// rawString reads a string up to the first '"', unchecked: an escaped quote ends it early,
// which the caller's checks catch.
func (s *jsonScan) rawString() ([]byte, bool) {
	s.ws()
	if s.pos >= len(s.data) || s.data[s.pos] != '"' {
		return nil, false
	}
	rest := s.data[s.pos+1:]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return nil, false
	}
	s.pos += end + 2
	return rest[:end], true
}

// plainString reads a string without escapes or control characters (a key); a string with
// escapes is not plain and the caller gives up.
func (s *jsonScan) plainString() ([]byte, bool) {
	str, ok := s.rawString()
	if !ok {
		return nil, false
	}
	for _, c := range str {
		if c < 0x20 || c == '\\' {
			return nil, false
		}
	}
	return str, true
}

// skipValue skips any JSON value, checking its grammar as encoding/json would.
func (s *jsonScan) skipValue(depth int) bool {
	if depth > 1000 {
		return false
	}
	s.ws()
	if s.pos >= len(s.data) {
		return false
	}
	switch c := s.data[s.pos]; {
	case c == '"':
		return s.skipString()
	case c == '{':
		s.pos++
		return s.members(func([]byte) bool { return s.skipValue(depth + 1) })
	case c == '[':
		s.pos++
		if s.consume(']') {
			return true
		}
		for {
			if !s.skipValue(depth + 1) {
				return false
			}
			if s.consume(']') {
				return true
			}
			if !s.consume(',') {
				return false
			}
		}
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	default:
		return s.skipNumber()
	}
}

func (s *jsonScan) skipString() bool {
	i := s.pos + 1
	for i < len(s.data) {
		switch c := s.data[i]; {
		case c == '"':
			s.pos = i + 1
			return true
		case c < 0x20:
			return false
		case c == '\\':
			if i+1 >= len(s.data) {
				return false
			}
			switch s.data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(s.data) {
					return false
				}
				for _, h := range s.data[i+2 : i+6] {
					if !isHex(h) {
						return false
					}
				}
				i += 6
			default:
				return false
			}
		default:
			i++
		}
	}
	return false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// skipNumber skips -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *jsonScan) skipNumber() bool {
	d, i := s.data, s.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			return false
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			return false
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	}
	s.pos = i
	return true
}
