package target

import (
	"bytes"
	"reflect"
	"testing"

	"enrollstation/store"
)

func TestExpected(t *testing.T) {
	p := store.Person{Key: "k-1", GivenName: " Ada", FamilyName: "Lovelace ", CardNumber: "1708695997"}
	noName := store.Person{Key: "k-2", CardNumber: "0042"}
	notDecimal := store.Person{Key: "k-3", GivenName: "Bo", CardNumber: "65d8a1bd"}
	cases := []struct {
		name string
		kind store.TargetKind
		p    store.Person
		want map[string]string
	}{
		{"ef45 compares the journal's decimal card", store.TargetEF45, p, map[string]string{"name": "Ada Lovelace", "card": "1708695997", "biometrics": "yes"}},
		{"ef45 without a name, leading zeros dropped", store.TargetEF45, noName, map[string]string{"name": "", "card": "42", "biometrics": "yes"}},
		{"a card that is not decimal is pushed as none", store.TargetEF45, notDecimal, map[string]string{"name": "Bo", "card": "", "biometrics": "yes"}},
		{"actatek compares the journal's decimal card", store.TargetACTAtek, p, map[string]string{"name": "Ada Lovelace", "card": "1708695997", "biometrics": "yes"}},
		{"actatek with a card that is not decimal", store.TargetACTAtek, notDecimal, map[string]string{"name": "Bo", "card": "", "biometrics": "yes"}},
		{"clue compares the name", store.TargetCLUe, p, map[string]string{"name": "Ada Lovelace"}},
		{"clue falls back to the key", store.TargetCLUe, noName, map[string]string{"name": "k-2"}},
		{"unknown kind", store.TargetKind("fax"), p, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Expected(tc.kind, tc.p); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Expected(%s) = %v, want %v", tc.kind, got, tc.want)
			}
		})
	}
}

func TestRecordBlob(t *testing.T) {
	rec := Record{Blobs: []store.Blob{
		{Kind: store.EyeTemplate, Variant: "left", Data: []byte("L")},
		{Kind: store.EyeTemplate, Variant: "right", Data: []byte("R")},
		{Kind: store.FaceImage, Variant: "far_off", Data: []byte("face far")},
		{Kind: store.FaceImage, Variant: "near_off", Data: []byte("face near")},
		{Kind: store.FaceFeature, Variant: "far_off", Data: []byte("feature")},
	}}
	type found struct {
		Data []byte
		OK   bool
	}
	cases := []struct {
		kind    store.BlobKind
		variant string
		want    found
	}{
		{store.EyeTemplate, "left", found{[]byte("L"), true}},
		{store.EyeTemplate, "right", found{[]byte("R"), true}},
		{store.FaceImage, "near_off", found{[]byte("face near"), true}},
		{store.FaceFeature, "far_off", found{[]byte("feature"), true}},
		{store.FaceFeature, "near_off", found{nil, false}}, // kind present, variant not
		{store.EyeImage, "left", found{nil, false}},        // variant present, kind not
		{store.Photo, "", found{nil, false}},
	}
	for _, tc := range cases {
		d, ok := rec.Blob(tc.kind, tc.variant)
		if got := (found{d, ok}); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Blob(%s, %q) = %+v, want %+v", tc.kind, tc.variant, got, tc.want)
		}
	}
}

// The colour face sent to ACTAtek and CLUe: the Photo, else the far face without glasses.
func TestRecordColourFace(t *testing.T) {
	far := store.Blob{Kind: store.FaceImage, Variant: "far_off", Data: []byte("far")}
	cases := []struct {
		name  string
		blobs []store.Blob
		want  []byte
	}{
		{"photo first", []store.Blob{far, {Kind: store.Photo, Data: []byte("photo")}}, []byte("photo")},
		{"a photo with a variant", []store.Blob{far, {Kind: store.Photo, Variant: "v2", Data: []byte("photo v2")}}, []byte("photo v2")},
		{"far face without a photo", []store.Blob{{Kind: store.FaceImage, Variant: "near_off", Data: []byte("near")}, far}, []byte("far")},
		{"none", []store.Blob{{Kind: store.FaceImage, Variant: "near_on", Data: []byte("glasses")}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Record{Blobs: tc.blobs}.colourFace()
			if !bytes.Equal(got, tc.want) || ok != (tc.want != nil) {
				t.Fatalf("colourFace = %q, %v; want %q", got, ok, tc.want)
			}
		})
	}
}
