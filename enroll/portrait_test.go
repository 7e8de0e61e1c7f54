package enroll

import (
	"testing"

	"enrollstation/store"
)

func TestPortraitPrefersThePhoto(t *testing.T) {
	for _, tc := range []struct {
		name  string
		blobs []Blob
		want  string // the chosen blob's data; empty: none
	}{
		{"photo first", []Blob{
			{Kind: store.FaceImage, Variant: "near", Data: []byte("near")},
			{Kind: store.FaceImage, Variant: "far_off", Data: []byte("far")},
			{Kind: store.Photo, Data: []byte("photo")}}, "photo"},
		{"far face without a photo", []Blob{
			{Kind: store.FaceImage, Variant: "near", Data: []byte("near")},
			{Kind: store.FaceImage, Variant: "far_off", Data: []byte("far")}}, "far"},
		{"any face", []Blob{{Kind: store.EyeImage, Data: []byte("eye")}, {Kind: store.FaceImage, Variant: "near", Data: []byte("near")}}, "near"},
		{"an empty photo is no photo", []Blob{{Kind: store.Photo}, {Kind: store.FaceImage, Variant: "near", Data: []byte("near")}}, "near"},
		{"iris only", []Blob{{Kind: store.EyeTemplate, Data: []byte("tpl")}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, ok := Portrait(tc.blobs)
			if got := string(b.Data); ok != (tc.want != "") || got != tc.want {
				t.Errorf("Portrait = %q, %v; want %q", got, ok, tc.want)
			}
		})
	}
}
