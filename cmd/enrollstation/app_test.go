package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// buildApp builds the real binary into a temporary folder and returns its path.
func buildApp(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "enrollstation")
	// A cold build of the GL driver takes minutes; later builds come from the cache.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// appEnv is what the binary runs with under Xvfb, added to environ: Fyne's settings and
// the log in config, one canvas unit per pixel (a capture has the window's size), and the
// GL driver that reads the window back as drawn.
func appEnv(environ []string, config string) []string {
	return append(environ,
		"XDG_CONFIG_HOME="+config, // Fyne's settings and
		"XDG_DATA_HOME="+config,   // the log go under the test's folder
		"FYNE_SCALE=1",
		// Mesa's default llvmpipe reads the window back as black under Xvfb; softpipe reads
		// it as drawn. Harmless with a hardware driver.
		"GALLIUM_DRIVER=softpipe",
	)
}
