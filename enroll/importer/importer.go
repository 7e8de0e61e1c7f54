package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"enrollstation/enroll"
	"enrollstation/store/files"
)

// ErrMapping marks a column mapping that cannot be imported.
var ErrMapping = errors.New("columns not mapped")

// Journal is where the good rows go; *enroll.Station has it.
type Journal interface {
	AddWaiting(ctx context.Context, people []enroll.Person, overwrite bool) ([]enroll.WaitingOutcome, error)
}

// Refused is a row that was not imported, with what is wrong with it.
type Refused struct {
	Row
	Problems []enroll.FieldProblem
}

// Message is the row's problems in English, as the refused file says them.
func (r Refused) Message() string {
	var texts []string
	for _, p := range r.Problems {
		texts = append(texts, p.Text)
	}
	return strings.Join(texts, " ")
}

// Result is what an import did.
type Result struct {
	Added, Kept, Overwritten int
	Refused                  []Refused
	// RefusedFile is where the refused rows were written; empty when none was refused.
	RefusedFile string
}

// Problem keys of the importer's own checks, beside the person's field rules.
const (
	ProblemTwice   = "import.problem.twice"
	ProblemColumns = "import.problem.columns"
)

// Check sorts the rows into people to add and rows refused, without touching the journal.
// A key seen twice in the file refuses the later row.
func Check(t Table, m Mapping) ([]enroll.Person, []Refused, error) {
	if err := m.Check(); err != nil {
		return nil, nil, err
	}
	var good []enroll.Person
	var bad []Refused
	firstLine := map[string]int{}
	for _, row := range t.Rows {
		f, extra := fields(row.Cells, m)
		problems := enroll.CheckPersonFields(f)
		if extra {
			problems = append(problems, enroll.FieldProblem{Field: enroll.FieldText, Key: ProblemColumns,
				Text: "The row has more cells than the file has columns."})
		}
		key := strings.TrimSpace(f.Key)
		if line, ok := firstLine[key]; ok && key != "" {
			problems = append(problems, enroll.FieldProblem{Field: enroll.FieldKey, Key: ProblemTwice,
				Text: fmt.Sprintf("The key is also on line %d of the file.", line)})
		}
		if len(problems) > 0 {
			bad = append(bad, Refused{Row: row, Problems: problems})
			continue
		}
		firstLine[key] = row.Line
		good = append(good, f.Person())
	}
	return good, bad, nil
}

// fields reads a row through the mapping; extra says the row holds text beyond the header.
func fields(cells []string, m Mapping) (f enroll.PersonFields, extra bool) {
	for i, c := range cells {
		if i >= len(m) {
			extra = extra || c != ""
			continue
		}
		switch m[i] {
		case Key:
			f.Key = c
		case GivenName:
			f.GivenName = c
		case FamilyName:
			f.FamilyName = c
		case Card:
			f.CardNumber = c
		case Department:
			f.Department = c
		case AccessGroup:
			f.AccessGroup = c
		case ValidFrom:
			f.ValidFrom = c
		case ValidUntil:
			f.ValidUntil = c
		}
	}
	return f, extra
}

// Import adds the good rows of t to the waiting list: a key the journal knows already is
// kept as it is unless overwrite. Refused rows are written to refusedPath (a new file,
// 0600; an existing one is never replaced) with their original cells and an "error" column,
// for the operator to fix and import again.
func Import(ctx context.Context, j Journal, t Table, m Mapping, overwrite bool, refusedPath string) (Result, error) {
	good, bad, err := Check(t, m)
	if err != nil {
		return Result{}, err
	}
	res := Result{Refused: bad}
	if len(bad) > 0 {
		if err := WriteRefused(refusedPath, t.Header, bad); err != nil {
			return Result{}, fmt.Errorf("import: nothing imported, the refused rows could not be written: %w", err)
		}
		res.RefusedFile = refusedPath
	}
	if len(good) == 0 {
		return res, nil
	}
	outcomes, err := j.AddWaiting(ctx, good, overwrite)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	for _, o := range outcomes {
		switch o {
		case enroll.WaitingAdded:
			res.Added++
		case enroll.WaitingKept:
			res.Kept++
		case enroll.WaitingOverwritten:
			res.Overwritten++
		}
	}
	return res, nil
}

// RefusedPath is where the refused rows of source go: beside it, named for the time.
func RefusedPath(source string, now time.Time) string {
	base := strings.TrimSuffix(filepath.Base(source), filepath.Ext(source))
	return filepath.Join(filepath.Dir(source), base+"-refused-"+now.Format("20060102-150405")+".csv")
}

// WriteRefused writes the refused rows to a new file at path, 0600, in UTF-8 with a
// byte-order mark (so spreadsheets read it as UTF-8): the header and each row's cells as
// they were, with an "error" column. Cells a spreadsheet would run as formulas are defused.
func WriteRefused(path string, header []string, rows []Refused) error {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	width := len(header)
	for _, r := range rows {
		width = max(width, len(r.Cells))
	}
	line := func(cells []string, last string) {
		out := make([]string, width+1)
		for i, c := range cells {
			out[i] = defuse(c)
		}
		out[width] = defuse(last)
		_ = w.Write(out) // a bytes.Buffer does not fail; Flush reports the rest
	}
	line(header, "error")
	for _, r := range rows {
		line(r.Cells, fmt.Sprintf("line %d: %s", r.Line, r.Message()))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("refused rows: %w", err)
	}
	if err := files.WriteFile(path, buf.Bytes()); err != nil {
		return fmt.Errorf("refused rows: %w", err)
	}
	return nil
}
