package actateksim

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"time"
)

// newCertificate makes the terminal's self-signed ECDSA P-256 certificate. It is the same
// for the same seed, serial number and hosts (key derived from the seed, RFC 6979
// signature, fixed validity), so a fingerprint pinned once stays valid across restarts of
// a demo.
func newCertificate(seed int64, serial string, hosts []string) (tls.Certificate, *x509.Certificate, []byte, error) {
	key, err := seededKey(seed)
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	sn := sha256.Sum256(fmt.Appendf(nil, "actateksim serial %d", seed))
	tmpl := &x509.Certificate{
		SerialNumber:          new(big.Int).SetBytes(sn[:16]),
		Subject:               pkix.Name{CommonName: "ACTAtek " + serial, Organization: []string{"ACTAtek terminal (simulated)"}},
		NotBefore:             time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2045, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else if h != "" {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, deterministicSigner{key})
	if err != nil {
		return tls.Certificate{}, nil, nil, fmt.Errorf("actateksim: create certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, nil, fmt.Errorf("actateksim: parse certificate: %w", err)
	}
	cert := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
	return cert, leaf, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}

// seededKey derives a P-256 private key from the seed.
func seededKey(seed int64) (*ecdsa.PrivateKey, error) {
	for i := uint32(0); i < 64; i++ {
		var buf [12]byte
		binary.BigEndian.PutUint64(buf[:8], uint64(seed))
		binary.BigEndian.PutUint32(buf[8:], i)
		d := sha256.Sum256(append([]byte("actateksim key "), buf[:]...))
		// A candidate at or above the curve order (odds about 2^-32) is skipped.
		if key, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), d[:]); err == nil {
			return key, nil
		}
	}
	return nil, fmt.Errorf("actateksim: no usable key for seed %d", seed)
}

// deterministicSigner signs with RFC 6979 (a nil random source), so the certificate's
// bytes depend only on its inputs.
type deterministicSigner struct{ key *ecdsa.PrivateKey }

func (d deterministicSigner) Public() crypto.PublicKey { return &d.key.PublicKey }

func (d deterministicSigner) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return d.key.Sign(nil, digest, opts)
}
