package target

import (
	"slices"

	"enrollstation/store"
)

// pushedBlobs are the blobs of a capture a push to each kind of target reads (Record.Blob
// and colourFace). A claim reads these and leaves the others sealed on disk: the iris
// camera's images and the face the iris camera saw are never pushed.
var pushedBlobs = map[store.TargetKind][]store.BlobWant{
	store.TargetACTAtek: {colourPhoto, colourFallback, {Kind: store.FaceFeature, Variant: "far_off"}},
	store.TargetCLUe:    {colourPhoto, colourFallback, {Kind: store.FaceImage, Variant: "near_off"}},
	store.TargetEF45:    ef45Blobs(),
}

// The colour face without glasses, as colourFace reads it: the Photo, or the far_off image
// of a capture without one (the camera's captures hold both, the same JPEG).
var (
	colourPhoto    = store.BlobWant{Kind: store.Photo, Variant: store.AnyVariant}
	colourFallback = store.BlobWant{Kind: store.FaceImage, Variant: "far_off", Unless: store.Photo}
)

// ef45Blobs are the iris templates and the image and feature of each face the EF-45 takes.
func ef45Blobs() []store.BlobWant {
	w := []store.BlobWant{{Kind: store.EyeTemplate, Variant: "left"}, {Kind: store.EyeTemplate, Variant: "right"}}
	for _, fs := range faceSubs {
		w = append(w, store.BlobWant{Kind: store.FaceImage, Variant: fs.variant}, store.BlobWant{Kind: store.FaceFeature, Variant: fs.variant})
	}
	return w
}

// PushedBlobs is every blob a push to a target of one of kinds reads, each once; nil (all
// blobs) when a kind is unknown.
func PushedBlobs(kinds ...store.TargetKind) []store.BlobWant {
	wants := []store.BlobWant{}
	for _, k := range kinds {
		w, ok := pushedBlobs[k]
		if !ok {
			return nil
		}
		for _, b := range w {
			if !slices.Contains(wants, b) {
				wants = append(wants, b)
			}
		}
	}
	return wants
}
