package ef45

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// List returns face records, a page at a time or all (GET /faces).
func (f *FaceService) List(ctx context.Context, opts *ListOptions) (*List[FaceRecord], error) {
	var l List[FaceRecord]
	if err := f.s.get(ctx, "list faces", "faces", opts.values(), &l, limitLarge); err != nil {
		return nil, err
	}
	return &l, nil
}

// Create registers a face record (POST /faces).
func (f *FaceService) Create(ctx context.Context, v *FaceRecord) error {
	return f.s.send(ctx, "register face", http.MethodPost, "faces", nil, v, nil)
}

// Get returns a user's face records (GET /faces/{uuid}).
func (f *FaceService) Get(ctx context.Context, userUUID string) ([]FaceRecord, error) {
	return f.get(ctx, userUUID, nil)
}

// GetSub returns a user's face records of one sub id (GET /faces/{uuid}?subId=N).
func (f *FaceService) GetSub(ctx context.Context, userUUID string, subID int) ([]FaceRecord, error) {
	return f.get(ctx, userUUID, url.Values{"subId": {strconv.Itoa(subID)}})
}

func (f *FaceService) get(ctx context.Context, userUUID string, q url.Values) ([]FaceRecord, error) {
	var l List[FaceRecord]
	if err := f.s.get(ctx, "read faces", "faces/"+url.PathEscape(userUUID), q, &l, limitLarge); err != nil {
		return nil, err
	}
	return l.Items, nil
}

// Update replaces the face record of v.SubID (PUT /faces/{uuid}?sub_id=N). Note the
// parameter spelling: sub_id here, subId for GET and DELETE (spec 003; specs/README.md).
func (f *FaceService) Update(ctx context.Context, v *FaceRecord) error {
	q := url.Values{"sub_id": {strconv.Itoa(int(v.SubID))}}
	return f.s.send(ctx, "update face", http.MethodPut, "faces/"+url.PathEscape(v.UserUUID), q, v, nil)
}

// Delete removes a user's face record of one sub id (DELETE /faces/{uuid}?subId=N).
func (f *FaceService) Delete(ctx context.Context, userUUID string, subID int) error {
	q := url.Values{"subId": {strconv.Itoa(subID)}}
	return f.s.send(ctx, "delete face", http.MethodDelete, "faces/"+url.PathEscape(userUUID), q, nil, nil)
}

// Face sub ids (spec 003, GET /faces/{uuid}).
const (
	SubColourFace    = 0
	SubBWFace        = 1
	SubColourGlasses = 2
	SubBWGlasses     = 3
	SubColourUpdated = 4
	SubBWUpdated     = 5
)

// FaceRecord is a face item of /faces (ef45-wire.md "Items").
type FaceRecord struct {
	UserUUID     string `json:"user_uuid"`
	SubID        Int    `json:"sub_id"`
	Image        []byte `json:"face_image"`
	Feature      []byte `json:"face_feature"`
	FeatureSize  Int    `json:"face_feature_size"`
	EyeWidth     Int    `json:"face_eye_width"`
	LeftEyeX     Int    `json:"face_left_eye_x"`
	RightEyeX    Int    `json:"face_right_eye_x"`
	FrontalScore Float  `json:"face_frontal_score"`
	Roll         Float  `json:"face_roll"`
	Score        Float  `json:"face_score"`
}

// UnmarshalJSON decodes user_uuid as text or number.
func (v *FaceRecord) UnmarshalJSON(b []byte) error {
	type plain FaceRecord
	w := struct {
		*plain
		UserUUID Text `json:"user_uuid"`
	}{(*plain)(v), Text(v.UserUUID)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.UserUUID = string(w.UserUUID)
	return nil
}
