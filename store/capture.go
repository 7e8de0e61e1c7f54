package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// BlobKind says what a biometric blob holds.
type BlobKind string

// Blob kinds. Variant says which eye ("left", "right") or which face variant ("iris_off",
// "far_off", "far_on", "near_off", "near_on") a blob belongs to.
const (
	EyeImage    BlobKind = "eye_image"    // iris camera image (640x480 grey JPEG)
	EyeTemplate BlobKind = "eye_template" // iris enrolment template
	FaceImage   BlobKind = "face_image"   // face image of one variant (JPEG)
	FaceFeature BlobKind = "face_feature" // face template of one variant
	Photo       BlobKind = "photo"        // portrait sent to terminals and the cloud
)

// Blob is one piece of biometric data. It is encrypted in the journal; Data is clear only
// in memory.
type Blob struct {
	Kind      BlobKind `json:"kind"`
	Variant   string   `json:"variant,omitempty"`
	MediaType string   `json:"media_type,omitempty"` // e.g. "image/jpeg"; empty for templates
	Data      []byte   `json:"-"`
	// Size is the clear length in bytes, filled in when read back.
	Size int `json:"size"`
}

// EyeQuality is what the camera says about one eye's capture.
type EyeQuality struct {
	Eye            string `json:"eye"`              // "left" or "right"
	UsableIrisArea int    `json:"usable_iris_area"` // percent
	QualityScore   int    `json:"quality_score"`
	QualityOK      bool   `json:"quality_ok"`
	IrisRadius     int    `json:"iris_radius,omitempty"`  // pixels in the 640x480 image
	DuplicateOf    string `json:"duplicate_of,omitempty"` // the device's duplicate search hit
}

// FaceQuality is what the camera says about one face variant.
type FaceQuality struct {
	Variant      string  `json:"variant"`
	FrontalScore float64 `json:"frontal_score"`
	Roll         float64 `json:"roll"`
	Score        float64 `json:"score"`
	EyeWidth     int     `json:"eye_width,omitempty"`
	LeftEyeX     int     `json:"left_eye_x,omitempty"`
	RightEyeX    int     `json:"right_eye_x,omitempty"`
	LEDState     int     `json:"led_state,omitempty"`
	DuplicateOf  string  `json:"duplicate_of,omitempty"`
}

// Quality holds a capture's quality figures.
type Quality struct {
	DistanceMM int           `json:"distance_mm,omitempty"`
	Eyes       []EyeQuality  `json:"eyes,omitempty"`
	Faces      []FaceQuality `json:"faces,omitempty"`
	// Review is what the quality gates said and what the operator decided, kept with the
	// capture in the same transaction as its audit trail's account.
	Review *Review `json:"review,omitempty"`
}

// GateCheck is one quality gate's outcome as the operator saw it.
type GateCheck struct {
	Name   string `json:"name"`
	Figure string `json:"figure"`
	Limit  string `json:"limit"`
	Pass   bool   `json:"pass"`
}

// Review records the quality gates and the operator's decisions on a capture.
type Review struct {
	Operator string      `json:"operator"`
	Gates    []GateCheck `json:"gates,omitempty"`
	// GatesOverridden: the operator accepted the capture although a gate failed.
	GatesOverridden bool `json:"gates_overridden,omitempty"`
	// Duplicates are the person keys the duplicate check found, and DuplicateDecision the
	// operator's answer, when there were any.
	Duplicates        []string `json:"duplicates,omitempty"`
	DuplicateDecision string   `json:"duplicate_decision,omitempty"`
}

// Capture is one capture session's result for a person.
type Capture struct {
	// ID is the capture's id (a UUID), set by SaveCapture.
	ID        string `json:"id"`
	PersonKey string `json:"person_key"` // set when read back
	// DeviceSerial and RecordVersion identify the camera and its biometric record format.
	DeviceSerial  string    `json:"device_serial"`
	RecordVersion string    `json:"record_version,omitempty"`
	EncounterID   string    `json:"encounter_id,omitempty"`
	Operator      string    `json:"operator"`
	StartedAt     time.Time `json:"started_at,omitzero"`
	CapturedAt    time.Time `json:"captured_at,omitzero"`
	SavedAt       time.Time `json:"saved_at,omitzero"` // set by SaveCapture
	Quality       Quality   `json:"quality"`
	Blobs         []Blob    `json:"blobs"`
}

// TargetID identifies a push target.
type TargetID int64

// Saved is what SaveCapture committed.
type Saved struct {
	PersonKey string  `json:"person_key"`
	CaptureID string  `json:"capture_id"`
	Outbox    []int64 `json:"outbox"` // one row per target, in the order given
}

// maxBlob bounds one blob: the largest the camera sends is a few MB.
const maxBlob = 64 << 20

func checkCapture(c Capture) error {
	if strings.TrimSpace(c.Operator) == "" {
		return fmt.Errorf("%w: the capture names no operator", ErrInvalid)
	}
	if len(c.Blobs) == 0 {
		return fmt.Errorf("%w: the capture holds no biometric data", ErrInvalid)
	}
	seen := map[string]bool{}
	for _, b := range c.Blobs {
		id := string(b.Kind) + "/" + b.Variant
		switch {
		case b.Kind == "" || len(b.Kind) > 40 || len(b.Variant) > 40 || len(b.MediaType) > 100:
			return fmt.Errorf("%w: blob %q: kind must be 1 to 40 characters, variant at most 40", ErrInvalid, id)
		case len(b.Data) == 0:
			return fmt.Errorf("%w: blob %s is empty", ErrInvalid, id)
		case len(b.Data) > maxBlob:
			return fmt.Errorf("%w: blob %s is %d bytes, more than %d", ErrInvalid, id, len(b.Data), maxBlob)
		case seen[id]:
			return fmt.Errorf("%w: blob %s appears twice", ErrInvalid, id)
		}
		seen[id] = true
	}
	return nil
}

// SaveCapture commits, in one transaction, the person (inserted, or updated when the key
// exists), the capture with its blobs encrypted, one outbox row per target, and an audit
// row. Either all of it is in the journal when it returns nil, or none of it is. The person
// must carry recorded consent. Older pushes of the same person to the same targets that are
// still waiting are superseded: the new capture replaces them.
func (s *Store) SaveCapture(ctx context.Context, p Person, c Capture, targets []TargetID) (Saved, error) {
	if p.Key == "" {
		p.Key = NewPersonKey()
	}
	if err := checkPerson(p); err != nil {
		return Saved{}, fmt.Errorf("save capture: %w", err)
	}
	if p.ConsentAt.IsZero() || strings.TrimSpace(p.ConsentBy) == "" {
		return Saved{}, fmt.Errorf("save capture: %w: no consent recorded for %s; biometric data is kept only with consent", ErrInvalid, p.Key)
	}
	if err := checkCapture(c); err != nil {
		return Saved{}, fmt.Errorf("save capture: %w", err)
	}
	seenTarget := map[TargetID]bool{}
	for _, t := range targets {
		if seenTarget[t] {
			return Saved{}, fmt.Errorf("save capture: %w: target %d chosen twice", ErrInvalid, t)
		}
		seenTarget[t] = true
	}
	quality, err := json.Marshal(c.Quality)
	if err != nil {
		return Saved{}, fmt.Errorf("save capture: %w", err)
	}
	c.ID = uuid.NewString()
	// Encrypt before taking the write lock: it is the slow part for megabytes of images.
	sealed := make([][]byte, len(c.Blobs))
	for i, b := range c.Blobs {
		if sealed[i], err = s.sealer.sealBlob(b.Data, blobRef{p.Key, c.ID, b.Kind, b.Variant}); err != nil {
			return Saved{}, fmt.Errorf("save capture: %w", err)
		}
	}
	now := s.now()
	out := Saved{PersonKey: p.Key, CaptureID: c.ID}
	err = s.write(ctx, func(tx *sql.Tx) error {
		out.Outbox = out.Outbox[:0]
		personID, err := upsertPerson(ctx, tx, p, now)
		if err != nil {
			return fmt.Errorf("person: %w", err)
		}
		if err := s.step("person"); err != nil {
			return err
		}
		// Enrolled: off the waiting list, in the same transaction.
		if _, err := removeWaiting(ctx, tx, p.Key); err != nil {
			return fmt.Errorf("waiting list: %w", err)
		}
		var captureID int64
		err = tx.QueryRowContext(ctx, `
			INSERT INTO captures (capture_key, person_id, device_serial, record_version, encounter_id, operator,
				started_at, captured_at, saved_at, quality)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.ID, personID, c.DeviceSerial, c.RecordVersion, c.EncounterID, c.Operator,
			ms(c.StartedAt), ms(c.CapturedAt), now.UnixMilli(), string(quality)).Scan(&captureID)
		if err != nil {
			return fmt.Errorf("capture: %w", err)
		}
		for i, b := range c.Blobs {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO blobs (capture_id, kind, variant, media_type, size, sealed) VALUES (?, ?, ?, ?, ?, ?)`,
				captureID, string(b.Kind), b.Variant, b.MediaType, len(b.Data), sealed[i]); err != nil {
				return fmt.Errorf("blob %s/%s: %w", b.Kind, b.Variant, err)
			}
			if err := s.step("blob"); err != nil {
				return err
			}
		}
		for _, t := range targets {
			id, err := addOutbox(ctx, tx, personID, captureID, t, now)
			if err != nil {
				return err
			}
			out.Outbox = append(out.Outbox, id)
			if err := s.step("outbox"); err != nil {
				return err
			}
		}
		if err := updatePushState(ctx, tx, personID); err != nil {
			return err
		}
		detail := fmt.Sprintf("capture %s from %s, %d blobs, %d targets", c.ID, c.DeviceSerial, len(c.Blobs), len(targets))
		if err := s.audit(ctx, tx, AuditEvent{At: now, Operator: c.Operator, Action: ActionEnroll, PersonKey: p.Key, Detail: detail}); err != nil {
			return err
		}
		return s.step("audit")
	})
	if err != nil {
		return Saved{}, fmt.Errorf("save capture for %s: %w", p.Key, err)
	}
	return out, nil
}

// addOutbox supersedes waiting pushes of the same person to target and adds the new one.
// Rows in flight are left to finish: their push is harmless, the new row follows it.
func addOutbox(ctx context.Context, tx *sql.Tx, personID, captureID int64, t TargetID, now time.Time) (int64, error) {
	var enabled bool
	err := tx.QueryRowContext(ctx, `SELECT enabled FROM targets WHERE id = ?`, int64(t)).Scan(&enabled)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("target %d: %w", t, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("target %d: %w", t, err)
	}
	if !enabled {
		return 0, fmt.Errorf("target %d is disabled: %w", t, ErrInvalid)
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE outbox SET state = 'superseded', updated_at = ?, lease_owner = '', lease_until = 0
		WHERE person_id = ? AND target_id = ? AND op = 'push' AND state IN ('pending', 'failed')`,
		now.UnixMilli(), personID, int64(t)); err != nil {
		return 0, fmt.Errorf("outbox for target %d: %w", t, err)
	}
	var id int64
	err = tx.QueryRowContext(ctx, `
		INSERT INTO outbox (capture_id, person_id, person_key, target_id, state, next_attempt_at, created_at, updated_at)
		VALUES (?, ?, (SELECT person_key FROM people WHERE id = ?), ?, 'pending', ?, ?, ?) RETURNING id`,
		captureID, personID, personID, int64(t), now.UnixMilli(), now.UnixMilli(), now.UnixMilli()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("outbox for target %d: %w", t, err)
	}
	return id, nil
}

// updatePushState recomputes one person's push state from the outbox.
func updatePushState(ctx context.Context, tx *sql.Tx, personID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE people SET push_state = `+pushStateExpr+` WHERE id = ?`, personID); err != nil {
		return fmt.Errorf("push state: %w", err)
	}
	return nil
}

// captureColumns are read by scanCapture, in order.
const captureColumns = `c.id, c.capture_key, p.person_key, c.device_serial, c.record_version, c.encounter_id,
	c.operator, c.started_at, c.captured_at, c.saved_at, c.quality`

func scanCapture(row scanner) (int64, Capture, error) {
	var c Capture
	var id, saved int64
	var started, captured sql.NullInt64
	var quality string
	if err := row.Scan(&id, &c.ID, &c.PersonKey, &c.DeviceSerial, &c.RecordVersion, &c.EncounterID,
		&c.Operator, &started, &captured, &saved, &quality); err != nil {
		return 0, Capture{}, err
	}
	q, err := decodeQuality([]byte(quality))
	if err != nil {
		return 0, Capture{}, fmt.Errorf("capture %s: %w", c.ID, err)
	}
	c.Quality = q
	c.StartedAt, c.CapturedAt, c.SavedAt = fromMS(started), fromMS(captured), time.UnixMilli(saved).UTC()
	return id, c, nil
}

// decodeQuality reads the quality column; damage is an error, never a panic.
func decodeQuality(b []byte) (Quality, error) {
	var q Quality
	if err := json.Unmarshal(b, &q); err != nil {
		return Quality{}, fmt.Errorf("quality figures are damaged: %w", err)
	}
	return q, nil
}

// The reads of Capture, prepared once: every push reads its capture.
const (
	captureByKey = `SELECT ` + captureColumns + `
		FROM captures c JOIN people p ON p.id = c.person_id WHERE c.capture_key = ?`
	blobsOfCapture = `SELECT kind, variant, media_type, size, sealed FROM blobs WHERE capture_id = ? ORDER BY id`
)

// Capture returns a capture with its blobs decrypted, for a push or a review.
func (s *Store) Capture(ctx context.Context, id string) (Capture, error) {
	one, err := s.reader(ctx, captureByKey)
	if err != nil {
		return Capture{}, fmt.Errorf("capture %s: %w", id, err)
	}
	blobs, err := s.reader(ctx, blobsOfCapture)
	if err != nil {
		return Capture{}, fmt.Errorf("capture %s: %w", id, err)
	}
	rowID, c, err := scanCapture(one.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Capture{}, fmt.Errorf("capture %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Capture{}, fmt.Errorf("capture %s: %w", id, err)
	}
	rows, err := blobs.QueryContext(ctx, rowID)
	if err != nil {
		return Capture{}, fmt.Errorf("capture %s: blobs: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var b Blob
		var sealed []byte
		if err := rows.Scan(&b.Kind, &b.Variant, &b.MediaType, &b.Size, &sealed); err != nil {
			return Capture{}, fmt.Errorf("capture %s: blobs: %w", id, err)
		}
		if b.Data, err = s.sealer.openBlob(sealed, blobRef{c.PersonKey, c.ID, b.Kind, b.Variant}); err != nil {
			return Capture{}, fmt.Errorf("capture %s: blob %s/%s: %w", id, b.Kind, b.Variant, err)
		}
		c.Blobs = append(c.Blobs, b)
	}
	if err := rows.Err(); err != nil {
		return Capture{}, fmt.Errorf("capture %s: blobs: %w", id, err)
	}
	return c, nil
}

// Captures lists a person's captures, newest first, with blob kinds and sizes but not their
// data.
func (s *Store) Captures(ctx context.Context, personKey string) ([]Capture, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+captureColumns+`
		FROM captures c JOIN people p ON p.id = c.person_id WHERE p.person_key = ? ORDER BY c.saved_at DESC, c.id DESC`, personKey)
	if err != nil {
		return nil, fmt.Errorf("captures of %s: %w", personKey, err)
	}
	var out []Capture
	var ids []int64
	for rows.Next() {
		id, c, err := scanCapture(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("captures of %s: %w", personKey, err)
		}
		out = append(out, c)
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("captures of %s: %w", personKey, err)
	}
	for i, id := range ids {
		brows, err := s.r.QueryContext(ctx, `SELECT kind, variant, media_type, size FROM blobs WHERE capture_id = ? ORDER BY id`, id)
		if err != nil {
			return nil, fmt.Errorf("captures of %s: %w", personKey, err)
		}
		for brows.Next() {
			var b Blob
			if err := brows.Scan(&b.Kind, &b.Variant, &b.MediaType, &b.Size); err != nil {
				brows.Close()
				return nil, fmt.Errorf("captures of %s: %w", personKey, err)
			}
			out[i].Blobs = append(out[i].Blobs, b)
		}
		brows.Close()
		if err := brows.Err(); err != nil {
			return nil, fmt.Errorf("captures of %s: %w", personKey, err)
		}
	}
	return out, nil
}
