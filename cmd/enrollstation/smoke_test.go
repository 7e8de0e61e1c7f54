package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSmoke builds the real binary and runs it under the X display of $DISPLAY (CI gives
// one with xvfb-run): --demo starts the simulators, and --screenshots enrolls one person
// from the form to every push done, opens the person in the History, the Devices screen
// and the Firmware wizard, and writes the window at each step. The first screenshot, the live preview, is
// kept (path in the test log; copied to $SMOKE_SCREENSHOT_DIR when set).
func TestSmoke(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		if os.Getenv("ENROLLSTATION_NO_DISPLAY_OK") == "1" {
			t.Skip("no X display, and ENROLLSTATION_NO_DISPLAY_OK=1")
		}
		t.Fatal("the smoke test needs an X display: run the tests under xvfb-run " +
			"(xvfb-run -a go test ./cmd/enrollstation/), or set ENROLLSTATION_NO_DISPLAY_OK=1 to skip it")
	}
	bin := buildApp(t)
	dir := t.TempDir()

	shots := filepath.Join(dir, "shots")
	shot := filepath.Join(shots, "enroll-preview.png")
	config := filepath.Join(dir, "config")
	runCtx, cancelRun := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancelRun()
	cmd := exec.CommandContext(runCtx, bin, "--demo", "--screenshots", shots, "--screenshot-timeout", "40s")
	cmd.Env = appEnv(os.Environ(), config)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	logFile := filepath.Join(config, "enrollstation", "enrollstation.log")
	appLog, _ := os.ReadFile(logFile)
	if runCtx.Err() != nil {
		t.Fatalf("the app did not exit within 90 s\noutput:\n%s\nlog:\n%s", out.String(), appLog)
	}
	if err != nil {
		t.Fatalf("the app failed: %v\noutput:\n%s\nlog:\n%s", err, out.String(), appLog)
	}
	t.Logf("the app ran for %v", time.Since(start).Round(time.Millisecond))

	kept := keepScreenshot(t, shot)
	t.Logf("screenshot: %s", kept)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if got, want := img.Bounds().Size(), image.Pt(windowWidth, windowHeight); got != want {
		t.Errorf("screenshot is %v, want the window's %v", got, want)
	}
	if singleColour(img) {
		t.Fatal("the screenshot is one single colour")
	}
	if n := colourCount(img); n < 200 {
		t.Errorf("the screenshot has %d colours; a live preview has hundreds", n)
	}

	for _, want := range []string{`"msg":"demo started"`, `"msg":"connected"`, `"msg":"capture started"`, `"msg":"capture saved"`} {
		if !strings.Contains(string(appLog), want) {
			t.Errorf("the log has no %s:\n%s", want, appLog)
		}
	}
	for _, name := range []string{"enroll-preview", "enroll-review", "enroll-pushes", "history-detail", "devices", "firmware-wizard"} {
		if !strings.Contains(string(appLog), name+".png") {
			t.Errorf("no screenshot %s written:\n%s", name, appLog)
		}
	}
	if strings.Contains(string(appLog), "one single colour") {
		t.Error("the app warned that the screenshot is blank")
	}
}

// keepScreenshot copies the screenshot out of the test's temporary folder.
func keepScreenshot(t *testing.T, shot string) string {
	t.Helper()
	b, err := os.ReadFile(shot)
	if err != nil {
		return "(none)"
	}
	dir := os.Getenv("SMOKE_SCREENSHOT_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Errorf("keep the screenshot: %v", err)
		return "(not kept)"
	}
	kept := filepath.Join(dir, "enrollstation-smoke.png")
	if err := os.WriteFile(kept, b, 0o644); err != nil {
		t.Errorf("keep the screenshot: %v", err)
		return "(not kept)"
	}
	return kept
}

// colourCount counts distinct colours, up to 10000.
func colourCount(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y && len(seen) < 10000; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bb, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bb, a}] = true
		}
	}
	return len(seen)
}
