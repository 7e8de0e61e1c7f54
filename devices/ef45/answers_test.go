package ef45_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"enrollstation/devices/ef45"
)

// These tests pin the client's reading of answer shapes the simulator never sends, on an
// httptest server in go-github's style: each handler checks the request with testMethod
// and testBody and writes the spec's example answer.

const testLockUID = "6c45cc76-6291-11e8-b384-503f98000288"

// setup returns a client of a fresh server and the server's mux, under /1.0/.
func setup(t *testing.T) (*ef45.Client, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := ef45.New(srv.URL, ef45.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c, mux
}

// setupSession serves GET /version and POST /lock as a device of version does, and opens
// a session.
func setupSession(t *testing.T, version string) (*ef45.Session, *http.ServeMux) {
	t.Helper()
	c, mux := setup(t)
	mux.HandleFunc("GET /1.0/version", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"version":"`+version+`"}`)
	})
	mux.HandleFunc("POST /1.0/lock", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"lock_uid":"`+testLockUID+`"}`)
	})
	s, err := c.Open(t.Context(), false)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s, mux
}

func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if r.Method != want {
		t.Errorf("request method %s, want %s", r.Method, want)
	}
}

func testBody(t *testing.T, r *http.Request, want string) {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("read request body: %v", err)
	}
	if got := string(b); got != want {
		t.Errorf("request body %s, want %s", got, want)
	}
}

func answer(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }
}

func TestLockAnswerThatIsNotOursMeansInUse(t *testing.T) {
	for _, body := range []string{
		`{"locked":true,"lock_uid":"` + testLockUID + `"}`,
		`{"locked":true,"lock_uid":""}`,
		`{"lock_uid":""}`,
		`{"locked":"false"}`,
	} {
		c, mux := setup(t)
		mux.HandleFunc("/1.0/lock", func(w http.ResponseWriter, r *http.Request) {
			testMethod(t, r, http.MethodPost)
			io.WriteString(w, body)
		})
		uid, err := c.Lock(t.Context())
		if !errors.Is(err, ef45.ErrInUse) || errors.Is(err, ef45.ErrMalformed) || uid != "" {
			t.Errorf("%s: Lock = %q, %v; want ErrInUse", body, uid, err)
		}
	}
}

func TestLockAnswerOfTheSpecIsOurs(t *testing.T) {
	for _, body := range []string{
		`{"lock_uid":"` + testLockUID + `"}`,
		`{"locked":false,"lock_uid":"` + testLockUID + `"}`,
	} {
		c, mux := setup(t)
		mux.HandleFunc("POST /1.0/lock", answer(body))
		uid, err := c.Lock(t.Context())
		if err != nil || uid != testLockUID {
			t.Errorf("%s: Lock = %q, %v", body, uid, err)
		}
	}
}

func TestConflictOutsideTheLockIsTheDevicesReason(t *testing.T) {
	s, mux := setupSession(t, "1.2.40")
	mux.HandleFunc("/1.0/subjects", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPost)
		w.WriteHeader(http.StatusConflict)
		io.WriteString(w, `{"status_code":409,"reason_phrase":"subject 111 already exists"}`)
	})
	err := s.Subjects.Create(t.Context(), &ef45.Subject{UserUUID: "111"})
	var e *ef45.Error
	if !errors.As(err, &e) || errors.Is(err, ef45.ErrInUse) {
		t.Fatalf("Create = %v; want a conflict that is not 'in use'", err)
	}
	msg := e.OperatorMessage()
	if strings.Contains(msg, "take it over") || strings.Contains(msg, "another workstation") ||
		!strings.Contains(msg, "subject 111 already exists") {
		t.Fatalf("operator message %q", msg)
	}
}

func TestSuccessFalseIsAnErrorOnEveryControlCall(t *testing.T) {
	calls := []struct {
		path string
		do   func(context.Context, *ef45.Session) error
	}{
		{"control/card/start", func(ctx context.Context, s *ef45.Session) error { return s.Control.CardStart(ctx) }},
		{"control/card/stop", func(ctx context.Context, s *ef45.Session) error { return s.Control.CardStop(ctx) }},
		{"control/apb/clear/111", func(ctx context.Context, s *ef45.Session) error { return s.Control.ClearAPB(ctx, "111") }},
		{"control/apb/clearall", func(ctx context.Context, s *ef45.Session) error { return s.Control.ClearAllAPB(ctx) }},
		{"control", func(ctx context.Context, s *ef45.Session) error { return s.Control.Manual(ctx, true) }},
	}
	for _, cl := range calls {
		s, mux := setupSession(t, "1.2.40")
		mux.HandleFunc("/1.0/"+cl.path, func(w http.ResponseWriter, r *http.Request) {
			testMethod(t, r, http.MethodPost)
			io.WriteString(w, `{"success":false,"status":"-300"}`)
		})
		err := cl.do(t.Context(), s)
		var e *ef45.Error
		if !errors.As(err, &e) || !errors.Is(err, ef45.ErrRejected) || e.Code != "-300" {
			t.Errorf("%s: %v; want a refusal with code -300", cl.path, err)
		}
	}
}

func TestNumericSDKStatusKeepsItsCode(t *testing.T) {
	s, mux := setupSession(t, "1.2.40")
	mux.HandleFunc("POST /1.0/camera/control/start", answer(`{"success":false,"status":-200}`))
	err := s.Camera.Start(t.Context(), ef45.StartModes{BothEyes: true})
	var e *ef45.Error
	if !errors.As(err, &e) || e.Code != "-200" || !errors.Is(err, ef45.ErrRejected) {
		t.Fatalf("Start = %#v; want code -200", err)
	}
	if !strings.Contains(e.OperatorMessage(), "already started") {
		t.Fatalf("operator message %q", e.OperatorMessage())
	}
}

func TestTextFieldsAcceptNumbers(t *testing.T) {
	s, mux := setupSession(t, "1.2.40")
	mux.HandleFunc("GET /1.0/user-info/uuid/111", answer(
		`{"user_uuid":111,"card":12345678,"pin":1234,"admin":0,"message":"hi"}`))
	mux.HandleFunc("GET /1.0/subjects/111", answer(
		`{"user_uuid":111,"record_version":1,"first_name":"A","match_until":20301231}`))
	mux.HandleFunc("GET /1.0/control/card/data", answer(`{"card":65}`))
	mux.HandleFunc("GET /1.0/biometric-data/ver1", answer(
		`{"items":[{"encounter_id":42,"error_message":0,"left_eye_duplicate_uuid":7}]}`))
	mux.HandleFunc("GET /1.0/match-data", answer(`{"items":[{"encounter_id":43,"user_uuid":111}]}`))
	mux.HandleFunc("GET /1.0/logs/1", answer(`{"id":1,"user_uuid":111}`))

	u, err := s.Users.Get(t.Context(), "111")
	if want := (&ef45.UserInfo{UserUUID: "111", Card: "12345678", PIN: "1234", Message: "hi"}); err != nil || !reflect.DeepEqual(u, want) {
		t.Errorf("user info = %+v, %v; want %+v", u, err, want)
	}
	sub, err := s.Subjects.Get(t.Context(), "111")
	if want := (&ef45.Subject{UserUUID: "111", RecordVersion: 1, FirstName: "A", MatchUntil: "20301231"}); err != nil || !reflect.DeepEqual(sub, want) {
		t.Errorf("subject = %+v, %v; want %+v", sub, err, want)
	}
	if card, err := s.Control.CardData(t.Context()); err != nil || card != "65" {
		t.Errorf("card = %q, %v", card, err)
	}
	items, err := s.Biometrics.List(t.Context())
	want := ef45.BiometricData{EncounterID: "42", ErrorMessage: "0", Left: ef45.Eye{DuplicateUUID: "7"}}
	if err != nil || len(items) != 1 || !reflect.DeepEqual(items[0], want) {
		t.Errorf("biometric data = %+v, %v; want [%+v]", items, err, want)
	}
	md, err := s.MatchData.List(t.Context())
	if err != nil || len(md) != 1 || md[0].EncounterID != "43" || md[0].UserUUID != "111" {
		t.Errorf("match data = %+v, %v", md, err)
	}
	if l, err := s.Logs.Get(t.Context(), 1); err != nil || l.UserUUID != "111" {
		t.Errorf("log = %+v, %v", l, err)
	}
}

func TestVersionAcceptsANumber(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("GET /1.0/version", answer(`{"version":1.3}`))
	if v, err := c.Version(t.Context()); err != nil || v != "1.3" {
		t.Fatalf("Version = %q, %v", v, err)
	}
}

func TestLoadFileSizeIsNotAHardCheck(t *testing.T) {
	s, mux := setupSession(t, "1.2.40")
	mux.HandleFunc("GET /1.0/biometric-data/load-file", func(w http.ResponseWriter, r *http.Request) {
		if got := r.URL.Query().Get("filename"); got != "logo.png" {
			t.Errorf("filename %q", got)
		}
		// "AAEC" is 3 bytes; the device counts the base64 text.
		io.WriteString(w, `{"file":"AAEC","size":4}`)
	})
	b, err := s.Biometrics.LoadFile(t.Context(), "logo.png")
	if err != nil || !reflect.DeepEqual(b, []byte{0, 1, 2}) {
		t.Fatalf("LoadFile = %v, %v", b, err)
	}
}

func TestNullBiometricItemIsNoCapture(t *testing.T) {
	s, mux := setupSession(t, "1.2.40")
	mux.HandleFunc("GET /1.0/biometric-data/ver1", answer(`{"status_code":200,"items":[null]}`))
	items, err := s.Biometrics.List(t.Context())
	if err != nil || len(items) != 0 {
		t.Fatalf("List = %+v, %v; want no item", items, err)
	}
}

func TestPrefixedVersionChoosesTheVer1Endpoint(t *testing.T) {
	if !ef45.UsesVer1("v1.2.40") || ef45.UsesVer1("v1.2.33") || ef45.CompareVersions("V1.2.100", "1.2.34") != 1 {
		t.Fatal("a version with a v prefix is not compared by its numbers")
	}
	s, mux := setupSession(t, "v1.2.40")
	var ver1 atomic.Int32
	mux.HandleFunc("GET /1.0/biometric-data/ver1", func(w http.ResponseWriter, r *http.Request) {
		ver1.Add(1)
		io.WriteString(w, `{"items":[]}`)
	})
	mux.HandleFunc("GET /1.0/biometric-data", answer(`{"items":[]}`))
	if _, err := s.Biometrics.List(t.Context()); err != nil || ver1.Load() != 1 {
		t.Fatalf("List: %v; ver1 asked %d times", err, ver1.Load())
	}
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	var followed atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		followed.Add(1)
	}))
	t.Cleanup(elsewhere.Close)
	for _, hc := range []*http.Client{nil, {}} {
		c, mux := setup(t)
		if hc != nil {
			var err error
			c, err = ef45.New(strings.TrimSuffix(c.Addr(), "/"), ef45.WithHTTPClient(hc))
			if err != nil {
				t.Fatal(err)
			}
		}
		mux.HandleFunc("DELETE /1.0/lock/{uid}", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere.URL+"/1.0/subjects/111", http.StatusTemporaryRedirect)
		})
		err := c.Unlock(t.Context(), testLockUID)
		var e *ef45.Error
		if !errors.As(err, &e) || e.Status != http.StatusTemporaryRedirect {
			t.Errorf("Unlock answered by a redirect: %v", err)
		}
	}
	if n := followed.Load(); n != 0 {
		t.Fatalf("the redirect was followed %d times", n)
	}
}

func TestWriteAnswersAreRead(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		want   *ef45.Error
	}{
		{"html page", http.StatusOK, `<html><body>proxy</body></html>`,
			&ef45.Error{Call: "delete subject", Status: http.StatusOK, Kind: ef45.ErrMalformed}},
		{"refusal", http.StatusOK, `{"success":false,"status":"the database is busy"}`,
			&ef45.Error{Call: "delete subject", Status: http.StatusOK, Message: "the database is busy", Kind: ef45.ErrRejected}},
		{"error object", http.StatusOK, `{"status_code":404,"reason_phrase":"no subject 111"}`,
			&ef45.Error{Call: "delete subject", Status: http.StatusNotFound, Message: "no subject 111", Kind: ef45.ErrNotFound}},
		{"lock taken", http.StatusForbidden, `{"status_code":403,"reason_phrase":"lock_uid does not hold the lock"}`,
			&ef45.Error{Call: "delete subject", Status: http.StatusForbidden, Message: "lock_uid does not hold the lock", Kind: ef45.ErrLockLost}},
		{"upgrading", http.StatusServiceUnavailable, `{"status_code":503,"reason_phrase":"upgrade in progress"}`,
			&ef45.Error{Call: "delete subject", Status: http.StatusServiceUnavailable, Message: "upgrade in progress", Kind: ef45.ErrRebooting}},
		{"throttled", http.StatusTooManyRequests, `{"status_code":429,"reason_phrase":"slow down"}`,
			&ef45.Error{Call: "delete subject", Status: http.StatusTooManyRequests, Message: "slow down", Kind: ef45.ErrThrottled, RetryAfter: 3 * time.Second}},
		{"plain text", http.StatusInternalServerError, `database locked`,
			&ef45.Error{Call: "delete subject", Status: http.StatusInternalServerError, Message: "database locked"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, mux := setupSession(t, "1.2.40")
			mux.HandleFunc("/1.0/subjects/111", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodDelete)
				if got := r.URL.Query().Get("lock_uid"); got != testLockUID {
					t.Errorf("lock_uid %q", got)
				}
				w.Header().Set("Retry-After", "3")
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			})
			err := s.Subjects.Delete(t.Context(), "111")
			var e *ef45.Error
			if !errors.As(err, &e) {
				t.Fatalf("Delete = %v, want an *ef45.Error", err)
			}
			got := *e
			got.Err = nil // the decoder's own words
			want := *tc.want
			want.Device = "ef45"
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Delete error\n got %#v\nwant %#v", got, want)
			}
		})
	}
}

func TestControlAnswerMustSaySuccess(t *testing.T) {
	s, mux := setupSession(t, "1.2.40")
	mux.HandleFunc("POST /1.0/camera/control/stop", func(w http.ResponseWriter, r *http.Request) {
		testBody(t, r, "")
	})
	if err := s.Camera.Stop(t.Context()); !errors.Is(err, ef45.ErrMalformed) {
		t.Fatalf("Stop with an empty answer = %v, want ErrMalformed", err)
	}
}

func TestWritesSendTheDocumentedBody(t *testing.T) {
	s, mux := setupSession(t, "1.2.40")
	mux.HandleFunc("/1.0/subjects/is-exist/template", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPut)
		testBody(t, r, `{"left_eye_template":"AQI=","right_eye_template":"Aw=="}`)
		io.WriteString(w, `{"duplicate_uuid":111}`)
	})
	dup, err := s.Subjects.CheckDuplicate(t.Context(), []byte{1, 2}, []byte{3})
	if err != nil || dup != "111" {
		t.Fatalf("CheckDuplicate = %q, %v", dup, err)
	}
}

// specUserInfo is spec 003's sample answer of GET /user-info/uuid/{user_uuid}.
const specUserInfo = `{
  "user_uuid": "string",
  "card": "string",
  "pin": "string",
  "admin": 0,
  "group_index": 0,
  "by_pass_card": 0,
  "indivisual": 0,
  "three_out_status": 0,
  "three_out_status_access_allowed": 0,
  "job_code": 0,
  "time_schedule_code": 0,
  "apb_status": 0,
  "message": "string"
}`

func TestUserInfoOfTheSpecsSample(t *testing.T) {
	s, mux := setupSession(t, "1.2.40")
	mux.HandleFunc("/1.0/user-info/uuid/string", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		io.WriteString(w, specUserInfo)
	})
	got, err := s.Users.Get(t.Context(), "string")
	want := &ef45.UserInfo{UserUUID: "string", Card: "string", PIN: "string", Message: "string"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Get = %+v, %v; want %+v", got, err, want)
	}
}

func TestBatchUserDecodesAllItsParts(t *testing.T) {
	in := `{"user_uuid":111,"first_name":"A","user_info":{"user_uuid":111,"card":"65 D8 A1 BD","pin":1234},` +
		`"faces":[{"user_uuid":111,"sub_id":1,"face_image":"AQI="}]}`
	var got ef45.BatchUser
	if err := json.Unmarshal([]byte(in), &got); err != nil {
		t.Fatal(err)
	}
	want := ef45.BatchUser{
		Subject:  ef45.Subject{UserUUID: "111", FirstName: "A"},
		UserInfo: &ef45.UserInfo{UserUUID: "111", Card: "65 D8 A1 BD", PIN: "1234"},
		Faces:    []ef45.FaceRecord{{UserUUID: "111", SubID: 1, Image: []byte{1, 2}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("decoded %+v\nwant %+v", got, want)
	}
}
