package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestUniform(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	if !uniform(img, 4) {
		t.Error("a blank image is not reported as uniform")
	}
	img.Set(8, 12, color.RGBA{1, 0, 0, 255})
	if uniform(img, 4) {
		t.Error("a pixel on the sampled grid is missed")
	}
}

// firstFrameLaunches is how many times BenchmarkFirstFrame starts the app: one start takes
// seconds, so one benchmark round holds several, for a median.
const firstFrameLaunches = 5

// BenchmarkFirstFrame is the time from starting the real binary with --demo to its first
// frame with content on screen, under an Xvfb of its own (the same screen wherever it
// runs, and no window on a desktop), with Mesa's softpipe.
//
// Measured from the benchmark, from the exec to the line the app writes once the frame is
// up, so it holds what the app cannot see of its own start (exec, loading, the runtime's
// start), on the monotonic clock (a process's start time in /proc is in 10 ms ticks). The
// app sees the frame by reading its window back from the GL driver's front buffer, what
// is on screen (reportFirstFrame), up to one poll (10 ms) late. Reading the X root window
// from outside (xwd) would need tools the setup does not install, and each read of the
// whole screen would load the two cores the start itself needs.
func BenchmarkFirstFrame(b *testing.B) {
	display := startXvfb(b)
	bin := buildApp(b)
	env := append(appEnv(os.Environ(), filepath.Join(b.TempDir(), "config")),
		"DISPLAY="+display, "WAYLAND_DISPLAY=", firstFrameEnv+"=1")
	var took []time.Duration
	for b.Loop() {
		for range firstFrameLaunches {
			d, err := launchToFirstFrame(bin, env)
			if err != nil {
				b.Fatal(err)
			}
			took = append(took, d)
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms/start")
	b.ReportMetric(float64(took[len(took)-1].Microseconds())/1000, "worst-ms/start")
}

// launchToFirstFrame runs the app once and returns the time from its exec to its report
// of the first frame; the app then quits, and its exit is waited for but not counted.
func launchToFirstFrame(bin string, env []string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--demo")
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	var took time.Duration
	var said []string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "first frame ") {
			took = time.Since(t0)
			break
		}
		said = append(said, sc.Text())
	}
	_, _ = io.Copy(io.Discard, stdout)
	err = cmd.Wait()
	switch {
	case ctx.Err() != nil:
		return 0, fmt.Errorf("the app did not quit within %v\nstdout: %s\nstderr: %s", 2*time.Minute, said, &stderr)
	case err != nil:
		return 0, fmt.Errorf("the app failed: %v\nstdout: %s\nstderr: %s", err, said, &stderr)
	case took == 0:
		return 0, fmt.Errorf("the app quit without reporting its first frame\nstdout: %s\nstderr: %s", said, &stderr)
	}
	return took, nil
}

// startXvfb starts an X server of the benchmark's own on a free display, stopped when the
// benchmark ends, and returns its display name. Without Xvfb the benchmark is skipped:
// scripts/setup.sh --test (make test) installs it.
func startXvfb(b *testing.B) string {
	b.Helper()
	xvfb, err := exec.LookPath("Xvfb")
	if err != nil {
		b.Skip("no Xvfb to draw on: scripts/setup.sh --test installs it")
	}
	r, w, err := os.Pipe()
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	// -displayfd: the server picks a free display and writes its number on fd 3.
	cmd := exec.Command(xvfb, "-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Start()
	w.Close()
	if err != nil {
		b.Fatalf("start Xvfb: %v", err)
	}
	b.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	select {
	case n := <-got:
		if n == "" {
			b.Fatalf("Xvfb did not start: %s", &stderr)
		}
		return ":" + n
	case <-time.After(30 * time.Second):
		b.Fatalf("Xvfb named no display within 30 s: %s", &stderr)
	}
	return ""
}
