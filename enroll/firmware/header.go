package firmware

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"enrollstation/devices/ef45"
)

// The firmware header the station can read: "EF45FW1 version=<version>\n" padded with NUL
// bytes to 64 bytes, the format of the simulator's images (devices/ef45/ef45sim). Spec 003
// says nothing of the vendor's file format, so for any other file the version is unknown;
// the camera alone decides whether it takes a file.
const (
	headerSize   = 64
	headerPrefix = "EF45FW1 version="
)

// ImageInfo is a firmware file as a screen shows it before the upload.
type ImageInfo struct {
	Image
	Name    string // the file's base name
	Version string // the version its header names; empty when it has no header we know
}

// Inspect checks the file as OpenImage does and reads the version its header names, when
// it has a header the station knows.
func Inspect(path string) (ImageInfo, error) {
	img, err := OpenImage(path)
	if err != nil {
		return ImageInfo{}, err
	}
	info := ImageInfo{Image: img, Name: filepath.Base(path)}
	f, err := os.Open(path)
	if err != nil {
		return ImageInfo{}, fmt.Errorf("firmware file: %w", err)
	}
	defer f.Close()
	head := make([]byte, headerSize)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF {
		return ImageInfo{}, fmt.Errorf("read firmware file %s: %w", info.Name, err)
	}
	info.Version = headerVersion(head[:n])
	return info, nil
}

// headerVersion returns the version a header names, or "" if head is not one.
func headerVersion(head []byte) string {
	if len(head) < headerSize || !bytes.HasPrefix(head, []byte(headerPrefix)) {
		return ""
	}
	end := bytes.IndexByte(head, '\n')
	if end < 0 || len(bytes.Trim(head[end+1:], "\x00")) != 0 {
		return ""
	}
	v := string(head[len(headerPrefix):end])
	for _, c := range []byte(v) {
		if (c < '0' || c > '9') && c != '.' {
			return ""
		}
	}
	return v
}

// CompareVersions compares dotted version numbers (1.2.100 > 1.2.34), as the camera does
// when it decides whether a normal upgrade is newer; it returns -1, 0 or +1.
func CompareVersions(a, b string) int { return ef45.CompareVersions(a, b) }
