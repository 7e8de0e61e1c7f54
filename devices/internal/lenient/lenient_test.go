package lenient

import (
	"encoding/json"
	"testing"
)

func TestIntForms(t *testing.T) {
	cases := []struct {
		in   string
		want Int
		bad  bool
	}{
		{in: `12`, want: 12}, {in: `"12"`, want: 12}, {in: `" 12 "`, want: 12}, {in: `12.0`, want: 12},
		{in: `1e3`, want: 1000}, {in: `-7`, want: -7}, {in: `""`}, {in: `null`},
		{in: `12.7`, bad: true}, {in: `"x"`, bad: true}, {in: `true`, bad: true}, {in: `[1]`, bad: true},
		{in: `{}`, bad: true}, {in: `1e300`, bad: true},
	}
	for _, c := range cases {
		var got Int = 99
		err := json.Unmarshal([]byte(c.in), &got)
		if c.bad {
			if err == nil {
				t.Errorf("%s: decoded as %d, want an error", c.in, got)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: got %d, %v; want %d", c.in, got, err, c.want)
		}
	}
}

func TestFloatForms(t *testing.T) {
	for in, want := range map[string]Float{`1.5`: 1.5, `"1.5"`: 1.5, `""`: 0, `null`: 0, `-2`: -2} {
		var got Float
		if err := json.Unmarshal([]byte(in), &got); err != nil || got != want {
			t.Errorf("%s: got %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{`"NaN"`, `"Inf"`, `"x"`, `[]`} {
		var got Float
		if err := json.Unmarshal([]byte(in), &got); err == nil {
			t.Errorf("%s: decoded as %v, want an error", in, got)
		}
	}
}

func TestBoolForms(t *testing.T) {
	for in, want := range map[string]Bool{
		`true`: true, `"true"`: true, `1`: true, `"1"`: true, `"enable"`: true, `"YES"`: true,
		`false`: false, `0`: false, `"disable"`: false, `null`: false, `""`: false,
	} {
		got := !want
		if err := json.Unmarshal([]byte(in), &got); err != nil || got != want {
			t.Errorf("%s: got %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{`2`, `"maybe"`, `{}`} {
		var got Bool
		if err := json.Unmarshal([]byte(in), &got); err == nil {
			t.Errorf("%s: decoded as %v, want an error", in, got)
		}
	}
}

func TestTextForms(t *testing.T) {
	for in, want := range map[string]Text{
		`"abc"`: "abc", `123`: "123", `0.50`: "0.50", `-1`: "-1", `true`: "true", `null`: "", `"a\u00e9"`: "aé",
		`" keep spaces "`: " keep spaces ",
	} {
		var got Text
		if err := json.Unmarshal([]byte(in), &got); err != nil || got != want {
			t.Errorf("%s: got %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{`{}`, `[1]`} {
		var got Text
		if err := json.Unmarshal([]byte(in), &got); err == nil {
			t.Errorf("%s: decoded as %q, want an error", in, got)
		}
	}
	b, err := json.Marshal(struct{ V Text }{"0012"})
	if err != nil || string(b) != `{"V":"0012"}` {
		t.Errorf("Text encodes as %s, %v; want a string", b, err)
	}
}

func FuzzScalars(f *testing.F) {
	for _, s := range []string{`12`, `"12"`, `12.5`, `true`, `null`, `"enable"`, `"\u263A"`, `1e400`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var i Int
		var fl Float
		var bo Bool
		var tx Text
		_ = json.Unmarshal(b, &i)
		_ = json.Unmarshal(b, &fl)
		_ = json.Unmarshal(b, &bo)
		if err := json.Unmarshal(b, &tx); err == nil {
			// Text is a string in, the same string out.
			out, err := json.Marshal(tx)
			if err != nil {
				t.Fatalf("Text %q does not encode: %v", tx, err)
			}
			var back Text
			if err := json.Unmarshal(out, &back); err != nil || back != tx {
				t.Fatalf("Text %q round trip gave %q, %v", tx, back, err)
			}
		}
	})
}
