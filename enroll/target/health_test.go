package target

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"testing"

	"enrollstation/devices/ef45"
)

func TestFailureOf(t *testing.T) {
	cases := []struct {
		err  error
		want FailureCode
	}{
		{nil, ""},
		{fmt.Errorf("version: %w", context.DeadlineExceeded), FailTimeout},
		{&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, FailUnreachable},
		{fmt.Errorf("get: %w", x509.UnknownAuthorityError{}), FailTLS},
		{fmt.Errorf("get: %w", x509.HostnameError{Host: "x"}), FailTLS},
		{fmt.Errorf("decode: %w", ef45.ErrMalformed), FailMalformed},
		{&ef45.Error{Status: 401}, FailAuth},
		{&ef45.Error{Status: 403}, FailAuth},
		{&ef45.Error{Status: 500}, FailDevice},
		{errors.New("no secret for this target"), FailOther},
	}
	for _, c := range cases {
		if got := FailureOf(c.err); got != c.want {
			t.Errorf("FailureOf(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

// A target that does not answer says so by code, and keeps the client's words.
func TestHealthOfAnUnreachableTargetHasItsCode(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c, err := ef45.New("http://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	h := (&ef45Target{c: c}).Health(t.Context())
	if h.Reachable || h.Code != FailUnreachable || h.Err == "" || h.Users != -1 {
		t.Fatalf("health %+v", h)
	}
}
