package target

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"

	"enrollstation/devices/ef45"
)

// FailureCode says why a target could not be checked, whatever the language: a screen
// words it by code and shows the device's own message (Health.Err) as the detail.
type FailureCode string

// The reasons a health check fails.
const (
	FailUnreachable FailureCode = "unreachable" // no answer at the address: off, wrong address, network
	FailTimeout     FailureCode = "timeout"     // no answer in time
	FailAuth        FailureCode = "auth"        // the account, password or key was refused
	FailTLS         FailureCode = "tls"         // the secure connection failed: certificate, protocol
	FailMalformed   FailureCode = "malformed"   // the answer could not be read
	FailDevice      FailureCode = "device"      // the device answered with an error of its own
	FailOther       FailureCode = "other"       // anything else (a missing secret, a bad setting)
)

// FailureOf classifies err, a failed call to a target.
func FailureOf(err error) FailureCode {
	var (
		unknownCA x509.UnknownAuthorityError
		invalid   x509.CertificateInvalidError
		hostname  x509.HostnameError
		verify    *tls.CertificateVerificationError
		record    tls.RecordHeaderError
		de        *ef45.Error
		ne        net.Error
		op        *net.OpError
	)
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.DeadlineExceeded):
		return FailTimeout
	case errors.As(err, &unknownCA), errors.As(err, &invalid), errors.As(err, &hostname),
		errors.As(err, &verify), errors.As(err, &record):
		return FailTLS
	case errors.Is(err, ef45.ErrMalformed):
		return FailMalformed
	// A device error without an answer wraps the network's: that first.
	case errors.As(err, &ne) && ne.Timeout():
		return FailTimeout
	case errors.As(err, &op):
		return FailUnreachable
	case errors.As(err, &de):
		if de.Status == http.StatusUnauthorized || de.Status == http.StatusForbidden {
			return FailAuth
		}
		if de.Status == 0 {
			return FailUnreachable
		}
		return FailDevice
	}
	return FailOther
}

// failedHealth is the health of a target whose check failed with err.
func failedHealth(err error) Health {
	return Health{Users: -1, Code: FailureOf(err), Err: describe(err)}
}
