package preview

import (
	"fmt"
	"image"
	"testing"
	"time"
)

// BenchmarkPreviewDecode measures one preview frame as the camera sends it: two 640×480
// grey eye JPEGs and a colour face JPEG, decoded, scaled and composed with overlays.
func BenchmarkPreviewDecode(b *testing.B) {
	for _, face := range []image.Point{{360, 480}, {720, 960}} {
		b.Run(fmt.Sprintf("face%dx%d", face.X, face.Y), func(b *testing.B) {
			p := framePreview(b)
			p.FaceImage = faceJPEG(b, face.X, face.Y, 11)
			r := NewRenderer(850, 640)
			if _, err := r.Render(p); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for b.Loop() {
				if _, err := r.Render(p); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/frame")
		})
	}
}
