package target

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"enrollstation/store"
)

// A push built from only the blobs PushedBlobs names for its kind is the push built from
// the whole capture, with and without the Photo blob; and no kind reads the iris camera's
// images or the face it saw.
func TestPushesReadOnlyTheBlobsTheyName(t *testing.T) {
	p := store.Person{Key: "k-1", GivenName: "Ada", FamilyName: "Lovelace", CardNumber: "65D8A1BD",
		ValidFrom: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	var whole []store.Blob
	add := func(kind store.BlobKind, variant string) {
		whole = append(whole, store.Blob{Kind: kind, Variant: variant, Data: fmt.Appendf(nil, "%s/%s", kind, variant)})
	}
	for _, eye := range []string{"left", "right"} {
		add(store.EyeImage, eye)
		add(store.EyeTemplate, eye)
	}
	for _, v := range []string{"iris_off", "far_off", "far_on", "near_off", "near_on"} {
		add(store.FaceImage, v)
		add(store.FaceFeature, v)
	}
	add(store.Photo, "")
	noPhoto := slices.DeleteFunc(slices.Clone(whole), func(b store.Blob) bool { return b.Kind == store.Photo })

	pushes := map[store.TargetKind]func(Record) (any, error){
		store.TargetACTAtek: func(r Record) (any, error) {
			return (&actatekTarget{templateType: DefaultFacialTemplateType, department: -1, group: -1, cardFormat: ACTAtekCardHex}).user(r, placement{})
		},
		store.TargetCLUe: func(r Record) (any, error) { return access(r) },
		store.TargetEF45: func(r Record) (any, error) { return (&ef45Target{}).batch(r) },
	}
	for kind, push := range pushes {
		wants := PushedBlobs(kind)
		for _, blobs := range [][]store.Blob{whole, noPhoto} {
			full, err := push(Record{Person: p, CaptureID: "c-1", Blobs: blobs})
			if err != nil {
				t.Fatalf("%s from the whole capture: %v", kind, err)
			}
			kept := slices.DeleteFunc(slices.Clone(blobs), func(b store.Blob) bool { return !named(wants, blobs, b) })
			got, err := push(Record{Person: p, CaptureID: "c-1", Blobs: kept})
			if err != nil || !reflect.DeepEqual(got, full) {
				t.Errorf("%s from %d named blobs of %d: %v\n got %+v\nwant %+v", kind, len(kept), len(blobs), err, got, full)
			}
			for _, b := range kept {
				if b.Kind == store.EyeImage || b.Variant == "iris_off" {
					t.Errorf("%s reads %s/%s, which no push sends", kind, b.Kind, b.Variant)
				}
				// The terminals and the cloud send the colour face once: its image is read
				// only for a capture without a Photo.
				if kind != store.TargetEF45 && len(blobs) == len(whole) && b.Kind == store.FaceImage && b.Variant == "far_off" {
					t.Errorf("%s reads the colour face image beside the Photo", kind)
				}
			}
		}
	}
	if PushedBlobs("fingerprint") != nil {
		t.Error("an unknown kind of target does not read every blob")
	}
	if got := PushedBlobs(store.TargetACTAtek, store.TargetCLUe); len(got) != 4 {
		t.Errorf("ACTAtek and CLUe together name %v, want 4 blobs, each once", got)
	}
}

// named reports whether one of wants names b, a blob of capture.
func named(wants []store.BlobWant, capture []store.Blob, b store.Blob) bool {
	return slices.ContainsFunc(wants, func(w store.BlobWant) bool {
		return w.Kind == b.Kind && (w.Variant == b.Variant || w.Variant == store.AnyVariant) &&
			(w.Unless == "" || !slices.ContainsFunc(capture, func(o store.Blob) bool { return o.Kind == w.Unless }))
	})
}
