package enrollment

import (
	"fmt"
	"math"

	"fyne.io/fyne/v2/lang"

	"enrollstation/enroll/capture"
)

// gateText is a gate's verdict in the operator's language, worded from its code and
// figures: "left iris usable area: 64 % (at least 70 %)". A gate of a code this screen
// does not know keeps the engine's English words.
func gateText(g capture.GateResult) string {
	name, figure, limit := gateName(g), gateFigure(g), gateLimit(g)
	if name == "" {
		return fmt.Sprintf("%s: %s (%s)", g.Name, g.Figure, g.Limit)
	}
	return lang.X("enroll.gate.line", "{{.Name}}: {{.Figure}} ({{.Limit}})",
		map[string]any{"Name": name, "Figure": figure, "Limit": limit})
}

// gateName is what the gate checks, empty for an unknown code.
func gateName(g capture.GateResult) string {
	eye := func(left, right string) string {
		if g.Eye == "right" {
			return right
		}
		return left
	}
	switch g.Code {
	case capture.GateIrisArea:
		return eye(lang.X("enroll.gate.iris_area.left", "left iris usable area"), lang.X("enroll.gate.iris_area.right", "right iris usable area"))
	case capture.GateIrisQuality:
		return eye(lang.X("enroll.gate.iris_quality.left", "left iris quality"), lang.X("enroll.gate.iris_quality.right", "right iris quality"))
	case capture.GateIrisRadius:
		return eye(lang.X("enroll.gate.iris_radius.left", "left iris radius"), lang.X("enroll.gate.iris_radius.right", "right iris radius"))
	case capture.GateDistance:
		return lang.X("enroll.gate.distance", "distance")
	case capture.GateFaceFrontal:
		return lang.X("enroll.gate.face_frontal", "face frontal score")
	case capture.GateFaceRoll:
		return lang.X("enroll.gate.face_roll", "face roll")
	case capture.GateDuplicateCheck:
		return lang.X("enroll.gate.duplicate_check", "duplicate check")
	}
	return ""
}

// gateFigure is the capture's figure of the gate.
func gateFigure(g capture.GateResult) string {
	if g.Code == capture.GateDuplicateCheck {
		return lang.X("enroll.gate.not_done", "not done (detail: {{.Detail}})", map[string]any{"Detail": g.Detail})
	}
	if !g.Measured {
		return lang.X("enroll.gate.not_measured", "not measured")
	}
	switch g.Code {
	case capture.GateIrisArea:
		return fmt.Sprintf("%d %%", int(g.Value))
	case capture.GateIrisQuality:
		if g.Value >= 1 {
			return lang.X("enroll.gate.ok", "ok")
		}
		return lang.X("enroll.gate.not_ok", "not ok")
	case capture.GateIrisRadius:
		return fmt.Sprintf("%d px", int(g.Value))
	case capture.GateDistance:
		return fmt.Sprintf("%d mm", int(g.Value))
	case capture.GateFaceFrontal:
		return fmt.Sprintf("%.2f", g.Value)
	case capture.GateFaceRoll:
		return fmt.Sprintf("%.1f°", g.Value)
	}
	return g.Figure
}

// gateLimit is what the gate asks for.
func gateLimit(g capture.GateResult) string {
	switch g.Code {
	case capture.GateIrisArea:
		return lang.X("enroll.gate.at_least", "at least {{.Min}}", map[string]any{"Min": fmt.Sprintf("%d %%", int(g.Min))})
	case capture.GateIrisQuality:
		return lang.X("enroll.gate.ok", "ok")
	case capture.GateIrisRadius:
		return lang.X("enroll.gate.at_least", "at least {{.Min}}", map[string]any{"Min": fmt.Sprintf("%d px", int(g.Min))})
	case capture.GateDistance:
		return fmt.Sprintf("%d–%d mm", int(g.Min), int(g.Max))
	case capture.GateFaceFrontal:
		return lang.X("enroll.gate.at_least", "at least {{.Min}}", map[string]any{"Min": fmt.Sprintf("%.2f", g.Min)})
	case capture.GateFaceRoll:
		return lang.X("enroll.gate.within", "within {{.Range}}", map[string]any{"Range": fmt.Sprintf("±%.1f°", math.Abs(g.Max))})
	case capture.GateDuplicateCheck:
		return lang.X("enroll.gate.done", "done")
	}
	return g.Limit
}
