package ef45_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
)

func firmwareImage(t testing.TB, version string, payload int) []byte {
	t.Helper()
	b := append([]byte{}, ef45sim.FirmwareHeader(version)...)
	body := make([]byte, payload)
	if _, err := io.ReadFull(rand.Reader, body); err != nil {
		t.Fatal(err)
	}
	return append(b, body...)
}

func TestFirmwareUploadArrivesIntactAndTheDeviceRestarts(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, ef45sim.Options{Version: "1.2.34"})
	c := newClient(t, d)
	s := openSession(t, c)
	img := firmwareImage(t, "1.2.40", 3*ef45.FirmwareUnitSize+12345)
	var progress []int64
	done, err := s.Firmware.Upload(ctx, bytes.NewReader(img), ef45.UploadOptions{Progress: func(n int64) { progress = append(progress, n) }})
	if err != nil {
		t.Fatal(err)
	}
	if done.File == "" {
		t.Fatal("done answer names no file")
	}
	if len(progress) != 4 || progress[3] != int64(len(img)) {
		t.Fatalf("progress %v", progress)
	}
	rep := d.LastFirmware()
	sum := sha256.Sum256(img)
	if !rep.Accepted || rep.Size != int64(len(img)) || rep.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("device received %+v, want %d bytes sha256 %x", rep, len(img), sum)
	}
	if d.asked("POST /1.0/update/continous") != 3 || d.asked("POST /1.0/update/done") != 1 {
		t.Fatal("units did not go to continous then done")
	}
	waitCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	v, wentDown, err := c.AwaitRestart(waitCtx, "1.2.34", 50*time.Millisecond)
	if err != nil || v != "1.2.40" || !wentDown {
		t.Fatalf("after restart: %q, down %v, %v", v, wentDown, err)
	}
}

func TestFirmwareSameVersionNeedsForce(t *testing.T) {
	ctx := context.Background()
	d := newDevice(t, ef45sim.Options{Version: "1.2.34"})
	c := newClient(t, d)
	img := firmwareImage(t, "1.2.34", 1000)
	s := openSession(t, c)
	_, err := s.Firmware.Upload(ctx, bytes.NewReader(img), ef45.UploadOptions{})
	var e *ef45.Error
	if !errors.As(err, &e) || e.Status != 400 || e.Message == "" || !errors.Is(err, ef45.ErrRejected) {
		t.Fatalf("normal upload of the same version: %v", err)
	}
	if _, err := s.Firmware.Upload(ctx, bytes.NewReader(img), ef45.UploadOptions{Force: true}); err != nil {
		t.Fatalf("forced upload: %v", err)
	}
	if d.asked("PUT /1.0/update/start") != 1 || d.asked("PUT /1.0/update/done") != 1 {
		t.Fatal("a forced upload must use PUT throughout")
	}
	if rep := d.LastFirmware(); !rep.Accepted || !rep.Forced {
		t.Fatalf("report %+v", rep)
	}
}

func TestFirmwareRejectsAnImageForAnotherDevice(t *testing.T) {
	d := newDevice(t, ef45sim.Options{})
	s := openSession(t, newClient(t, d))
	_, err := s.Firmware.Upload(context.Background(), bytes.NewReader(make([]byte, 5000)), ef45.UploadOptions{})
	var e *ef45.Error
	if !errors.As(err, &e) || e.Status != 400 {
		t.Fatalf("got %v", err)
	}
	if d.LastFirmware().Accepted {
		t.Fatal("a file without a header was accepted")
	}
}

func TestFirmwareEmptyFileIsRefusedLocally(t *testing.T) {
	d := newDevice(t, ef45sim.Options{})
	s := openSession(t, newClient(t, d))
	if _, err := s.Firmware.Upload(context.Background(), bytes.NewReader(nil), ef45.UploadOptions{}); err == nil {
		t.Fatal("empty file uploaded")
	}
}

func TestFirmwareUploadInterruptedByReboot(t *testing.T) {
	d := newDevice(t, ef45sim.Options{})
	s := openSession(t, newClient(t, d))
	img := firmwareImage(t, "9.9.9", 4*ef45.FirmwareUnitSize)
	n := 0
	_, err := s.Firmware.Upload(context.Background(), bytes.NewReader(img), ef45.UploadOptions{Progress: func(int64) {
		if n++; n == 1 {
			d.Reboot(time.Second)
		}
	}})
	if !errors.Is(err, ef45.ErrRebooting) && !errors.Is(err, ef45.ErrUnreachable) {
		t.Fatalf("upload across a reboot: %v", err)
	}
	if d.LastFirmware().Accepted {
		t.Fatal("a partial upload was accepted")
	}
}
