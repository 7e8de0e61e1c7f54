package actatek_test

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

func TestJobCodes(t *testing.T) {
	f := newFixture(t, actateksim.Options{})
	ctx := ctxT(t)
	settings, err := f.c.JobCodes.Settings(ctx)
	if err != nil || len(settings) != 3 || settings[0].Enable != "disable" {
		t.Fatalf("%+v %v", settings, err)
	}
	if err := f.c.JobCodes.UpdateSettings(ctx, actatek.JobCodeSetting{JobCode: 1, Name: "Job 1111", Enable: "enable"}, actatek.JobCodeSetting{JobCode: 2, Enable: "disable"}); err != nil {
		t.Fatal(err)
	}
	if s, _ := f.c.JobCodes.Settings(ctx); s[0].Name != "Job 1111" || s[0].Enable != "enable" || s[1].Name != "Occupation" {
		t.Errorf("settings after update %+v", s)
	}
	if err := f.c.JobCodes.UpdateSettings(ctx, actatek.JobCodeSetting{JobCode: 4, Enable: "enable"}); err == nil {
		t.Error("job code setting 4 accepted")
	}
	if err := f.c.JobCodes.Add(ctx, actatek.JobCode{JobCode: 1, ID: 1, Name: "Job 1-1", Enable: "default"}, actatek.JobCode{JobCode: 1, ID: 2, Name: "Job 1-2", Enable: "enable"}); err != nil {
		t.Fatal(err)
	}
	if err := f.c.JobCodes.Add(ctx, actatek.JobCode{JobCode: 1, ID: 3, Name: "Job 1-3", Enable: "default"}); err == nil || !strings.Contains(err.Error(), "default") {
		t.Errorf("second default: %v", err)
	}
	if err := f.c.JobCodes.Update(ctx, actatek.JobCode{JobCode: 1, ID: 2, Name: "Renamed"}); err != nil {
		t.Fatal(err)
	}
	got, err := f.c.JobCodes.List(ctx, actatek.JobCodeFilter{JobCode: 1})
	if err != nil || len(got) != 2 || got[1].Name != "Renamed" || got[1].Enable != "enable" {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := f.c.JobCodes.List(ctx, actatek.JobCodeFilter{ID: 1}); err == nil {
		t.Error("an ID without its job code setting was sent")
	}
	if err := f.c.JobCodes.Delete(ctx, actatek.JobCodeFilter{JobCode: 1, ID: 2, Name: "Renamed"}); err != nil {
		t.Fatal(err)
	}
	if err := f.c.JobCodes.Delete(ctx, actatek.JobCodeFilter{JobCode: 1, ID: 1, Name: "wrong name"}); !errors.Is(err, actatek.ErrNotFound) {
		t.Errorf("delete by the wrong name: %v", err)
	}
	if err := f.c.JobCodes.Delete(ctx, actatek.JobCodeFilter{JobCode: 1}); err == nil {
		t.Error("delete without id and name was sent")
	}
}

// TestJobCodeEnableDecodesNumbers: enable is typed integer in 12.1 but shown as a word;
// both decode to the word. The first answer is 12.1's example.
func TestJobCodeEnableDecodesNumbers(t *testing.T) {
	answers := map[string]string{
		"jobcodesetting": `[{"jobcode":1,"name":"Job 1111","enable":"disable"},{"jobcode":2,"name":"Occup. 2222","enable":1},{"jobcode":3,"name":"Customise 3333","enable":0},]`,
		"jobcode":        `[{"jobcode":1,"id":1,"name":"Job 1-1","enable":true},{"jobcode":1,"id":2,"name":"Job 1-2","enable":"default"}]`,
	}
	ft := newFakeTerminal(t, func(r fakeRequest) (int, string) { return http.StatusOK, answers[r.Path] })
	c := ft.client(t)
	settings, err := c.JobCodes.Settings(t.Context())
	wantSettings := []actatek.JobCodeSetting{{JobCode: 1, Name: "Job 1111", Enable: "disable"}, {JobCode: 2, Name: "Occup. 2222", Enable: "enable"}, {JobCode: 3, Name: "Customise 3333", Enable: "disable"}}
	if err != nil || !slices.Equal(settings, wantSettings) {
		t.Errorf("settings %+v %v", settings, err)
	}
	codes, err := c.JobCodes.List(t.Context(), actatek.JobCodeFilter{JobCode: 1})
	wantCodes := []actatek.JobCode{{JobCode: 1, ID: 1, Name: "Job 1-1", Enable: "enable"}, {JobCode: 1, ID: 2, Name: "Job 1-2", Enable: "default"}}
	if err != nil || !slices.Equal(codes, wantCodes) {
		t.Errorf("codes %+v %v", codes, err)
	}
}
