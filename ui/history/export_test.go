package history

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"testing"
	"time"

	"enrollstation/enroll"
	"enrollstation/enroll/demo"
)

// closingBuffer is a file that records being closed.
type closingBuffer struct {
	bytes.Buffer
	closed bool
}

func (b *closingBuffer) Close() error { b.closed = true; return nil }

// exportNow exports the model's search and returns the CSV records.
func exportNow(t *testing.T, m *Model) (State, [][]string) {
	t.Helper()
	var out closingBuffer
	m.Export(&out)
	st := waitFor(t, m, "the export", func(s State) bool { return s.Export != nil && !s.Export.Running })
	if st.Export.Problem != nil || st.Export.Canceled {
		t.Fatalf("export: %+v", st.Export)
	}
	if !out.closed {
		t.Error("the export left its file open")
	}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return st, recs
}

func TestExportWritesTheCurrentSearchAsCSV(t *testing.T) {
	d := startDemo(t, 3)
	runOutbox(t, d)
	// A name a spreadsheet would take for a formula.
	_, err := d.Station.Store().SaveCapture(t.Context(), enroll.Person{Key: "tricky", GivenName: "Tan", FamilyName: "=1+2",
		ConsentAt: time.Now(), ConsentBy: "op1"},
		enroll.Capture{DeviceSerial: "TEST", Operator: "op1", Blobs: []enroll.Blob{{Kind: "eye_template", Variant: "left", Data: []byte("x")}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := newTestModel(t, FromStation(d.Station))
	waitFor(t, m, "the first page", func(s State) bool { return settled(s) && s.Total == 4 })

	m.SetText("tan")
	waitFor(t, m, "the search", func(s State) bool { return settled(s) && s.Total == 2 })
	st, recs := exportNow(t, m)
	if st.Export.Rows != 2 || len(recs) != 3 {
		t.Fatalf("%d rows reported, records %q", st.Export.Rows, recs)
	}
	header := recs[0]
	col := func(name string) int {
		i := slices.Index(header, name)
		if i < 0 {
			t.Fatalf("no column %q in %q", name, header)
		}
		return i
	}
	rows := map[string][]string{}
	for _, r := range recs[1:] {
		rows[r[col("person_key")]] = r
	}
	aiko, tricky := rows["demo-0001"], rows["tricky"]
	if aiko == nil || tricky == nil {
		t.Fatalf("rows %q", recs)
	}
	want := map[string]string{"given_name": "Aiko", "family_name": "Tanaka", "card_number": "4100200",
		"department": "Front desk", "push_state": "done", "push: " + demo.LobbyName: "done", "push: " + demo.CloudName: "done"}
	for name, v := range want {
		if got := aiko[col(name)]; got != v {
			t.Errorf("%s = %q, want %q", name, got, v)
		}
	}
	if got := tricky[col("family_name")]; got != "'=1+2" {
		t.Errorf("a formula is exported as %q", got)
	}
	if got := tricky[col("push: "+demo.LobbyName)]; got != "" {
		t.Errorf("a person with no push has %q", got)
	}

	// With no filter, the export is the journal's own, of everyone, in the same columns.
	m.SetText("")
	waitFor(t, m, "everyone", func(s State) bool { return settled(s) && s.Total == 4 })
	st, all := exportNow(t, m)
	if st.Export.Rows != 4 || len(all) != 5 || !slices.Equal(all[0], header) {
		t.Fatalf("%d rows, header %q (filtered %q)", st.Export.Rows, all[0], header)
	}
}

// cancellingPushStatus cancels the model's export from within its n-th read.
type cancellingPushStatus struct {
	Engine
	m     *Model
	n     int
	calls int
}

func (c *cancellingPushStatus) PushStatus(ctx context.Context, key string) ([]enroll.OutboxItem, error) {
	c.calls++ // only the export's goroutine reads here once the detail is closed
	if c.calls == c.n {
		c.m.CancelExport()
	}
	return c.Engine.PushStatus(ctx, key)
}

func TestCancelStopsTheExport(t *testing.T) {
	d := startDemo(t, -1)
	savePeople(t, d, 40)
	eng := &cancellingPushStatus{Engine: FromStation(d.Station), n: 10}
	m := newTestModel(t, eng)
	eng.m = m
	m.SetText("zulu") // a filtered search is exported a person at a time
	waitFor(t, m, "the search", func(s State) bool { return settled(s) && s.Total == 40 })
	var out closingBuffer
	m.Export(&out)
	st := waitFor(t, m, "the export stopped", func(s State) bool { return s.Export != nil && !s.Export.Running })
	if !st.Export.Canceled || st.Export.Problem != nil || st.Export.Rows >= 40 || !out.closed {
		t.Fatalf("export after cancel: %+v, closed %v", st.Export, out.closed)
	}
}
