// Package firmware uploads firmware to EF-45 cameras, several at once, each through named
// phases: read the version (and take the lock), start the upload (normal or forced), stream
// the file in 1 MiB units, send the last unit with done, wait for the reboot by polling the
// version with backoff, and compare the version the camera comes back with. Progress is
// reported per camera; each upload is audited in the journal when one is given; a failure
// names its phase and the state the camera is left in.
//
//	u := firmware.NewUpdater(firmware.Options{Journal: st})
//	img, err := firmware.OpenImage("ef45-1.2.40.img")
//	outs := u.UploadAll(ctx, []firmware.Device{{Addr: "192.0.2.10:9980"}}, firmware.Job{Image: img})
package firmware

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/store"
)

// Defaults of Options; a zero field means the default.
const (
	DefaultCallTimeout   = 30 * time.Second
	DefaultRebootTimeout = 10 * time.Minute
	DefaultPollInterval  = 500 * time.Millisecond
	DefaultPollMax       = 5 * time.Second
)

// ErrRunning: an upload to this camera is already running in this process.
var ErrRunning = errors.New("a firmware upload to this camera is already running")

// Journal is where uploads are audited; *store.Store satisfies it.
type Journal interface {
	Audit(ctx context.Context, e store.AuditEvent) error
}

// Updatable is the capability of a target that takes firmware (an EF-45): the address the
// upload goes to.
type Updatable interface {
	FirmwareAddress() string
}

// Options configure an Updater.
type Options struct {
	// Journal, when set, gets an audit row when an upload starts and one when it ends.
	Journal Journal
	// HTTPClient carries the calls (TLS, proxies); redirects are refused whatever it says.
	HTTPClient *http.Client
	// CallTimeout bounds each call to a camera, a 1 MiB unit included (default 30 s).
	CallTimeout time.Duration
	// RebootTimeout is how long a camera may take to come back after done (default 10 min).
	RebootTimeout time.Duration
	// PollInterval is the first pause between version polls during the reboot; pauses grow
	// up to PollMax (defaults 500 ms and 5 s).
	PollInterval time.Duration
	// PollMax caps the pause between version polls.
	PollMax time.Duration
	// Logger receives what cannot be returned (an audit row that could not be written).
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.CallTimeout <= 0 {
		o.CallTimeout = DefaultCallTimeout
	}
	if o.RebootTimeout <= 0 {
		o.RebootTimeout = DefaultRebootTimeout
	}
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.PollMax <= 0 {
		o.PollMax = DefaultPollMax
	}
	o.PollMax = max(o.PollMax, o.PollInterval)
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Updater runs firmware uploads. Create one per process (the station or the CLI holds it):
// it refuses a second upload to a camera that has one running. It is safe for concurrent use.
type Updater struct {
	opts Options

	mu      sync.Mutex
	running map[string]bool // camera addresses with an upload in progress
}

// NewUpdater returns an Updater.
func NewUpdater(opts Options) *Updater {
	return &Updater{opts: opts.withDefaults(), running: map[string]bool{}}
}

// claim marks addr busy, or says that it is.
func (u *Updater) claim(addr string) (release func(), ok bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.running[addr] {
		return nil, false
	}
	u.running[addr] = true
	return func() {
		u.mu.Lock()
		delete(u.running, addr)
		u.mu.Unlock()
	}, true
}

// Running reports whether an upload to addr is in progress.
func (u *Updater) Running(addr string) bool {
	key, err := addrKey(addr)
	if err != nil {
		return false
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.running[key]
}

// addrKey is the form of an address the guard compares: the client's host:port.
func addrKey(addr string) (string, error) {
	c, err := ef45.New(addr)
	if err != nil {
		return "", err
	}
	return strings.ToLower(c.Addr()), nil
}

// Image is a firmware file chosen for upload: its size is read once, and each camera's
// upload opens the file again, so that uploads in parallel stream it each at its own pace
// and none holds it in memory.
type Image struct {
	Path string
	Size int64
}

// OpenImage checks that path is a regular, non-empty file and reads its size. The file's
// content is never parsed: the camera decides whether it takes it.
func OpenImage(path string) (Image, error) {
	st, err := os.Stat(path)
	if err != nil {
		return Image{}, fmt.Errorf("firmware file: %w", err)
	}
	if !st.Mode().IsRegular() {
		return Image{}, fmt.Errorf("firmware file %s is not a regular file", path)
	}
	if st.Size() == 0 {
		return Image{}, fmt.Errorf("firmware file %s is empty", path)
	}
	return Image{Path: path, Size: st.Size()}, nil
}

// Device is one camera to upload to.
type Device struct {
	Addr   string         // HOST:PORT (port 9980 by default)
	Target store.TargetID // the journal's target, when it is one; named in the audit rows
}

// Job is what to upload and how.
type Job struct {
	Image Image
	// Force uses the forced upgrade, which installs the same or an older version too.
	Force bool
	// TakeOver takes the camera's lock from another workstation that holds it.
	TakeOver bool
	// Operator is who the audit rows name (default "station").
	Operator string
	// Progress, when set, is called at every phase change and after every unit. Calls of
	// one UploadAll never overlap, but they come from the uploads' goroutines: a UI hands
	// them to its own goroutine (fyne.Do) and returns at once.
	Progress func(Progress)
}

// Progress is where one camera's upload stands.
type Progress struct {
	Addr  string
	Phase Phase
	Sent  int64 // file bytes the camera has taken
	Total int64 // the file's size
	// Version is the camera's version: the old one until the reboot ends, then the new one.
	Version string
}

// Result is a finished upload.
type Result struct {
	Addr       string
	OldVersion string
	NewVersion string // equal to OldVersion after a forced reinstall of the same version
	Forced     bool
	Bytes      int64         // file bytes sent
	File       string        // the file name the camera answered done with
	Upload     time.Duration // from start to the answer to done
	Restart    time.Duration // from done to the camera answering with its new version
}

// Outcome is one camera's result or failure in UploadAll.
type Outcome struct {
	Device Device
	Result Result
	Err    error // nil, a *Error, or one wrapping ErrRunning
}

// UploadAll uploads job to every device in parallel and returns their outcomes in the
// order of devices. A camera named twice is uploaded to once; the other is refused.
func (u *Updater) UploadAll(ctx context.Context, devices []Device, job Job) []Outcome {
	if job.Progress != nil {
		var mu sync.Mutex
		p := job.Progress
		job.Progress = func(pr Progress) {
			mu.Lock()
			defer mu.Unlock()
			p(pr)
		}
	}
	outs := make([]Outcome, len(devices))
	var wg sync.WaitGroup
	for i, d := range devices {
		wg.Go(func() {
			res, err := u.Upload(ctx, d, job)
			outs[i] = Outcome{Device: d, Result: res, Err: err}
		})
	}
	wg.Wait()
	return outs
}
