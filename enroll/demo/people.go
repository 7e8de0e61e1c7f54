package demo

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"enrollstation/devices/clue/cluesim"
	"enrollstation/store"
)

// The people already enrolled when demo mode starts: names from several scripts, so that
// search and the Japanese screens have something to show.
var demoPeople = []struct{ given, family, department string }{
	{"Aiko", "Tanaka", "Front desk"},
	{"Łukasz", "Nowak", "Engineering"},
	{"María", "García", "Finance"},
	{"Kwame", "Mensah", "Facilities"},
	{"Priya", "Raman", "Engineering"},
	{"Jonas", "Berg", "Security"},
	{"Chen", "Wei", "Front desk"},
	{"Sofia", "Rossi", "Finance"},
}

// enrollPeople saves o.People people with a capture each, queued for every target.
func (d *Demo) enrollPeople(ctx context.Context, o Options, targets []store.TargetID) error {
	st := d.Station.Store()
	now := time.Now().UTC()
	for i := range max(o.People, 0) {
		who := demoPeople[i%len(demoPeople)]
		p := store.Person{
			Key:        fmt.Sprintf("demo-%04d", i+1),
			GivenName:  who.given,
			FamilyName: who.family,
			CardNumber: fmt.Sprint(4100200 + i), // decimal: CLUe takes no other
			Department: who.department,
			ValidFrom:  now.Add(-24 * time.Hour).Truncate(24 * time.Hour),
			ConsentAt:  now.Add(-time.Duration(len(demoPeople)-i) * time.Hour),
			ConsentBy:  "demo",
		}
		c, err := demoCapture(o.Seed*100+int64(i), d.Sims.Camera.Serial())
		if err != nil {
			return err
		}
		saved, err := st.SaveCapture(ctx, p, c, targets)
		if err != nil {
			return fmt.Errorf("demo: enroll %s: %w", p.Key, err)
		}
		d.Station.Queued(ctx, saved.Outbox...)
	}
	return nil
}

// demoCapture is a capture as the camera would give it: a colour face photo, its face
// feature, and both eyes' templates, with passing quality figures.
func demoCapture(seed int64, serial string) (store.Capture, error) {
	face, err := cluesim.FacePhoto(seed, 480, 640, 85)
	if err != nil {
		return store.Capture{}, fmt.Errorf("demo: %w", err)
	}
	tpl := func(what string) []byte {
		sum := sha256.Sum256(fmt.Appendf(nil, "%s-%d", what, seed))
		return append([]byte("SIMTPL1"), sum[:]...)
	}
	at := time.Now().UTC()
	return store.Capture{
		DeviceSerial: serial, RecordVersion: "8976", Operator: "demo",
		StartedAt: at.Add(-4 * time.Second), CapturedAt: at,
		Quality: store.Quality{DistanceMM: 402,
			Eyes: []store.EyeQuality{
				{Eye: "left", UsableIrisArea: 84, QualityScore: 91, QualityOK: true, IrisRadius: 105},
				{Eye: "right", UsableIrisArea: 81, QualityScore: 89, QualityOK: true, IrisRadius: 104}},
			Faces: []store.FaceQuality{{Variant: "far_off", FrontalScore: 0.94, Score: 88}}},
		Blobs: []store.Blob{
			{Kind: store.EyeTemplate, Variant: "left", Data: tpl("left")},
			{Kind: store.EyeTemplate, Variant: "right", Data: tpl("right")},
			{Kind: store.FaceImage, Variant: "far_off", MediaType: "image/jpeg", Data: face},
			{Kind: store.FaceFeature, Variant: "far_off", Data: tpl("face")},
			{Kind: store.Photo, MediaType: "image/jpeg", Data: face},
		},
	}, nil
}
