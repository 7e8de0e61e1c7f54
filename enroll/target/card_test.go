package target

import (
	"errors"
	"testing"
)

// The spec's own example values, each read in the journal's form and written back.
func TestCardGoldenFromTheSpecs(t *testing.T) {
	cases := []struct {
		name, device, decimal, written string
		from                           func(string) (string, error)
		to                             func(string) (string, error)
	}{
		// 003 "Retrieve user info by card": "Expressed in HEX ... ex) '65 D8 A1 BD'".
		{"ef45 003 example", "65 D8 A1 BD", "1708695997", "65 D8 A1 BD", CardFromEF45, CardToEF45},
		{"ef45 lower case, no spaces", "65d8a1bd", "1708695997", "65 D8 A1 BD", CardFromEF45, CardToEF45},
		// 004 3.3 getUsers example: "cardsn": "AAAAAAAA".
		{"actatek 004 3.3 example", "AAAAAAAA", "2863311530", "AAAAAAAA", actatekHex, actatekToHex},
		// 004 3.1 addUser example: "cardsn": "00003".
		{"actatek 004 3.1 example", "00003", "3", "00000003", actatekHex, actatekToHex},
		{"actatek decimal terminal", "00003", "3", "3", actatekDec, actatekToDec},
		// 000 register body: "cards": [{"cardNumber": "12345", "formatType": "CSN"}].
		{"clue 000 example", "12345", "12345", "12345", CanonicalCard, CanonicalCard},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dec, err := tc.from(tc.device)
			if err != nil || dec != tc.decimal {
				t.Fatalf("read %q = %q, %v; want %q", tc.device, dec, err, tc.decimal)
			}
			back, err := tc.to(dec)
			if err != nil || back != tc.written {
				t.Fatalf("write %q = %q, %v; want %q", dec, back, err, tc.written)
			}
		})
	}
}

func actatekHex(c string) (string, error)   { return CardFromACTAtek(c, ACTAtekCardHex) }
func actatekToHex(c string) (string, error) { return CardToACTAtek(c, ACTAtekCardHex) }
func actatekDec(c string) (string, error)   { return CardFromACTAtek(c, ACTAtekCardDecimal) }
func actatekToDec(c string) (string, error) { return CardToACTAtek(c, ACTAtekCardDecimal) }

// decimal → device form → decimal is the same card on every target, short and long.
func TestCardRoundTrip(t *testing.T) {
	edges := map[string]struct{ to, from func(string) (string, error) }{
		"ef45":            {CardToEF45, CardFromEF45},
		"actatek hex":     {actatekToHex, actatekHex},
		"actatek decimal": {actatekToDec, actatekDec},
		"clue":            {CanonicalCard, CanonicalCard},
	}
	for _, dec := range []string{"0", "3", "255", "4100200", "1708695997", "4294967295", "4294967296",
		"72057594037927935", "1208925819614629174706175"} {
		for name, e := range edges {
			dev, err := e.to(dec)
			if err != nil {
				t.Fatalf("%s: write %s: %v", name, dec, err)
			}
			back, err := e.from(dev)
			if err != nil || back != dec {
				t.Errorf("%s: %s → %q → %q, %v", name, dec, dev, back, err)
			}
		}
	}
}

func TestCanonicalCard(t *testing.T) {
	for in, want := range map[string]string{"": "", " 0042 ": "42", "000": "0", "4100200": "4100200"} {
		if got, err := CanonicalCard(in); err != nil || got != want {
			t.Errorf("CanonicalCard(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"65D8", "12 34", "-1", "1e5", "123456789012345678901234567890123456789012345"} {
		if got, err := CanonicalCard(bad); !errors.Is(err, ErrCard) {
			t.Errorf("CanonicalCard(%q) = %q, %v; want ErrCard", bad, got, err)
		}
	}
	if _, err := CardFromEF45("65 ZZ"); !errors.Is(err, ErrCard) {
		t.Errorf("CardFromEF45 of no hex: %v", err)
	}
}

// Whatever a device sends as a card, reading it never panics, and a card it reads writes
// back to the same decimal on every edge.
func FuzzCardFromDevice(f *testing.F) {
	for _, s := range []string{"65 D8 A1 BD", "AAAAAAAA", "00003", "", "6", "65:d8-a1", "zz", "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		dec, err := CardFromEF45(s)
		if err != nil || dec == "" {
			return
		}
		for name, e := range map[string]struct{ to, from func(string) (string, error) }{
			"ef45": {CardToEF45, CardFromEF45}, "actatek": {actatekToHex, actatekHex}, "decimal": {actatekToDec, actatekDec},
		} {
			dev, err := e.to(dec)
			if err != nil {
				t.Fatalf("%s: %q read as %q does not write: %v", name, s, dec, err)
			}
			if back, err := e.from(dev); err != nil || back != dec {
				t.Fatalf("%s: %q → %q → %q → %q, %v", name, s, dec, dev, back, err)
			}
		}
	})
}
