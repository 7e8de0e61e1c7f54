package main

import (
	"image"
	"image/color"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

func TestSingleColour(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	if !singleColour(img) {
		t.Error("a blank image is not reported as one colour")
	}
	img.Set(7, 7, color.RGBA{1, 0, 0, 255})
	if singleColour(img) {
		t.Error("an image with two colours is reported as one")
	}
}

// The screenshot shows the person's face and eyes: only its owner may read it, and a link
// planted at its name is replaced, never followed.
func TestScreenshotIsPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no mode bits on Windows")
	}
	a := test.NewTempApp(t)
	w := a.NewWindow("shot")
	w.SetContent(canvas.NewRectangle(color.RGBA{200, 10, 10, 255}))
	w.Resize(fyne.NewSize(40, 30))
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("theirs"), 0o644); err != nil {
		t.Fatal(err)
	}
	linked := filepath.Join(dir, "linked.png")
	if err := os.Symlink(victim, linked); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{filepath.Join(dir, "shot.png"), linked} {
		if _, err := screenshot(w, path); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Lstat(path)
		if err != nil {
			t.Fatal(err)
		}
		if !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, want a regular file, mode 0600", path, fi.Mode())
		}
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "theirs" {
		t.Errorf("the link's target was written: %q %v", b, err)
	}
}
