package actatek

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"enrollstation/devices/internal/lenient"
)

// ErrNoTrust is returned by New for an https terminal with neither a pinned fingerprint
// nor a CA: terminals usually present self-signed certificates, so the caller should
// Probe, show the fingerprint to a person, and pin it once confirmed.
var ErrNoTrust = errors.New("actatek: an https terminal needs a pinned certificate fingerprint or a CA file")

// Fingerprint is the SHA-256 of a certificate's DER encoding, in lowercase hex: the value
// to pin.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// ParseFingerprint reads a SHA-256 fingerprint typed or pasted by a person: hex in either
// case, with or without colons or spaces. It returns lowercase hex.
func ParseFingerprint(s string) (string, error) {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ':', ' ', '-', '\t':
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
	if len(clean) != 2*sha256.Size {
		return "", fmt.Errorf("actatek: a SHA-256 fingerprint has 64 hex digits, %s has %d", lenient.Shorten(s), len(clean))
	}
	if _, err := hex.DecodeString(clean); err != nil {
		return "", fmt.Errorf("actatek: fingerprint %s is not hex", lenient.Shorten(s))
	}
	return clean, nil
}

// FormatFingerprint groups a hex fingerprint in colon-separated pairs, the way terminals
// and browsers show it, for a person to compare.
func FormatFingerprint(fp string) string {
	var b strings.Builder
	for i := 0; i+1 < len(fp); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(strings.ToUpper(fp[i : i+2]))
	}
	return b.String()
}

// CertInfo describes the certificate a terminal presents, for a person to confirm before
// it is pinned.
type CertInfo struct {
	Fingerprint string    `json:"sha256"` // SHA-256 of the DER, hex: the value to pin
	Subject     string    `json:"subject"`
	Issuer      string    `json:"issuer"`
	NotBefore   time.Time `json:"not_before"`
	NotAfter    time.Time `json:"not_after"`
	DNSNames    []string  `json:"dns_names,omitempty"`
	IPAddresses []string  `json:"ip_addresses,omitempty"`
	SelfSigned  bool      `json:"self_signed"`
}

// Probe connects to the terminal at rawURL, completes a TLS handshake and returns the
// certificate it presents, without trusting it: nothing is sent over the connection, which
// is closed at once. It is the first step of trust on first use; the fingerprint must be
// confirmed by a person (on the terminal's own screen or web page) before it is pinned.
func Probe(ctx context.Context, rawURL string) (CertInfo, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return CertInfo{}, fmt.Errorf("actatek probe: terminal URL %q: %w", rawURL, err)
	}
	if u.Scheme != "https" {
		return CertInfo{}, fmt.Errorf("actatek probe: %q is not an https URL", rawURL)
	}
	host := u.Hostname()
	port := u.Port()
	if port == "" {
		port = "443"
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
	}
	conf := &tls.Config{
		// Read-only: the handshake only fetches the certificate for display; no request is
		// sent over this connection and the certificate is not trusted for anything.
		InsecureSkipVerify: true,
		MinVersion:         tls.VersionTLS12,
	}
	if net.ParseIP(host) == nil {
		conf.ServerName = host
	}
	d := tls.Dialer{NetDialer: &net.Dialer{Timeout: 10 * time.Second}, Config: conf}
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return CertInfo{}, fmt.Errorf("actatek probe: %w: %w", ErrUnreachable, err)
	}
	defer conn.Close()
	certs := conn.(*tls.Conn).ConnectionState().PeerCertificates
	if len(certs) == 0 {
		return CertInfo{}, errors.New("actatek probe: the terminal presented no certificate")
	}
	return describe(certs[0]), nil
}

func describe(c *x509.Certificate) CertInfo {
	info := CertInfo{
		Fingerprint: Fingerprint(c.Raw),
		Subject:     c.Subject.String(),
		Issuer:      c.Issuer.String(),
		NotBefore:   c.NotBefore,
		NotAfter:    c.NotAfter,
		DNSNames:    c.DNSNames,
		SelfSigned:  bytes.Equal(c.RawIssuer, c.RawSubject) && c.CheckSignatureFrom(c) == nil,
	}
	for _, ip := range c.IPAddresses {
		info.IPAddresses = append(info.IPAddresses, ip.String())
	}
	return info
}

// tlsConfig is the TLS setup for u: nil for http; for https, either a pin or a CA, never
// an unverified connection.
func tlsConfig(u *url.URL, o Options) (*tls.Config, error) {
	hasCA := o.CAFile != "" || len(o.CAPEM) > 0
	switch u.Scheme {
	case "http":
		if o.PinSHA256 != "" || hasCA {
			return nil, fmt.Errorf("actatek: a certificate pin or CA was given but %s is plain http; use https", u.Redacted())
		}
		return nil, nil
	case "https":
	default:
		return nil, fmt.Errorf("actatek: terminal URL must start with https:// (or http:// for plain HTTP), not %q", u.Scheme+"://")
	}
	switch {
	case o.PinSHA256 != "" && hasCA:
		return nil, errors.New("actatek: give either a certificate pin or a CA file, not both")
	case o.PinSHA256 != "":
		pin, err := ParseFingerprint(o.PinSHA256)
		if err != nil {
			return nil, err
		}
		return &tls.Config{
			MinVersion: tls.VersionTLS12,
			// The chain and host name checks are replaced, not dropped: VerifyConnection
			// below accepts exactly one certificate, the pinned one, and runs on every
			// handshake, resumed ones included.
			InsecureSkipVerify: true,
			VerifyConnection: func(cs tls.ConnectionState) error {
				if len(cs.PeerCertificates) == 0 {
					return errors.New("the terminal presented no certificate")
				}
				got := Fingerprint(cs.PeerCertificates[0].Raw)
				if subtle.ConstantTimeCompare([]byte(got), []byte(pin)) != 1 {
					return &PinError{Want: pin, Got: got}
				}
				return nil
			},
		}, nil
	case hasCA:
		pem := o.CAPEM
		if o.CAFile != "" {
			var err error
			if pem, err = os.ReadFile(o.CAFile); err != nil {
				return nil, fmt.Errorf("actatek: read CA file: %w", err)
			}
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("actatek: the CA file holds no PEM certificate")
		}
		return &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool, ServerName: o.ServerName}, nil
	}
	return nil, ErrNoTrust
}
