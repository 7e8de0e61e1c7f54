package secrets

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const plain = "hunter2-s3cr3t"

func TestValueRedactsEverywhere(t *testing.T) {
	v := StringValue(plain)
	type config struct {
		User     string
		Password Value
	}
	cfg := config{User: "admin", Password: v}
	var outs []string
	for _, verb := range []string{"%v", "%s", "%q", "%x", "%X", "%#v", "%+v", "%d", "%10s"} {
		outs = append(outs, fmt.Sprintf(verb, v), fmt.Sprintf(verb, cfg), fmt.Sprintf(verb, &cfg))
	}
	outs = append(outs, fmt.Sprint(v), fmt.Sprintln(v), v.String())
	j, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, string(j))
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("login", "password", v, "cfg", cfg)
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("login", "password", v, "cfg", cfg)
	outs = append(outs, logs.String())
	for _, out := range outs {
		if strings.Contains(out, plain) || strings.Contains(out, fmt.Sprintf("%x", plain)) {
			t.Errorf("secret leaked: %s", out)
		}
	}
	if !strings.Contains(fmt.Sprint(v), "[redacted]") || !strings.Contains(string(j), `"[redacted]"`) ||
		!strings.Contains(logs.String(), "password=[redacted]") {
		t.Errorf("redaction marker missing: %q %q %q", fmt.Sprint(v), j, logs.String())
	}
}

func TestValueRevealAndCopy(t *testing.T) {
	src := []byte{1, 2, 3}
	v := NewValue(src)
	src[0] = 9
	if got := v.Bytes(); !bytes.Equal(got, []byte{1, 2, 3}) {
		t.Fatalf("NewValue did not copy: %v", got)
	}
	b := v.Bytes()
	b[1] = 9
	if got := v.Bytes(); got[1] != 2 {
		t.Fatal("Bytes exposed the internal slice")
	}
	if StringValue(plain).Reveal() != plain {
		t.Fatal("Reveal changed the value")
	}
	if v.Len() != 3 || v.IsZero() || !(Value{}).IsZero() {
		t.Fatal("Len/IsZero wrong")
	}
	if !v.Equal(NewValue([]byte{1, 2, 3})) || v.Equal(NewValue([]byte{1, 2})) {
		t.Fatal("Equal wrong")
	}
}
