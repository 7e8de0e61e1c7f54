package actatek_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

// suspendedWithCard is a user whose status differs from the add defaults in every way a
// forgotten member would show: suspended, card, password and fingerprint on.
func suspendedWithCard(t *testing.T, f *fixture, id string) actatek.User {
	t.Helper()
	u := person(1)
	u.UserID = id
	u.CardSN = "00003"
	u.Status = &actatek.UserStatus{
		Active: actatek.Flag(false), AutoMatch: actatek.Flag(true), SmartCard: actatek.Flag(true),
		Fingerprint: actatek.Flag(true), Password: actatek.Flag(true), Facial: actatek.Flag(true),
		FacialAutoMatch: actatek.Flag(false),
	}
	u.ScoreThreshold = actatek.Score(70)
	u.ExpiryDate = actatek.Expires(actatek.Local(time.Date(2027, 1, 31, 18, 0, 0, 0, time.UTC)))
	if _, err := f.c.Users.Add(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	got, err := f.c.Users.Get(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestUpdateKeepsWhatTheCallerDidNotSet updates only a name, one by one and in a batch:
// the status, threshold, expiry and card stay as they were.
func TestUpdateKeepsWhatTheCallerDidNotSet(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	before := suspendedWithCard(t, f, "A0001")
	if _, err := f.c.Users.UpdateBatch(t.Context(), []actatek.User{{UserID: "A0001", FirstName: "Renamed"}}); err != nil {
		t.Fatal(err)
	}
	if err := f.c.Users.Update(t.Context(), actatek.User{UserID: "A0001", LastName: "Again"}); err != nil {
		t.Fatal(err)
	}
	got, err := f.c.Users.Get(t.Context(), "A0001")
	if err != nil {
		t.Fatal(err)
	}
	want := before
	want.FirstName, want.LastName = "Renamed", "Again"
	if d := userDiffText(got, want); d != "" {
		t.Errorf("after a name update: %s", d)
	}
}

// TestUpdatePartialStatusIsMerged changes one status member: the terminal takes the
// object whole, so the others come from its copy, not from defaults.
func TestUpdatePartialStatusIsMerged(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	before := suspendedWithCard(t, f, "A0001")
	for _, batch := range []bool{false, true} {
		u := actatek.User{UserID: "A0001", Status: &actatek.UserStatus{FacialAutoMatch: actatek.Flag(!batch)}}
		var err error
		if batch {
			_, err = f.c.Users.UpdateBatch(t.Context(), []actatek.User{u})
		} else {
			err = f.c.Users.Update(t.Context(), u)
		}
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.c.Users.Get(t.Context(), "A0001")
		if err != nil {
			t.Fatal(err)
		}
		want := before
		st := *before.Status
		st.FacialAutoMatch = actatek.Flag(!batch)
		want.Status = &st
		if d := userDiffText(got, want); d != "" {
			t.Errorf("batch %v: %s", batch, d)
		}
	}
	// A partial status for a user the terminal does not have: nothing is sent.
	err := f.c.Users.Update(t.Context(), actatek.User{UserID: "nobody", Status: &actatek.UserStatus{Active: actatek.Flag(true)}})
	if !errors.Is(err, actatek.ErrNotFound) {
		t.Errorf("partial status of an unknown user: %v", err)
	}
}

// TestUpdateSendsOnlyTheMembersSet checks the body: no default status, no ScoreThreshold.
func TestUpdateSendsOnlyTheMembersSet(t *testing.T) {
	ft := newFakeTerminal(t, func(r fakeRequest) (int, string) {
		if strings.HasPrefix(r.Body, "[") {
			return http.StatusOK, `[{"status":"success","message":"User A0001 Updated"}]`
		}
		return http.StatusOK, `{"status":"success","message":"User A0001 Updated"}`
	})
	c := ft.client(t)
	if err := c.Users.Update(t.Context(), actatek.User{UserID: "A0001", FirstName: "Ben"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Users.UpdateBatch(t.Context(), []actatek.User{{UserID: "A0001", FirstName: "Ben"}}); err != nil {
		t.Fatal(err)
	}
	if err := c.Users.Update(t.Context(), actatek.User{UserID: "A0001", ScoreThreshold: actatek.Score(0), ExpiryDate: actatek.ClearExpiry()}); err != nil {
		t.Fatal(err)
	}
	reqs := ft.requests()
	want := []string{`{"userID":"A0001","firstName":"Ben"}`, `[{"userID":"A0001","firstName":"Ben"}]`,
		// 3.1: "expirydate ... 0 to disable"; a threshold of 0 is sent when asked for.
		`{"userID":"A0001","ScoreThreshold":0,"expirydate":0}`}
	if len(reqs) != len(want) {
		t.Fatalf("%d requests, want %d", len(reqs), len(want))
	}
	for i, r := range reqs {
		if r.Method != http.MethodPut || r.Path != "user" || !jsonEqual(t, r.Body, want[i]) {
			t.Errorf("request %d: %s %s %s, want PUT user %s", i, r.Method, r.Path, r.Body, want[i])
		}
	}
}

// TestClearExpiry clears an expiry on the simulator: 0 is sent and the user no longer
// expires.
func TestClearExpiry(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	suspendedWithCard(t, f, "A0001")
	if err := f.c.Users.Update(t.Context(), actatek.User{UserID: "A0001", ExpiryDate: actatek.ClearExpiry()}); err != nil {
		t.Fatal(err)
	}
	got, err := f.c.Users.Get(t.Context(), "A0001")
	if err != nil {
		t.Fatal(err)
	}
	if got.ExpiryDate == nil || !got.ExpiryDate.IsZero() {
		t.Errorf("expiry %v, want cleared (0)", got.ExpiryDate)
	}
}

// TestAddFillsTheWholeStatus: an add without status gets the documented defaults, and a
// partial one keeps what was given.
func TestAddFillsTheWholeStatus(t *testing.T) {
	ft := newFakeTerminal(t, func(r fakeRequest) (int, string) {
		return http.StatusOK, `[{"status":"success","message":"User Added"}]`
	})
	c := ft.client(t)
	u := actatek.User{UserID: "A1", FacialRecords: actatek.List[actatek.FacialRecord]{{TemplateType: 2, Template: []byte("t")}}}
	if _, err := c.Users.Add(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	u.Status = &actatek.UserStatus{SmartCard: actatek.Flag(true)}
	if _, err := c.Users.AddBatch(t.Context(), []actatek.User{u}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`{"active":true,"autoMatch":false,"smartCard":false,"fingerprint":false,"password":false,"facial":true,"facialAutoMatch":true}`,
		`{"active":true,"autoMatch":false,"smartCard":true,"fingerprint":false,"password":false,"facial":true,"facialAutoMatch":true}`,
	}
	reqs := ft.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	for i, r := range reqs {
		m := bodyMap(t, r.Body)
		st, _ := jsonText(m["status"])
		if !jsonEqual(t, st, want[i]) {
			t.Errorf("add %d status %s, want %s", i, st, want[i])
		}
		if _, sent := m["ScoreThreshold"]; sent {
			t.Errorf("add %d sent a ScoreThreshold nobody asked for", i)
		}
	}
}

// TestFaceWithoutTemplateIsRefusedBeforeSending: 3.1 requires FacialTemplate.
func TestFaceWithoutTemplateIsRefusedBeforeSending(t *testing.T) {
	ft := newFakeTerminal(t, func(r fakeRequest) (int, string) {
		return http.StatusOK, `{"status":"success"}`
	})
	c := ft.client(t)
	u := actatek.User{UserID: "A1", FacialRecords: actatek.List[actatek.FacialRecord]{{TemplateType: 2, Photo: []byte{0xFF, 0xD8, 0xFF}}}}
	_, errAdd := c.Users.Add(t.Context(), u)
	_, errBatch := c.Users.AddBatch(t.Context(), []actatek.User{u})
	errUpdate := c.Users.Update(t.Context(), u)
	_, errUpdates := c.Users.UpdateBatch(t.Context(), []actatek.User{u})
	for i, err := range []error{errAdd, errBatch, errUpdate, errUpdates} {
		if !errors.Is(err, actatek.ErrInvalid) || !strings.Contains(err.Error(), "face template") {
			t.Errorf("call %d: %v, want a refusal naming the face template", i, err)
		}
	}
	if n := len(ft.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestAddExistingUserIsUserExists: the push worker tells "already there, different" by
// errors.Is(err, ErrUserExists); it is permanent, and a conflict.
func TestAddExistingUserIsUserExists(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	u := person(1)
	if _, err := f.c.Users.Add(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	u.FirstName = "Other"
	for i, call := range []func() error{
		func() error { _, err := f.c.Users.Add(t.Context(), u); return err },
		func() error { _, err := f.c.Users.AddBatch(t.Context(), []actatek.User{u}); return err },
	} {
		err := call()
		var e *actatek.Error
		if !errors.Is(err, actatek.ErrUserExists) || !errors.Is(err, actatek.ErrConflict) || !errors.As(err, &e) || e.Temporary() {
			t.Errorf("call %d: %v", i, err)
		}
	}
}

// userDiffText names the members in which two users differ, "" when none.
func userDiffText(got, want actatek.User) string {
	g, _ := jsonText(got)
	w, _ := jsonText(want)
	if g == w {
		return ""
	}
	return "got " + g + "\nwant " + w
}

func TestUserIDAndCardDecodeFromNumbers(t *testing.T) {
	ft := newFakeTerminal(t, func(r fakeRequest) (int, string) {
		return http.StatusOK, `[{"userID":111,"cardsn":3,"status":{"active":1,"autoMatch":"true","smartCard":0,"fingerprint":false,"password":"0","facial":true,"facialAutoMatch":true},"ScoreThreshold":"0","expirydate":0}]`
	})
	got, err := ft.client(t).Users.List(t.Context(), actatek.UserFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []actatek.User{{UserID: "111", CardSN: "3", Status: &actatek.UserStatus{
		Active: actatek.Flag(true), AutoMatch: actatek.Flag(true), SmartCard: actatek.Flag(false), Fingerprint: actatek.Flag(false),
		Password: actatek.Flag(false), Facial: actatek.Flag(true), FacialAutoMatch: actatek.Flag(true),
	}, ScoreThreshold: actatek.Score(0), ExpiryDate: actatek.ClearExpiry()}}
	if !slices.EqualFunc(got, want, func(a, b actatek.User) bool { return userDiffText(a, b) == "" }) {
		t.Errorf("got %+v", got)
	}
}

// TestUserGoldenFromSpec decodes 3.1's example user (its placeholders made valid base64)
// and sends it: the body is the example in the documented array shapes, with the status
// whole, ScoreThreshold 0 and expirydate 0 as shown.
func TestUserGoldenFromSpec(t *testing.T) {
	example := `{ "userID": "A0001", "lastName": "John", "firstName": "Ben", "otherName": "Teddy", "adminLevel": "PERSONALUSER", "password": "123555", "groupID": 0, "departmentID": 1, "status": { "active": true, "autoMatch": true, "smartCard": true, "fingerprint": true, "password": true, "facial": true, "facialAutoMatch": false }, "fingerprints": "RmluZ2Vy", "keyrecords": { "keytype": 1, "keystring": "According to keytype", "keyid": "unique id for this key", "keyenabled": true }, "facialrecords": { "FacialTemplateType": 1, "FacialTemplate": "eHh4", "FacialPhoto": "/9j/4A==" }, "cardsn": "00003", "ScoreThreshold": 0, "expirydate": 0, "message": "user message" }`
	want := `{"userID":"A0001","lastName":"John","firstName":"Ben","otherName":"Teddy","adminLevel":"PERSONALUSER","password":"123555","groupID":[0],"departmentID":[1],"status":{"active":true,"autoMatch":true,"smartCard":true,"fingerprint":true,"password":true,"facial":true,"facialAutoMatch":false},"fingerprints":"RmluZ2Vy","keyrecords":[{"keytype":1,"keystring":"According to keytype","keyid":"unique id for this key","keyenabled":true}],"facialrecords":[{"FacialTemplateType":1,"FacialTemplate":"eHh4","FacialPhoto":"/9j/4A=="}],"cardsn":"00003","ScoreThreshold":0,"expirydate":0,"message":"user message"}`
	var u actatek.User
	if err := json.Unmarshal([]byte(example), &u); err != nil {
		t.Fatal(err)
	}
	ft := newFakeTerminal(t, func(r fakeRequest) (int, string) {
		return http.StatusOK, `{"status":"success","message":"User A0001 Updated"}`
	})
	if err := ft.client(t).Users.Update(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	reqs := ft.requests()
	if len(reqs) != 1 || reqs[0].Method != http.MethodPut || reqs[0].Path != "user" || !jsonEqual(t, reqs[0].Body, want) {
		t.Errorf("requests %+v, want one PUT user %s", reqs, want)
	}
}

// TestTOTPDataDecodesNumbers: an OTP_PASSCODE is 8 digits (3.14), which a terminal may
// send as a number.
func TestTOTPDataDecodesNumbers(t *testing.T) {
	ft := newFakeTerminal(t, func(r fakeRequest) (int, string) {
		return http.StatusOK, `{"format":"OTP_PASSCODE","expiry":"2026-10-12T09:00:30Z","data":12345678}`
	})
	got, err := ft.client(t).Users.TOTP(t.Context(), "A1", actatek.TOTPPasscode)
	want := actatek.TOTP{Format: actatek.TOTPPasscode, Expiry: actatek.UTC(time.Date(2026, 10, 12, 9, 0, 30, 0, time.UTC)), Data: "12345678"}
	if err != nil || got != want {
		t.Errorf("got %+v %v, want %+v", got, err, want)
	}
}
