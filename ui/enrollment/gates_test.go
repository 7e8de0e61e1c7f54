package enrollment

import (
	"fmt"
	"testing"

	"enrollstation/assets"
	"enrollstation/enroll/capture"
)

// The screen words a gate from its code and figures: in English, the engine's own words;
// in Japanese, none of them.
func TestGateTextWordsTheGateByItsCode(t *testing.T) {
	gates := []capture.GateResult{
		{Name: "left iris usable area", Figure: "64 %", Limit: "at least 70 %", Code: capture.GateIrisArea, Eye: "left", Measured: true, Value: 64, Min: 70},
		{Name: "right iris quality", Figure: "not ok", Limit: "ok", Code: capture.GateIrisQuality, Eye: "right", Measured: true, Value: 0, Min: 1},
		{Name: "right iris radius", Figure: "not measured", Limit: "at least 100 px", Code: capture.GateIrisRadius, Eye: "right", Min: 100},
		{Name: "distance", Figure: "451 mm", Limit: "350–450 mm", Code: capture.GateDistance, Measured: true, Value: 451, Min: 350, Max: 450},
		{Name: "face frontal score", Figure: "0.79", Limit: "at least 0.80", Code: capture.GateFaceFrontal, Measured: true, Value: 0.79, Min: 0.8},
		{Name: "face roll", Figure: "-10.0°", Limit: "within ±10.0°", Pass: true, Code: capture.GateFaceRoll, Measured: true, Value: -10, Min: -10, Max: 10},
	}
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "en")
	t.Setenv("LC_MESSAGES", "en")
	if err := assets.LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	for _, g := range gates {
		if got, want := gateText(g), fmt.Sprintf("%s: %s (%s)", g.Name, g.Figure, g.Limit); got != want {
			t.Errorf("English: %q, want %q", got, want)
		}
	}
	t.Setenv("LANGUAGE", "ja")
	t.Setenv("LC_MESSAGES", "ja")
	if err := assets.LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { t.Setenv("LANGUAGE", "en"); _ = assets.LoadTranslations() })
	want := []string{
		"左目の虹彩有効面積: 64 %（70 % 以上）",
		"右目の虹彩品質: 不良（良好）",
		"右目の虹彩半径: 未測定（100 px 以上）",
		"距離: 451 mm（350–450 mm）",
		"顔の正面スコア: 0.79（0.80 以上）",
		"顔の傾き: -10.0°（±10.0° 以内）",
	}
	for i, g := range gates {
		if got := gateText(g); got != want[i] {
			t.Errorf("Japanese: %q, want %q", got, want[i])
		}
	}
}
