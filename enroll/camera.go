package enroll

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"enrollstation/enroll/capture"
	"enrollstation/store"
)

// settingCamera is the address of the EF-45 this station captures with.
const settingCamera = "camera.address"

// CameraAddress is the capture camera's HOST:PORT, or "" when none is set yet (a new
// journal: the first-run page asks for it).
func (s *Station) CameraAddress(ctx context.Context) (string, error) {
	v, err := s.st.Setting(ctx, settingCamera)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return v, err
}

// SetCameraAddress keeps the capture camera's address, after checking its form.
func (s *Station) SetCameraAddress(ctx context.Context, addr, operator string) error {
	addr, err := CheckCameraAddress(addr)
	if err != nil {
		return err
	}
	return s.st.SetSetting(ctx, settingCamera, addr, operator)
}

// CheckCameraAddress reads HOST or HOST:PORT as the camera's address; the EF-45's API port
// 9980 is taken when none is given.
func CheckCameraAddress(addr string) (string, error) {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return "", fmt.Errorf("%w: give the camera's address, HOST:PORT", store.ErrInvalid)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		host, port = addr, "9980"
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("%w: %q is not a port number", store.ErrInvalid, port)
	}
	if host == "" || strings.ContainsAny(host, " /?#") {
		return "", fmt.Errorf("%w: %q is not a host name or address", store.ErrInvalid, host)
	}
	return net.JoinHostPort(host, port), nil
}

// CheckCamera reads the camera at addr: its version, and its serial number when the
// camera lets this station take its lock a moment (another workstation may hold it).
func (s *Station) CheckCamera(ctx context.Context, addr string) (capture.Info, error) {
	addr, err := CheckCameraAddress(addr)
	if err != nil {
		return capture.Info{}, err
	}
	cam, err := capture.OpenCamera(addr, nil)
	if err != nil {
		return capture.Info{}, err
	}
	return cam.Info(ctx, false)
}

// UseCamera is the camera to capture with: addr when given, kept for the next start, else
// the one the journal keeps ("" on a new journal: the first-run page asks).
func (s *Station) UseCamera(ctx context.Context, addr, operator string) (string, error) {
	if addr == "" {
		return s.CameraAddress(ctx)
	}
	if err := s.SetCameraAddress(ctx, addr, operator); err != nil {
		return "", err
	}
	return s.CameraAddress(ctx)
}
