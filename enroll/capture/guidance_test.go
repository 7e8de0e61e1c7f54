package capture

import (
	"testing"

	"enrollstation/devices/ef45"
)

func TestGuidanceFor(t *testing.T) {
	// inRange is a person at 400 mm with both irises found big enough.
	inRange := func() *ef45.Preview {
		return &ef45.Preview{AvgDistance: 400000, LeftDistance: 400000, RightDistance: 400000,
			LeftIrisRadius: 120, RightIrisRadius: 118}
	}
	with := func(f func(p *ef45.Preview)) *ef45.Preview {
		p := inRange()
		f(p)
		return p
	}
	cases := []struct {
		name string
		p    *ef45.Preview
		want Guidance
	}{
		{"no frame yet", nil, Guidance{"Waiting for the camera", LevelInfo, false, HintWaiting}},
		{"in position", inRange(), Guidance{"Hold still", LevelGood, true, HintHoldStill}},
		{"limits are inclusive, near", with(func(p *ef45.Preview) { p.AvgDistance = 350000; p.LeftIrisRadius = 100; p.RightIrisRadius = 100 }),
			Guidance{"Hold still", LevelGood, true, HintHoldStill}},
		{"limits are inclusive, far", with(func(p *ef45.Preview) { p.AvgDistance = 450999 }), Guidance{"Hold still", LevelGood, true, HintHoldStill}},
		{"too far", with(func(p *ef45.Preview) { p.AvgDistance = 520000 }), Guidance{"Come closer", LevelWarn, false, HintCloser}},
		{"too close", with(func(p *ef45.Preview) { p.AvgDistance = 300000 }), Guidance{"Move back a little", LevelWarn, false, HintFarther}},
		{"glasses first, even when far", with(func(p *ef45.Preview) { p.Message = ef45.MessageTakeOffGlasses; p.AvgDistance = 600000 }),
			Guidance{"Please take off your glasses", LevelWarn, false, HintGlasses}},
		{"distance before the camera's up/down", with(func(p *ef45.Preview) { p.Message = ef45.MessageMoveUp; p.AvgDistance = 600000 }),
			Guidance{"Come closer", LevelWarn, false, HintCloser}},
		{"move down", with(func(p *ef45.Preview) { p.Message = ef45.MessageMoveDown }), Guidance{"Move down a little", LevelWarn, false, HintDown}},
		{"move up", with(func(p *ef45.Preview) { p.Message = ef45.MessageMoveUp }), Guidance{"Move up a little", LevelWarn, false, HintUp}},
		{"open eyes", with(func(p *ef45.Preview) { p.Message = ef45.MessageOpenEyes }), Guidance{"Open your eyes wide", LevelWarn, false, HintOpenEyes}},
		{"unknown message code is ignored", with(func(p *ef45.Preview) { p.Message = 9 }), Guidance{"Hold still", LevelGood, true, HintHoldStill}},
		{"left iris too small", with(func(p *ef45.Preview) { p.LeftIrisRadius = 99 }), Guidance{"Look at the camera", LevelInfo, false, HintLookAtCamera}},
		{"right iris not found", with(func(p *ef45.Preview) { p.RightIrisRadius = -1 }), Guidance{"Look at the camera", LevelInfo, false, HintLookAtCamera}},
		{"distance unknown", with(func(p *ef45.Preview) { p.AvgDistance, p.LeftDistance, p.RightDistance = -1, -1, -1 }),
			Guidance{"Look at the camera", LevelInfo, false, HintLookAtCamera}},
		{"average unknown, eyes known and far", with(func(p *ef45.Preview) { p.AvgDistance, p.LeftDistance, p.RightDistance = -1, 500000, -1 }),
			Guidance{"Come closer", LevelWarn, false, HintCloser}},
		{"average unknown, eyes known and in range", with(func(p *ef45.Preview) { p.AvgDistance, p.LeftDistance, p.RightDistance = -1, 380000, 420000 }),
			Guidance{"Hold still", LevelGood, true, HintHoldStill}},
		{"empty preview", &ef45.Preview{AvgDistance: -1, LeftDistance: -1, RightDistance: -1},
			Guidance{"Look at the camera", LevelInfo, false, HintLookAtCamera}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := GuidanceFor(tc.p); got != tc.want {
				t.Errorf("GuidanceFor = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestLevelString(t *testing.T) {
	for l, want := range map[Level]string{LevelInfo: "info", LevelWarn: "warn", LevelGood: "good", Level(7): "unknown"} {
		if got := l.String(); got != want {
			t.Errorf("Level(%d).String() = %q, want %q", l, got, want)
		}
	}
}

func TestGuidanceFollowsConfiguredGates(t *testing.T) {
	g := DefaultGates()
	g.MinDistanceMM, g.MaxDistanceMM, g.MinIrisRadiusPx = 300, 380, 90
	p := &ef45.Preview{AvgDistance: 400000, LeftIrisRadius: 95, RightIrisRadius: 95}
	if got, want := g.Guidance(p), (Guidance{"Come closer", LevelWarn, false, HintCloser}); got != want {
		t.Errorf("at 400 mm with a 380 mm limit: %+v, want %+v", got, want)
	}
	p.AvgDistance = 320000
	if got, want := g.Guidance(p), (Guidance{"Hold still", LevelGood, true, HintHoldStill}); got != want {
		t.Errorf("at 320 mm, radius 95 of 90: %+v, want %+v", got, want)
	}
}

func TestHintString(t *testing.T) {
	for h, want := range map[Hint]string{HintCloser: "Come closer", HintFarther: "Move back a little", Hint(-1): "unknown", Hint(99): "unknown"} {
		if got := h.String(); got != want {
			t.Errorf("Hint(%d).String() = %q, want %q", h, got, want)
		}
	}
}
