package ef45

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

func TestFlexNumbersDecodeLeniently(t *testing.T) {
	var v struct {
		A Int   `json:"a"`
		B Int   `json:"b"`
		C Int   `json:"c"`
		D Float `json:"d"`
		E Bool  `json:"e"`
		F Bool  `json:"f"`
		G Int   `json:"g"`
	}
	in := `{"a":"12","b":7.0,"c":null,"d":"1.5","e":"true","f":1,"g":""}`
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != 12 || v.B != 7 || v.C != 0 || v.D != 1.5 || !v.E || !v.F || v.G != 0 {
		t.Fatalf("decoded %+v", v)
	}
	// One rule for fractions: an integer field with a fraction is not the field we think.
	for _, bad := range []string{`{"a":"twelve"}`, `{"b":7.9}`, `{"d":"x"}`, `{"e":"maybe"}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("%s decoded without error", bad)
		}
	}
}

func TestTimestampKeepsRawAndParsesKnownLayouts(t *testing.T) {
	for in, want := range map[string]time.Time{
		`"2018-05-28T14:26:26Z"`:      time.Date(2018, 5, 28, 14, 26, 26, 0, time.UTC),
		`"2018-05-28T14:26:26"`:       time.Date(2018, 5, 28, 14, 26, 26, 0, time.UTC),
		`"2018-05-28T16:26:26+02:00"`: time.Date(2018, 5, 28, 14, 26, 26, 0, time.UTC),
		`"soon"`:                      {},
	} {
		var ts Timestamp
		if err := json.Unmarshal([]byte(in), &ts); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if !ts.Time.Equal(want) {
			t.Errorf("%s: got %v, want %v", in, ts.Time, want)
		}
		if `"`+ts.Raw+`"` != in {
			t.Errorf("%s: raw %q", in, ts.Raw)
		}
	}
}

func TestBiometricDataRoundTripsTheFlatWireShape(t *testing.T) {
	d := BiometricData{EncounterID: "e1", SerialNumber: "S1",
		Left:  Eye{Image: []byte{1, 2}, UsableIrisArea: 80, QualityOK: true, EnrolTemplate: []byte{3}},
		Right: Eye{Image: []byte{4}, DuplicateUUID: "dup"}}
	d.Faces[FaceNearOn] = Face{Image: []byte{9}, Feature: []byte{8}, FeatureSize: 1, Roll: -2.5}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var flat map[string]any
	if err := json.Unmarshal(b, &flat); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"encounter_id", "left_eye", "left_eye_usable_iris_area", "right_eye_duplicate_uuid",
		"near_on_face", "near_on_face_feature", "near_on_face_roll", "far_off_face_led_state"} {
		if _, ok := flat[key]; !ok {
			t.Errorf("wire item lacks %q", key)
		}
	}
	var back BiometricData
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Right.DuplicateUUID != "dup" || !bytes.Equal(back.Faces[FaceNearOn].Feature, []byte{8}) ||
		back.Faces[FaceNearOn].Roll != -2.5 || back.Left.UsableIrisArea != 80 || !back.Faces[FaceFarOff].Empty() {
		t.Fatalf("round trip lost data: %+v", back)
	}
}

func TestDeviceTimeLayoutMatchesTheSpecExample(t *testing.T) {
	// specs/README.md: 052014402018.30 is May 20 2018, 14:40:30.
	got := time.Date(2018, 5, 20, 14, 40, 30, 0, time.UTC).Format(DeviceTimeLayout)
	if got != "052014402018.30" {
		t.Fatalf("got %s", got)
	}
}

func TestCompareVersions(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{{"1.2.100", "1.2.34", 1}, {"1.2.33", "1.2.34", -1}, {"1.2.34", "1.2.34", 0}, {"1.3", "1.2.99", 1}, {"1.2", "1.2.0", 0}, {"v2", "1.9", 1}, {"v1.2.40", "1.2.34", 1}, {"", "0.1", -1}}
	for _, c := range cases {
		if got := CompareVersions(c.a, c.b); got != c.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	if UsesVer1("1.2.33") || !UsesVer1("1.2.34") || !UsesVer1("1.10.0") {
		t.Error("UsesVer1 picks the wrong endpoint")
	}
}

func TestCardHex(t *testing.T) {
	for in, want := range map[string]string{"65D8A1BD": "65 D8 A1 BD", "65 d8 a1 bd": "65 D8 A1 BD", "01:02": "01 02"} {
		got, err := CardHex(in)
		if err != nil || got != want {
			t.Errorf("CardHex(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "xyz", "123"} {
		if _, err := CardHex(bad); err == nil {
			t.Errorf("CardHex(%q) accepted", bad)
		}
	}
}
