package store

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"
)

// A claim reads the blobs its request names, and every blob when it names none; what it
// reads opens to the data saved.
func TestClaimReadsTheBlobsItIsAskedFor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	tg := addTarget(t, s, TargetACTAtek, "door")
	c := testCapture("1")
	c.Blobs = append(c.Blobs,
		Blob{Kind: FaceImage, Variant: "near_off", MediaType: "image/jpeg", Data: pattern("near 1", 4000)},
		Blob{Kind: FaceFeature, Variant: "far_off", Data: pattern("feature 1", 300)},
		Blob{Kind: Photo, MediaType: "image/jpeg", Data: pattern("photo 1", 2000)})
	saved, err := s.SaveCapture(ctx, testPerson("k1", "Ada", "L"), c, []TargetID{tg})
	if err != nil {
		t.Fatal(err)
	}
	claim := func(wants []BlobWant) []string {
		t.Helper()
		got, err := s.ClaimDueTargets(ctx, "w", ClaimRequest{Want: map[TargetID]int{tg: 1}, Now: time.Now(), Lease: time.Minute, Blobs: wants})
		if err != nil || got.Len() != 1 {
			t.Fatalf("claim: %d rows, %v", got.Len(), err)
		}
		// Put the row back for the next claim.
		if _, err := s.ReleaseLeases(ctx, "w", time.Now().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, b := range got.Captures[saved.CaptureID].Blobs {
			i := slices.IndexFunc(c.Blobs, func(o Blob) bool { return o.Kind == b.Kind && o.Variant == b.Variant })
			if i < 0 || !bytes.Equal(b.Data, c.Blobs[i].Data) {
				t.Fatalf("blob %s/%s does not read as saved", b.Kind, b.Variant)
			}
			names = append(names, string(b.Kind)+"/"+b.Variant)
		}
		slices.Sort(names)
		return names
	}
	for _, tc := range []struct {
		wants []BlobWant
		want  []string
	}{
		{nil, []string{"eye_image/left", "eye_template/left", "face_feature/far_off", "face_image/far_off", "face_image/near_off", "photo/"}},
		{[]BlobWant{{Photo, AnyVariant, ""}, {FaceFeature, "far_off", ""}}, []string{"face_feature/far_off", "photo/"}},
		{[]BlobWant{{FaceImage, AnyVariant, ""}, {EyeTemplate, "right", ""}}, []string{"face_image/far_off", "face_image/near_off"}},
		{[]BlobWant{}, nil},
		// A fallback is read only when the capture has no blob of the kind it stands in for.
		{[]BlobWant{{Photo, AnyVariant, ""}, {FaceImage, "far_off", Photo}}, []string{"photo/"}},
		{[]BlobWant{{FaceImage, "far_off", FaceFeature}, {FaceImage, "near_off", "fingerprint"}}, []string{"face_image/near_off"}},
	} {
		if got := claim(tc.wants); !slices.Equal(got, tc.want) {
			t.Errorf("wants %v: read %v, want %v", tc.wants, got, tc.want)
		}
	}
}

// A claim hands its rows out oldest due first, whatever their ids, each with its capture
// and its target's name and kind.
func TestClaimHandsOutTheOldestDueFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	tg := addTarget(t, s, TargetACTAtek, "Lobby")
	captures := map[int64]string{}
	var ids []int64
	for _, k := range []string{"k1", "k2", "k3"} {
		saved, err := s.SaveCapture(ctx, testPerson(k, "Ada", "L"), testCapture(k), []TargetID{tg})
		if err != nil {
			t.Fatal(err)
		}
		captures[saved.Outbox[0]] = saved.CaptureID
		ids = append(ids, saved.Outbox[0])
	}
	t0 := time.Now()
	// Due again in the reverse order of the rows' ids: k3 first, then k2, then k1.
	requeue := func() {
		t.Helper()
		if _, err := s.ClaimDue(ctx, "w", t0, time.Minute, 3); err != nil {
			t.Fatal(err)
		}
		for i, id := range ids {
			if err := s.Retry(ctx, id, "w", "busy", t0.Add(time.Duration(3-i)*time.Second)); err != nil {
				t.Fatal(err)
			}
		}
	}
	check := func(how string, items []OutboxItem) {
		t.Helper()
		if len(items) != 3 {
			t.Fatalf("%s: %d rows, want 3", how, len(items))
		}
		for i, it := range items {
			if want := ids[2-i]; it.ID != want || it.CaptureID != captures[want] || it.TargetName != "Lobby" ||
				it.TargetKind != TargetACTAtek || it.State != OutboxInFlight || it.LeaseOwner != "w" {
				t.Fatalf("%s: row %d is %+v, want outbox row %d of capture %s in flight to Lobby", how, i, it, want, captures[want])
			}
		}
	}
	requeue()
	items, err := s.ClaimDue(ctx, "w", t0.Add(5*time.Second), time.Minute, 3)
	if err != nil {
		t.Fatal(err)
	}
	check("every target's claim", items)
	requeue()
	claim, err := s.ClaimDueTargets(ctx, "w", ClaimRequest{Want: map[TargetID]int{tg: 3}, Now: t0.Add(5 * time.Second), Lease: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	check("a target's claim", claim.Items[tg])
}
