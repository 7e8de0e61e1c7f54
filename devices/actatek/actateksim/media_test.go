package actateksim

import (
	"bytes"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"time"
)

func TestFacePhoto(t *testing.T) {
	a := FacePhoto(3, 120, 160)
	if !bytes.Equal(a, FacePhoto(3, 120, 160)) || bytes.Equal(a, FacePhoto(4, 120, 160)) {
		t.Error("photos must depend on the seed and only on it")
	}
	img, err := jpeg.Decode(bytes.NewReader(a))
	if err != nil || img.Bounds().Dx() != 120 || img.Bounds().Dy() != 160 {
		t.Fatalf("%v %v", err, img)
	}
	if _, err := jpeg.Decode(bytes.NewReader(FingerprintImage(1))); err != nil {
		t.Errorf("fingerprint image: %v", err)
	}
}

func TestTOTPCode(t *testing.T) {
	// RFC 6238 appendix B, SHA-1, T = 59 s.
	if got := totpCode([]byte("12345678901234567890"), 59/totpStep); got != "94287082" {
		t.Errorf("got %s", got)
	}
	content := totpContent("A1", "SN", "12345678", time.Date(2026, 1, 1, 0, 0, 30, 0, time.UTC))
	if !strings.HasPrefix(content, "ACTATEK-API-TOTP/1\n{") || !strings.Contains(content, `"otp":"12345678"`) {
		t.Errorf("content %q", content)
	}
	img, err := png.Decode(bytes.NewReader(qrPNG(content)))
	if err != nil || img.Bounds().Dx() != (29+8)*8 {
		t.Errorf("QR PNG: %v", err)
	}
	if ansi := qrANSI(content); strings.Count(ansi, "\n") != 29 {
		t.Errorf("ANSI rows %d", strings.Count(ansi, "\n"))
	}
	if qrANSI(content) == qrANSI(content+"x") {
		t.Error("QR pattern does not depend on the content")
	}
}
