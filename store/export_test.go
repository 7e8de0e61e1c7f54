package store

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"
)

func TestExportCSV(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	hq, lobby := addTarget(t, s, TargetCLUe, "HQ"), addTarget(t, s, TargetACTAtek, "Lobby")
	c := testCapture("csv")
	marker := "BIOMETRIC-MARKER-0123456789"
	c.Blobs[0].Data = []byte(marker)
	p := testPerson("k1", "Ada", "Lovelace")
	p.Department = "=HYPERLINK(\"http://evil\")"
	if _, err := s.SaveCapture(ctx, p, c, []TargetID{hq, lobby}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveCapture(ctx, testPerson("k2", "Alan", "Turing"), testCapture("2"), nil); err != nil {
		t.Fatal(err)
	}
	items, _ := s.ClaimDue(ctx, "w", time.Now(), time.Minute, 10)
	for _, it := range items {
		if it.Target == hq {
			if err := s.Complete(ctx, it.ID, "w", "auth-1"); err != nil {
				t.Fatal(err)
			}
		} else if err := s.Fail(ctx, it.ID, "w", "template rejected"); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	n, err := s.ExportCSV(ctx, &buf)
	if err != nil || n != 2 {
		t.Fatalf("ExportCSV = %d, %v", n, err)
	}
	if strings.Contains(buf.String(), marker) {
		t.Fatal("biometric data in the export")
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("%d records", len(recs))
	}
	head := strings.Join(recs[0], ",")
	if head != "person_key,given_name,family_name,card_number,department,access_groups,valid_from,valid_until,consent_at,consent_by,enrolled_at,push_state,push: HQ,push: Lobby" {
		t.Fatalf("header: %s", head)
	}
	row := recs[1]
	if row[0] != "k1" || row[1] != "Ada" || row[4] != `'=HYPERLINK("http://evil")` || row[5] != "Lobby; Floor 2" ||
		row[8] != "2026-03-01T09:00:00Z" || row[11] != "failed" || row[12] != "done" || row[13] != "failed" {
		t.Fatalf("row 1: %q", row)
	}
	if row := recs[2]; row[0] != "k2" || row[11] != "none" || row[12] != "" || row[13] != "" {
		t.Fatalf("row 2: %q", row)
	}
}

func TestCell(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "", "Ada": "Ada", "=1+1": "'=1+1", "+33 1": "'+33 1", "-x": "'-x", "@sum": "'@sum", "a=b": "a=b"} {
		if got := cell(in); got != want {
			t.Errorf("cell(%q) = %q, want %q", in, got, want)
		}
	}
}

// A person key may start with '-', which a spreadsheet runs as a formula like any other.
func TestExportCSVDefusesPersonKey(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := openTest(t)
	if _, err := s.SaveCapture(ctx, testPerson("-2-3", "Ada", "Lovelace"), testCapture("key"), nil); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := s.ExportCSV(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	if got, want := recs[1][:3], []string{"'-2-3", "Ada", "Lovelace"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("row starts %q, want %q", got, want)
	}
}
