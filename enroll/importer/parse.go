// Package importer reads a list of people to enroll from a CSV file: UTF-8 (a byte-order
// mark is allowed), a header row, one person a row. It guesses which column holds which
// field from the header (English or Japanese), checks each row with the engine's one rule
// set for a person's fields, adds the good rows to the journal's waiting list and writes
// the refused rows, each with its reason, to a file the operator fixes and imports again.
package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxSize is the largest file read: far more than any list of people a desk calls in.
const MaxSize = 16 << 20

// ErrFile marks a file that cannot be read as a list: not UTF-8, not CSV, empty, too large.
var ErrFile = errors.New("not a list of people")

// Row is one row of the file with the line it starts on, for messages.
type Row struct {
	Line  int
	Cells []string
}

// Table is a parsed file: its header and its rows, blank rows left out.
type Table struct {
	Header []string
	Rows   []Row
}

// Preview is the header and at most n first rows, for the operator to check the mapping.
func (t Table) Preview(n int) Table {
	if n < len(t.Rows) {
		return Table{Header: t.Header, Rows: t.Rows[:n]}
	}
	return t
}

// Parse reads a CSV file. A file that is not UTF-8 is refused naming its first bad line:
// spreadsheets save in a local code page unless told "CSV UTF-8", and guessing the code
// page would put wrong names in the journal.
func Parse(r io.Reader) (Table, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return Table{}, fmt.Errorf("read the list: %w", err)
	}
	if len(data) > MaxSize {
		return Table{}, fmt.Errorf("%w: the file is larger than %d MB", ErrFile, MaxSize>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	for i, line := range bytes.Split(data, []byte("\n")) {
		if !utf8.Valid(line) {
			return Table{}, fmt.Errorf("%w: line %d is not UTF-8 text; save the file as \"CSV UTF-8\" and import it again", ErrFile, i+1)
		}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // short rows are the row's problem, not the file's
	var t Table
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return Table{}, fmt.Errorf("%w: line %d: %v", ErrFile, pe.StartLine, pe.Err)
		}
		if err != nil {
			return Table{}, fmt.Errorf("%w: %v", ErrFile, err)
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		for i := range rec {
			rec[i] = undefuse(strings.TrimSpace(rec[i]))
		}
		if t.Header == nil {
			t.Header = rec
			continue
		}
		t.Rows = append(t.Rows, Row{Line: line, Cells: rec})
	}
	if t.Header == nil {
		return Table{}, fmt.Errorf("%w: the file is empty; the first row names the columns", ErrFile)
	}
	return t, nil
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// formulaStart are the first characters a spreadsheet takes for a formula.
const formulaStart = "=+-@\t\r"

// defuse keeps a spreadsheet from running a cell as a formula, as the journal's export does.
func defuse(s string) string {
	if s != "" && strings.ContainsRune(formulaStart, rune(s[0])) {
		return "'" + s
	}
	return s
}

// undefuse takes back the quote defuse put before a cell, so a refused file, fixed, imports
// as the original would have.
func undefuse(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(formulaStart, rune(s[1])) {
		return s[1:]
	}
	return s
}
