//go:build unix

// The peak resident memory comes from the Unix rusage of the child; Windows has no Maxrss.

package main

import (
	"crypto/rand"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"enrollstation/devices/ef45/ef45sim"
)

// BenchmarkFirmwareCLIPeakRSS runs the real enrollctl binary uploading a 256 MiB image to
// the simulator (served by this process) and reports the binary's peak resident memory,
// which must stay far below the file size: units are streamed, the file is never held.
func BenchmarkFirmwareCLIPeakRSS(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "enrollctl")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	img := filepath.Join(dir, "fw.bin")
	f, err := os.Create(img)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := f.Write(ef45sim.FirmwareHeader("9.0.0")); err != nil {
		b.Fatal(err)
	}
	if _, err := io.CopyN(f, rand.Reader, 256<<20); err != nil {
		b.Fatal(err)
	}
	f.Close()

	var peak int64
	for b.Loop() {
		srv := httptest.NewServer(ef45sim.New(ef45sim.Options{Seed: 1, RebootTime: 100 * time.Millisecond}))
		cmd := exec.Command(bin, "ef45", "--addr", strings.TrimPrefix(srv.URL, "http://"), "firmware", "--file", img, "--force")
		out, err := cmd.CombinedOutput()
		srv.Close()
		if err != nil {
			b.Fatalf("enrollctl: %v\n%s", err, out)
		}
		if rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss; rss > peak {
			peak = rss // kilobytes on Linux
		}
	}
	b.ReportMetric(float64(peak)/1024, "MiB-peak-RSS")
}
