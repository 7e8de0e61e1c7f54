package ef45sim

import (
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
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

func (d *Device) routes() {
	m, l := d.api, d.locked
	m.HandleFunc("/", d.handleNotFound)

	m.HandleFunc("POST /1.0/lock", d.handleLockCreate)
	m.HandleFunc("PUT /1.0/lock", d.handleLockForce)
	m.HandleFunc("DELETE /1.0/lock/{uid}", d.handleLockDelete)
	m.HandleFunc("GET /1.0/version", d.handleVersion)

	m.HandleFunc("GET /1.0/camera", l(d.handleCameraGet))
	m.HandleFunc("POST /1.0/camera", l(d.handleCameraSet))
	m.HandleFunc("POST /1.0/camera/control/setDeviceTime/{time}", l(d.handleSetTime))
	m.HandleFunc("POST /1.0/camera/control/start", l(d.handleStart))
	m.HandleFunc("POST /1.0/camera/control/stop", l(d.handleStop))
	m.HandleFunc("POST /1.0/camera/control/start/matchtemplate/{seq}", l(d.handleMatchTemplate))
	m.HandleFunc("GET /1.0/preview", l(d.handlePreview))

	m.HandleFunc("GET /1.0/biometric-data", l(d.handleBiometricLegacy))
	m.HandleFunc("GET /1.0/biometric-data/ver1", l(d.handleBiometricVer1))
	m.HandleFunc("DELETE /1.0/biometric-data/{id}", l(d.handleBiometricDelete))
	m.HandleFunc("PUT /1.0/biometric-data/save-8bmp", l(d.handleSave8))
	m.HandleFunc("PUT /1.0/biometric-data/save-24bmp", l(d.handleSave24))
	m.HandleFunc("GET /1.0/biometric-data/load-file", l(d.handleLoadFile))
	m.HandleFunc("PUT /1.0/biometric-data/save-file", l(d.handleSaveFile))

	subjects, users := d.subjectResource(), d.userInfoResource()
	m.HandleFunc("GET /1.0/subjects", l(subjects.list))
	m.HandleFunc("POST /1.0/subjects", l(subjects.create))
	m.HandleFunc("GET /1.0/subjects/record-version", l(d.handleRecordVersion))
	m.HandleFunc("PUT /1.0/subjects/is-exist/template", l(d.handleDuplicateCheck))
	m.HandleFunc("GET /1.0/subjects/{uuid}", l(subjects.get))
	m.HandleFunc("PUT /1.0/subjects/{uuid}", l(subjects.put))
	m.HandleFunc("DELETE /1.0/subjects/{uuid}", l(subjects.delete))

	m.HandleFunc("GET /1.0/user-info", l(users.list))
	m.HandleFunc("POST /1.0/user-info", l(users.create))
	m.HandleFunc("GET /1.0/user-info/card/{card}", l(d.handleUserInfoByCard))
	m.HandleFunc("GET /1.0/user-info/uuid/{uuid}", l(users.get))
	m.HandleFunc("PUT /1.0/user-info/uuid/{uuid}", l(users.put))
	m.HandleFunc("DELETE /1.0/user-info/uuid/{uuid}", l(users.delete))

	m.HandleFunc("POST /1.0/user", l(d.handleUserBatch))
	m.HandleFunc("DELETE /1.0/user/{uuid}", l(d.handleUserDelete))

	m.HandleFunc("GET /1.0/faces", l(d.handleFaceList))
	m.HandleFunc("POST /1.0/faces", l(d.handleFaceCreate))
	m.HandleFunc("GET /1.0/faces/{uuid}", l(d.handleFaceGet))
	m.HandleFunc("PUT /1.0/faces/{uuid}", l(d.handleFaceUpdate))
	m.HandleFunc("DELETE /1.0/faces/{uuid}", l(d.handleFaceDelete))

	m.HandleFunc("GET /1.0/config/door-status", l(d.handleDoorStatus))
	m.HandleFunc("PUT /1.0/config/relay", l(d.handleRelay))
	m.HandleFunc("GET /1.0/config/{title}/{type}", l(d.handleConfigGet))
	m.HandleFunc("PUT /1.0/config/{title}/{type}", l(d.handleConfigSet))

	m.HandleFunc("GET /1.0/match-data", l(d.handleMatchList))
	m.HandleFunc("DELETE /1.0/match-data/{id}", l(d.handleMatchDelete))

	m.HandleFunc("GET /1.0/logs", l(d.handleLogList))
	m.HandleFunc("DELETE /1.0/logs", l(d.handleLogDeleteRange))
	m.HandleFunc("GET /1.0/logs/from/to", l(d.handleLogRange))
	m.HandleFunc("GET /1.0/logs/{id}", l(d.handleLogGet))
	m.HandleFunc("DELETE /1.0/logs/{id}", l(d.handleLogDelete))
	m.HandleFunc("DELETE /1.0/logs/db", l(d.handleLogDeleteAll))

	for _, method := range []string{http.MethodPost, http.MethodPut} {
		m.HandleFunc(method+" /1.0/update/start", l(d.handleFirmwareStart))
		m.HandleFunc(method+" /1.0/update/continous", l(d.handleFirmwareUnit))
		m.HandleFunc(method+" /1.0/update/done", l(d.handleFirmwareDone))
	}

	m.HandleFunc("POST /1.0/control", l(d.handleControl))
	m.HandleFunc("POST /1.0/control/card/start", l(d.handleCardStart))
	m.HandleFunc("GET /1.0/control/card/data", l(d.handleCardData))
	m.HandleFunc("POST /1.0/control/card/stop", l(d.handleCardStop))
	m.HandleFunc("POST /1.0/control/apb/clear/{uuid}", l(d.handleAPBClear))
	m.HandleFunc("POST /1.0/control/apb/clearall", l(d.handleAPBClearAll))
}

// ServeHTTP answers the device API under /1.0/ and the control surface under /sim/.
// Every API request first passes the reboot state and the fault knobs.
func (d *Device) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/sim/") {
		d.sim.ServeHTTP(w, r)
		return
	}
	now := d.now()
	d.mu.Lock()
	d.settleLocked(now)
	d.st.stats.Requests++
	f := d.st.faults
	// Three draws per request whatever the rates, so the fault sequence depends only on
	// the order of requests.
	drop, fail, garble := d.st.faultRNG.Float64(), d.st.faultRNG.Float64(), d.st.faultRNG.Float64()
	rebooting := now.Before(d.st.rebootUntil)
	refuseByDrop := false
	if rebooting {
		d.st.stats.RebootRefused++
		switch d.opts.RebootMode {
		case RebootDrop:
			refuseByDrop = true
		case RebootMixed:
			refuseByDrop = d.st.rebootRNG.IntN(2) == 0
		}
	}
	dropIt, failIt := drop < f.DropRate, fail < f.ErrorRate
	garbleIt := !dropIt && !failIt && garble < f.MalformedRate
	if !rebooting {
		switch {
		case dropIt:
			d.st.stats.InjectedDrops++
		case failIt:
			d.st.stats.InjectedErrors++
		case garbleIt:
			d.st.stats.InjectedMalformed++
		}
	}
	d.mu.Unlock()

	if !sleepCtx(r, d.opts.Latency+f.Latency) {
		return
	}
	switch {
	case rebooting && refuseByDrop:
		dropConnection(w)
	case rebooting:
		writeError(w, http.StatusServiceUnavailable, "upgrade in progress")
	case dropIt:
		dropConnection(w)
	case failIt:
		writeError(w, http.StatusInternalServerError, "internal device error")
	case garbleIt:
		bw := newBufferedWriter()
		d.api.ServeHTTP(bw, r)
		writeGarbled(w, bw)
	default:
		d.api.ServeHTTP(w, r)
	}
}

func (d *Device) handleNotFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path)
}

func (d *Device) handleVersion(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	v := d.st.version
	d.mu.Unlock()
	writeJSON(w, http.StatusOK, ef45.Version{Version: v})
}

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

const maxLogs = 10000

// logEventLocked appends a device log entry stamped with device time.
func (d *Device) logEventLocked(at time.Time, eventType, info, result, user string) {
	d.st.logs = append(d.st.logs, ef45.LogEntry{
		ID:                   ef45.Int(d.st.nextLogID),
		EventType:            eventType,
		Timestamp:            ef45.Timestamp{Time: d.deviceTimeLocked(at)},
		UserUUID:             user,
		Info:                 info,
		AdditionalData:       result,
		MatchedFaceImageData: []byte{},
	})
	d.st.nextLogID++
	if len(d.st.logs) > maxLogs {
		d.st.logs = append(d.st.logs[:0:0], d.st.logs[len(d.st.logs)-maxLogs:]...)
	}
}

// logEvent stamps and appends a log entry under the lock.
func (d *Device) logEvent(eventType, info, result, user string) {
	now := d.now()
	d.mu.Lock()
	d.logEventLocked(now, eventType, info, result, user)
	d.mu.Unlock()
}

func outcome(ok bool) string {
	if ok {
		return "Success"
	}
	return "Fail"
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
