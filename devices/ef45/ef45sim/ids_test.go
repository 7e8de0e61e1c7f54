package ef45sim

import "testing"

func TestNewUUIDIsVersion4(t *testing.T) {
	r := newRNG(1, "t")
	seen := map[string]bool{}
	for range 100 {
		u := newUUID(r)
		if !validUUID(u) || u[14] != '4' || !stringsContainsByte("89ab", u[19]) {
			t.Fatalf("uuid %q", u)
		}
		if seen[u] {
			t.Fatalf("uuid %q repeated", u)
		}
		seen[u] = true
	}
	if a, b := newUUID(newRNG(1, "t")), newUUID(newRNG(1, "t")); a != b {
		t.Errorf("same seed, uuids %s and %s", a, b)
	}
}

func stringsContainsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

func TestValidUUID(t *testing.T) {
	for s, want := range map[string]bool{
		"6c45cc76-6291-11e8-b384-503f98000288": true,
		"6C45CC76-6291-11E8-B384-503F98000288": true,
		"6c45cc76629111e8b384503f98000288":     false,
		"6c45cc76-6291-11e8-b384-503f9800028":  false,
		"6c45cc76-6291-11e8-b384_503f98000288": false,
		"6c45cc76-6291-11e8-b384-503f9800028g": false,
		"":                                     false,
	} {
		if validUUID(s) != want {
			t.Errorf("validUUID(%q) = %v", s, !want)
		}
	}
}

func TestDeriveSeparatesStreams(t *testing.T) {
	if derive(1, "a") == derive(1, "b") || derive(1, "a") == derive(2, "a") || derive(1, "a", 1) == derive(1, "a", 2) {
		t.Error("different inputs gave the same seed")
	}
	if a, b := derive(7, "x", 3), derive(7, "x", 3); a != b {
		t.Errorf("derive is not repeatable: %x, %x", a, b)
	}
}
