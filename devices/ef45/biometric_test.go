package ef45_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
)

// capture runs the simulator's capture to its biometric item through the raw calls.
func capture(t testing.TB, s *ef45.Session, modes ef45.StartModes) ef45.BiometricData {
	t.Helper()
	ctx := context.Background()
	if err := s.Camera.Set(ctx, ef45.ModeSlave, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Biometrics.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Camera.Start(ctx, modes); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		items, err := s.Biometrics.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) > 0 {
			return items[0]
		}
	}
	t.Fatal("no biometric data")
	return ef45.BiometricData{}
}

func TestBiometricDataEndpointFollowsTheVersion(t *testing.T) {
	for _, tc := range []struct {
		version, path string
	}{{"1.2.33", "GET /1.0/biometric-data"}, {"1.2.34", "GET /1.0/biometric-data/ver1"}, {"1.2.100", "GET /1.0/biometric-data/ver1"}} {
		t.Run(tc.version, func(t *testing.T) {
			d := newDevice(t, ef45sim.Options{Version: tc.version})
			s := openSession(t, newClient(t, d))
			item := capture(t, s, ef45.StartModes{BothEyes: true})
			if item.EncounterID == "" {
				t.Fatal("item without encounter id")
			}
			if d.asked(tc.path) == 0 {
				t.Fatalf("version %s never asked %s", tc.version, tc.path)
			}
			other := "GET /1.0/biometric-data/ver1"
			if tc.path == other {
				other = "GET /1.0/biometric-data"
			}
			if n := d.asked(other); n != 0 {
				t.Fatalf("version %s asked %s %d times", tc.version, other, n)
			}
		})
	}
}

func TestBiometricItemIsRealistic(t *testing.T) {
	d := newDevice(t, ef45sim.Options{Serial: "EF45-REAL-1"})
	s := openSession(t, newClient(t, d))
	item := capture(t, s, ef45.StartModes{BothEyes: true, Face: true, Glasses: true})
	if item.SerialNumber != "EF45-REAL-1" || item.Timestamp.IsZero() {
		t.Fatalf("serial %q, time %v", item.SerialNumber, item.Timestamp.Time)
	}
	for name, eye := range map[string]ef45.Eye{"left": item.Left, "right": item.Right} {
		img, err := jpeg.Decode(bytes.NewReader(eye.Image))
		if err != nil {
			t.Fatalf("%s eye image: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() != 640 || b.Dy() != 480 {
			t.Fatalf("%s eye is %v, want 640x480", name, b)
		}
		if len(eye.EnrolTemplate) == 0 || eye.UsableIrisArea < 70 || !eye.QualityOK {
			t.Fatalf("%s eye: template %d bytes, usable %d, ok %v", name, len(eye.EnrolTemplate), eye.UsableIrisArea, eye.QualityOK)
		}
	}
	face := item.Faces[ef45.FaceFarOff]
	img, err := jpeg.Decode(bytes.NewReader(face.Image))
	if err != nil {
		t.Fatalf("face image: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 720 || b.Dy() != 960 {
		t.Fatalf("face is %v, want 720x960", b)
	}
	if len(face.Feature) == 0 {
		t.Fatal("face without feature")
	}
	if item.Faces[ef45.FaceNearOff].Empty() {
		t.Fatal("glasses mode produced no glasses variant")
	}
}

func TestDeleteEmptiesTheBuffer(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, ef45sim.Options{})
	s := openSession(t, newClient(t, d))
	item := capture(t, s, ef45.StartModes{EitherEye: true})
	if err := s.Biometrics.Delete(ctx, item.EncounterID); err != nil {
		t.Fatal(err)
	}
	items, err := s.Biometrics.List(ctx)
	if err != nil || len(items) != 0 {
		t.Fatalf("after delete: %d items, %v", len(items), err)
	}
}

func TestImageFiles(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, ef45sim.Options{})
	s := openSession(t, newClient(t, d))
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	logo := buf.Bytes()
	if err := s.Biometrics.SaveFile(ctx, "pc_enroll_logo.png", logo); err != nil {
		t.Fatal(err)
	}
	got, err := s.Biometrics.LoadFile(ctx, "pc_enroll_logo.png")
	if err != nil || !bytes.Equal(got, logo) {
		t.Fatalf("load = %q, %v", got, err)
	}
	if _, err := s.Biometrics.LoadFile(ctx, "nobody_lefteye.jpg"); !errors.Is(err, ef45.ErrNotFound) {
		t.Fatalf("missing file: %v", err)
	}
	// Bitmaps are saved from the last capture; without one the device says so.
	if err := s.Biometrics.Save8BMP(ctx, "lefteye.bmp"); !errors.Is(err, ef45.ErrNotFound) {
		t.Fatalf("bitmap without a capture: %v", err)
	}
	capture(t, s, ef45.StartModes{BothEyes: true, Face: true})
	if err := s.Biometrics.Save8BMP(ctx, "lefteye.bmp"); err != nil {
		t.Fatal(err)
	}
	if err := s.Biometrics.Save24BMP(ctx, "faroff.bmp"); err != nil {
		t.Fatal(err)
	}
}
