package fwwizard

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"enrollstation/enroll/firmware"
)

var (
	langCall    = regexp.MustCompile(`lang\.X\(\s*"([^"]+)",\s*"((?:[^"\\]|\\.)*)"`)
	placeholder = regexp.MustCompile(`\{\{\.[A-Za-z]+\}\}`)
)

// translations reads one language's file of this screen.
func translations(t *testing.T, language string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "assets", "translations", "fwwizard."+language+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func placeholders(s string) []string {
	p := placeholder.FindAllString(s, -1)
	sort.Strings(p)
	return p
}

func TestEveryTextIsInTheTranslationFilesWithItsPlaceholders(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range langCall.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = m[2]
		}
	}
	en, ja := translations(t, "en"), translations(t, "ja")
	for k, fallback := range used {
		if en[k] != fallback {
			t.Errorf("%s: English file says %q, the code %q", k, en[k], fallback)
		}
	}
	for k := range en {
		if _, ok := used[k]; !ok {
			t.Errorf("%s is in the English file but not used", k)
		}
		if !reflect.DeepEqual(placeholders(en[k]), placeholders(ja[k])) {
			t.Errorf("%s: Japanese %q does not carry the placeholders of %q", k, ja[k], en[k])
		}
	}
}

func TestFailureWordsNameThePhaseAndTheStateLeft(t *testing.T) {
	for _, tc := range []struct {
		f    Failure
		want string
	}{
		{Failure{Phase: firmware.PhaseUnits, State: firmware.StateUnchanged, Cause: firmware.CauseNoAnswer, Version: "1.2.34", Sent: 2 << 20, Total: 4 << 20},
			"The camera stopped answering while sending the file (2.0 MiB of 4.0 MiB sent). The camera keeps its firmware 1.2.34; you can start again."},
		{Failure{Phase: firmware.PhaseDone, State: firmware.StateUnknown, Cause: firmware.CauseNoAnswer},
			"The camera stopped answering at the last part, when the camera checks the file. It is not known whether it took the file: do not switch it off or unplug it, and check its version in a few minutes."},
		{Failure{Phase: firmware.PhaseReboot, State: firmware.StateInstalling, Cause: firmware.CauseTimeout, Wait: 10 * time.Minute},
			"The camera did not come back within 10m0s. It may still be installing: do not switch it off or unplug it."},
		{Failure{Cause: firmware.CauseRunning}, "An upload to this camera is already running. Nothing was sent to it."},
	} {
		if got := failureWords(tc.f); got != tc.want {
			t.Errorf("%+v\n got %q\nwant %q", tc.f, got, tc.want)
		}
	}
}
