package actateksim

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"testing"
	"time"
)

func TestCertificate(t *testing.T) {
	_, leaf, pemBytes, err := newCertificate(11, "00111D000001", []string{"terminal.local", "10.1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	_, again, _, _ := newCertificate(11, "00111D000001", []string{"terminal.local", "10.1.2.3"})
	if !bytes.Equal(leaf.Raw, again.Raw) {
		t.Error("the same inputs made different certificates")
	}
	key, ok := leaf.PublicKey.(*ecdsa.PublicKey)
	if !ok || key.Curve != elliptic.P256() {
		t.Errorf("key %T", leaf.PublicKey)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("PEM")
	}
	for _, name := range []string{"localhost", "127.0.0.1", "::1", "terminal.local", "10.1.2.3"} {
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: pool, CurrentTime: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := leaf.VerifyHostname("example.com"); err == nil {
		t.Error("valid for a name it was not made for")
	}
}
