package ef45

import (
	"context"
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
