package clue_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"enrollstation/devices/clue"
	"enrollstation/devices/clue/cluesim"
)

// testMethod fails the test when r does not use the method want.
func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if r.Method != want {
		t.Errorf("method %s, want %s", r.Method, want)
	}
}

// testBody fails the test when the JSON body of r is not the JSON want (compared decoded,
// so key order and spacing do not matter).
func testBody(t *testing.T, r *http.Request, want string) {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	var got, exp any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("body %s is not JSON: %v", b, err)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("want %s is not JSON: %v", want, err)
	}
	if !reflect.DeepEqual(got, exp) {
		t.Errorf("body\n %s\nwant\n %s", b, want)
	}
}

// answerServer answers every call with status and body after check has seen the request.
func answerServer(t *testing.T, check func(*http.Request), status int, body string) *clue.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		check(r)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	c, err := clue.NewClient(clue.Options{BaseURL: srv.URL, PlaceID: 178, APIKey: "k", Pacer: clue.NewTestPacer(0), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The answer of spec 000's samples, with auth.doors and faceImages in a placeholder.
const authAnswerTemplate = `{ "code": 200, "status": true, "message": "OK", "data": { "authId": 118926, "lastModifiedAt": 1718841401642,
 "user": { "userId": 106569, "key": "34dab180-a14b-103b-8a4e-1166f21964da", "name": "test", "realNameAuthStatusType": "REAL_NAME_AUTH_BEFORE" },
 "auth": { "startTime": 1718809200000, "endTime": 1718895540000, "doorAccessType": "SPECIFIC", "scheduleType": "SPECIFIC", "scheduleId": 333,
 "doors": %s, "credentials": { "modes": [ "FACE" ], "faceImages": %s, "name": "test" }, "activeStatus": "ACTIVE" } } }`

// wantSampleAuth is what the sample answer says.
func wantSampleAuth() *clue.Auth {
	return &clue.Auth{
		AuthID: 118926, LastModifiedAt: time.UnixMilli(1718841401642), UserID: "106569",
		Key: "34dab180-a14b-103b-8a4e-1166f21964da", Name: "test", RealNameAuthStatus: "REAL_NAME_AUTH_BEFORE",
		ActiveStatus: "ACTIVE", Start: time.UnixMilli(1718809200000), End: time.UnixMilli(1718895540000),
		DoorAccessType: "SPECIFIC", Doors: []clue.Door{{DoorID: 234, DoorName: "SmartLight"}},
		ScheduleType: "SPECIFIC", ScheduleID: 333, Modes: []string{"FACE"}, FaceImages: 1,
	}
}

// Spec 000 types auth.doors as an Object and the Update answer's faceImages as a String,
// while the samples send arrays: a registration or update that succeeded must decode in
// every documented shape, never be reported as failed (and retried into a duplicate key).
func TestRegisterAndUpdateAnswersDecodeEveryDocumentedShape(t *testing.T) {
	shapes := []struct{ name, doors, faces string }{
		{"samples: arrays", `[ { "doorId": 234, "doorName": "SmartLight" } ]`, `[ "..." ]`},
		{"tables: doors an object", `{ "doorId": "234", "doorName": "SmartLight" }`, `[ "..." ]`},
		{"tables: faceImages a string", `[ { "doorId": 234, "doorName": "SmartLight" } ]`, `"..."`},
		{"tables: both", `{ "doorId": 234, "doorName": "SmartLight" }`, `"..."`},
	}
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			answer := fmt.Sprintf(authAnswerTemplate, sh.doors, sh.faces)
			c := answerServer(t, func(r *http.Request) {}, 200, answer)
			got, err := c.Auths.Register(t.Context(), clue.Registration{Key: "1234567", Name: "namehere"})
			if err != nil {
				t.Fatalf("register: %v", err)
			}
			if want := wantSampleAuth(); !reflect.DeepEqual(got, want) {
				t.Errorf("register:\n got %+v\nwant %+v", got, want)
			}
			got, err = c.Auths.Update(t.Context(), 118926, clue.AuthUpdate{Name: "test"})
			if err != nil {
				t.Fatalf("update: %v", err)
			}
			if want := wantSampleAuth(); !reflect.DeepEqual(got, want) {
				t.Errorf("update:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// The Update User request is the sample's shape, sent with PUT to /places/auths/{authId}.
func TestUpdateSendsTheSampleShape(t *testing.T) {
	c := answerServer(t, func(r *http.Request) {
		testMethod(t, r, http.MethodPut)
		if r.URL.Path != "/v1/places/auths/107904" {
			t.Errorf("path %s", r.URL.Path)
		}
		testBody(t, r, `{ "activeStatus": "ACTIVE", "startTime": 1745506800000, "endTime": 2147353200000,
			"doorAccessType": "ALL_DOOR", "scheduleType": "ALWAYS", "scheduleId": null, "doorIds": null,
			"credentials": { "cards": [], "name": "Test" } }`)
	}, 200, fmt.Sprintf(authAnswerTemplate, "[]", "[]"))
	if _, err := c.Auths.Update(t.Context(), 107904, clue.AuthUpdate{Name: "Test", Access: clue.Access{Start: time.UnixMilli(1745506800000)}}); err != nil {
		t.Fatal(err)
	}
}

// A duplicate user key is a conflict the push worker recognises, not a temporary failure,
// and the simulator's refusal names the auth that holds the key.
func TestDuplicateKeyIsAConflict(t *testing.T) {
	e := newEnv(t, cluesim.Options{})
	c := e.client(nil)
	first, err := c.Auths.Register(t.Context(), clue.Registration{Key: "dup", Name: "A"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Auths.Register(t.Context(), clue.Registration{Key: "dup", Name: "A"})
	ce := asError(t, err)
	got := struct {
		Conflict, Duplicate, Temporary bool
		Status                         int
		Code                           string
	}{errors.Is(err, clue.ErrConflict), errors.Is(err, clue.ErrDuplicateKey), ce.Temporary(), ce.Status, ce.Code}
	want := got
	want.Conflict, want.Duplicate, want.Temporary, want.Status, want.Code = true, true, false, 409, "DUPLICATE_USER_KEY"
	if got != want {
		t.Errorf("got %+v, want %+v (%v)", got, want, err)
	}
	if id, ok := clue.ExistingAuthID(err); !ok || id != first.AuthID {
		t.Errorf("ExistingAuthID = %d, %v; want %d", id, ok, first.AuthID)
	}
}

// A refusal that speaks of a duplicate under another status is a duplicate all the same;
// one that names no auth id gives none.
func TestDuplicateKeyRecognisedInOtherShapes(t *testing.T) {
	c := answerServer(t, func(*http.Request) {}, 400, `{"code":400,"status":false,"message":"Duplicate user key"}`)
	_, err := c.Auths.Register(t.Context(), clue.Registration{Key: "k", Name: "n"})
	if !errors.Is(err, clue.ErrDuplicateKey) || !errors.Is(err, clue.ErrConflict) {
		t.Errorf("%v is not a duplicate key", err)
	}
	if id, ok := clue.ExistingAuthID(err); ok {
		t.Errorf("ExistingAuthID = %d from a message that names none", id)
	}
}

// A 429 the client will not wait out carries Retry-After and is temporary.
func TestThrottledErrorCarriesRetryAfter(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"errors":[{"code":"TOO_MANY_REQUESTS","message":"slow down"}]}`)
	}))
	defer srv.Close()
	c, err := clue.NewClient(clue.Options{BaseURL: srv.URL, PlaceID: 1, APIKey: "k", Pacer: clue.NewTestPacer(0)})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Auths.Delete(t.Context(), 5)
	ce := asError(t, err)
	if !errors.Is(err, clue.ErrThrottled) || ce.RetryAfter != time.Minute || !ce.Temporary() {
		t.Errorf("got %+v", ce)
	}
}

// Every page of a window is read until total is reached, even when the service gives fewer
// events per page than asked for.
func TestEventsAllFollowsTotalNotAShortPage(t *testing.T) {
	const total, served = 5, 2 // the service caps a page at 2 whatever size says
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var page int
		fmt.Sscan(r.URL.Query().Get("page"), &page)
		var items []string
		for i := page * served; i < min(total, (page+1)*served); i++ {
			items = append(items, fmt.Sprintf(`{"logId":%d,"eventAt":1718842554980,"placeId":178,"localLogId":%d,"eventType":"DEV_DOOR_RELAY_ON"}`, i+1, i+1))
		}
		fmt.Fprintf(w, `{"code":200,"status":true,"message":"OK","total":%d,"data":[%s]}`, total, strings.Join(items, ","))
	}))
	defer srv.Close()
	c, err := clue.NewClient(clue.Options{BaseURL: srv.URL, PlaceID: 178, APIKey: "k", Pacer: clue.NewTestPacer(0)})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := c.Events.All(t.Context(), clue.EventQuery{Size: 200})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs {
		got = append(got, e.LogID)
	}
	if want := []string{"1", "2", "3", "4", "5"}; !reflect.DeepEqual(got, want) {
		t.Errorf("log ids %v, want %v", got, want)
	}
}

// The phone login is POST /v1/accounts/login/phone whatever prefix the place calls use.
func TestPhoneLoginIgnoresThePrefix(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.Method+" "+r.URL.Path)
		mu.Unlock()
		if strings.HasSuffix(r.URL.Path, "/login/phone") {
			fmt.Fprint(w, `{"code":200,"status":true,"message":"OK","data":{"accountId":1,"accessToken":"tok","refreshToken":"r"}}`)
			return
		}
		fmt.Fprint(w, `{"code":200,"status":true,"message":"OK","data":{"authId":7}}`)
	}))
	defer srv.Close()
	c, err := clue.NewClient(clue.Options{BaseURL: srv.URL, Prefix: clue.PrefixBE, PlaceID: 178, Pacer: clue.NewTestPacer(0),
		Phone: &clue.PhoneLogin{CountryCode: "kr", Phone: "010", Password: "pw"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Auths.Delete(t.Context(), 7); err != nil {
		t.Fatal(err)
	}
	want := []string{"POST /v1/accounts/login/phone", "DELETE /v1/be/places/auths/7"}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("calls %v, want %v", paths, want)
	}
}

// Against the simulator, a client with the /v1/be prefix logs in by phone.
func TestPhoneLoginWithBEPrefixAgainstSimulator(t *testing.T) {
	e := newEnv(t, cluesim.Options{})
	a := e.sim.Account()
	c := e.client(func(o *clue.Options) {
		o.Prefix, o.APIKey = clue.PrefixBE, ""
		o.Phone = &clue.PhoneLogin{CountryCode: a.CountryCode, Phone: a.Phone, Password: clue.Secret(a.Password)}
	})
	if _, err := c.Auths.Register(t.Context(), clue.Registration{Key: "be", Name: "B"}); err != nil {
		t.Fatal(err)
	}
	if n := e.sim.Logins(); n != 1 {
		t.Errorf("%d logins, want 1", n)
	}
}

// A redirect is never followed: the API key must not reach the address it points to, here a
// plain-HTTP listener on the same host.
func TestRedirectIsRefusedAndTheKeyStaysHome(t *testing.T) {
	var mu sync.Mutex
	var leaked []string
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		leaked = append(leaked, r.Method+" "+r.URL.Path+" Authorization="+r.Header.Get("Authorization"))
		mu.Unlock()
		fmt.Fprint(w, `{"code":200,"status":true,"message":"OK","data":{"authId":5}}`)
	}))
	defer plain.Close()
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer secure.Close()
	c, err := clue.NewClient(clue.Options{BaseURL: secure.URL, PlaceID: 178, APIKey: "the-api-key", Pacer: clue.NewTestPacer(0),
		HTTPClient: secure.Client()})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Auths.Delete(t.Context(), 5)
	if !errors.Is(err, clue.ErrRedirected) || asError(t, err).Temporary() {
		t.Errorf("got %v, want a redirect refused for good", err)
	}
	if len(leaked) != 0 {
		t.Errorf("the plain listener received %v", leaked)
	}
	if secure.Client().CheckRedirect != nil {
		t.Error("the caller's client was changed")
	}
}

// A 2xx answer that is not the JSON envelope (an HTML page, an empty body) is no success.
func TestWriteAnswerThatIsNotJSONFails(t *testing.T) {
	for _, body := range []string{"", "<html>OK</html>"} {
		c := answerServer(t, func(*http.Request) {}, 200, body)
		if err := c.Auths.Delete(t.Context(), 5); !errors.Is(err, clue.ErrMalformed) {
			t.Errorf("body %q: %v, want malformed", body, err)
		}
	}
}
