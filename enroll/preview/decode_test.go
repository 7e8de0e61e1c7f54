package preview

import (
	"bytes"
	"errors"
	"image/color"
	"strings"
	"testing"

	"enrollstation/devices/ef45"
)

func TestRenderRejectsAMalformedImageAndKeepsTheLastFrame(t *testing.T) {
	r := NewRenderer(640, 480)
	if frame, err := r.Render(&ef45.Preview{LeftEye: []byte("not a jpeg")}); err == nil || frame != nil {
		t.Fatalf("first frame malformed: got frame %v, err %v; want nil and an error", frame != nil, err)
	}
	p := framePreview(t)
	good, err := r.Render(p)
	if err != nil {
		t.Fatal(err)
	}
	snapshot := bytes.Clone(good.Pix)

	truncated := *p
	truncated.RightEye = truncated.RightEye[:len(truncated.RightEye)/2]
	got, err := r.Render(&truncated)
	var perr *ImageError
	if !errors.As(err, &perr) {
		t.Fatalf("err = %v, want a *ImageError", err)
	}
	if perr.Image != "right eye image" || !strings.Contains(err.Error(), "right eye image") {
		t.Errorf("error %q does not name the right eye image", err)
	}
	if got != good {
		t.Error("a malformed frame did not return the last good frame")
	}
	if !bytes.Equal(good.Pix, snapshot) {
		t.Error("the last good frame was drawn over")
	}
	next, err := r.Render(p)
	if err != nil {
		t.Fatal(err)
	}
	if next == good {
		t.Error("after an error the next frame was drawn into the buffer still on screen")
	}
}

// A header that claims a huge image is refused before the decoder allocates for it.
func TestRenderRefusesAnAbsurdImageSize(t *testing.T) {
	b := solidJPEG(t, 16, 16, color.Gray{Y: 1})
	i := bytes.Index(b, []byte{0xff, 0xc0}) // SOF0: length(2) precision(1) height(2) width(2)
	if i < 0 {
		t.Fatal("test JPEG has no SOF0 marker")
	}
	b[i+5], b[i+6], b[i+7], b[i+8] = 0xea, 0x60, 0xea, 0x60 // 60000×60000
	_, err := NewRenderer(320, 240).Render(&ef45.Preview{FaceImage: b})
	if err == nil || !strings.Contains(err.Error(), "60000×60000") {
		t.Fatalf("err = %v, want a refusal naming the claimed size", err)
	}
}

func TestImageErrorMessage(t *testing.T) {
	err := &ImageError{Image: "face image", Err: errors.New("unexpected EOF")}
	want := "preview: the camera's face image cannot be shown: unexpected EOF"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if !errors.Is(err, err.Err) {
		t.Error("Unwrap does not reach the cause")
	}
}
