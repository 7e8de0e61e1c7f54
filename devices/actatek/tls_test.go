package actatek_test

import (
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

func TestPinnedCertificate(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	// Pasted the way a person copies it off a terminal: upper case, with colons.
	c := f.client(t, actatek.Options{PinSHA256: actatek.FormatFingerprint(f.sim.Fingerprint())})
	if _, err := c.Terminal.Status(ctxT(t)); err != nil {
		t.Fatal(err)
	}
}

func TestPinMismatchIsRefused(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	other, err := actateksim.New(actateksim.Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	c := f.client(t, actatek.Options{PinSHA256: other.Fingerprint()})
	_, err = c.Terminal.Status(ctxT(t))
	var pe *actatek.PinError
	if !errors.As(err, &pe) {
		t.Fatalf("want a PinError, got %v", err)
	}
	if pe.Got != f.sim.Fingerprint() || pe.Want != other.Fingerprint() {
		t.Errorf("PinError %+v", pe)
	}
	if !errors.Is(err, actatek.ErrUnreachable) || !strings.Contains(err.Error(), "not the pinned one") {
		t.Errorf("error text: %v", err)
	}
	if n := f.sim.Stats().Calls; n != 0 {
		t.Errorf("the terminal received %d calls through a refused certificate (the password would have gone with the login)", n)
	}
}

func TestCAFile(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	dir := t.TempDir()
	ca := filepath.Join(dir, "terminal.pem")
	if err := os.WriteFile(ca, f.sim.CertificatePEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	c := f.client(t, actatek.Options{CAFile: ca})
	if _, err := c.Terminal.Status(ctxT(t)); err != nil {
		t.Fatalf("CA file: %v", err)
	}
	// A CA that did not sign the terminal's certificate: normal verification refuses.
	other, _ := actateksim.New(actateksim.Options{Seed: 9})
	c2 := f.client(t, actatek.Options{CAPEM: other.CertificatePEM()})
	if _, err := c2.Terminal.Status(ctxT(t)); err == nil || !errors.Is(err, actatek.ErrUnreachable) {
		t.Errorf("wrong CA: got %v", err)
	}
	if _, err := actatek.New(f.srv.URL, actatek.Options{CAFile: filepath.Join(dir, "missing.pem")}); err == nil {
		t.Error("a missing CA file must fail")
	}
}

func TestProbeShowsWithoutTrusting(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	info, err := actatek.Probe(ctxT(t), f.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if info.Fingerprint != f.sim.Fingerprint() || !info.SelfSigned || !strings.Contains(info.Subject, f.sim.SerialNumber()) {
		t.Errorf("probe: %+v", info)
	}
	if len(info.IPAddresses) == 0 || info.NotAfter.Before(info.NotBefore) {
		t.Errorf("probe: %+v", info)
	}
	if n := f.sim.Stats().Calls; n != 0 {
		t.Errorf("the probe sent %d API calls; it must send none", n)
	}
	if _, err := actatek.Probe(ctxT(t), "http://127.0.0.1:1"); err == nil {
		t.Error("probing an http URL must fail")
	}
	if _, err := actatek.Probe(ctxT(t), "https://127.0.0.1:1"); !errors.Is(err, actatek.ErrUnreachable) {
		t.Errorf("closed port: %v", err)
	}
}

func TestPlainHTTPOnlyWhenAsked(t *testing.T) {
	sim, err := actateksim.New(actateksim.Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	defer srv.Close()
	c, err := actatek.New(srv.URL, actatek.Options{Credentials: sim.Credentials()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Terminal.Status(ctxT(t)); err != nil {
		t.Fatalf("plain http: %v", err)
	}
	// The same server named with https is not spoken to in clear.
	https := "https" + strings.TrimPrefix(srv.URL, "http")
	c2, err := actatek.New(https, actatek.Options{Credentials: sim.Credentials(), PinSHA256: sim.Fingerprint()})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if _, err := c2.Terminal.Status(ctxT(t)); !errors.Is(err, actatek.ErrUnreachable) {
		t.Errorf("https to a plain server: %v", err)
	}
}

func TestFingerprintParsing(t *testing.T) {
	fp := strings.Repeat("0a", 32)
	for _, in := range []string{fp, strings.ToUpper(fp), actatek.FormatFingerprint(fp), " " + strings.Join(strings.Split(actatek.FormatFingerprint(fp), ":"), " ") + " "} {
		got, err := actatek.ParseFingerprint(in)
		if err != nil || got != fp {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "0a0a", strings.Repeat("zz", 32)} {
		if _, err := actatek.ParseFingerprint(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
