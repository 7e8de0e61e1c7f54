package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/enroll/capture"
	"enrollstation/enroll/firmware"
	"enrollstation/store/files"
)

// ef45Cmd is `enrollctl ef45 --addr HOST:PORT ACTION`.
type ef45Cmd struct {
	*cli
	addr    string
	force   bool
	timeout time.Duration
	client  *ef45.Client
	cam     *capture.Camera
}

func runEF45(ctx context.Context, c *cli, args []string) error {
	e := &ef45Cmd{cli: c}
	fs := c.flags("ef45")
	fs.StringVar(&e.addr, "addr", "", "the camera's address, HOST:PORT (port 9980 by default)")
	fs.BoolVar(&e.force, "force", false, "take the camera over from another workstation that holds its lock")
	fs.DurationVar(&e.timeout, "call-timeout", 10*time.Second, "deadline of each call to the camera")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if e.addr == "" {
		return c.usagef("ef45: --addr HOST:PORT is required")
	}
	client, err := ef45.New(e.addr, ef45.WithTimeout(e.timeout))
	if err != nil {
		return err
	}
	e.client = client
	e.cam = capture.NewCamera(client, nil)
	return c.subcommand(ctx, "ef45", fs.Args(), map[string]func(context.Context, []string) error{
		"info":     e.info,
		"set-time": e.setTime,
		"capture":  e.capture,
		"firmware": e.firmware,
		"logs":     e.logs,
		"subjects": e.subjects,
		"door":     e.door,
		"card":     e.card,
	})
}

// withSession runs fn holding the camera lock and always releases it. A release that
// fails is only a warning: the lock also lapses when the device restarts.
func (e *ef45Cmd) withSession(ctx context.Context, fn func(*ef45.Session) error) error {
	s, err := e.cam.Open(ctx, e.force)
	if errors.Is(err, capture.ErrInUse) {
		return fmt.Errorf("%w (run again with --force to take it over)", err)
	}
	if err != nil {
		return err
	}
	err = fn(s)
	if rerr := e.cam.Release(ctx, s); rerr != nil && err == nil {
		fmt.Fprintf(e.stderr, "warning: %v\n", rerr)
	}
	return err
}

type deviceInfo struct {
	Address       string `json:"address"`
	Version       string `json:"version"`
	RecordVersion int    `json:"record_version"`
	SerialNumber  string `json:"serial_number"`
	CameraMode    string `json:"camera_mode"`
	AudioEnabled  bool   `json:"audio_enabled"`
}

func (e *ef45Cmd) info(ctx context.Context, args []string) error {
	if err := e.noArgs(e.flags("info"), args); err != nil {
		return err
	}
	return e.withSession(ctx, func(s *ef45.Session) error {
		cam, err := s.Camera.Get(ctx)
		if err != nil {
			return err
		}
		rv, err := s.Subjects.RecordVersion(ctx)
		if err != nil {
			return err
		}
		info := deviceInfo{e.client.Addr(), s.Version(), rv, cam.SerialNumber, cam.CameraMode, bool(cam.AudioEnabled)}
		return e.emit(info, func(w io.Writer) {
			tw := table(w)
			fmt.Fprintf(tw, "address\t%s\nversion\t%s\nrecord version\t%d\nserial number\t%s\ncamera mode\t%s\naudio\t%s\n",
				info.Address, info.Version, info.RecordVersion, info.SerialNumber, info.CameraMode, onOff(info.AudioEnabled))
			tw.Flush()
		})
	})
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func (e *ef45Cmd) setTime(ctx context.Context, args []string) error {
	fs := e.flags("set-time")
	at := fs.String("time", "", "the time to set, RFC 3339 (default: this computer's clock)")
	if err := e.noArgs(fs, args); err != nil {
		return err
	}
	t := time.Now()
	if *at != "" {
		var err error
		if t, err = time.Parse(time.RFC3339, *at); err != nil {
			return e.usagef("ef45 set-time: --time %q is not an RFC 3339 time like 2026-11-22T14:05:00+01:00", *at)
		}
	}
	return e.withSession(ctx, func(s *ef45.Session) error {
		if err := s.Camera.SetTime(ctx, t); err != nil {
			return err
		}
		return e.emit(map[string]string{"device_time": t.Format(time.RFC3339)}, func(w io.Writer) {
			fmt.Fprintf(w, "device clock set to %s\n", t.Format("2006-01-02 15:04:05 MST"))
		})
	})
}

// captureManifest describes the files `capture` writes.
type captureManifest struct {
	EncounterID   string         `json:"encounter_id"`
	SerialNumber  string         `json:"serial_number"`
	Timestamp     string         `json:"timestamp"`
	DeviceVersion string         `json:"device_version"`
	PreviewFrames int            `json:"preview_frames"`
	CaptureMillis int64          `json:"capture_ms"`
	Eyes          []manifestEye  `json:"eyes"`
	Faces         []manifestFace `json:"faces"`
	Files         []manifestFile `json:"files"`
}

type manifestEye struct {
	Eye            string `json:"eye"`
	Image          string `json:"image,omitempty"`
	Template       string `json:"template,omitempty"`
	UsableIrisArea int    `json:"usable_iris_area"`
	QualityScore   int    `json:"quality_score"`
	QualityOK      bool   `json:"quality_ok"`
	DuplicateUUID  string `json:"duplicate_uuid,omitempty"`
}

type manifestFace struct {
	Variant       string  `json:"variant"`
	Image         string  `json:"image,omitempty"`
	Feature       string  `json:"feature,omitempty"`
	FrontalScore  float64 `json:"frontal_score"`
	Roll          float64 `json:"roll"`
	Score         float64 `json:"score"`
	DuplicateUUID string  `json:"duplicate_uuid,omitempty"`
}

type manifestFile struct {
	Name   string `json:"name"`
	Bytes  int    `json:"bytes"`
	SHA256 string `json:"sha256"`
}

func (e *ef45Cmd) capture(ctx context.Context, args []string) error {
	fs := e.flags("capture")
	var m ef45.StartModes
	fs.BoolVar(&m.Face, "face", false, "capture the face without glasses")
	fs.BoolVar(&m.Glasses, "glasses", false, "capture the face with glasses")
	fs.BoolVar(&m.BothEyes, "both-eyes", false, "capture both irises")
	fs.BoolVar(&m.EitherEye, "either-eye", false, "capture either iris")
	timeout := fs.Duration("timeout", 60*time.Second, "give up when no capture completes in this time")
	out := fs.String("out", "", "folder to write the images, templates and manifest.json to")
	if err := e.noArgs(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return e.usagef("ef45 capture: --out DIR is required")
	}
	if !m.Any() {
		return e.usagef("ef45 capture: choose at least one of --face, --glasses, --both-eyes, --either-eye")
	}
	dir, err := files.OpenDir(*out)
	if err != nil {
		return fmt.Errorf("capture output: %w", err)
	}
	defer dir.Close()
	// Refused before the camera starts: a capture that could not be written would be lost.
	if err := dir.CheckFree(captureFileNames()...); err != nil {
		return fmt.Errorf("capture output: %w", err)
	}
	return e.withSession(ctx, func(s *ef45.Session) error {
		res, err := capture.Capture(ctx, s, capture.Options{Modes: m, Timeout: *timeout})
		if err != nil {
			return err
		}
		man, err := writeCapture(dir, s.Version(), res)
		if err != nil {
			return err // the item stays in the device buffer: nothing is lost
		}
		if err := res.Release(ctx, s); err != nil {
			fmt.Fprintf(e.stderr, "warning: the capture is saved but stays in the camera's buffer: %v\n", err)
		}
		return e.emit(man, func(w io.Writer) {
			fmt.Fprintf(w, "preview frames: %d\ncapture time: %s\nwritten: %d files to %s\n",
				man.PreviewFrames, res.Elapsed.Round(time.Millisecond), len(man.Files)+1, *out)
		})
	})
}

// captureFileNames are all the names writeCapture may write.
func captureFileNames() []string {
	names := []string{"manifest.json"}
	for _, eye := range []string{"left", "right"} {
		names = append(names, eye+"_eye.jpg", eye+"_eye.template")
	}
	for _, v := range ef45.FaceVariants() {
		names = append(names, v.String()+".jpg", v.String()+".feature")
	}
	return names
}

// writeCapture writes the capture's images and templates and a manifest.json to dir, each
// a new file only its owner can read.
func writeCapture(dir *files.Dir, version string, res *capture.Result) (*captureManifest, error) {
	d := res.Data
	man := &captureManifest{
		EncounterID: d.EncounterID, SerialNumber: d.SerialNumber, Timestamp: d.Timestamp.Raw,
		DeviceVersion: version, PreviewFrames: res.Frames, CaptureMillis: res.Elapsed.Milliseconds(),
	}
	write := func(name string, data []byte) (string, error) {
		if len(data) == 0 {
			return "", nil
		}
		if err := dir.WriteFile(name, data); err != nil {
			return "", err
		}
		sum := sha256.Sum256(data)
		man.Files = append(man.Files, manifestFile{name, len(data), hex.EncodeToString(sum[:])})
		return name, nil
	}
	for _, eye := range []struct {
		name string
		e    ef45.Eye
	}{{"left", d.Left}, {"right", d.Right}} {
		if len(eye.e.Image) == 0 && len(eye.e.EnrolTemplate) == 0 {
			continue
		}
		img, err := write(eye.name+"_eye.jpg", eye.e.Image)
		if err != nil {
			return nil, err
		}
		tpl, err := write(eye.name+"_eye.template", eye.e.EnrolTemplate)
		if err != nil {
			return nil, err
		}
		man.Eyes = append(man.Eyes, manifestEye{eye.name, img, tpl, int(eye.e.UsableIrisArea),
			int(eye.e.QualityScore), bool(eye.e.QualityOK), eye.e.DuplicateUUID})
	}
	for _, v := range ef45.FaceVariants() {
		f := d.Faces[v]
		if f.Empty() {
			continue
		}
		img, err := write(v.String()+".jpg", f.Image)
		if err != nil {
			return nil, err
		}
		feat, err := write(v.String()+".feature", f.Feature)
		if err != nil {
			return nil, err
		}
		man.Faces = append(man.Faces, manifestFace{v.String(), img, feat, float64(f.FrontalScore),
			float64(f.Roll), float64(f.Score), f.DuplicateUUID})
	}
	b, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := dir.WriteFile("manifest.json", append(b, '\n')); err != nil {
		return nil, err
	}
	return man, nil
}

func (e *ef45Cmd) firmware(ctx context.Context, args []string) error {
	fs := e.flags("firmware")
	j := firmwareJob{takeOver: e.force, callTimeout: max(e.timeout, firmware.DefaultCallTimeout)}
	fs.StringVar(&j.file, "file", "", "the firmware file")
	fs.BoolVar(&j.force, "force", false, "forced upgrade: needed to install the same or an older version")
	fs.DurationVar(&j.wait, "wait", firmware.DefaultRebootTimeout, "how long to wait for the camera to come back after the upload")
	if err := e.noArgs(fs, args); err != nil {
		return err
	}
	if j.file == "" {
		return e.usagef("ef45 firmware: --file F is required")
	}
	outs, err := e.uploadFirmware(ctx, j, []string{e.addr})
	if err != nil {
		return err
	}
	if outs[0].Err != nil {
		return outs[0].Err
	}
	rep := firmwareOutcome(j.file, outs[0])
	return e.emit(rep, func(w io.Writer) { fmt.Fprintln(w, updated(rep)) })
}

func mib(n int64) string { return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB" }

func percent(n, total int64) int64 {
	if total <= 0 {
		return 100
	}
	return n * 100 / total
}

func (e *ef45Cmd) logs(ctx context.Context, args []string) error {
	fs := e.flags("logs")
	from := fs.Int("from", 0, "first log id")
	to := fs.Int("to", 0, "last log id")
	if err := e.noArgs(fs, args); err != nil {
		return err
	}
	return e.withSession(ctx, func(s *ef45.Session) error {
		var l *ef45.List[ef45.LogEntry]
		var err error
		if *from > 0 || *to > 0 {
			if *to == 0 {
				*to = 1<<31 - 1
			}
			l, err = s.Logs.Range(ctx, *from, *to, nil)
		} else {
			l, err = s.Logs.List(ctx, nil)
		}
		if err != nil {
			return err
		}
		return e.emit(l.Items, func(w io.Writer) {
			tw := table(w)
			fmt.Fprintln(tw, "ID\tTIME\tEVENT\tINFO\tRESULT\tUSER")
			for _, it := range l.Items {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", it.ID, it.Timestamp.Raw, it.EventType, it.Info, it.AdditionalData, it.UserUUID)
			}
			tw.Flush()
		})
	})
}

func (e *ef45Cmd) subjects(ctx context.Context, args []string) error {
	if err := e.noArgs(e.flags("subjects"), args); err != nil {
		return err
	}
	return e.withSession(ctx, func(s *ef45.Session) error {
		l, err := s.Subjects.List(ctx, nil)
		if err != nil {
			return err
		}
		type row struct {
			UUID          string `json:"user_uuid"`
			FirstName     string `json:"first_name"`
			LastName      string `json:"last_name"`
			AccessAllowed bool   `json:"access_allowed"`
			MatchUntil    string `json:"match_until"`
			Irises        int    `json:"iris_templates"`
		}
		rows := make([]row, 0, len(l.Items))
		for _, it := range l.Items {
			n := 0
			for _, t := range [][]byte{it.LeftEyeTemplate, it.RightEyeTemplate} {
				if len(t) > 0 {
					n++
				}
			}
			rows = append(rows, row{it.UserUUID, it.FirstName, it.LastName, bool(it.AccessAllowed), it.MatchUntil, n})
		}
		return e.emit(rows, func(w io.Writer) {
			tw := table(w)
			fmt.Fprintln(tw, "UUID\tNAME\tACCESS\tMATCH UNTIL\tIRISES")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s\t%d\n", r.UUID, r.FirstName, r.LastName, yesNo(r.AccessAllowed), r.MatchUntil, r.Irises)
			}
			tw.Flush()
			fmt.Fprintf(w, "%d subjects\n", len(rows))
		})
	})
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (e *ef45Cmd) door(ctx context.Context, args []string) error {
	if err := e.noArgs(e.flags("door"), args); err != nil {
		return err
	}
	return e.withSession(ctx, func(s *ef45.Session) error {
		d, err := s.Config.DoorStatus(ctx)
		if err != nil {
			return err
		}
		return e.emit(d, func(w io.Writer) {
			fmt.Fprintf(w, "door sensor %d\nrelay %d\ntamper %d\nrequest to exit %d\n", d.DoorSensor, d.Relay, d.Tamper, d.RTE)
		})
	})
}

func (e *ef45Cmd) card(ctx context.Context, args []string) error {
	fs := e.flags("card")
	timeout := fs.Duration("timeout", 60*time.Second, "how long to wait for a card")
	if err := e.noArgs(fs, args); err != nil {
		return err
	}
	return e.withSession(ctx, func(s *ef45.Session) error {
		// Card stand-by needs Slave (enroll) mode first (spec 003, "Start card read").
		cam, err := s.Camera.Get(ctx)
		if err != nil {
			return err
		}
		if cam.CameraMode != ef45.ModeSlave {
			if err := s.Camera.Set(ctx, ef45.ModeSlave, bool(cam.AudioEnabled)); err != nil {
				return err
			}
		}
		fmt.Fprintln(e.stderr, "present a card to the camera's reader")
		waitCtx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		card, err := s.Control.ReadCard(waitCtx, 250*time.Millisecond)
		if err != nil {
			if waitCtx.Err() != nil && ctx.Err() == nil {
				return fmt.Errorf("no card presented within %s", *timeout)
			}
			return err
		}
		return e.emit(map[string]string{"card": card}, func(w io.Writer) { fmt.Fprintln(w, card) })
	})
}
