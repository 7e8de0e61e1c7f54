package store

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestSaveCaptureRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	clue, acta := addTarget(t, s, TargetCLUe, "HQ"), addTarget(t, s, TargetACTAtek, "Lobby")
	p := testPerson("", "Ada", "Lovelace")
	p.ValidFrom = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p.ValidUntil = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	p.Notes = "visitor\nbadge 12"
	in := testCapture("rt")
	saved, err := s.SaveCapture(ctx, p, in, []TargetID{clue, acta})
	if err != nil {
		t.Fatal(err)
	}
	// A UUID in 32 hex digits: what an ACTAtek terminal takes as a user ID.
	if _, perr := uuid.Parse(saved.PersonKey); CheckPersonKey(saved.PersonKey) != nil || perr != nil || len(saved.PersonKey) != 32 {
		t.Fatalf("generated person key %q: %v", saved.PersonKey, perr)
	}
	if len(saved.Outbox) != 2 || saved.CaptureID == "" {
		t.Fatalf("Saved = %+v", saved)
	}

	got, err := s.Person(ctx, saved.PersonKey)
	if err != nil {
		t.Fatal(err)
	}
	if got.GivenName != "Ada" || got.FamilyName != "Lovelace" || got.Notes != p.Notes ||
		!reflect.DeepEqual(got.AccessGroups, p.AccessGroups) || !got.ValidUntil.Equal(p.ValidUntil) ||
		!got.ConsentAt.Equal(p.ConsentAt) || got.ConsentBy != "op1" || got.PushState != PushPending || got.CreatedAt.IsZero() {
		t.Fatalf("person read back = %+v", got)
	}

	c, err := s.Capture(ctx, saved.CaptureID)
	if err != nil {
		t.Fatal(err)
	}
	if c.PersonKey != saved.PersonKey || c.DeviceSerial != in.DeviceSerial || c.EncounterID != in.EncounterID ||
		!c.CapturedAt.Equal(in.CapturedAt) || !reflect.DeepEqual(c.Quality, in.Quality) || c.SavedAt.IsZero() {
		t.Fatalf("capture read back = %+v", c)
	}
	if len(c.Blobs) != len(in.Blobs) {
		t.Fatalf("%d blobs read back, want %d", len(c.Blobs), len(in.Blobs))
	}
	for i, b := range c.Blobs {
		w := in.Blobs[i]
		if b.Kind != w.Kind || b.Variant != w.Variant || b.MediaType != w.MediaType || !bytes.Equal(b.Data, w.Data) || b.Size != len(w.Data) {
			t.Fatalf("blob %d read back differs: %s/%s", i, b.Kind, b.Variant)
		}
	}

	list, err := s.Captures(ctx, saved.PersonKey)
	if err != nil || len(list) != 1 || len(list[0].Blobs) != 3 || list[0].Blobs[0].Data != nil || list[0].Blobs[2].Size != 5000 {
		t.Fatalf("Captures = %+v, %v", list, err)
	}
	ev, err := s.AuditLog(ctx, AuditQuery{PersonKey: saved.PersonKey})
	if err != nil || len(ev) != 1 || ev[0].Action != ActionEnroll || ev[0].Operator != "op1" || !strings.Contains(ev[0].Detail, saved.CaptureID) {
		t.Fatalf("enroll audit = %+v, %v", ev, err)
	}
}

func TestSaveCaptureKnownImageNeverInClear(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openFile(t) // what is in the file
	c := testCapture("clear")
	image := pattern("a known image", 200_000)
	c.Blobs[2].Data = image
	saved, err := s.SaveCapture(ctx, testPerson("", "Known", "Image"), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	probes := [][]byte{image[:64], image[100_000:100_064], image[len(image)-64:], c.Blobs[1].Data[:64]}
	check := func(when string) {
		for _, p := range probes {
			if inFiles(t, s, p) {
				t.Fatalf("%s: clear biometric bytes found in the journal file or its log", when)
			}
		}
	}
	check("in the log")
	if err := s.checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	check("after checkpoint")
	// The scan does find what is really there: the sealed bytes and the person's name.
	if !inFiles(t, s, sealedSample(t, s, saved.PersonKey)) || !inFiles(t, s, []byte("Known")) {
		t.Fatal("the scan does not find bytes that are in the file")
	}
}

// Every step of a save can fail; whatever step it is, nothing is left behind.
func TestSaveCaptureFailureLeavesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, step := range []string{"person", "blob", "outbox", "audit"} {
		t.Run(step, func(t *testing.T) {
			s := openTest(t)
			tg := addTarget(t, s, TargetEF45, "Gate")
			before := map[string]int{}
			tables := []string{"people", "captures", "blobs", "outbox", "audit"}
			for _, tb := range tables {
				before[tb] = count(t, s, tb)
			}
			boom := errors.New("disk unplugged")
			s.failAt = func(at string) error {
				if at == step {
					return boom
				}
				return nil
			}
			_, err := s.SaveCapture(ctx, testPerson("p1", "Fail", "Step"), testCapture("f"), []TargetID{tg})
			if !errors.Is(err, boom) {
				t.Fatalf("save: %v, want the injected failure", err)
			}
			for _, tb := range tables {
				if n := count(t, s, tb); n != before[tb] {
					t.Errorf("%s: %d rows after a failed save, %d before", tb, n, before[tb])
				}
			}
			s.failAt = nil
			if _, err := s.SaveCapture(ctx, testPerson("p1", "Fail", "Step"), testCapture("f"), []TargetID{tg}); err != nil {
				t.Fatalf("save after the failure: %v", err)
			}
		})
	}
}

func TestSaveCaptureUnknownTargetLeavesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	_, err := s.SaveCapture(ctx, testPerson("p1", "No", "Target"), testCapture("x"), []TargetID{99})
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("save to an unknown target: %v", err)
	}
	for _, tb := range []string{"people", "captures", "blobs", "outbox", "audit"} {
		if n := count(t, s, tb); n != 0 {
			t.Errorf("%s holds %d rows after a failed save", tb, n)
		}
	}
}

func TestSaveCaptureCancelledLeavesNothing(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	s.failAt = func(at string) error {
		if at == "blob" {
			cancel()
		}
		return nil
	}
	if _, err := s.SaveCapture(ctx, testPerson("p1", "Can", "Celled"), testCapture("c"), nil); err == nil {
		t.Fatal("save went through after its context was cancelled")
	}
	if n := count(t, s, "people"); n != 0 {
		t.Fatalf("%d people after a cancelled save", n)
	}
}

func TestSaveCaptureRefusesBadInput(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	tg := addTarget(t, s, TargetCLUe, "HQ")
	off, err := s.AddTarget(ctx, Target{Kind: TargetEF45, Name: "Off", Enabled: false}, "tech")
	if err != nil {
		t.Fatal(err)
	}
	good := testPerson("k1", "Ada", "Lovelace")
	noConsent := good
	noConsent.ConsentAt = time.Time{}
	badValidity := good
	badValidity.ValidFrom, badValidity.ValidUntil = time.Now(), time.Now().Add(-time.Hour)
	ctrl := good
	ctrl.GivenName = "Ada\x00"
	dup := testCapture("d")
	dup.Blobs = append(dup.Blobs, dup.Blobs[0])
	empty := testCapture("e")
	empty.Blobs[0].Data = nil
	noOp := testCapture("o")
	noOp.Operator = ""
	none := testCapture("n")
	none.Blobs = nil
	for name, tc := range map[string]struct {
		p       Person
		c       Capture
		targets []TargetID
	}{
		"key with space":  {Person{Key: "a b", ConsentAt: time.Now(), ConsentBy: "x"}, testCapture("1"), nil},
		"key too long":    {Person{Key: strings.Repeat("k", 65), ConsentAt: time.Now(), ConsentBy: "x"}, testCapture("1"), nil},
		"no consent":      {noConsent, testCapture("1"), nil},
		"bad validity":    {badValidity, testCapture("1"), nil},
		"control in name": {ctrl, testCapture("1"), nil},
		"blob twice":      {good, dup, nil},
		"empty blob":      {good, empty, nil},
		"no operator":     {good, noOp, nil},
		"no blobs":        {good, none, nil},
		"target twice":    {good, testCapture("1"), []TargetID{tg, tg}},
		"disabled target": {good, testCapture("1"), []TargetID{off.ID}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := s.SaveCapture(ctx, tc.p, tc.c, tc.targets); !errors.Is(err, ErrInvalid) {
				t.Fatalf("save: %v, want ErrInvalid", err)
			}
		})
	}
	if n := count(t, s, "people"); n != 0 {
		t.Fatalf("%d people saved from bad input", n)
	}
}

// A new capture of a person replaces waiting pushes of the older one to the same target;
// a push in flight is left to finish.
func TestSaveCaptureSupersedesWaitingPushes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	a, b := addTarget(t, s, TargetCLUe, "HQ"), addTarget(t, s, TargetACTAtek, "Lobby")
	first, err := s.SaveCapture(ctx, testPerson("k1", "Ada", "Lovelace"), testCapture("1"), []TargetID{a, b})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	claimed, err := s.ClaimDue(ctx, "w1", now, time.Minute, 1)
	if err != nil || len(claimed) != 1 || claimed[0].ID != first.Outbox[0] {
		t.Fatalf("claim: %+v %v", claimed, err)
	}
	second, err := s.SaveCapture(ctx, testPerson("k1", "Ada", "King"), testCapture("2"), []TargetID{a, b})
	if err != nil {
		t.Fatal(err)
	}
	items, err := s.Outbox(ctx, "k1")
	if err != nil {
		t.Fatal(err)
	}
	state := map[int64]OutboxState{}
	for _, it := range items {
		state[it.ID] = it.State
	}
	want := map[int64]OutboxState{
		first.Outbox[0]: OutboxInFlight, first.Outbox[1]: OutboxSuperseded,
		second.Outbox[0]: OutboxPending, second.Outbox[1]: OutboxPending,
	}
	if !reflect.DeepEqual(state, want) {
		t.Fatalf("outbox states %v, want %v", state, want)
	}
	if p, _ := s.Person(ctx, "k1"); p.FamilyName != "King" {
		t.Fatalf("person not updated by the second save: %+v", p)
	}
	if rep, err := s.Verify(ctx); err != nil || !rep.OK() {
		t.Fatalf("verify: %v %v", err, rep.Problems)
	}
}

func FuzzDecodeQuality(f *testing.F) {
	good := `{"distance_mm":400,"eyes":[{"eye":"left","usable_iris_area":80,"quality_ok":true}],"faces":[{"variant":"far_off","roll":-1.5}]}`
	f.Add([]byte(good))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"eyes":null,"faces":[{}]}`))
	f.Add([]byte(`{"eyes":[{"usable_iris_area":"80"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		q, err := decodeQuality(b)
		if err != nil {
			if !strings.Contains(err.Error(), "damaged") {
				t.Fatalf("error does not say the figures are damaged: %v", err)
			}
			return
		}
		// What decodes must survive the save path's encoding.
		if _, err := decodeQuality(mustJSON(t, q)); err != nil {
			t.Fatalf("re-encoded quality does not decode: %v", err)
		}
	})
}

// A sealed blob copied into another capture's row of the same person, kind and variant
// does not open there: the capture id is bound in.
func TestBlobMovedToAnotherCaptureFailsToOpen(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := openTest(t)
	p := testPerson("k1", "Ada", "Lovelace")
	first, err := s.SaveCapture(ctx, p, testCapture("first"), nil)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.SaveCapture(ctx, p, testCapture("second"), nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.w.ExecContext(ctx, `UPDATE blobs SET sealed = (
			SELECT b1.sealed FROM blobs b1 JOIN captures c1 ON c1.id = b1.capture_id
			WHERE c1.capture_key = ? AND b1.kind = blobs.kind AND b1.variant = blobs.variant)
		WHERE capture_id = (SELECT id FROM captures WHERE capture_key = ?)`, first.CaptureID, second.CaptureID)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		t.Fatal("no blob was moved")
	}
	if _, err := s.Capture(ctx, second.CaptureID); !errors.Is(err, errCannotDecrypt) {
		t.Fatalf("Capture with blobs moved from another capture: %v, want errCannotDecrypt", err)
	}
	if _, err := s.Capture(ctx, first.CaptureID); err != nil {
		t.Fatalf("the first capture no longer opens: %v", err)
	}
	rep, err := s.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) == 0 {
		t.Fatal("verify found no problem with the moved blobs")
	}
}
