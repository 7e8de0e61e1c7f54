package ef45sim

import "testing"

func TestCompareVersions(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"1.2.34", "1.2.34", 0},
		{"1.2.33", "1.2.34", -1},
		{"1.2.100", "1.2.34", 1},
		{"1.10", "1.9.9", 1},
		{"1.2", "1.2.0", 0},
		{"1.2.34-rc1", "1.2.34", 0},
		{"2", "1.99.99", 1},
		{"", "0", 0},
	} {
		if got := compareVersions(c.a, c.b); got != c.want {
			t.Errorf("compareVersions(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestValidVersion(t *testing.T) {
	for v, want := range map[string]bool{
		"1.2.40": true, "2": true, "0.0.1": true,
		"": false, "1..2": false, "1.2.": false, "v1": false, "1.2-rc": false, "1234567890.1": false,
	} {
		if got := validVersion(v); got != want {
			t.Errorf("validVersion(%q) = %v", v, got)
		}
	}
}

func FuzzCompareVersions(f *testing.F) {
	f.Add("1.2.34", "1.2.100")
	f.Add("1.2", "1.2.0.0")
	f.Add("99999999999999999999", "1")
	f.Fuzz(func(t *testing.T, a, b string) {
		ab, ba := compareVersions(a, b), compareVersions(b, a)
		if ab != -ba || compareVersions(a, a) != 0 || ab < -1 || ab > 1 {
			t.Errorf("compare(%q, %q) = %d, reverse %d", a, b, ab, ba)
		}
	})
}
