package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/enroll/capture"
	"enrollstation/store/files"
)

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
