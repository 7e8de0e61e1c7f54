package ef45_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"runtime"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
)

// BenchmarkDecodeBiometricPoll decodes one GET /biometric-data/ver1 answer as the
// simulator produces it after a face + both-eyes + glasses capture (~5 MB).
func BenchmarkDecodeBiometricPoll(b *testing.B) {
	d := newDevice(b, ef45sim.Options{CaptureDuration: 200 * time.Millisecond})
	s := openSession(b, newClient(b, d))
	capture(b, s, ef45.StartModes{BothEyes: true, Face: true, Glasses: true})
	resp, err := http.Get(d.URL + "/1.0/biometric-data/ver1?lock_uid=" + s.LockUID())
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		b.Fatal(err)
	}

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		items, err := ef45.DecodeBiometricList(body)
		if err != nil || len(items) != 1 {
			b.Fatalf("decode: %d items, %v", len(items), err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(len(body))/1e6, "MB/poll")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/decode")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/1e6/float64(b.N), "MB-alloc/decode")
}

// BenchmarkFirmwareUpload streams a 64 MiB image to the simulator over loopback HTTP.
func BenchmarkFirmwareUpload(b *testing.B) {
	img := firmwareImage(b, "9.0.0", 64<<20)
	for b.Loop() {
		b.StopTimer()
		d := newDevice(b, ef45sim.Options{})
		s := openSession(b, newClient(b, d))
		b.StartTimer()
		if _, err := s.Firmware.Upload(context.Background(), bytes.NewReader(img), ef45.UploadOptions{Force: true}); err != nil {
			b.Fatal(err)
		}
		if !d.LastFirmware().Accepted {
			b.Fatal("not accepted")
		}
	}
	b.ReportMetric(float64(len(img))*float64(b.N)/1e6/b.Elapsed().Seconds(), "MB/s")
}
