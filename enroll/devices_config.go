package enroll

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"enrollstation/devices/ef45"
)

// Types of an EF-45 configuration key: a key is read and written with its own type.
const (
	ConfigBool   = ef45.ConfigBool
	ConfigInt    = ef45.ConfigInt
	ConfigFloat  = ef45.ConfigFloat
	ConfigString = ef45.ConfigString
)

// ConfigTypes are the types of an EF-45 configuration key.
func ConfigTypes() []string { return []string{ConfigBool, ConfigInt, ConfigFloat, ConfigString} }

// ParseConfigValue reads a value typed by a person as a configuration value of type typ.
func ParseConfigValue(typ, value string) (any, error) {
	v := strings.TrimSpace(value)
	switch typ {
	case ConfigBool:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("%q is not true or false", value)
		}
		return b, nil
	case ConfigInt:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", value)
		}
		return n, nil
	case ConfigFloat:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", value)
		}
		return f, nil
	case ConfigString:
		return value, nil
	}
	return nil, fmt.Errorf("%q is not a configuration type (bool, int, float or string)", typ)
}

// TargetConfig reads configuration key of type typ on an EF-45, as text.
func (s *Station) TargetConfig(ctx context.Context, id TargetID, key, typ string) (string, error) {
	if !slices.Contains(ConfigTypes(), typ) {
		return "", fmt.Errorf("read config %s: %q is not a configuration type (bool, int, float or string)", key, typ)
	}
	c, name, err := s.ef45Client(ctx, id)
	if err != nil {
		return "", fmt.Errorf("read config %s: %w", key, err)
	}
	var out string
	err = ef45Locked(ctx, c, func(sess *ef45.Session) error {
		v, err := sess.Config.Get(ctx, key, typ)
		switch typ {
		case ConfigBool:
			out = strconv.FormatBool(bool(v.Bool))
		case ConfigInt:
			out = strconv.FormatInt(int64(v.Int), 10)
		case ConfigFloat:
			out = strconv.FormatFloat(float64(v.Float), 'g', -1, 64)
		default:
			out = v.String
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("read config %s of %s: %w", key, name, err)
	}
	return out, nil
}

// SetTargetConfig writes configuration key of type typ on an EF-45.
func (s *Station) SetTargetConfig(ctx context.Context, id TargetID, key, typ, value string) error {
	v, err := ParseConfigValue(typ, value)
	if err != nil {
		return fmt.Errorf("write config %s: %w", key, err)
	}
	c, name, err := s.ef45Client(ctx, id)
	if err != nil {
		return fmt.Errorf("write config %s: %w", key, err)
	}
	err = ef45Locked(ctx, c, func(sess *ef45.Session) error { return sess.Config.Set(ctx, key, v) })
	if err != nil {
		return fmt.Errorf("write config %s of %s: %w", key, name, err)
	}
	return nil
}
