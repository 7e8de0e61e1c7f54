package actatek

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

func FuzzDecodeTOTP(f *testing.F) {
	f.Add([]byte(`{"format":"OTP_PASSCODE","expiry":"2026-10-12T09:00:30Z","data":12345678}`))
	f.Add([]byte(`{"format":"QR_PNG","expiry":"2026-10-12T09:00:30","data":"iVBORw0KGgo="}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var v TOTP
		if err := decodeJSON(data, &v); err != nil {
			return
		}
		enc, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		var again TOTP
		if err := json.Unmarshal(enc, &again); err != nil || again != v {
			t.Fatalf("round trip of %s: %+v, %v", enc, again, err)
		}
	})
}

func FuzzDecodeJobCodes(f *testing.F) {
	f.Add([]byte(`[{"jobcode":1,"name":"Job 1111","enable":"disable"},{"jobcode":2,"name":"Occup. 2222","enable":1}]`))
	f.Add([]byte(`{"jobcode":1,"id":1,"name":"Job 1-1","enable":true}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var codes List[JobCode]
		if err := decodeJSON(data, &codes); err == nil {
			enc, _ := json.Marshal(codes)
			var again List[JobCode]
			if err := json.Unmarshal(enc, &again); err != nil || !slices.Equal(again, codes) {
				t.Fatalf("round trip of %s: %+v, %v", enc, again, err)
			}
		}
		var settings List[JobCodeSetting]
		_ = decodeJSON(data, &settings)
	})
}

// FuzzDecodeWriteAnswer: a write's answer is a success only when every item says
// "success"; anything else is an error, never a panic.
func FuzzDecodeWriteAnswer(f *testing.F) {
	f.Add([]byte(`{"status":"success","message":"User A0001 Added"}`), 1)
	f.Add([]byte(`[{"status":"error"}]`), 1)
	f.Add([]byte(`[{"status":"success"},{"status":"failed","message":"x"}]`), 2)
	f.Add([]byte(`<html></html>`), 1)
	f.Fuzz(func(t *testing.T, data []byte, n int) {
		n = max(0, min(n, 100))
		results, err := decodeResults("addUsers", answer{status: 200, data: data}, n)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !e.Is(ErrMalformed) {
				t.Fatalf("%v is not a malformed answer", err)
			}
			return
		}
		if n > 0 && len(results) != n {
			t.Fatalf("%d results for %d items", len(results), n)
		}
		for _, r := range results {
			e := r.err("addUsers")
			if (e == nil) != strings.EqualFold(strings.TrimSpace(r.Status), "success") {
				t.Fatalf("result %+v: err %v", r, e)
			}
		}
	})
}
