package main

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"enrollstation/devices/ef45/ef45sim"
)

// TestBinariesAgainstDevicesim runs the real enrollctl against the real devicesim: a
// capture, then a firmware upload that the simulator checks by SHA-256.
func TestBinariesAgainstDevicesim(t *testing.T) {
	dir := t.TempDir()
	for _, cmd := range []string{"enrollctl", "devicesim"} {
		out, err := exec.Command("go", "build", "-o", filepath.Join(dir, cmd), "enrollstation/cmd/"+cmd).CombinedOutput()
		if err != nil {
			t.Fatalf("build %s: %v\n%s", cmd, err, out)
		}
	}
	sim := exec.Command(filepath.Join(dir, "devicesim"), "--ef45", "127.0.0.1:0", "--seed", "11", "--reboot-time", "300ms")
	stdout, err := sim.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	sim.Stderr = io.Discard
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = sim.Process.Signal(os.Interrupt)
		_ = sim.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("devicesim said nothing: %v", err)
	}
	url := strings.TrimSpace(line[strings.Index(line, "http://"):])
	addr := strings.TrimPrefix(url, "http://")

	ctl := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(filepath.Join(dir, "enrollctl"), append([]string{"--json", "ef45", "--addr", addr}, args...)...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("enrollctl %v: %v\n%s", args, err, err.(*exec.ExitError).Stderr)
		}
		return string(out)
	}

	capDir := filepath.Join(dir, "capture")
	var man captureManifest
	if err := json.Unmarshal([]byte(ctl("capture", "--face", "--both-eyes", "--out", capDir)), &man); err != nil {
		t.Fatal(err)
	}
	if man.PreviewFrames == 0 || man.CaptureMillis == 0 || len(man.Files) < 6 {
		t.Fatalf("capture manifest %+v", man)
	}
	if _, err := os.Stat(filepath.Join(capDir, "manifest.json")); err != nil {
		t.Fatal(err)
	}

	fw := filepath.Join(dir, "fw.bin")
	img := append(ef45sim.FirmwareHeader("1.2.60"), make([]byte, 6<<20+777)...)
	if _, err := io.ReadFull(rand.Reader, img[ef45sim.FirmwareHeaderSize:]); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fw, img, 0o600); err != nil {
		t.Fatal(err)
	}
	var rep firmwareReport
	if err := json.Unmarshal([]byte(ctl("firmware", "--file", fw)), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.NewVersion != "1.2.60" || rep.Bytes != int64(len(img)) {
		t.Fatalf("firmware report %+v", rep)
	}
	// The simulator's own account of what arrived.
	var state ef45sim.State
	resp, err := http.Get(url + "/sim/state")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&state); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(img)
	if !state.LastFirmware.Accepted || state.LastFirmware.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("devicesim received %+v, want sha256 %x", state.LastFirmware, sum)
	}
}
