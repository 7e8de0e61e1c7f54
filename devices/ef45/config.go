package ef45

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Get reads a configuration key of the given type (ConfigBool, ConfigInt, ConfigFloat,
// ConfigString) (GET /config/{title}/{type}).
func (c *ConfigService) Get(ctx context.Context, title, typ string) (ConfigValue, error) {
	var v ConfigValue
	err := c.s.get(ctx, "read config "+title, configPath(title, typ), nil, &v, 0)
	return v, err
}

// Set writes a configuration key; value must be a bool, an int, a float64 or a string,
// matching the key's type (PUT /config/{title}/{type} with the bare JSON value).
func (c *ConfigService) Set(ctx context.Context, title string, value any) error {
	var typ string
	switch value.(type) {
	case bool:
		typ = ConfigBool
	case int, int32, int64:
		typ = ConfigInt
	case float32, float64:
		typ = ConfigFloat
	case string:
		typ = ConfigString
	default:
		return local("write config "+title, fmt.Errorf("unsupported value type %T", value))
	}
	return c.s.send(ctx, "write config "+title, http.MethodPut, configPath(title, typ), nil, value, nil)
}

// Bool reads a boolean key.
func (c *ConfigService) Bool(ctx context.Context, title string) (bool, error) {
	v, err := c.Get(ctx, title, ConfigBool)
	return bool(v.Bool), err
}

// Int reads an integer key.
func (c *ConfigService) Int(ctx context.Context, title string) (int, error) {
	v, err := c.Get(ctx, title, ConfigInt)
	return int(v.Int), err
}

// Float reads a floating-point key.
func (c *ConfigService) Float(ctx context.Context, title string) (float64, error) {
	v, err := c.Get(ctx, title, ConfigFloat)
	return float64(v.Float), err
}

// String reads a text key.
func (c *ConfigService) String(ctx context.Context, title string) (string, error) {
	v, err := c.Get(ctx, title, ConfigString)
	return v.String, err
}

func configPath(title, typ string) string {
	return "config/" + url.PathEscape(title) + "/" + url.PathEscape(typ)
}

// DoorStatus reads the door sensor, relay, tamper and request-to-exit inputs
// (GET /config/door-status).
func (c *ConfigService) DoorStatus(ctx context.Context) (DoorStatus, error) {
	var v DoorStatus
	err := c.s.get(ctx, "read door status", "config/door-status", nil, &v, 0)
	return v, err
}

// Relay drives the door relay for d (whole seconds); forced keeps it regardless of the
// door schedule (PUT /config/relay?forced=&duration=).
func (c *ConfigService) Relay(ctx context.Context, forced bool, d time.Duration) error {
	q := url.Values{"forced": {strconv.FormatBool(forced)}, "duration": {strconv.Itoa(int(d.Round(time.Second) / time.Second))}}
	return c.s.send(ctx, "operate relay", http.MethodPut, "config/relay", q, nil, nil)
}

// ConfigValue is GET /config/{title}/{type}: the value sits in the field named by the type.
type ConfigValue struct {
	Title  string `json:"title"`
	Bool   Bool   `json:"bool"`
	Float  Float  `json:"float"`
	Int    Int    `json:"int"`
	String string `json:"string"`
}

// Config value types, the {type} path segment.
const (
	ConfigBool   = "bool"
	ConfigFloat  = "float"
	ConfigInt    = "int"
	ConfigString = "string"
)

// DoorStatus is GET /config/door-status.
type DoorStatus struct {
	DoorSensor Int `json:"door_sensor"`
	Relay      Int `json:"relay"`
	Tamper     Int `json:"tamper"`
	RTE        Int `json:"rte"`
}
