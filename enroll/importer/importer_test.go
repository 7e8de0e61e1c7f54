package importer

import (
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"enrollstation/enroll"
	"enrollstation/store/files"
)

func TestGuessMappingEnglishAndJapanese(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		header []string
		want   Mapping
	}{
		{[]string{"Key", "Given name", "Family Name", "Card number", "Department", "Access group", "Valid from", "Valid until", "Notes"},
			Mapping{Key, GivenName, FamilyName, Card, Department, AccessGroup, ValidFrom, ValidUntil, Ignore}},
		{[]string{"社員番号", "姓", "名", "カード番号", "部署", "アクセスグループ", "有効開始日", "有効期限"},
			Mapping{Key, FamilyName, GivenName, Card, Department, AccessGroup, ValidFrom, ValidUntil}},
		{[]string{"ＩＤ", "first_name", "LAST-NAME", "id"}, Mapping{Key, GivenName, FamilyName, Ignore}},
	} {
		if got := GuessMapping(tc.header); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("GuessMapping(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}

func TestMappingCheck(t *testing.T) {
	t.Parallel()
	for _, m := range []Mapping{{GivenName}, {Key, Card}, {Key, GivenName, GivenName}} {
		if err := m.Check(); !errors.Is(err, ErrMapping) {
			t.Errorf("%q: %v", m, err)
		}
	}
	if err := (Mapping{Ignore, Key, FamilyName}).Check(); err != nil {
		t.Fatal(err)
	}
}

func TestParseToleratesBOMAndSkipsBlankRows(t *testing.T) {
	t.Parallel()
	tb, err := Parse(strings.NewReader("\uFEFFkey,名\r\nk-1, 花子 \r\n,\r\n\r\nk-2,\"=1+1\"\r\nk-3,'=SUM(A1)\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Table{Header: []string{"key", "名"}, Rows: []Row{
		{Line: 2, Cells: []string{"k-1", "花子"}}, {Line: 5, Cells: []string{"k-2", "=1+1"}}, {Line: 6, Cells: []string{"k-3", "=SUM(A1)"}}}}
	if !reflect.DeepEqual(tb, want) {
		t.Fatalf("got %+v\nwant %+v", tb, want)
	}
	if p := tb.Preview(1); len(p.Rows) != 1 || p.Rows[0].Line != 2 || len(tb.Preview(10).Rows) != 3 {
		t.Fatalf("preview %+v", p)
	}
}

func TestParseRefusesNonUTF8NamingTheLine(t *testing.T) {
	t.Parallel()
	// "山田" in Shift_JIS, as a spreadsheet saves "CSV" on a Japanese system.
	_, err := Parse(strings.NewReader("key,姓\nk-1,Ada\nk-2,\x8eR\x93c\n"))
	if !errors.Is(err, ErrFile) || !strings.Contains(err.Error(), "line 3 is not UTF-8") {
		t.Fatalf("got %v", err)
	}
	for _, in := range []string{"", "\uFEFF\n\n", "key,name\n\"open quote\n"} {
		if _, err := Parse(strings.NewReader(in)); !errors.Is(err, ErrFile) {
			t.Errorf("Parse(%q): %v", in, err)
		}
	}
}

// fakeJournal is a waiting list keyed by person key.
type fakeJournal struct{ known map[string]enroll.Person }

func (j *fakeJournal) AddWaiting(_ context.Context, people []enroll.Person, overwrite bool) ([]enroll.WaitingOutcome, error) {
	var out []enroll.WaitingOutcome
	for _, p := range people {
		_, ok := j.known[p.Key]
		switch {
		case ok && !overwrite:
			out = append(out, enroll.WaitingKept)
			continue
		case ok:
			out = append(out, enroll.WaitingOverwritten)
		default:
			out = append(out, enroll.WaitingAdded)
		}
		j.known[p.Key] = p
	}
	return out, nil
}

const list = "Key,Given name,Family name,Valid from\n" +
	"k-1,Hanako,Yamada,2026-04-01\n" +
	"k-2,Ada,Lovelace,2026-13-01\n" +
	"k-3,,,\n" +
	"old-1,Taro,Suzuki,\n" +
	"k-1,Again,Twice,\n" +
	"=cmd,Bad,Key,\n"

func TestImportKeepOrOverwrite(t *testing.T) {
	t.Parallel()
	for _, overwrite := range []bool{false, true} {
		j := &fakeJournal{known: map[string]enroll.Person{"old-1": {Key: "old-1", GivenName: "Taro (journal)"}}}
		tb, err := Parse(strings.NewReader(list))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "refused.csv")
		res, err := Import(t.Context(), j, tb, GuessMapping(tb.Header), overwrite, path)
		if err != nil {
			t.Fatal(err)
		}
		want := Result{Added: 1, Kept: 1, RefusedFile: path}
		wantName := "Taro (journal)"
		if overwrite {
			want.Kept, want.Overwritten, wantName = 0, 1, "Taro"
		}
		refused := res.Refused
		res.Refused = nil
		if !reflect.DeepEqual(res, want) {
			t.Errorf("overwrite=%v: result %+v, want %+v", overwrite, res, want)
		}
		if got := j.known["old-1"].GivenName; got != wantName {
			t.Errorf("overwrite=%v: old-1 is %q, want %q", overwrite, got, wantName)
		}
		var lines []int
		for _, r := range refused {
			lines = append(lines, r.Line)
		}
		if !reflect.DeepEqual(lines, []int{3, 4, 6, 7}) {
			t.Errorf("refused lines %v", lines)
		}
	}
}

func TestRefusedFileHoldsTheRowsWithTheirErrors(t *testing.T) {
	t.Parallel()
	tb, err := Parse(strings.NewReader(list))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "refused.csv")
	if _, err := Import(t.Context(), &fakeJournal{known: map[string]enroll.Person{}}, tb, GuessMapping(tb.Header), false, path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("refused file: %v, %v", fi, err)
	}
	f, _ := os.Open(path)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"\uFEFFKey", "Given name", "Family name", "Valid from", "error"},
		{"k-2", "Ada", "Lovelace", "2026-13-01", "line 3: Type the date as YYYY-MM-DD."},
		{"k-3", "", "", "", "line 4: Type the person's given or family name."},
		{"k-1", "Again", "Twice", "", "line 6: The key is also on line 2 of the file."},
		{"'=cmd", "Bad", "Key", "", "line 7: The key may hold only letters, digits, '-', '_' and '.', at most 32."},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("refused file\n%q\nwant\n%q", rows, want)
	}
	// Fixed and imported again, the defused cell reads as it was written.
	again, err := Parse(strings.NewReader(strings.Join([]string{"key,given name,error", "'=cmd,Bad,x"}, "\n")))
	if err != nil || again.Rows[0].Cells[0] != "=cmd" {
		t.Fatalf("again %+v, %v", again, err)
	}
	// The file is never replaced.
	if err := WriteRefused(path, tb.Header, nil); !errors.Is(err, files.ErrExists) {
		t.Fatalf("second write: %v", err)
	}
}
