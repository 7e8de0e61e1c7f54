package ef45

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// UploadOptions shape a firmware upload.
type UploadOptions struct {
	// Force uses the forced calls (PUT), needed for the same version or a downgrade.
	Force bool
	// Progress, when set, is called after each unit with the file bytes sent so far.
	Progress func(sent int64)
}

// Upload sends a firmware file: /update/start, every 1 MiB unit but the last to
// /update/continous (sic), the last to /update/done (spec 003, ef45-wire.md). The file is
// streamed: two unit buffers and one encoding buffer are all it holds, whatever its size.
// The client never parses the file; the device's answers say whether it took it. After
// a successful upload the device reboots: see Client.AwaitRestart.
func (f *FirmwareService) Upload(ctx context.Context, r io.Reader, opts UploadOptions) (FirmwareDone, error) {
	method := http.MethodPost
	if opts.Force {
		method = http.MethodPut
	}
	var done FirmwareDone
	// A new start aborts and deletes an incomplete earlier upload (spec 003).
	if err := f.s.send(ctx, "start firmware upload", method, "update/start", nil, nil, nil); err != nil {
		return done, err
	}

	cur, next := make([]byte, FirmwareUnitSize), make([]byte, FirmwareUnitSize)
	body := make([]byte, base64.StdEncoding.EncodedLen(FirmwareUnitSize)+2)
	n, err := readUnit(r, cur)
	if err != nil {
		return done, local("read firmware file", err)
	}
	if n == 0 {
		return done, local("read firmware file", errors.New("the file is empty"))
	}
	var sent int64
	for {
		m, err := readUnit(r, next)
		if err != nil {
			return done, local("read firmware file", err)
		}
		last := m == 0
		enc := encodeUnit(body, cur[:n])
		cl := call{name: "upload firmware unit", method: method, path: "update/continous", raw: bytes.NewReader(enc)}
		if last {
			cl = call{name: "finish firmware upload", method: method, path: "update/done", raw: bytes.NewReader(enc), out: &done}
		}
		if err := f.s.do(ctx, cl); err != nil {
			return done, fmt.Errorf("after %d of the file's bytes: %w", sent, err)
		}
		sent += int64(n)
		if opts.Progress != nil {
			opts.Progress(sent)
		}
		if last {
			return done, nil
		}
		cur, next, n = next, cur, m
	}
}

// readUnit fills buf from r as far as r goes; 0 means the end of the file.
func readUnit(r io.Reader, buf []byte) (int, error) {
	n, err := io.ReadFull(r, buf)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return n, nil
	}
	return n, err
}

// encodeUnit writes unit as a JSON string of base64 into buf (ef45-wire.md: units are JSON
// strings). Base64 needs no JSON escaping.
func encodeUnit(buf, unit []byte) []byte {
	n := base64.StdEncoding.EncodedLen(len(unit))
	buf = buf[:n+2]
	buf[0] = '"'
	base64.StdEncoding.Encode(buf[1:], unit)
	buf[n+1] = '"'
	return buf
}

// FirmwareUnitSize is the number of file bytes per firmware unit (ef45-wire.md: 1 MiB,
// base64-encoded on the wire; the last unit may be shorter).
const FirmwareUnitSize = 1 << 20

// FirmwareDone is the answer of /update/done.
type FirmwareDone struct {
	File string `json:"file"`
}
