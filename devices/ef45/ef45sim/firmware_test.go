package ef45sim

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"enrollstation/devices/ef45"
)

// fwImage is a firmware image of the given version and total size.
func fwImage(version string, size int) []byte {
	b := make([]byte, size)
	r := rand.New(rand.NewPCG(uint64(size), 7))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	copy(b, FirmwareHeader(version))
	return b
}

func unitBody(b []byte) raw { return raw(`"` + base64.StdEncoding.EncodeToString(b) + `"`) }

// upload sends img as spec 003 describes: start, every unit but the last to continous,
// the last to done. It returns done's status and body.
func (h *harness) upload(method string, img []byte) (int, []byte) {
	h.t.Helper()
	ack := http.StatusOK
	if method == http.MethodPut {
		ack = http.StatusNoContent
	}
	h.call(method, h.url("/1.0/update/start"), nil, ack, nil)
	off := 0
	for ; len(img)-off > ef45.FirmwareUnitSize; off += ef45.FirmwareUnitSize {
		h.call(method, h.url("/1.0/update/continous"), unitBody(img[off:off+ef45.FirmwareUnitSize]), ack, nil)
	}
	resp, body, err := h.send(method, h.url("/1.0/update/done"), unitBody(img[off:]))
	if err != nil {
		h.t.Fatalf("update/done: %v", err)
	}
	return resp.StatusCode, body
}

// syncBuffer is a log sink the server and the test may touch at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestFirmwareUpgradeRebootsIntoTheNewVersion(t *testing.T) {
	var logBuf syncBuffer
	h := newHarness(t, Options{RebootMode: RebootUnavailable, Logger: slog.New(slog.NewTextHandler(&logBuf, nil))})
	h.takeLock()
	img := fwImage("1.2.40", 3*ef45.FirmwareUnitSize+12345)
	status, body := h.upload(http.MethodPost, img)
	var done ef45.FirmwareDone
	if status != http.StatusOK || json.Unmarshal(body, &done) != nil || done.File == "" {
		t.Fatalf("done: %d %s", status, body)
	}
	sum := sha256.Sum256(img)
	rep := h.dev.LastFirmware()
	want := FirmwareReport{Size: int64(len(img)), SHA256: hex.EncodeToString(sum[:]), Version: "1.2.40", Accepted: true, File: done.File, Units: 4}
	if rep != want {
		t.Errorf("report\n got %+v\nwant %+v", rep, want)
	}
	if l := logBuf.String(); !strings.Contains(l, "firmware received") || !strings.Contains(l, want.SHA256) || !strings.Contains(l, "version=1.2.40") {
		t.Errorf("slog output %q", l)
	}

	// Rebooting: every call is refused, the lock is gone.
	if r := h.callErr(http.MethodGet, h.url("/1.0/version"), nil, http.StatusServiceUnavailable); r != "upgrade in progress" {
		t.Errorf("reason during reboot %q", r)
	}
	if !h.dev.State().Rebooting || h.dev.LockHeld() {
		t.Error("state during reboot: not rebooting or still locked")
	}
	h.clock.Advance(DefaultRebootTime)
	var v ef45.Version
	h.call(http.MethodGet, h.url("/1.0/version"), nil, http.StatusOK, &v)
	if v.Version != "1.2.40" {
		t.Errorf("version after reboot %q", v.Version)
	}
	if r := h.callErr(http.MethodGet, h.url("/1.0/camera"), nil, http.StatusForbidden); !strings.Contains(r, "rebooted") {
		t.Errorf("old lock after reboot: %q", r)
	}
	h.takeLock()
	logs := h.logs()
	if !hasLog(logs, "Firmware", "UploadDone", "Success") || !hasLog(logs, "Firmware", "Upgrade", "Success") {
		t.Error("upgrade not logged")
	}
}

func TestFirmwareRebootDropsConnections(t *testing.T) {
	h := newHarness(t, Options{RebootMode: RebootDrop, RebootTime: 200 * time.Millisecond, Now: time.Now})
	h.takeLock()
	if status, body := h.upload(http.MethodPost, fwImage("1.3.0", 2000)); status != http.StatusOK {
		t.Fatalf("done: %d %s", status, body)
	}
	if _, _, err := h.send(http.MethodGet, h.url("/1.0/version"), nil); err == nil {
		t.Error("a request during the reboot got an answer")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, body, err := h.send(http.MethodGet, h.url("/1.0/version"), nil)
		if err == nil && resp.StatusCode == http.StatusOK {
			if !strings.Contains(string(body), "1.3.0") {
				t.Errorf("version after reboot: %s", body)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("device did not come back")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestFirmwareRefusals(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	for _, c := range []struct {
		img    []byte
		reason string
	}{
		{fwImage(DefaultVersion, 5000), ReasonNotNewer},
		{fwImage("1.2.9", 5000), ReasonNotNewer},
		{bytes.Repeat([]byte("not firmware"), 100), ReasonNotFirmware},
		{fwImage("1.2.x", 5000), ReasonNotFirmware},
		{FirmwareHeader("1.2.50")[:40], ReasonNotFirmware},
	} {
		status, body := h.upload(http.MethodPost, c.img)
		var e statusBody
		if status != http.StatusBadRequest || json.Unmarshal(body, &e) != nil || e.ReasonPhrase != c.reason {
			t.Errorf("refused upload: %d %s, want 400 %q", status, body, c.reason)
		}
		if rep := h.dev.LastFirmware(); rep.Accepted || rep.Reason != c.reason || rep.Size != int64(len(c.img)) {
			t.Errorf("report %+v", rep)
		}
	}
	if h.dev.Version() != DefaultVersion || h.dev.State().Rebooting {
		t.Error("a refused upload changed the device")
	}
	// Forced: the same version (or an older one) is installed.
	status, body := h.upload(http.MethodPut, fwImage("1.2.9", 1<<20))
	if status != http.StatusOK {
		t.Fatalf("forced downgrade: %d %s", status, body)
	}
	if rep := h.dev.LastFirmware(); !rep.Accepted || !rep.Forced || rep.Units != 1 {
		t.Errorf("forced report %+v", rep)
	}
	h.clock.Advance(DefaultRebootTime)
	if v := h.dev.Version(); v != "1.2.9" {
		t.Errorf("version after forced downgrade %q", v)
	}
}

func TestFirmwareNewStartAbortsTheUpload(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	h.call(http.MethodPost, h.url("/1.0/update/start"), nil, http.StatusOK, nil)
	h.call(http.MethodPost, h.url("/1.0/update/continous"), unitBody(fwImage("9.9.9", ef45.FirmwareUnitSize)), http.StatusOK, nil)
	img := fwImage("1.2.35", 70000)
	if status, body := h.upload(http.MethodPost, img); status != http.StatusOK {
		t.Fatalf("second upload: %d %s", status, body)
	}
	sum := sha256.Sum256(img)
	if rep := h.dev.LastFirmware(); rep.Size != int64(len(img)) || rep.SHA256 != hex.EncodeToString(sum[:]) || rep.Version != "1.2.35" {
		t.Errorf("report %+v: the aborted upload's bytes leaked in", rep)
	}
	h.clock.Advance(DefaultRebootTime)
	h.takeLock()
	if !hasLog(h.logs(), "Firmware", "UploadAborted", "Success") {
		t.Error("abort not logged")
	}
}

func TestFirmwareUnitRules(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	unit := fwImage("1.2.60", ef45.FirmwareUnitSize)
	h.callErr(http.MethodPost, h.url("/1.0/update/continous"), unitBody(unit), http.StatusConflict)
	h.callErr(http.MethodPost, h.url("/1.0/update/done"), unitBody(unit), http.StatusConflict)

	h.call(http.MethodPost, h.url("/1.0/update/start"), nil, http.StatusOK, nil)
	if r := h.callErr(http.MethodPut, h.url("/1.0/update/continous"), unitBody(unit), http.StatusBadRequest); !strings.Contains(r, "POST") {
		t.Errorf("method mismatch reason %q", r)
	}
	for _, bad := range []raw{
		unitBody(unit[:1000]),                       // short unit before done
		unitBody(append(unit, 1)),                   // too long
		raw(`"` + strings.Repeat("!", 100) + `"`),   // not base64
		raw(`"QUJD`),                                // unterminated
		raw(`{"unit":"QUJD"}`),                      // not a string
		raw(`"QUJ"`),                                // truncated group
		raw(`"QUJD\u0041"`),                         // escapes other than \/
		raw(unitBody(unit) + ` x`),                  // trailing data
		raw(`"` + strings.Repeat("A", 3<<20) + `"`), // body over the limit
	} {
		h.callErr(http.MethodPost, h.url("/1.0/update/continous"), bad, http.StatusBadRequest)
	}
	// Refused units are not kept: the upload goes on, and "\/" is read as "/".
	enc := strings.ReplaceAll(base64.StdEncoding.EncodeToString(unit), "/", `\/`)
	h.call(http.MethodPost, h.url("/1.0/update/continous"), raw(` "`+enc+`" `), http.StatusOK, nil)
	tail := []byte("tail")
	if status, body := h.finishUpload(tail); status != http.StatusOK {
		t.Fatalf("done: %d %s", status, body)
	}
	sum := sha256.Sum256(append(append([]byte(nil), unit...), tail...))
	if rep := h.dev.LastFirmware(); rep.SHA256 != hex.EncodeToString(sum[:]) || rep.Units != 2 {
		t.Errorf("report %+v", rep)
	}

	// A reboot forgets the upload in progress.
	h.clock.Advance(DefaultRebootTime)
	h.takeLock()
	h.call(http.MethodPost, h.url("/1.0/update/start"), nil, http.StatusOK, nil)
	h.dev.Reboot(time.Second)
	h.clock.Advance(time.Second)
	h.takeLock()
	h.callErr(http.MethodPost, h.url("/1.0/update/done"), unitBody(unit), http.StatusConflict)
}

// finishUpload ends an upload already under way with last as the final unit.
func (h *harness) finishUpload(last []byte) (int, []byte) {
	resp, body, err := h.send(http.MethodPost, h.url("/1.0/update/done"), unitBody(last))
	if err != nil {
		h.t.Fatalf("done: %v", err)
	}
	return resp.StatusCode, body
}

func TestFirmwareHeaderFormat(t *testing.T) {
	h := FirmwareHeader("1.2.40")
	if len(h) != FirmwareHeaderSize || !bytes.HasPrefix(h, []byte("EF45FW1 version=1.2.40\n")) || h[FirmwareHeaderSize-1] != 0 {
		t.Errorf("header %q", h)
	}
	for _, v := range []string{"1.2.40", "2", "10.0.0.1"} {
		if got, ok := parseFirmwareHeader(FirmwareHeader(v)); !ok || got != v {
			t.Errorf("round trip %q: %q %v", v, got, ok)
		}
	}
	for _, v := range []string{"", "1..2", "v1.2", strings.Repeat("1", 50)} {
		if _, ok := parseFirmwareHeader(FirmwareHeader(v)); ok {
			t.Errorf("version %q accepted", v)
		}
	}
	bad := FirmwareHeader("1.2.40")
	bad[60] = 'x'
	if _, ok := parseFirmwareHeader(bad); ok {
		t.Error("header with garbage padding accepted")
	}
}

func FuzzFirmwareHeader(f *testing.F) {
	f.Add(FirmwareHeader("1.2.40"))
	f.Add([]byte("EF45FW1 version=\n"))
	f.Add(append([]byte("EF45FW1 version=1.2"), make([]byte, 60)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, ok := parseFirmwareHeader(b)
		if !ok {
			return
		}
		if !validVersion(v) || !bytes.Equal(FirmwareHeader(v), b[:FirmwareHeaderSize]) {
			t.Errorf("accepted %q as version %q", b, v)
		}
	})
}

func FuzzJSONStringReader(f *testing.F) {
	f.Add([]byte(`"QUJD"`))
	f.Add([]byte(` "a\/b" `))
	f.Add([]byte(`"unterminated`))
	f.Add([]byte(`"x\u0041"`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s := newJSONStringReader(bytes.NewReader(b))
		out, err := io.ReadAll(s)
		if err == nil {
			err = s.finish()
		}
		if err != nil || !utf8.Valid(b) || bytes.ContainsFunc(b, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != ' ' }) {
			return
		}
		// What the reader accepts, encoding/json reads the same way.
		var want string
		if jerr := json.Unmarshal(b, &want); jerr != nil {
			if !bytes.ContainsAny(out, "\n\r\t") {
				t.Fatalf("reader accepted %q, encoding/json refused it: %v", b, jerr)
			}
			return
		}
		if string(out) != want {
			t.Fatalf("reader read %q from %q, encoding/json %q", out, b, want)
		}
	})
}

// BenchmarkFirmwareUpload streams a 64 MiB image through the device's handlers and reports
// the rate and the peak heap above the starting point, sampled after every unit: it stays
// near a few units' worth of request bodies, whatever the image size.
func BenchmarkFirmwareUpload(b *testing.B) {
	const units = 64
	unit := unitBody(fwImage("9.0.0", ef45.FirmwareUnitSize))
	var peak uint64
	start := time.Now()
	for range b.N {
		d := New(Options{Now: time.Now, RebootTime: time.Millisecond})
		uid := d.takeLockLocked("")
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		base := ms.HeapInuse
		req := func(path string, body raw) int {
			r := httptest.NewRequest(http.MethodPut, path+"?lock_uid="+uid, strings.NewReader(string(body)))
			w := httptest.NewRecorder()
			d.ServeHTTP(w, r)
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > base {
				peak = max(peak, ms.HeapInuse-base)
			}
			return w.Code
		}
		req("/1.0/update/start", "")
		for i := range units - 1 {
			if code := req("/1.0/update/continous", unit); code != http.StatusNoContent {
				b.Fatalf("unit %d: %d", i, code)
			}
		}
		if code := req("/1.0/update/done", unit); code != http.StatusOK {
			b.Fatalf("done: %d", code)
		}
	}
	el := time.Since(start).Seconds()
	b.ReportMetric(float64(units*b.N)/el, "MiB/s")
	b.ReportMetric(float64(peak)/(1<<20), "MiB-peak-heap")
}
