package capture

import (
	"fmt"
	"math"
	"strings"

	"enrollstation/devices/ef45"
)

// Gates are the quality thresholds a capture must meet before it is accepted without the
// operator overriding them (specs/README.md, "Quality thresholds"). DefaultGates gives the
// documented values; a station may configure its own.
type Gates struct {
	// MinUsableIrisArea is the usable iris area per eye, percent (default 70).
	MinUsableIrisArea int
	// RequireQualityOK asks for the camera's quality-ok flag on each eye (default true).
	RequireQualityOK bool
	// MinIrisRadiusPx is the iris radius in the 640×480 image (default 100 px, ISO/IEC
	// 19794-6 "good").
	MinIrisRadiusPx int
	// MinDistanceMM and MaxDistanceMM bound the distance from the camera (350–450 mm).
	MinDistanceMM, MaxDistanceMM int
	// MinFrontalScore is the colour face's frontal score, 0 to 1 (default 0.8, the
	// camera's own FaceMinFrontalScore default).
	MinFrontalScore float64
	// MaxRollDeg bounds the head's roll either way, degrees (default 10).
	MaxRollDeg float64
}

// DefaultGates are the thresholds of specs/README.md.
func DefaultGates() Gates {
	return Gates{
		MinUsableIrisArea: 70, RequireQualityOK: true, MinIrisRadiusPx: 100,
		MinDistanceMM: 350, MaxDistanceMM: 450,
		MinFrontalScore: 0.8, MaxRollDeg: 10,
	}
}

// GateCode names a gate whatever the language: a screen words the gate by its code and
// figures, a log or the CLI prints Name, Figure and Limit.
type GateCode string

// The gates.
const (
	GateIrisArea       GateCode = "iris_area"       // an eye's usable iris area, percent
	GateIrisQuality    GateCode = "iris_quality"    // the camera's quality-ok flag of an eye
	GateIrisRadius     GateCode = "iris_radius"     // an eye's iris radius, pixels
	GateDistance       GateCode = "distance"        // the distance from the camera, mm
	GateFaceFrontal    GateCode = "face_frontal"    // the face's frontal score, 0 to 1
	GateFaceRoll       GateCode = "face_roll"       // the head's roll, degrees either way
	GateDuplicateCheck GateCode = "duplicate_check" // the camera's duplicate check ran
)

// GateResult is one gate's verdict: its name, the capture's figure and the limit, in words
// for logs and the CLI ("left iris usable area", "64 %", "at least 70 %"), and the same as
// a code and numbers for a screen to word in the operator's language.
type GateResult struct {
	Name   string `json:"name"`
	Figure string `json:"figure"`
	Limit  string `json:"limit"`
	Pass   bool   `json:"pass"`

	Code GateCode `json:"code,omitempty"`
	// Eye is "left" or "right" for an eye's gate, empty for the others.
	Eye string `json:"eye,omitempty"`
	// Measured says Value holds the capture's figure (1 or 0 for the quality flag); a
	// figure the camera did not report is not measured.
	Measured bool    `json:"measured,omitempty"`
	Value    float64 `json:"value,omitempty"`
	// Min and Max bound Value, as the gate's code says which apply (the roll: ±Max).
	Min float64 `json:"min,omitempty"`
	Max float64 `json:"max,omitempty"`
	// Detail is why a check could not run, in the words of whoever failed (the camera).
	Detail string `json:"detail,omitempty"`
}

// String is "name: figure (limit)", with "failed" when it did not pass.
func (r GateResult) String() string {
	s := fmt.Sprintf("%s: %s (%s)", r.Name, r.Figure, r.Limit)
	if !r.Pass {
		s += " failed"
	}
	return s
}

// FailedGates returns the results that did not pass.
func FailedGates(rs []GateResult) []GateResult {
	var out []GateResult
	for _, r := range rs {
		if !r.Pass {
			out = append(out, r)
		}
	}
	return out
}

// describeGates joins results for an error or an audit row.
func describeGates(rs []GateResult) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.String()
	}
	return strings.Join(parts, "; ")
}

// Check judges a biometric item and the last preview frame before it (the item carries no
// geometry: the iris radius and distance come from the preview). Eye gates apply to each
// eye the item holds, face gates to the colour face without glasses (or, when absent, the
// colour face with glasses). A figure the camera did not report fails its gate.
func (g Gates) Check(d *ef45.BiometricData, last *ef45.Preview) []GateResult {
	var rs []GateResult
	eyes := []struct {
		name   string
		eye    ef45.Eye
		radius func(*ef45.Preview) ef45.Int
	}{
		{"left", d.Left, func(p *ef45.Preview) ef45.Int { return p.LeftIrisRadius }},
		{"right", d.Right, func(p *ef45.Preview) ef45.Int { return p.RightIrisRadius }},
	}
	anyEye := false
	for _, e := range eyes {
		if len(e.eye.EnrolTemplate) == 0 && len(e.eye.Image) == 0 {
			continue
		}
		anyEye = true
		area := int(e.eye.UsableIrisArea)
		rs = append(rs, GateResult{Name: e.name + " iris usable area", Figure: fmt.Sprintf("%d %%", area),
			Limit: fmt.Sprintf("at least %d %%", g.MinUsableIrisArea), Pass: area >= g.MinUsableIrisArea,
			Code: GateIrisArea, Eye: e.name, Measured: true, Value: float64(area), Min: float64(g.MinUsableIrisArea)})
		if g.RequireQualityOK {
			q := 0.0
			if e.eye.QualityOK {
				q = 1
			}
			rs = append(rs, GateResult{Name: e.name + " iris quality", Figure: okText(bool(e.eye.QualityOK)),
				Limit: "ok", Pass: bool(e.eye.QualityOK), Code: GateIrisQuality, Eye: e.name, Measured: true, Value: q, Min: 1})
		}
		r := GateResult{Name: e.name + " iris radius", Figure: "not measured", Limit: fmt.Sprintf("at least %d px", g.MinIrisRadiusPx),
			Code: GateIrisRadius, Eye: e.name, Min: float64(g.MinIrisRadiusPx)}
		if last != nil && e.radius(last) > 0 {
			px := int(e.radius(last))
			r.Figure, r.Pass = fmt.Sprintf("%d px", px), px >= g.MinIrisRadiusPx
			r.Measured, r.Value = true, float64(px)
		}
		rs = append(rs, r)
	}
	if anyEye {
		r := GateResult{Name: "distance", Figure: "not measured", Limit: fmt.Sprintf("%d–%d mm", g.MinDistanceMM, g.MaxDistanceMM),
			Code: GateDistance, Min: float64(g.MinDistanceMM), Max: float64(g.MaxDistanceMM)}
		if last != nil {
			if mm, ok := last.DistanceMM(); ok {
				r.Figure, r.Pass = fmt.Sprintf("%d mm", mm), mm >= g.MinDistanceMM && mm <= g.MaxDistanceMM
				r.Measured, r.Value = true, float64(mm)
			}
		}
		rs = append(rs, r)
	}
	face := d.Faces[ef45.FaceFarOff]
	if face.Empty() {
		face = d.Faces[ef45.FaceNearOff]
	}
	if !face.Empty() {
		fs, roll := float64(face.FrontalScore), float64(face.Roll)
		rs = append(rs,
			GateResult{Name: "face frontal score", Figure: fmt.Sprintf("%.2f", fs),
				Limit: fmt.Sprintf("at least %.2f", g.MinFrontalScore), Pass: fs >= g.MinFrontalScore,
				Code: GateFaceFrontal, Measured: true, Value: fs, Min: g.MinFrontalScore},
			GateResult{Name: "face roll", Figure: fmt.Sprintf("%.1f°", roll),
				Limit: fmt.Sprintf("within ±%.1f°", g.MaxRollDeg), Pass: math.Abs(roll) <= g.MaxRollDeg,
				Code: GateFaceRoll, Measured: true, Value: roll, Min: -g.MaxRollDeg, Max: g.MaxRollDeg})
	}
	return rs
}

func okText(ok bool) string {
	if ok {
		return "ok"
	}
	return "not ok"
}
