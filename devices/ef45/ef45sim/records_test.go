package ef45sim

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"enrollstation/devices/ef45"
)

func TestSubjects(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	s := ef45.Subject{UserUUID: "111", FirstName: "Ada", LastName: "Lovelace", AccessAllowed: true, LeftEyeTemplate: []byte("left"), WiegandCode: 42}
	h.call(http.MethodPost, h.url("/1.0/subjects"), s, http.StatusCreated, nil)
	h.callErr(http.MethodPost, h.url("/1.0/subjects"), s, http.StatusConflict)
	h.callErr(http.MethodPost, h.url("/1.0/subjects"), ef45.Subject{FirstName: "nobody"}, http.StatusBadRequest)
	h.callErr(http.MethodPost, h.url("/1.0/subjects"), raw(`{"user_uuid":"1"`), http.StatusBadRequest)

	var got ef45.Subject
	h.call(http.MethodGet, h.url("/1.0/subjects/111"), nil, http.StatusOK, &got)
	if got.FirstName != "Ada" || string(got.LeftEyeTemplate) != "left" || got.WiegandCode != 42 || got.RecordVersion != DefaultRecordVersion {
		t.Errorf("stored subject %+v", got)
	}
	s.LastName = "King"
	h.call(http.MethodPut, h.url("/1.0/subjects/111"), s, http.StatusNoContent, nil)
	h.call(http.MethodGet, h.url("/1.0/subjects/111"), nil, http.StatusOK, &got)
	if got.LastName != "King" {
		t.Errorf("update not kept: %+v", got)
	}
	h.callErr(http.MethodPut, h.url("/1.0/subjects/222"), s, http.StatusNotFound)
	h.callErr(http.MethodGet, h.url("/1.0/subjects/222"), nil, http.StatusNotFound)

	var rv ef45.RecordVersion
	h.call(http.MethodGet, h.url("/1.0/subjects/record-version"), nil, http.StatusOK, &rv)
	if rv.RecordVersion != DefaultRecordVersion {
		t.Errorf("record version %d", rv.RecordVersion)
	}

	h.call(http.MethodDelete, h.url("/1.0/subjects/111"), nil, http.StatusNoContent, nil)
	h.callErr(http.MethodDelete, h.url("/1.0/subjects/111"), nil, http.StatusNotFound)
	logs := h.logs()
	for _, info := range []string{"AddUser", "UpdateUser", "DeleteUsers"} {
		if !hasLog(logs, "UserData", info, "Success") {
			t.Errorf("%s not logged", info)
		}
	}
}

func TestListsPage(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	for i := range 7 {
		h.call(http.MethodPost, h.url("/1.0/subjects"), ef45.Subject{UserUUID: fmt.Sprint(i)}, http.StatusCreated, nil)
	}
	list := func(query ...string) ef45.List[ef45.Subject] {
		var l ef45.List[ef45.Subject]
		h.call(http.MethodGet, h.url("/1.0/subjects", query...), nil, http.StatusOK, &l)
		return l
	}
	if l := list(); len(l.Items) != 7 || l.Total != 7 || l.HasMore || l.StatusCode != http.StatusOK || l.ReasonPhrase != "OK" {
		t.Errorf("without page: %d items, total %d, more %v", len(l.Items), l.Total, l.HasMore)
	}
	l := list("page", "2", "page_size", "3")
	if len(l.Items) != 3 || l.Items[0].UserUUID != "3" || !l.HasMore || l.Page != 2 || l.PageSize != 3 || l.Total != 7 {
		t.Errorf("page 2 of 3: %+v", l)
	}
	if l := list("page", "3", "page_size", "3"); len(l.Items) != 1 || l.HasMore {
		t.Errorf("last page: %d items, more %v", len(l.Items), l.HasMore)
	}
	if l := list("page", "9"); len(l.Items) != 0 || l.Items == nil || l.PageSize != defaultPageSize {
		t.Errorf("page past the end: %+v", l)
	}
	for _, bad := range [][]string{{"page", "0"}, {"page", "x"}, {"page", "1", "page_size", "0"}} {
		h.callErr(http.MethodGet, h.url("/1.0/subjects", bad...), nil, http.StatusBadRequest)
	}
}

func TestUserInfo(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	u := ef45.UserInfo{UserUUID: "u1", Card: "65d8a1bd", PIN: "1234", Admin: 1}
	h.call(http.MethodPost, h.url("/1.0/user-info"), u, http.StatusCreated, nil)
	h.callErr(http.MethodPost, h.url("/1.0/user-info"), u, http.StatusConflict)
	h.callErr(http.MethodPost, h.url("/1.0/user-info"), ef45.UserInfo{UserUUID: "u2", Card: "ZZ 01"}, http.StatusBadRequest)

	var got ef45.UserInfo
	h.call(http.MethodGet, h.url("/1.0/user-info/uuid/u1"), nil, http.StatusOK, &got)
	if got.Card != "65 D8 A1 BD" || got.PIN != "1234" {
		t.Errorf("stored user info %+v, want the card as spaced hex", got)
	}
	// The card goes in the path URL-escaped, spaces and all.
	h.call(http.MethodGet, h.url("/1.0/user-info/card/"+url.PathEscape("65 D8 A1 BD")), nil, http.StatusOK, &got)
	if got.UserUUID != "u1" {
		t.Errorf("by card: %+v", got)
	}
	h.call(http.MethodGet, h.url("/1.0/user-info/card/65%20d8%20a1%20bd"), nil, http.StatusOK, &got)
	h.callErr(http.MethodGet, h.url("/1.0/user-info/card/"+url.PathEscape("01 02")), nil, http.StatusNotFound)
	h.callErr(http.MethodGet, h.url("/1.0/user-info/card/xyz"), nil, http.StatusBadRequest)

	u.Message = "welcome"
	h.call(http.MethodPut, h.url("/1.0/user-info/uuid/u1"), u, http.StatusNoContent, nil)
	h.call(http.MethodGet, h.url("/1.0/user-info/uuid/u1"), nil, http.StatusOK, &got)
	if got.Message != "welcome" {
		t.Errorf("update not kept: %+v", got)
	}
	h.callErr(http.MethodPut, h.url("/1.0/user-info/uuid/u9"), u, http.StatusNotFound)
	var l ef45.List[ef45.UserInfo]
	h.call(http.MethodGet, h.url("/1.0/user-info"), nil, http.StatusOK, &l)
	if len(l.Items) != 1 {
		t.Errorf("user info list %d items", len(l.Items))
	}
	h.call(http.MethodDelete, h.url("/1.0/user-info/uuid/u1"), nil, http.StatusNoContent, nil)
	h.callErr(http.MethodGet, h.url("/1.0/user-info/uuid/u1"), nil, http.StatusNotFound)
	h.callErr(http.MethodDelete, h.url("/1.0/user-info/uuid/u1"), nil, http.StatusNotFound)
}

func TestBatchUserAndDelete(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	b := ef45.BatchUser{
		Subject:  ef45.Subject{UserUUID: "b1", FirstName: "Grace"},
		UserInfo: &ef45.UserInfo{Card: "01 02 03 04"},
		Faces:    []ef45.FaceRecord{{SubID: ef45.SubColourFace, Feature: []byte("f0")}, {SubID: ef45.SubBWFace, Feature: []byte("f1")}},
	}
	// A batch push can be repeated: it replaces what the device holds for the uuid.
	for range 2 {
		h.call(http.MethodPost, h.url("/1.0/user"), b, http.StatusOK, nil)
	}
	var info ef45.UserInfo
	h.call(http.MethodGet, h.url("/1.0/user-info/uuid/b1"), nil, http.StatusOK, &info)
	if info.UserUUID != "b1" || info.Card != "01 02 03 04" {
		t.Errorf("batch user info %+v", info)
	}
	var faces ef45.List[ef45.FaceRecord]
	h.call(http.MethodGet, h.url("/1.0/faces/b1"), nil, http.StatusOK, &faces)
	if len(faces.Items) != 2 || faces.Items[1].UserUUID != "b1" || faces.Items[1].FeatureSize != 2 {
		t.Errorf("batch faces %+v", faces.Items)
	}
	b.Faces[0].SubID = 9
	h.callErr(http.MethodPost, h.url("/1.0/user"), b, http.StatusBadRequest)
	h.callErr(http.MethodPost, h.url("/1.0/user"), ef45.BatchUser{}, http.StatusBadRequest)

	h.call(http.MethodDelete, h.url("/1.0/user/b1"), nil, http.StatusNoContent, nil)
	h.callErr(http.MethodGet, h.url("/1.0/subjects/b1"), nil, http.StatusNotFound)
	h.callErr(http.MethodGet, h.url("/1.0/user-info/uuid/b1"), nil, http.StatusNotFound)
	h.callErr(http.MethodGet, h.url("/1.0/faces/b1"), nil, http.StatusNotFound)
	h.callErr(http.MethodDelete, h.url("/1.0/user/b1"), nil, http.StatusNotFound)
}

func TestFaces(t *testing.T) {
	h := newHarness(t, Options{})
	h.takeLock()
	for _, sub := range []int{ef45.SubColourFace, ef45.SubBWFace, ef45.SubColourGlasses} {
		h.call(http.MethodPost, h.url("/1.0/faces"), ef45.FaceRecord{UserUUID: "f1", SubID: ef45.Int(sub), EyeWidth: 60}, http.StatusCreated, nil)
	}
	h.callErr(http.MethodPost, h.url("/1.0/faces"), ef45.FaceRecord{UserUUID: "f1", SubID: ef45.SubBWFace}, http.StatusConflict)
	h.callErr(http.MethodPost, h.url("/1.0/faces"), ef45.FaceRecord{UserUUID: "f1", SubID: 6}, http.StatusBadRequest)

	var l ef45.List[ef45.FaceRecord]
	h.call(http.MethodGet, h.url("/1.0/faces"), nil, http.StatusOK, &l)
	if len(l.Items) != 3 {
		t.Errorf("face list %d items", len(l.Items))
	}
	h.call(http.MethodGet, h.url("/1.0/faces/f1", "subId", "1"), nil, http.StatusOK, &l)
	if len(l.Items) != 1 || l.Items[0].SubID != ef45.SubBWFace {
		t.Errorf("by subId: %+v", l.Items)
	}
	h.callErr(http.MethodGet, h.url("/1.0/faces/f1", "subId", "5"), nil, http.StatusNotFound)
	h.callErr(http.MethodGet, h.url("/1.0/faces/f1", "subId", "x"), nil, http.StatusBadRequest)

	h.call(http.MethodPut, h.url("/1.0/faces/f1", "sub_id", "2"), ef45.FaceRecord{EyeWidth: 75}, http.StatusNoContent, nil)
	h.call(http.MethodGet, h.url("/1.0/faces/f1", "sub_id", "2"), nil, http.StatusOK, &l)
	if len(l.Items) != 1 || l.Items[0].EyeWidth != 75 || l.Items[0].UserUUID != "f1" {
		t.Errorf("after update: %+v", l.Items)
	}
	h.callErr(http.MethodPut, h.url("/1.0/faces/f1"), ef45.FaceRecord{}, http.StatusBadRequest)
	h.callErr(http.MethodPut, h.url("/1.0/faces/f1", "sub_id", "4"), ef45.FaceRecord{}, http.StatusNotFound)

	h.call(http.MethodDelete, h.url("/1.0/faces/f1", "subId", "0"), nil, http.StatusNoContent, nil)
	h.callErr(http.MethodDelete, h.url("/1.0/faces/f1", "subId", "0"), nil, http.StatusNotFound)
	h.call(http.MethodDelete, h.url("/1.0/faces/f1"), nil, http.StatusNoContent, nil)
	h.callErr(http.MethodGet, h.url("/1.0/faces/f1"), nil, http.StatusNotFound)
}

func TestNormalizeCard(t *testing.T) {
	for in, want := range map[string]string{"65 D8 A1 BD": "65 D8 A1 BD", "65d8a1bd": "65 D8 A1 BD", " 0a  0B ": "0A 0B", "": ""} {
		if got, ok := normalizeCard(in); !ok || got != want {
			t.Errorf("normalizeCard(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"6", "GG", "65 D"} {
		if _, ok := normalizeCard(bad); ok {
			t.Errorf("normalizeCard(%q) accepted", bad)
		}
	}
}
