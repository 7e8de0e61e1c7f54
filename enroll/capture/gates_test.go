package capture

import (
	"reflect"
	"testing"

	"enrollstation/devices/ef45"
	"enrollstation/store"
)

func TestGatesCheck(t *testing.T) {
	d := &ef45.BiometricData{}
	d.Left = ef45.Eye{EnrolTemplate: []byte{1}, UsableIrisArea: 70, QualityOK: true}
	d.Right = ef45.Eye{EnrolTemplate: []byte{2}, UsableIrisArea: 69, QualityOK: false}
	d.Faces[ef45.FaceFarOff] = ef45.Face{Image: []byte{3}, FrontalScore: 0.79, Roll: -10}
	last := &ef45.Preview{AvgDistance: 451000, LeftIrisRadius: 100, RightIrisRadius: -1}
	got := DefaultGates().Check(d, last)
	want := []GateResult{
		{Name: "left iris usable area", Figure: "70 %", Limit: "at least 70 %", Pass: true, Code: GateIrisArea, Eye: "left", Measured: true, Value: 70, Min: 70},
		{Name: "left iris quality", Figure: "ok", Limit: "ok", Pass: true, Code: GateIrisQuality, Eye: "left", Measured: true, Value: 1, Min: 1},
		{Name: "left iris radius", Figure: "100 px", Limit: "at least 100 px", Pass: true, Code: GateIrisRadius, Eye: "left", Measured: true, Value: 100, Min: 100},
		{Name: "right iris usable area", Figure: "69 %", Limit: "at least 70 %", Code: GateIrisArea, Eye: "right", Measured: true, Value: 69, Min: 70},
		{Name: "right iris quality", Figure: "not ok", Limit: "ok", Code: GateIrisQuality, Eye: "right", Measured: true, Value: 0, Min: 1},
		{Name: "right iris radius", Figure: "not measured", Limit: "at least 100 px", Code: GateIrisRadius, Eye: "right", Min: 100},
		{Name: "distance", Figure: "451 mm", Limit: "350–450 mm", Code: GateDistance, Measured: true, Value: 451, Min: 350, Max: 450},
		{Name: "face frontal score", Figure: "0.79", Limit: "at least 0.80", Code: GateFaceFrontal, Measured: true, Value: 0.79, Min: 0.8},
		{Name: "face roll", Figure: "-10.0°", Limit: "within ±10.0°", Pass: true, Code: GateFaceRoll, Measured: true, Value: -10, Min: -10, Max: 10},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Check:\n got %v\nwant %v", got, want)
	}
	if n := len(FailedGates(got)); n != 5 {
		t.Errorf("%d failed, want 5", n)
	}
}

func TestGatesCheckOnlyWhatWasCaptured(t *testing.T) {
	d := &ef45.BiometricData{}
	d.Faces[ef45.FaceNearOff] = ef45.Face{Image: []byte{1}, FrontalScore: 0.95, Roll: 2}
	g := DefaultGates()
	g.RequireQualityOK = false
	want := []GateResult{
		{Name: "face frontal score", Figure: "0.95", Limit: "at least 0.80", Pass: true, Code: GateFaceFrontal, Measured: true, Value: 0.95, Min: 0.8},
		{Name: "face roll", Figure: "2.0°", Limit: "within ±10.0°", Pass: true, Code: GateFaceRoll, Measured: true, Value: 2, Min: -10, Max: 10},
	}
	if got := g.Check(d, nil); !reflect.DeepEqual(got, want) {
		t.Errorf("face only:\n got %v\nwant %v", got, want)
	}
}

func TestToStore(t *testing.T) {
	d := &ef45.BiometricData{EncounterID: "enc-9", SerialNumber: "EF45-1"}
	d.Left = ef45.Eye{Image: []byte("L"), EnrolTemplate: []byte("lt"), UsableIrisArea: 80, QualityScore: 90, QualityOK: true, DuplicateUUID: "dup"}
	d.Faces[ef45.FaceFarOff] = ef45.Face{Image: []byte("F"), Feature: []byte("ff"), FrontalScore: 0.9, Roll: 1}
	d.Faces[ef45.FaceNearOn] = ef45.Face{Image: []byte("N")}
	want := store.Capture{
		DeviceSerial: "EF45-1", EncounterID: "enc-9",
		Quality: store.Quality{
			Eyes:  []store.EyeQuality{{Eye: "left", UsableIrisArea: 80, QualityScore: 90, QualityOK: true, DuplicateOf: "dup"}},
			Faces: []store.FaceQuality{{Variant: "far_off", FrontalScore: 0.9, Roll: 1}, {Variant: "near_on"}},
		},
		Blobs: []store.Blob{
			{Kind: store.EyeImage, Variant: "left", MediaType: "image/jpeg", Data: []byte("L")},
			{Kind: store.EyeTemplate, Variant: "left", Data: []byte("lt")},
			{Kind: store.FaceImage, Variant: "far_off", MediaType: "image/jpeg", Data: []byte("F")},
			{Kind: store.FaceFeature, Variant: "far_off", Data: []byte("ff")},
			{Kind: store.FaceImage, Variant: "near_on", MediaType: "image/jpeg", Data: []byte("N")},
			{Kind: store.Photo, MediaType: "image/jpeg", Data: []byte("F")},
		},
	}
	if got := ToStore(d); !reflect.DeepEqual(got, want) {
		t.Errorf("ToStore:\n got %+v\nwant %+v", got, want)
	}
}

func TestStateString(t *testing.T) {
	for s, want := range map[State]string{Connecting: "connecting", WaitingForPerson: "waiting for the person", Cancelled: "cancelled", State(42): "unknown"} {
		if got := s.String(); got != want {
			t.Errorf("State(%d) = %q, want %q", s, got, want)
		}
	}
}
