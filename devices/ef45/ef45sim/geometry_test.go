package ef45sim

import (
	"testing"

	"enrollstation/devices/ef45"
)

func TestBlinkFitsEveryCaptureLength(t *testing.T) {
	for n := 10; n <= 600; n++ {
		start, length := blinkWindow(n)
		if length < 3 {
			t.Fatalf("n=%d: blink of %d frames", n, length)
		}
		if end := start + length; float64(end-1)/float64(n-1) >= 0.8 {
			t.Fatalf("n=%d: blink ends at frame %d, inside the converged tail", n, end-1)
		}
		closed := frameGeometry(1, start+length/2, n, false)
		if closed.open > 0.5 || closed.message != ef45.MessageOpenEyes {
			t.Fatalf("n=%d: mid-blink opening %.2f message %d", n, closed.open, closed.message)
		}
	}
}

func TestGeometryIsRepeatableAndSeeded(t *testing.T) {
	a, b := frameGeometry(3, 7, 45, true), frameGeometry(3, 7, 45, true)
	if a != b {
		t.Error("same frame, different geometry")
	}
	same := true
	for k := range 45 {
		if frameGeometry(3, k, 45, false) != frameGeometry(4, k, 45, false) {
			same = false
		}
	}
	if same {
		t.Error("seeds 3 and 4 give the same capture")
	}
	// Out-of-range frames are clamped, not extrapolated.
	if frameGeometry(3, -5, 45, false) != frameGeometry(3, 0, 45, false) || frameGeometry(3, 99, 45, false) != frameGeometry(3, 44, 45, false) {
		t.Error("out-of-range frame not clamped")
	}
}

func TestGlassesMessageOnlyInGlassesMode(t *testing.T) {
	for _, glasses := range []bool{false, true} {
		seen := false
		for k := range 60 {
			g := frameGeometry(5, k, 60, glasses)
			if g.message == ef45.MessageTakeOffGlasses {
				seen = true
			}
			if g.glasses && !glasses {
				t.Fatal("glasses drawn without glasses mode")
			}
		}
		if seen != glasses {
			t.Errorf("glasses mode %v: message 4 shown %v", glasses, seen)
		}
	}
}

func TestIdlePreview(t *testing.T) {
	p := idlePreview()
	if p.LeftEye == nil || len(p.LeftEye) != 0 || p.AvgDistance != -1 || p.LeftDistance != -1 || p.RightDistance != -1 {
		t.Errorf("idle preview %+v", p)
	}
}
