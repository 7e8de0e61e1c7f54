package ef45sim

import (
	"testing"

	"enrollstation/devices/ef45"
)

func TestVariantScenes(t *testing.T) {
	look := newAppearance(1)
	for _, v := range ef45.FaceVariants() {
		s := variantScene(v, look)
		ir := v == ef45.FaceFarOn || v == ef45.FaceNearOn
		glasses := v == ef45.FaceNearOff || v == ef45.FaceNearOn
		if s.ir != ir || s.glasses != glasses {
			t.Errorf("%s: ir %v glasses %v", v, s.ir, s.glasses)
		}
		if l, r := faceEyesX(s.g); l <= r || r < 0 || l > faceW {
			t.Errorf("%s: eyes at %.0f and %.0f", v, l, r)
		}
	}
	if variantScene(ef45.FaceNearOff, look).g.rx <= variantScene(ef45.FaceFarOff, look).g.rx {
		t.Error("the near face is not larger than the far one")
	}
}

func TestCaptureAssetsAreDrawnOnDemand(t *testing.T) {
	a := newCaptureAssets(3)
	a.prepare(ef45.StartModes{Face: true}, false)
	if a.eyes[0] != nil || a.faces[ef45.FaceIrisOff] != nil || a.faces[ef45.FaceFarOn] == nil {
		t.Error("face mode drew iris images or missed the far-on face")
	}
	it := bioItem{modes: ef45.StartModes{Face: true}}
	d := a.withImages(it)
	if len(d.Faces[ef45.FaceFarOff].Image) == 0 || len(d.Left.Image) != 0 {
		t.Error("served item does not follow its modes")
	}
}
