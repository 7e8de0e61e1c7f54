package target

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// Card numbers. The journal keeps one form, decimal digits without leading zeros (the
// number printed on most cards, and the only form CLUe takes: spec 000, "list of card ID
// (decimal)"). Each target converts at its own edge, both when it pushes and when its
// inventory is read back, so reconcile compares like with like:
//
//   - EF-45: hex bytes separated by spaces, "65 D8 A1 BD" (spec 003, "Retrieve user info by
//     card"). The decimal is the bytes read big-endian, in the order the device shows them:
//     "65 D8 A1 BD" is 1708695997. At least four bytes are written (the 4-byte serial of
//     the spec's example); a longer number takes the bytes it needs.
//   - ACTAtek: cardsn is "smart card number" (spec 004, 3.1 to 3.3) with the examples
//     "00003" and "AAAAAAAA". Only hex reads both, so cardsn is hex digits without spaces,
//     eight at least ("AAAAAAAA" is 2863311530); the target option card_format=decimal
//     sends decimal instead, for a terminal set up to show cards that way.
//   - CLUe: decimal, as the journal keeps it.

// maxCardBytes bounds a card number: the longest card serials (ISO 14443 triple-size
// UIDs) are 10 bytes; 16 leaves room and keeps a typo from becoming a huge number.
const maxCardBytes = 16

// minCardBytes is how many bytes a card is written in at least, on targets that take hex.
const minCardBytes = 4

// ErrCard reports a card number that is not in the form a conversion expects.
var ErrCard = errors.New("not a card number")

// CanonicalCard is a decimal card number in the journal's form: digits only, without
// leading zeros (so "00003" and "3" are one card). Spaces around it are dropped; "" stays "".
func CanonicalCard(card string) (string, error) {
	card = strings.TrimSpace(card)
	if card == "" {
		return "", nil
	}
	if strings.Trim(card, "0123456789") != "" {
		return "", fmt.Errorf("%w: %q holds more than digits", ErrCard, card)
	}
	n, _ := new(big.Int).SetString(card, 10)
	if len(n.Bytes()) > maxCardBytes {
		return "", fmt.Errorf("%w: %q is longer than any card's serial", ErrCard, card)
	}
	return n.String(), nil
}

// cardBytes is the decimal card as big-endian bytes, minCardBytes at least.
func cardBytes(card string) ([]byte, error) {
	c, err := CanonicalCard(card)
	if err != nil || c == "" {
		return nil, err
	}
	n, _ := new(big.Int).SetString(c, 10)
	b := n.Bytes()
	if len(b) < minCardBytes {
		b = append(make([]byte, minCardBytes-len(b)), b...)
	}
	return b, nil
}

// cardFromHex reads hex digits (spaces, ':' and '-' between them allowed, an odd count
// taken as a leading zero) as a decimal card number in the journal's form.
func cardFromHex(s string) (string, error) {
	compact := strings.Map(func(r rune) rune {
		if r == ' ' || r == ':' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if compact == "" {
		return "", nil
	}
	if len(compact)%2 == 1 {
		compact = "0" + compact
	}
	b, err := hex.DecodeString(compact)
	if err != nil {
		return "", fmt.Errorf("%w: %q is not hex", ErrCard, s)
	}
	if len(b) > maxCardBytes {
		return "", fmt.Errorf("%w: %q is longer than any card's serial", ErrCard, s)
	}
	return new(big.Int).SetBytes(b).String(), nil
}

// CardToEF45 writes a decimal card as the EF-45 does: upper-case hex bytes separated by
// single spaces ("65 D8 A1 BD").
func CardToEF45(card string) (string, error) {
	b, err := cardBytes(card)
	if err != nil || b == nil {
		return "", err
	}
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("%02X", x)
	}
	return strings.Join(parts, " "), nil
}

// CardFromEF45 reads a card as an EF-45 writes it (its reader, its user info) in the
// journal's form.
func CardFromEF45(card string) (string, error) { return cardFromHex(card) }

// Card formats of an ACTAtek terminal's cardsn (target option card_format).
const (
	ACTAtekCardHex     = "hex"
	ACTAtekCardDecimal = "decimal"
)

// CardToACTAtek writes a decimal card as the terminal's cardsn in format (ACTAtekCardHex
// when empty): hex digits, eight at least, or decimal.
func CardToACTAtek(card, format string) (string, error) {
	if format == ACTAtekCardDecimal {
		return CanonicalCard(card)
	}
	b, err := cardBytes(card)
	if err != nil || b == nil {
		return "", err
	}
	return strings.ToUpper(hex.EncodeToString(b)), nil
}

// CardFromACTAtek reads a terminal's cardsn in format in the journal's form.
func CardFromACTAtek(card, format string) (string, error) {
	if format == ACTAtekCardDecimal {
		return CanonicalCard(card)
	}
	return cardFromHex(card)
}

// journalCard is the person's card for a push: "" when the journal holds none, or holds
// text that is no decimal card (a row older than the one form), which no target can take.
func journalCard(card string) string {
	c, err := CanonicalCard(card)
	if err != nil {
		return ""
	}
	return c
}

// inventoryCard is a card a target holds, in the journal's form; what cannot be read is
// kept as the target sent it, so reconcile shows it as it is.
func inventoryCard(card string, from func(string) (string, error)) string {
	c, err := from(card)
	if err != nil {
		return strings.TrimSpace(card)
	}
	return c
}
