package enroll

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"enrollstation/enroll/capture"
	"enrollstation/store"
)

// Preferences are the station's own settings, kept in the journal: where new enrollments
// go, the quality gates a capture must pass, and the language of the screens.
type Preferences struct {
	// Targets are the targets a new enrollment is pushed to; empty means every enabled one.
	Targets []TargetID
	// Gates are the quality gates.
	Gates capture.Gates
	// Language is "en", "ja", or empty for the system's.
	Language string
	// RetentionDays is the retention schedule (see SetRetentionDays); 0 when none is set.
	RetentionDays int
}

// The settings behind Preferences.
const (
	settingTargets  = "enroll.targets"
	settingGates    = "capture.gates"
	settingLanguage = "ui.language"
)

// Languages are the languages the screens are translated into.
func Languages() []string { return []string{"en", "ja"} }

// Preferences reads the station's settings; unset ones take their defaults.
func (s *Station) Preferences(ctx context.Context) (Preferences, error) {
	p := Preferences{Gates: capture.DefaultGates()}
	read := func(name string) (string, error) {
		v, err := s.st.Setting(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			return "", nil
		}
		return v, err
	}
	v, err := read(settingTargets)
	if err != nil {
		return p, err
	}
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return p, fmt.Errorf("setting %s: %q is not a target id", settingTargets, f)
		}
		p.Targets = append(p.Targets, TargetID(id))
	}
	if v, err = read(settingGates); err != nil {
		return p, err
	}
	if v != "" {
		if err := json.Unmarshal([]byte(v), &p.Gates); err != nil {
			return p, fmt.Errorf("setting %s: %w", settingGates, err)
		}
	}
	if p.Language, err = read(settingLanguage); err != nil {
		return p, err
	}
	if p.RetentionDays, err = s.RetentionDays(ctx); err != nil {
		return p, err
	}
	return p, nil
}

// CheckPreferences says what is wrong with p, field by field (empty when nothing is).
func CheckPreferences(p Preferences) map[string]string {
	bad := map[string]string{}
	g := p.Gates
	if g.MinUsableIrisArea < 0 || g.MinUsableIrisArea > 100 {
		bad["min_usable_iris_area"] = "between 0 and 100 %"
	}
	if g.MinIrisRadiusPx < 0 || g.MinIrisRadiusPx > 320 {
		bad["min_iris_radius"] = "between 0 and 320 px"
	}
	if g.MinDistanceMM < 0 || g.MaxDistanceMM <= g.MinDistanceMM {
		bad["distance"] = "the nearest must be below the farthest"
	}
	if g.MinFrontalScore < 0 || g.MinFrontalScore > 1 {
		bad["min_frontal_score"] = "between 0 and 1"
	}
	if g.MaxRollDeg < 0 || g.MaxRollDeg > 90 {
		bad["max_roll"] = "between 0 and 90 degrees"
	}
	if p.Language != "" && !slices.Contains(Languages(), p.Language) {
		bad["language"] = "one of " + strings.Join(Languages(), ", ")
	}
	if msg := CheckRetentionDays(p.RetentionDays); msg != "" {
		bad["retention_days"] = msg
	}
	return bad
}

// SavePreferences checks p and keeps it in the journal, audited under operator.
func (s *Station) SavePreferences(ctx context.Context, p Preferences, operator string) error {
	if bad := CheckPreferences(p); len(bad) > 0 {
		return fmt.Errorf("save preferences: %w: %v", store.ErrInvalid, bad)
	}
	ids := make([]string, len(p.Targets))
	for i, id := range p.Targets {
		ids[i] = strconv.FormatInt(int64(id), 10)
	}
	gates, err := json.Marshal(p.Gates)
	if err != nil {
		return fmt.Errorf("save preferences: %w", err)
	}
	for _, kv := range [][2]string{{settingTargets, strings.Join(ids, ",")}, {settingGates, string(gates)}, {settingLanguage, p.Language}} {
		if err := s.st.SetSetting(ctx, kv[0], kv[1], operator); err != nil {
			return fmt.Errorf("save preferences: %w", err)
		}
	}
	if err := s.SetRetentionDays(ctx, p.RetentionDays, operator); err != nil {
		return fmt.Errorf("save preferences: %w", err)
	}
	return nil
}

// EnrollTargets are the targets a new enrollment goes to: the preferred ones that are
// enabled, or every enabled one when none is preferred.
func (s *Station) EnrollTargets(ctx context.Context) ([]TargetID, error) {
	p, err := s.Preferences(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.st.Targets(ctx)
	if err != nil {
		return nil, err
	}
	var out []TargetID
	for _, t := range all {
		if t.Enabled && (len(p.Targets) == 0 || slices.Contains(p.Targets, t.ID)) {
			out = append(out, t.ID)
		}
	}
	return out, nil
}
