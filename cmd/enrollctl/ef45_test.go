package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/ef45/ef45sim"
)

// ctl runs enrollctl in-process and returns its exit status and output.
func ctl(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func simAddr(t *testing.T, opts ef45sim.Options) (*ef45sim.Device, string) {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 5
	}
	if opts.CaptureDuration == 0 {
		opts.CaptureDuration = 400 * time.Millisecond
	}
	if opts.RebootTime == 0 {
		opts.RebootTime = 300 * time.Millisecond
	}
	dev := ef45sim.New(opts)
	srv := httptest.NewServer(dev)
	t.Cleanup(srv.Close)
	return dev, strings.TrimPrefix(srv.URL, "http://")
}

func TestEF45Info(t *testing.T) {
	_, addr := simAddr(t, ef45sim.Options{Version: "1.2.35", Serial: "EF45-CLI-1"})
	code, out, errOut := ctl(t, "", "ef45", "--addr", addr, "info")
	if code != 0 || !strings.Contains(out, "1.2.35") || !strings.Contains(out, "EF45-CLI-1") || !strings.Contains(out, "record version") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = ctl(t, "", "--json", "ef45", "--addr", addr, "info")
	var info deviceInfo
	if code != 0 || json.Unmarshal([]byte(out), &info) != nil || info.Version != "1.2.35" || info.RecordVersion == 0 {
		t.Fatalf("--json: exit %d, %s", code, out)
	}
}

func TestEF45InUseSuggestsForce(t *testing.T) {
	dev, addr := simAddr(t, ef45sim.Options{})
	dev.StealLock()
	code, _, errOut := ctl(t, "", "ef45", "--addr", addr, "door")
	if code != 1 || !strings.Contains(errOut, "another workstation") || !strings.Contains(errOut, "--force") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if code, _, errOut := ctl(t, "", "ef45", "--addr", addr, "--force", "door"); code != 0 {
		t.Fatalf("--force: exit %d: %s", code, errOut)
	}
}

func TestEF45Usage(t *testing.T) {
	for _, args := range [][]string{
		{"ef45", "info"},
		{"ef45", "--addr", "127.0.0.1:1", "dance"},
		{"ef45", "--addr", "127.0.0.1:1", "capture", "--out", t.TempDir()},
		{"ef45", "--addr", "127.0.0.1:1", "set-time", "--time", "yesterday"},
		{"ef45", "--addr", "127.0.0.1:1", "firmware"},
	} {
		if code, _, errOut := ctl(t, "", args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}

func TestEF45SetTime(t *testing.T) {
	_, addr := simAddr(t, ef45sim.Options{})
	code, out, errOut := ctl(t, "", "ef45", "--addr", addr, "set-time", "--time", "2031-03-04T05:06:07Z")
	if code != 0 || !strings.Contains(out, "2031-03-04 05:06:07") {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
}

func TestEF45CaptureWritesImagesTemplatesAndManifest(t *testing.T) {
	// Long enough for preview frames to arrive before the capture even on a loaded machine.
	_, addr := simAddr(t, ef45sim.Options{CaptureDuration: 3 * time.Second})
	dir := filepath.Join(t.TempDir(), "cap")
	code, out, errOut := ctl(t, "", "ef45", "--addr", addr, "capture", "--face", "--both-eyes", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "preview frames: ") || !strings.Contains(out, "capture time: ") {
		t.Fatalf("output lacks frame count or capture time:\n%s", out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var man captureManifest
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	if man.PreviewFrames == 0 || len(man.Eyes) != 2 || len(man.Faces) == 0 || man.EncounterID == "" {
		t.Fatalf("manifest %+v", man)
	}
	names := map[string]bool{}
	for _, f := range man.Files {
		data, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != f.SHA256 || len(data) != f.Bytes {
			t.Fatalf("%s does not match its manifest entry", f.Name)
		}
		names[f.Name] = true
	}
	for _, want := range []string{"left_eye.jpg", "right_eye.template", "far_off_face.jpg", "far_off_face.feature"} {
		if !names[want] {
			t.Errorf("no %s written", want)
		}
	}
	// The item was removed from the camera's buffer only after it was written.
	code, out, _ = ctl(t, "", "ef45", "--addr", addr, "logs")
	if code != 0 || !strings.Contains(out, "StartCamera") {
		t.Fatalf("logs after capture: exit %d\n%s", code, out)
	}
}

func TestEF45FirmwareArrivesIntact(t *testing.T) {
	dev, addr := simAddr(t, ef45sim.Options{Version: "1.2.34"})
	path := filepath.Join(t.TempDir(), "fw.bin")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	w := io.MultiWriter(f, h)
	if _, err := w.Write(ef45sim.FirmwareHeader("1.2.50")); err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(w, rand.Reader, 64<<20); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := ctl(t, "", "ef45", "--addr", addr, "firmware", "--file", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "1.2.34 -> 1.2.50") || !strings.Contains(errOut, "uploaded 64.0 MiB") {
		t.Fatalf("output:\n%s\n%s", out, errOut)
	}
	rep := dev.LastFirmware()
	if !rep.Accepted || rep.SHA256 != hex.EncodeToString(h.Sum(nil)) {
		t.Fatalf("the simulator received %+v, want sha256 %x", rep, h.Sum(nil))
	}
}

func TestEF45FirmwareSameVersionExplainsForce(t *testing.T) {
	_, addr := simAddr(t, ef45sim.Options{Version: "1.2.34"})
	path := filepath.Join(t.TempDir(), "fw.bin")
	if err := os.WriteFile(path, append(ef45sim.FirmwareHeader("1.2.34"), make([]byte, 4096)...), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := ctl(t, "", "ef45", "--addr", addr, "firmware", "--file", path)
	if code != 1 || !strings.Contains(errOut, "forced") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestEF45LogsSubjectsDoorCard(t *testing.T) {
	_, addr := simAddr(t, ef45sim.Options{CardDelay: 200 * time.Millisecond})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"logs", "--from", "1", "--to", "3"}, "ID"},
		{[]string{"subjects"}, "subjects"},
		{[]string{"door"}, "door sensor"},
		{[]string{"card", "--timeout", "5s"}, " "},
	} {
		code, out, errOut := ctl(t, "", append([]string{"ef45", "--addr", addr}, tc.args...)...)
		if code != 0 || !strings.Contains(out, tc.want) {
			t.Errorf("%v: exit %d\n%s\n%s", tc.args, code, out, errOut)
		}
	}
}
