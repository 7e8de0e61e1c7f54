package ef45sim

import (
	"strconv"
	"strings"
)

// compareVersions compares dotted version numbers part by part as numbers, so 1.2.100 is
// newer than 1.2.34 (specs/README.md, EF-45). Missing parts count as 0 and a part's
// non-digit tail is ignored ("1.2.34-rc1" equals 1.2.34). It returns -1, 0 or +1.
func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		x, y := versionPart(pa, i), versionPart(pb, i)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
	}
	return 0
}

func versionPart(parts []string, i int) uint64 {
	if i >= len(parts) {
		return 0
	}
	s := strings.TrimSpace(parts[i])
	end := 0
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	v, err := strconv.ParseUint(s[:end], 10, 64)
	if err != nil {
		return 0 // empty or beyond uint64: both rank as the lowest part
	}
	return v
}

// validVersion reports whether s is strictly dotted decimal numbers ("1.2.40"), the form a
// firmware header must carry.
func validVersion(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, p := range strings.Split(s, ".") {
		if p == "" || len(p) > 9 {
			return false
		}
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return false
			}
		}
	}
	return true
}
