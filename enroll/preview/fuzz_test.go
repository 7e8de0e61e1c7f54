package preview

import (
	"errors"
	"image"
	"testing"

	"enrollstation/devices/ef45"
)

// FuzzPreviewRender feeds arbitrary bytes as the three images and arbitrary geometry: the
// renderer must never panic, and on error must hand back the last good frame.
func FuzzPreviewRender(f *testing.F) {
	// Small images keep the inputs short, so the fuzzer's minimisation stays quick.
	eye := eyeJPEG(f, 16, 12, 8, 6, 4, 1)
	face := faceJPEG(f, 9, 12, 2)
	f.Add(eye, eye, face, int64(8), int64(6), int64(4), int64(400000))
	f.Add(eye[:len(eye)/2], []byte{}, face, int64(-1), int64(-1), int64(-1), int64(-1))
	f.Add([]byte{0xff, 0xd8, 0xff}, eye, []byte("face"), int64(1<<40), int64(0), int64(1<<50), int64(0))
	f.Add([]byte{}, []byte{}, []byte{}, int64(0), int64(0), int64(0), int64(0))
	r := NewRenderer(160, 120)
	f.Fuzz(func(t *testing.T, left, right, faceImg []byte, cx, cy, radius, dist int64) {
		last := r.last
		p := &ef45.Preview{
			LeftEye: left, RightEye: right, FaceImage: faceImg,
			LeftIrisCenterX: ef45.Int(cx), LeftIrisCenterY: ef45.Int(cy), LeftIrisRadius: ef45.Int(radius),
			RightIrisCenterX: ef45.Int(cy), RightIrisCenterY: ef45.Int(cx), RightIrisRadius: ef45.Int(radius),
			LeftEyeCenterX: ef45.Int(cx), LeftEyeCenterY: ef45.Int(cy), RightEyeCenterX: ef45.Int(radius),
			AvgDistance: ef45.Int(dist), LeftDistance: ef45.Int(dist), RightDistance: ef45.Int(-dist),
		}
		frame, err := r.Render(p)
		if err != nil {
			var perr *ImageError
			if !errors.As(err, &perr) {
				t.Fatalf("error %v is not a *ImageError", err)
			}
			if frame != last {
				t.Fatal("an error did not hand back the last good frame")
			}
			return
		}
		if frame == nil || frame.Rect != image.Rect(0, 0, 160, 120) {
			t.Fatalf("frame %v, want a 160×120 image", frame)
		}
	})
}
