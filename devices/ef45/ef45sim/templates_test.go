package ef45sim

import (
	"bytes"
	"testing"
)

func TestTemplatesMatchTheSamePersonOnly(t *testing.T) {
	a1 := irisTemplate(1, 5, 0, 1, DefaultRecordVersion)
	a2 := irisTemplate(1, 5, 0, 2, DefaultRecordVersion)
	b := irisTemplate(1, 6, 0, 1, DefaultRecordVersion)
	right := irisTemplate(1, 5, 1, 1, DefaultRecordVersion)
	if bytes.Equal(a1, a2) {
		t.Error("two captures gave identical templates")
	}
	if hd := hammingDistance(a1, a2); hd > 0.2 || !templatesMatch(a1, a2) {
		t.Errorf("same eye: distance %.3f", hd)
	}
	for name, other := range map[string][]byte{"another person": b, "the other eye": right} {
		if hd := hammingDistance(a1, other); hd < 0.4 || templatesMatch(a1, other) {
			t.Errorf("%s: distance %.3f", name, hd)
		}
	}
	if len(a1) < 2000 || len(a1) > 10000 {
		t.Errorf("template %d bytes, want a few KB", len(a1))
	}
	f1, f2 := faceFeature(1, 5, 1, 1, DefaultRecordVersion), faceFeature(1, 5, 2, 3, DefaultRecordVersion)
	if !templatesMatch(f1, f2) || templatesMatch(f1, faceFeature(1, 9, 1, 1, DefaultRecordVersion)) || templatesMatch(f1, a1) {
		t.Error("face features: same person must match, others and iris templates not")
	}
}

func TestForeignTemplatesMatchOnlyWhenEqual(t *testing.T) {
	if !templatesMatch([]byte("abc"), []byte("abc")) || templatesMatch([]byte("abc"), []byte("abd")) {
		t.Error("foreign templates compare by equality")
	}
	if templatesMatch(nil, nil) || templatesMatch([]byte{}, []byte("abc")) {
		t.Error("empty templates match nothing")
	}
	tpl := irisTemplate(1, 1, 0, 0, DefaultRecordVersion)
	if hammingDistance(tpl, tpl[:len(tpl)-1]) != 1 {
		t.Error("a truncated template compared")
	}
}

func FuzzParseTemplate(f *testing.F) {
	f.Add(irisTemplate(1, 1, 0, 0, DefaultRecordVersion))
	f.Add([]byte("CMIT\x10\x23I\x00\x01\x00\x00\x00\x01\x00\x00\x00ab"))
	f.Add([]byte("CMIT"))
	f.Fuzz(func(t *testing.T, b []byte) {
		hd := hammingDistance(b, b)
		if hd != 0 && hd != 1 {
			t.Errorf("distance to itself %v", hd)
		}
		if _, code, mask, ok := parseTemplate(b); ok && (len(code) != len(mask) || len(code) == 0) {
			t.Errorf("parsed code %d bytes, mask %d", len(code), len(mask))
		}
		other := irisTemplate(1, 1, 0, 0, DefaultRecordVersion)
		if d := hammingDistance(b, other); d < 0 || d > 1 {
			t.Errorf("distance %v", d)
		}
	})
}
