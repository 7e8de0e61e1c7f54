package ef45

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// The decoders of device answers must never panic and must either decode or say the
// answer is malformed.

func FuzzDecodePreview(f *testing.F) {
	f.Add([]byte(`{"left_eye":"","right_eye":"","face_image":"","avg_distance":-1,"message":0,"switch_flag":false}`))
	f.Add([]byte(`{"left_eye":"/9j/","avg_distance":"412000","left_iris_radius":104.5,"message":"3","switch_flag":"true"}`))
	f.Add([]byte(`{"left_eye":12}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodePreview(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error not marked malformed: %v", err)
			}
			return
		}
		// What decoded must encode again (the simulator serves the same type).
		if _, err := json.Marshal(p); err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		_, _ = p.DistanceMM()
		_ = p.HasFrame()
	})
}

func FuzzDecodeBiometricList(f *testing.F) {
	item, _ := json.Marshal(BiometricData{EncounterID: "e", Left: Eye{Image: []byte("jpeg"), UsableIrisArea: 75}})
	f.Add([]byte(`{"status_code":200,"reason_phrase":"OK","items":[` + string(item) + `],"page":1,"page_size":50,"has_more":false,"total":1}`))
	f.Add([]byte(`{"items":[{"left_eye_quality_ok":"1","far_on_face_roll":"-3.5","timestamp":"2018-05-28T14:26:26"}]}`))
	f.Add([]byte(`{"items":null}`))
	f.Add([]byte(`{"items":[{"left_eye":"!!"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := DecodeBiometricList(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error not marked malformed: %v", err)
			}
			return
		}
		for _, it := range items {
			b, err := json.Marshal(it)
			if err != nil {
				t.Fatalf("re-encode: %v", err)
			}
			var back BiometricData
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("decode of our own encoding: %v", err)
			}
			if back.EncounterID != it.EncounterID || string(back.Left.Image) != string(it.Left.Image) {
				t.Fatalf("round trip changed the item")
			}
		}
	})
}

func FuzzDecodeLogList(f *testing.F) {
	f.Add([]byte(`{"status_code":200,"reason_phrase":"OK","items":[{"id":68,"event_type":"Recognition","timestamp":"2018-05-28T14:26:26Z","user_uuid":"111","info":"Recog/BioOnly/IrisOk","additional_data":"Allowed","matched_faceimage_data":""}],"page":1,"page_size":50,"has_more":false,"total":7}`))
	f.Add([]byte(`{"items":[{"id":"69"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var l List[LogEntry]
		if err := unmarshal(data, &l); err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("error not marked malformed: %v", err)
		}
	})
}

// FuzzDecodeRecords holds the records whose text fields also take numbers to one rule:
// whatever decodes encodes in the documented shape and decodes again to the same record.
func FuzzDecodeRecords(f *testing.F) {
	f.Add([]byte(`{"user_uuid":111,"match_until":20301231,"record_version":"2","access_allowed":1}`))
	f.Add([]byte(`{"user_uuid":"u","card":"65 D8 A1 BD","pin":1234,"admin":"1","user_info":{"pin":1},"faces":[{"sub_id":2}]}`))
	f.Add([]byte(`{"success":false,"status":-200}`))
	f.Add([]byte(`{"locked":true,"lock_uid":""}`))
	f.Add([]byte(`{"version":1.3}`))
	f.Add([]byte(`{"user_uuid":1.5e3}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip(t, data, new(Subject))
		roundTrip(t, data, new(UserInfo))
		roundTrip(t, data, new(BatchUser))
		roundTrip(t, data, new(FaceRecord))
		roundTrip(t, data, new(Result))
		roundTrip(t, data, new(Lock))
		roundTrip(t, data, new(Version))
		roundTrip(t, data, new(CardData))
		roundTrip(t, data, new(DuplicateResult))
	})
}

func roundTrip[T any](t *testing.T, data []byte, v *T) {
	t.Helper()
	if json.Unmarshal(data, v) != nil {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%T: re-encode: %v", v, err)
	}
	back := new(T)
	if err := json.Unmarshal(b, back); err != nil {
		t.Fatalf("%T: decode of our own encoding %s: %v", v, b, err)
	}
	// Compared encoded: omitempty drops an empty list, which then decodes as nil.
	again, err := json.Marshal(back)
	if err != nil || !bytes.Equal(again, b) {
		t.Fatalf("%T: round trip changed\n%s\n%s (%v)", v, b, again, err)
	}
}
