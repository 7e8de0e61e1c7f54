package ef45sim

import (
	"encoding/binary"
	"encoding/hex"
	"hash/fnv"
	"math/rand/v2"
)

// derive turns the device seed, a label and optional numbers into an independent 64-bit
// seed, so that each stream of randomness (faults, ids, images, templates) stays the same
// when another stream is used more or less often.
func derive(seed int64, label string, n ...uint64) uint64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(seed))
	h.Write(b[:])
	h.Write([]byte(label))
	for _, v := range n {
		binary.LittleEndian.PutUint64(b[:], v)
		h.Write(b[:])
	}
	return splitmix(h.Sum64())
}

// splitmix is the SplitMix64 finaliser: it spreads nearby inputs over the whole range.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// newRNG returns a deterministic generator for one stream.
func newRNG(seed int64, label string, n ...uint64) *rand.Rand {
	s := derive(seed, label, n...)
	return rand.New(rand.NewPCG(s, splitmix(s)))
}

// newUUID draws a version 4 UUID (8-4-4-4-12) from r.
func newUUID(r *rand.Rand) string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], r.Uint64())
	binary.LittleEndian.PutUint64(b[8:], r.Uint64())
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// validUUID reports whether s has the 8-4-4-4-12 hex form spec 003 requires of lock and
// encounter ids.
func validUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
