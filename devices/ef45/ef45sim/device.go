package ef45sim

import (
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"enrollstation/devices/ef45"
)

// Defaults of Options; a zero field means the default.
const (
	DefaultVersion         = "1.2.34"
	DefaultRecordVersion   = 8976
	DefaultFPS             = 15
	MaxFPS                 = 60
	DefaultCaptureDuration = 3 * time.Second
	DefaultRebootTime      = 5 * time.Second
	DefaultCardDelay       = 2 * time.Second
)

// RebootMode says how the device answers while it reboots after a firmware upgrade.
type RebootMode int

// Reboot modes.
const (
	// RebootMixed answers each request either 503 or by dropping the connection, drawn
	// from the seeded generator.
	RebootMixed RebootMode = iota
	// RebootUnavailable answers every request 503 "upgrade in progress".
	RebootUnavailable
	// RebootDrop closes every connection without an answer.
	RebootDrop
)

// Options configure a simulated device. Zero values mean the defaults.
type Options struct {
	// Seed makes serial, images, templates, ids, card numbers and faults repeatable.
	Seed int64
	// Version is the application version (default 1.2.34). Up to 1.2.33 only the legacy
	// GET /biometric-data exists.
	Version string
	// Serial is the serial number (default EF45-SIM-nnnnnn derived from Seed).
	Serial string
	// RecordVersion is the biometric algorithm version (default 8976).
	RecordVersion int
	// FPS is the preview frame rate (default 15, at most 60).
	FPS int
	// CaptureDuration is how long a capture takes from start to biometric data (default 3s).
	CaptureDuration time.Duration
	// RebootTime is how long the device is away after a firmware upgrade (default 5s).
	RebootTime time.Duration
	// RebootMode says how requests are refused during a reboot.
	RebootMode RebootMode
	// CardDelay is how long after card stand-by a card is presented (default 2s).
	CardDelay time.Duration
	// Latency is added to every answer under /1.0/.
	Latency time.Duration
	// Logger receives the simulator's own messages (default: discarded).
	Logger *slog.Logger
	// Now is the device clock (default time.Now); tests pass a fake clock to drive the
	// capture timeline, card delay, relay pulses and reboots.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Version == "" {
		o.Version = DefaultVersion
	}
	if o.Serial == "" {
		o.Serial = defaultSerial(o.Seed)
	}
	if o.RecordVersion == 0 {
		o.RecordVersion = DefaultRecordVersion
	}
	if o.FPS <= 0 {
		o.FPS = DefaultFPS
	}
	o.FPS = min(o.FPS, MaxFPS)
	if o.CaptureDuration <= 0 {
		o.CaptureDuration = DefaultCaptureDuration
	}
	if o.RebootTime <= 0 {
		o.RebootTime = DefaultRebootTime
	}
	if o.CardDelay <= 0 {
		o.CardDelay = DefaultCardDelay
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

func defaultSerial(seed int64) string {
	n := uint64(seed)%999999 + 1
	b := []byte("EF45-SIM-000000")
	for i := len(b) - 1; n > 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}

// Stats are counters useful to tests and to the demo console.
type Stats struct {
	Requests          int64 `json:"requests"`           // requests under /1.0/
	PreviewFrames     int64 `json:"preview_frames"`     // previews answered with a frame
	FramesRendered    int64 `json:"frames_rendered"`    // distinct frames drawn and encoded
	CapturesStarted   int64 `json:"captures_started"`   // successful camera starts
	CapturesCompleted int64 `json:"captures_completed"` // captures that produced data
	BiometricServed   int64 `json:"biometric_served"`   // biometric-data items sent
	LockRejected      int64 `json:"lock_rejected"`      // 403 answers for a wrong lock_uid
	InjectedErrors    int64 `json:"injected_errors"`    // 500 answers from the error rate
	InjectedMalformed int64 `json:"injected_malformed"` // corrupted answers
	InjectedDrops     int64 `json:"injected_drops"`     // connections dropped by the drop rate
	RebootRefused     int64 `json:"reboot_refused"`     // requests refused while rebooting
	FirmwareUnits     int64 `json:"firmware_units"`     // firmware units received
}

// Device is a simulated EF-45. It is an http.Handler serving the REST API of spec 003
// under /1.0/ and the simulator's control surface under /sim/. It is safe for concurrent
// use.
type Device struct {
	opts Options
	log  *slog.Logger
	api  *http.ServeMux
	sim  *http.ServeMux

	previewOnce sync.Once
	preview     *previewAssets
	heavy       *captureAssets
	frames      frameCache
	bioCache    encodedCache
	fw          firmwareUpload

	mu sync.Mutex
	st state
}

// state is everything a request can change; guarded by Device.mu.
type state struct {
	version       string
	lockUID       string
	released      map[string]string // former lock uids and why they lost the lock
	releasedOrder []string
	cameraMode    string
	audio         bool
	clockOffset   time.Duration
	camera        *capture
	nextPerson    int
	lastPerson    int
	captureCount  uint64
	bio           []bioItem
	bioGen        uint64
	matches       []ef45.MatchData
	files         map[string][]byte
	subjects      records[ef45.Subject]
	users         records[ef45.UserInfo]
	faces         []ef45.FaceRecord
	config        map[string]*configEntry
	relayUntil    time.Time
	relayLatched  bool
	logs          []ef45.LogEntry
	nextLogID     int64
	card          cardState
	rebootUntil   time.Time
	rebootVersion string
	faults        Faults
	faultRNG      *rand.Rand
	rebootRNG     *rand.Rand
	idRNG         *rand.Rand
	cardReads     uint64
	lastFirmware  FirmwareReport
	stats         Stats
}

// New returns a simulated device in its power-on state: unlocked, camera mode Recog,
// camera stopped, no subjects, the default configuration.
func New(opts Options) *Device {
	o := opts.withDefaults()
	d := &Device{opts: o, log: o.Logger, api: http.NewServeMux(), sim: http.NewServeMux(), heavy: newCaptureAssets(o.Seed)}
	d.st = state{
		version:    o.Version,
		released:   map[string]string{},
		cameraMode: ef45.ModeRecog,
		audio:      true,
		nextPerson: 1,
		files:      map[string][]byte{},
		subjects:   newRecords[ef45.Subject](),
		users:      newRecords[ef45.UserInfo](),
		config:     defaultConfig(),
		nextLogID:  1,
		faultRNG:   newRNG(o.Seed, "faults"),
		rebootRNG:  newRNG(o.Seed, "reboot"),
		idRNG:      newRNG(o.Seed, "ids"),
	}
	d.frames.m = map[frameKey][]byte{}
	d.routes()
	d.simRoutes()
	return d
}

func (d *Device) now() time.Time { return d.opts.Now() }

// settleLocked brings the state up to now: a reboot that has ended brings the new
// version, a capture whose time is up produces its data.
func (d *Device) settleLocked(now time.Time) {
	if !d.st.rebootUntil.IsZero() && !now.Before(d.st.rebootUntil) {
		at := d.st.rebootUntil
		d.st.rebootUntil = time.Time{}
		if d.st.rebootVersion != "" {
			d.st.version, d.st.rebootVersion = d.st.rebootVersion, ""
			d.logEventLocked(at, "Firmware", "Upgrade", "Success", "")
		}
		d.logEventLocked(at, "System", "Boot", "Success", "")
	}
	if c := d.st.camera; c != nil && !now.Before(c.end()) {
		d.completeCaptureLocked(c)
	}
}

// deviceTime is the device's own clock, which setDeviceTime moves.
func (d *Device) deviceTimeLocked(now time.Time) time.Time {
	return now.Add(d.st.clockOffset).UTC().Truncate(time.Second)
}

// SetFaults replaces the fault knobs. Rates are clamped to [0, 1].
func (d *Device) SetFaults(f Faults) {
	f = f.clamped()
	d.mu.Lock()
	d.st.faults = f
	d.mu.Unlock()
}

// Faults returns the current fault knobs.
func (d *Device) Faults() Faults {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.st.faults
}

// SetVersion changes the application version at once, as a firmware upgrade would.
func (d *Device) SetVersion(v string) {
	d.mu.Lock()
	d.st.version = v
	d.mu.Unlock()
}

// Version returns the application version GET /1.0/version reports now.
func (d *Device) Version() string {
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.settleLocked(now)
	return d.st.version
}

// Serial returns the device serial number.
func (d *Device) Serial() string { return d.opts.Serial }

// Stats returns a snapshot of the counters.
func (d *Device) Stats() Stats {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.st.stats
}

// SetNextPerson makes the next capture show person n (n >= 1); the captures after it show
// n+1, n+2 and so on. Capture k of a fresh device shows person k, so SetNextPerson with an
// already enrolled person's number produces a capture whose duplicate uuids are filled.
func (d *Device) SetNextPerson(n int) {
	d.mu.Lock()
	d.st.nextPerson = max(n, 1)
	d.mu.Unlock()
}

// Reboot takes the device away now for dur (Options.RebootTime when dur <= 0), as after a
// firmware upgrade: the lock is released, the camera and card reader stop, buffered
// biometric and match data are lost, and requests are refused until it is back.
func (d *Device) Reboot(dur time.Duration) {
	if dur <= 0 {
		dur = d.opts.RebootTime
	}
	now := d.now()
	d.mu.Lock()
	d.settleLocked(now)
	d.rebootLocked(now, dur, "")
	d.mu.Unlock()
}

func (d *Device) rebootLocked(now time.Time, dur time.Duration, version string) {
	d.releaseLockLocked("the device rebooted and released the lock")
	d.st.camera = nil
	d.st.card = cardState{}
	d.st.bio = nil
	d.st.bioGen++
	d.st.matches = nil
	d.st.relayUntil, d.st.relayLatched = time.Time{}, false
	d.st.rebootUntil = now.Add(dur)
	d.st.rebootVersion = version
	d.fw.abort()
}
