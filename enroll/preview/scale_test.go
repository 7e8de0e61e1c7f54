package preview

import (
	"image"
	"image/color"
	"testing"
)

// Every kind of decoded image goes through a scaler; the generic one covers CMYK JPEGs.
func TestPanelScalesAnyImageKind(t *testing.T) {
	r := NewRenderer(320, 240)
	p := &r.panels[panelFace]
	src := image.NewNRGBA(image.Rect(10, 20, 40, 60)) // offset bounds on purpose
	for i := range src.Pix {
		src.Pix[i] = []uint8{10, 200, 30, 255}[i%4]
	}
	p.show(decoded{img: src, full: src.Bounds().Size()}, DefaultColors().Background)
	c := p.pix.RGBAAt(p.fit.Min.X+p.fit.Dx()/2, p.fit.Min.Y+p.fit.Dy()/2)
	if c != (color.RGBA{10, 200, 30, 255}) {
		t.Errorf("generic scaler gave %v", c)
	}
	if p.fit.Dx()*40 != p.fit.Dy()*30 && previewAbs(p.fit.Dx()*40-p.fit.Dy()*30) > 40 {
		t.Errorf("aspect not kept: fit %v for a 30×40 image", p.fit)
	}
}
