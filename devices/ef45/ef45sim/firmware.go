package ef45sim

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"sync"
	"sync/atomic"

	"enrollstation/devices/ef45"
)

// Firmware image format. A firmware image for the simulator starts with a header of
// FirmwareHeaderSize bytes: the ASCII text "EF45FW1 version=<version>\n" followed by NUL
// bytes up to FirmwareHeaderSize. The version is dotted decimal numbers ("1.2.40"), at
// most 32 characters. Everything after the header is the image body, which the simulator
// only counts and hashes.
const (
	FirmwareMagic      = "EF45FW1"
	FirmwareHeaderSize = 64
	firmwarePrefix     = FirmwareMagic + " version="
)

// Reasons a finished upload is refused (the answer's reason_phrase and FirmwareReport.Reason).
const (
	ReasonNotFirmware = "not a firmware image for this device"
	ReasonNotNewer    = "same or older version: use forced upgrade"
)

// FirmwareHeader returns the header of a firmware image of the given version, to be
// followed by the image body. A version that is not dotted numbers of at most 32
// characters gives a header the device refuses.
func FirmwareHeader(version string) []byte {
	h := make([]byte, FirmwareHeaderSize)
	copy(h, firmwarePrefix+version+"\n")
	return h
}

// parseFirmwareHeader returns the version a header names, or ok false if head does not
// start with a valid header.
func parseFirmwareHeader(head []byte) (version string, ok bool) {
	if len(head) < FirmwareHeaderSize || !bytes.HasPrefix(head, []byte(firmwarePrefix)) {
		return "", false
	}
	h := head[:FirmwareHeaderSize]
	end := bytes.IndexByte(h, '\n')
	if end < 0 {
		return "", false
	}
	for _, c := range h[end+1:] {
		if c != 0 {
			return "", false
		}
	}
	v := string(h[len(firmwarePrefix):end])
	if !validVersion(v) {
		return "", false
	}
	return v, true
}

// FirmwareReport is what the device made of the last finished firmware upload.
type FirmwareReport struct {
	Size     int64  `json:"size"`     // bytes received
	SHA256   string `json:"sha256"`   // hex SHA-256 of the bytes received
	Version  string `json:"version"`  // version named by the header, if any
	Forced   bool   `json:"forced"`   // uploaded with PUT (forced upgrade or downgrade)
	Accepted bool   `json:"accepted"` // the device installs it and reboots
	Reason   string `json:"reason"`   // why it was refused; empty when accepted
	File     string `json:"file"`     // file name answered by /update/done
	Units    int    `json:"units"`    // units received, the last one included
}

// LastFirmware returns the outcome of the last finished upload (zero before any).
func (d *Device) LastFirmware() FirmwareReport {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.st.lastFirmware
}

// firmwareUpload reassembles an upload as it streams in: it keeps the header, a running
// SHA-256 and a byte count, never the file.
type firmwareUpload struct {
	epoch atomic.Uint64 // bumped by every reboot: uploads from an older epoch are gone

	mu      sync.Mutex
	active  bool
	startAt uint64
	method  string
	hash    hash.Hash
	size    int64
	head    []byte
	units   int
	buf     []byte // one decoded unit
}

// abort forgets the upload in progress; safe to call with Device.mu held.
func (f *firmwareUpload) abort() { f.epoch.Add(1) }

func (f *firmwareUpload) activeLocked() bool { return f.active && f.startAt == f.epoch.Load() }

// checkLocked says why a unit cannot be taken now: no upload, or a different method.
func (f *firmwareUpload) checkLocked(method string) (int, string) {
	if !f.activeLocked() {
		return http.StatusConflict, "no firmware upload in progress: start one with /1.0/update/start"
	}
	if method != f.method {
		kind := "normal upgrade"
		if f.method == http.MethodPut {
			kind = "forced upgrade"
		}
		return http.StatusBadRequest, "this upload was started with " + f.method + " (" + kind + "): send every unit with " + f.method
	}
	return 0, ""
}

// readUnitLocked decodes one unit (a base64 JSON string) into f.buf without committing it.
func (f *firmwareUpload) readUnitLocked(w http.ResponseWriter, r *http.Request) (int, error) {
	if f.buf == nil {
		f.buf = make([]byte, ef45.FirmwareUnitSize)
	}
	sr := newJSONStringReader(http.MaxBytesReader(w, r.Body, maxFirmwareBody))
	dec := base64.NewDecoder(base64.StdEncoding, sr)
	n := 0
	for {
		if n == len(f.buf) {
			var one [1]byte
			m, err := dec.Read(one[:])
			if m > 0 {
				return 0, fmt.Errorf("a firmware unit holds at most %d bytes", ef45.FirmwareUnitSize)
			}
			if !errors.Is(err, io.EOF) {
				return 0, unitError(err)
			}
			break
		}
		m, err := dec.Read(f.buf[n:])
		n += m
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, unitError(err)
		}
	}
	if err := sr.finish(); err != nil {
		return 0, err
	}
	return n, nil
}

func unitError(err error) error {
	var corrupt base64.CorruptInputError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &corrupt):
		return fmt.Errorf("the firmware unit is not valid base64 (at byte %d)", int64(corrupt))
	case errors.As(err, &tooBig):
		return fmt.Errorf("the firmware unit body is larger than %d bytes", maxFirmwareBody)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the firmware unit is not valid base64 (it ends mid-group)")
	}
	return err
}

// commitLocked adds a decoded unit to the upload.
func (f *firmwareUpload) commitLocked(n int) {
	unit := f.buf[:n]
	f.hash.Write(unit)
	if len(f.head) < FirmwareHeaderSize {
		f.head = append(f.head, unit[:min(n, FirmwareHeaderSize-len(f.head))]...)
	}
	f.size += int64(n)
	f.units++
}

func (d *Device) handleFirmwareStart(w http.ResponseWriter, r *http.Request) {
	f := &d.fw
	f.mu.Lock()
	aborted := f.activeLocked()
	f.active, f.startAt, f.method = true, f.epoch.Load(), r.Method
	f.hash, f.size, f.head, f.units = sha256.New(), 0, f.head[:0], 0
	f.mu.Unlock()
	now := d.now()
	d.mu.Lock()
	if aborted {
		d.logEventLocked(now, "Firmware", "UploadAborted", "Success", "")
	}
	d.logEventLocked(now, "Firmware", "UploadStart", "Success", "")
	d.mu.Unlock()
	firmwareAck(w, r)
}

// firmwareAck answers start and continous: 200 for a normal upgrade, 204 for a forced one
// (spec 003).
func firmwareAck(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPut {
		writeNoContent(w)
		return
	}
	writeOK(w)
}

func (d *Device) handleFirmwareUnit(w http.ResponseWriter, r *http.Request) {
	f := &d.fw
	f.mu.Lock()
	if status, problem := f.checkLocked(r.Method); problem != "" {
		f.mu.Unlock()
		writeError(w, status, "firmware unit: "+problem)
		return
	}
	n, err := f.readUnitLocked(w, r)
	if err == nil && n != ef45.FirmwareUnitSize {
		err = fmt.Errorf("the unit has %d bytes; every unit but the last (sent with /update/done) has %d", n, ef45.FirmwareUnitSize)
	}
	if err == nil && !f.activeLocked() {
		err = errors.New("the upload was aborted while the unit arrived")
	}
	if err != nil {
		f.mu.Unlock()
		// The unit is not kept; the client may send it again.
		writeError(w, http.StatusBadRequest, "firmware unit: "+err.Error())
		return
	}
	f.commitLocked(n)
	f.mu.Unlock()
	d.mu.Lock()
	d.st.stats.FirmwareUnits++
	d.mu.Unlock()
	firmwareAck(w, r)
}

// handleFirmwareDone takes the last unit, checks the image and, if the device accepts it,
// answers {"file":…} and reboots into the new version.
func (d *Device) handleFirmwareDone(w http.ResponseWriter, r *http.Request) {
	f := &d.fw
	f.mu.Lock()
	if status, problem := f.checkLocked(r.Method); problem != "" {
		f.mu.Unlock()
		writeError(w, status, "firmware done: "+problem)
		return
	}
	n, err := f.readUnitLocked(w, r)
	if err != nil {
		f.mu.Unlock()
		writeError(w, http.StatusBadRequest, "firmware done: "+err.Error())
		return
	}
	f.commitLocked(n)
	rep := FirmwareReport{Size: f.size, SHA256: hex.EncodeToString(f.hash.Sum(nil)), Forced: f.method == http.MethodPut, Units: f.units}
	head := append([]byte(nil), f.head...)
	f.active = false
	f.mu.Unlock()

	version, ok := parseFirmwareHeader(head)
	rep.Version = version
	now := d.now()
	d.mu.Lock()
	d.st.stats.FirmwareUnits++
	switch {
	case !ok:
		rep.Reason = ReasonNotFirmware
	case !rep.Forced && compareVersions(version, d.st.version) <= 0:
		rep.Reason = ReasonNotNewer
	default:
		rep.Accepted, rep.File = true, "ef45-"+version+".img"
	}
	d.st.lastFirmware = rep
	d.logEventLocked(now, "Firmware", "UploadDone", outcome(rep.Accepted), "")
	if rep.Accepted {
		d.rebootLocked(now, d.opts.RebootTime, version)
	}
	d.mu.Unlock()

	d.log.Info("firmware received", "bytes", rep.Size, "sha256", rep.SHA256, "version", rep.Version,
		"forced", rep.Forced, "accepted", rep.Accepted, "reason", rep.Reason)
	if !rep.Accepted {
		writeError(w, http.StatusBadRequest, rep.Reason)
		return
	}
	writeJSON(w, http.StatusOK, ef45.FirmwareDone{File: rep.File})
}

// jsonStringReader streams the contents of one JSON string (the body of a firmware unit)
// without holding it: base64 needs no escapes but "\/", which some encoders write.
type jsonStringReader struct {
	r       *bufio.Reader
	started bool
	done    bool
	err     error
}

func newJSONStringReader(r io.Reader) *jsonStringReader {
	return &jsonStringReader{r: bufio.NewReaderSize(r, 64<<10)}
}

var errNotJSONString = errors.New("the body must be a JSON string")

func (s *jsonStringReader) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if !s.started {
		c, err := s.skipSpace()
		if err != nil || c != '"' {
			s.err = errNotJSONString
			return 0, s.err
		}
		s.started = true
	}
	if s.done {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	if s.r.Buffered() == 0 {
		if _, err := s.r.Peek(1); err != nil {
			s.err = s.readFailure(err)
			return 0, s.err
		}
	}
	chunk, _ := s.r.Peek(min(len(p), s.r.Buffered()))
	i := indexSpecial(chunk)
	if i != 0 {
		if i > 0 {
			chunk = chunk[:i]
		}
		n := copy(p, chunk)
		s.r.Discard(n)
		return n, nil
	}
	c, _ := s.r.ReadByte()
	if c == '"' {
		s.done = true
		return 0, io.EOF
	}
	e, err := s.r.ReadByte()
	if err != nil {
		s.err = s.readFailure(err)
		return 0, s.err
	}
	switch e {
	case '/':
		p[0] = '/'
	case 'n':
		p[0] = '\n'
	case 'r':
		p[0] = '\r'
	default:
		s.err = fmt.Errorf("unexpected escape \\%c in base64 data", e)
		return 0, s.err
	}
	return 1, nil
}

func (s *jsonStringReader) readFailure(err error) error {
	if errors.Is(err, io.EOF) {
		return errors.New("the JSON string is not terminated")
	}
	return err
}

// indexSpecial is the index of the first quote or backslash in b, or -1.
func indexSpecial(b []byte) int {
	q, e := bytes.IndexByte(b, '"'), bytes.IndexByte(b, '\\')
	switch {
	case q < 0:
		return e
	case e < 0:
		return q
	}
	return min(q, e)
}

func (s *jsonStringReader) skipSpace() (byte, error) {
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			return 0, err
		}
		if !isJSONSpace(c) {
			return c, nil
		}
	}
}

// finish checks that the string was closed and only white space follows it.
func (s *jsonStringReader) finish() error {
	if s.err != nil {
		return s.err
	}
	if !s.done {
		return errors.New("the JSON string is not terminated")
	}
	c, err := s.skipSpace()
	switch {
	case errors.Is(err, io.EOF):
		return nil
	case err != nil:
		return unitError(err)
	}
	return fmt.Errorf("unexpected %q after the JSON string", c)
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
