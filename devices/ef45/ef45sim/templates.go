package ef45sim

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// Templates are opaque to the client. The simulator's own layout is a 16-byte header
// ("CMIT", record version, kind 'I' iris or 'F' face, eye or variant, code and mask
// lengths) followed by a binary code and its validity mask, like an iris code. Two
// captures of the same eye differ in a few percent of the bits, so matching is by
// fractional Hamming distance, as iris matchers do.
const (
	templateMagic    = "CMIT"
	templateHeader   = 16
	irisCodeBytes    = 2048
	faceCodeBytes    = 1024
	captureFlipRate  = 0.06 // share of bits that differ between two captures of one person
	matchThreshold   = 0.32 // fractional Hamming distance below which two codes match
	minComparedBits  = 1024
	kindIris         = 'I'
	kindFace         = 'F'
	maskedOutMaxRate = 0.15 // at most this share of an iris code hidden by eyelids
)

// irisTemplate is person's enrol template of eye (0 left, 1 right) in capture number n.
func irisTemplate(seed int64, person, eye int, n uint64, recordVersion int) []byte {
	code := make([]byte, irisCodeBytes)
	fillRandom(code, seed, "iris-code", uint64(person), uint64(eye))
	flipBits(code, seed, "iris-noise", uint64(person), uint64(eye), n)
	mask := bytes.Repeat([]byte{0xff}, irisCodeBytes)
	r := newRNG(seed, "iris-mask", uint64(person), uint64(eye), n)
	hidden := int(float64(irisCodeBytes) * maskedOutMaxRate * r.Float64())
	clear(mask[:hidden]) // the upper lid hides the top of the iris
	return packTemplate(kindIris, byte(eye), recordVersion, code, mask)
}

// faceFeature is person's face template for one face variant in capture number n.
func faceFeature(seed int64, person, variant int, n uint64, recordVersion int) []byte {
	code := make([]byte, faceCodeBytes)
	fillRandom(code, seed, "face-code", uint64(person))
	flipBits(code, seed, "face-noise", uint64(person), uint64(variant), n)
	return packTemplate(kindFace, byte(variant), recordVersion, code, bytes.Repeat([]byte{0xff}, faceCodeBytes))
}

func packTemplate(kind, sub byte, recordVersion int, code, mask []byte) []byte {
	b := make([]byte, templateHeader, templateHeader+len(code)+len(mask))
	copy(b, templateMagic)
	binary.LittleEndian.PutUint16(b[4:], uint16(recordVersion))
	b[6], b[7] = kind, sub
	binary.LittleEndian.PutUint32(b[8:], uint32(len(code)))
	binary.LittleEndian.PutUint32(b[12:], uint32(len(mask)))
	b = append(b, code...)
	return append(b, mask...)
}

// parseTemplate splits a template of the simulator's layout; ok is false for anything else.
func parseTemplate(b []byte) (kind byte, code, mask []byte, ok bool) {
	if len(b) < templateHeader || string(b[:4]) != templateMagic {
		return 0, nil, nil, false
	}
	nc := binary.LittleEndian.Uint32(b[8:])
	nm := binary.LittleEndian.Uint32(b[12:])
	if nc == 0 || nc != nm || uint64(len(b)) != templateHeader+uint64(nc)+uint64(nm) {
		return 0, nil, nil, false
	}
	return b[6], b[templateHeader : templateHeader+nc], b[templateHeader+nc:], true
}

// hammingDistance is the share of differing bits among those valid in both masks; 1 when
// too few bits can be compared.
func hammingDistance(a, b []byte) float64 {
	ka, ca, ma, oka := parseTemplate(a)
	kb, cb, mb, okb := parseTemplate(b)
	if !oka || !okb || ka != kb || len(ca) != len(cb) {
		return 1
	}
	var diff, valid int
	for i := range ca {
		m := ma[i] & mb[i]
		valid += bits.OnesCount8(m)
		diff += bits.OnesCount8((ca[i] ^ cb[i]) & m)
	}
	if valid < minComparedBits {
		return 1
	}
	return float64(diff) / float64(valid)
}

// templatesMatch says whether two templates come from the same eye or face. Templates not
// in the simulator's layout match only when byte-identical.
func templatesMatch(a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	if _, _, _, ok := parseTemplate(a); !ok {
		return bytes.Equal(a, b)
	}
	return hammingDistance(a, b) < matchThreshold
}

func fillRandom(b []byte, seed int64, label string, n ...uint64) {
	r := newRNG(seed, label, n...)
	for i := 0; i < len(b); i += 8 {
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], r.Uint64())
		copy(b[i:], w[:])
	}
}

func flipBits(b []byte, seed int64, label string, n ...uint64) {
	r := newRNG(seed, label, n...)
	for i := range b {
		for bit := 0; bit < 8; bit++ {
			if r.Float64() < captureFlipRate {
				b[i] ^= 1 << bit
			}
		}
	}
}
