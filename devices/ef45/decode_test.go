package ef45

import (
	"encoding/json"
	"reflect"
	"testing"
)

func sampleBiometricAnswer(t testing.TB) []byte {
	t.Helper()
	d := BiometricData{EncounterID: "6c45cc76-6291-11e8-b384-503f98000288", SerialNumber: "S",
		Left:  Eye{Image: make([]byte, 3000), UsableIrisArea: 80, QualityOK: true, EnrolTemplate: []byte{1, 2, 3}},
		Right: Eye{Image: []byte{}, DuplicateUUID: "x"}}
	d.Faces[FaceFarOn] = Face{Image: []byte("jpeg"), Feature: []byte{9}, Roll: 1.25}
	b, err := json.Marshal(List[BiometricData]{StatusCode: 200, ReasonPhrase: "OK", Items: []BiometricData{d}, Page: 1, Total: 1})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// stdBiometricList is the reference: encoding/json, null items dropped.
func stdBiometricList(data []byte) ([]BiometricData, error) {
	var l List[*BiometricData]
	err := json.Unmarshal(data, &l)
	return captures(l.Items), err
}

func TestFastBiometricPathIsTakenForDeviceAnswers(t *testing.T) {
	data := sampleBiometricAnswer(t)
	fast, ok := fastBiometricList(data)
	if !ok {
		t.Fatal("the fast path gave up on an answer of the documented shape")
	}
	std, err := stdBiometricList(data)
	if err != nil || !reflect.DeepEqual(fast, std) {
		t.Fatalf("fast and encoding/json differ:\n%+v\n%+v", fast, std)
	}
}

func TestFastBiometricAgreesWithEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`{"items":[]}`,
		`{"items":null}`,
		`{"items":[null]}`,
		`{"items":[null,{"encounter_id":7},null]}`,
		`{"items":[{"encounter_id":7,"error_message":-1,"left_eye_duplicate_uuid":12}]}`,
		`{"items":[{"left_eye_usable_iris_area":70.5}]}`,
		`{"items":[{"left_eye_usable_iris_area":"70"}]}`,
		`{"items":[{"left_eye":"AAEC","left_eye":null}]}`,
		`{"items":[{"LEFT_EYE":"AAEC"}]}`,
		`{"items":[{"left_eye":"AA\u0041"}]}`,
		`{"items":[{"left_eye":"!!"}]}`,
		`{"status_code":"x","items":[]}`,
		`{"ITEMS":[]}`,
		`{"items":[{"left_eye_quality_ok":"1","unknown":{"a":[1,2.5e3,true]}}]} `,
		`{"items":[{}]} x`,
		`{"items":[{"timestamp":"2018-05-28T14:26:26"}],"items":[]}`,
	} {
		fast, ok := fastBiometricList([]byte(in))
		std, err := stdBiometricList([]byte(in))
		if ok && (err != nil || !reflect.DeepEqual(fast, std)) {
			t.Errorf("%s: fast %+v, encoding/json %+v (%v)", in, fast, std, err)
		}
		got, gotErr := DecodeBiometricList([]byte(in))
		if (gotErr == nil) != (err == nil) || (err == nil && !reflect.DeepEqual(got, std)) {
			t.Errorf("%s: DecodeBiometricList %+v, %v; encoding/json %+v, %v", in, got, gotErr, std, err)
		}
	}
}

// FuzzFastBiometricMatchesEncodingJSON holds the fast decoder to encoding/json: whenever it
// answers, encoding/json decodes the same input without error to the same items.
func FuzzFastBiometricMatchesEncodingJSON(f *testing.F) {
	f.Add(sampleBiometricAnswer(f))
	f.Add([]byte(`{"items":[{"left_eye":"AAEC","far_on_face_roll":"2","x":[{"y":null}]}],"page":"1"}`))
	f.Add([]byte(`{"items":[{"Left_Eye":"AAEC"}]}`))
	f.Add([]byte(`{"items":[{"left_eye":"AA==\n"}]}`))
	f.Add([]byte(`{"items":[null,{"encounter_id":12,"left_eye_usable_iris_area":7.5}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ok := fastBiometricList(data)
		if !ok {
			return
		}
		std, err := stdBiometricList(data)
		if err != nil {
			t.Fatalf("fast path accepted what encoding/json refuses (%v)", err)
		}
		if !reflect.DeepEqual(fast, std) {
			t.Fatalf("fast %+v\nencoding/json %+v", fast, std)
		}
	})
}
