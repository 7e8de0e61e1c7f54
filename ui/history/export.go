package history

import (
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"enrollstation/enroll"
)

// exportBatch is how many people a page of the export reads.
const exportBatch = 1000

// ExportProgress is a CSV export under way or done.
type ExportProgress struct {
	// Rows written so far, of Total matches (Total is 0 while unknown).
	Rows, Total int
	Running     bool
	Canceled    bool
	Problem     *Problem
}

// Export writes the people of the current search as CSV to w, one row per person with
// their push state per target (the journal's export format; biometric data never), and
// closes w when it is an io.Closer. An unfiltered search is the journal's own export of
// everyone, in one read.
func (m *Model) Export(w io.Writer) {
	m.mu.Lock()
	if m.st.Export != nil && m.st.Export.Running || m.closed {
		m.mu.Unlock()
		if c, ok := w.(io.Closer); ok {
			c.Close()
		}
		return
	}
	f := m.st.Filter
	ctx, cancel := context.WithCancel(m.ctx)
	m.exportEnd = cancel
	m.st.Export = &ExportProgress{Running: true}
	m.wg.Add(1)
	m.mu.Unlock()
	m.Notify()
	go func() {
		defer m.wg.Done()
		defer cancel()
		var err error
		if f.filtered() {
			err = m.exportSearch(ctx, f, w)
		} else {
			var n int
			n, err = m.engine.ExportCSV(ctx, w)
			m.exportProgress(func(e *ExportProgress) { e.Rows, e.Total = n, n })
		}
		if c, ok := w.(io.Closer); ok {
			if cerr := c.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("export csv: close the file: %w", cerr)
			}
		}
		m.exportProgress(func(e *ExportProgress) {
			e.Running = false
			switch {
			case errors.Is(err, context.Canceled):
				e.Canceled = true
			case err != nil:
				e.Problem = problem(OpExport, err)
			}
		})
	}()
}

// CancelExport stops the export under way; what was written stays written.
func (m *Model) CancelExport() {
	m.mu.Lock()
	if m.exportEnd != nil {
		m.exportEnd()
	}
	m.mu.Unlock()
}

func (m *Model) exportProgress(fn func(e *ExportProgress)) {
	m.mu.Lock()
	if m.st.Export == nil {
		m.mu.Unlock()
		return
	}
	e := *m.st.Export
	fn(&e)
	m.st.Export = &e
	m.mu.Unlock()
	m.Notify()
}

// exportSearch writes every match of f, a page at a time, in the journal export's columns.
// Each page is read after the last row of the one before, so people enrolled or erased
// meanwhile neither repeat a row nor skip one, and a million people export in time linear
// in their number.
func (m *Model) exportSearch(ctx context.Context, f Filter, w io.Writer) error {
	targets, err := m.engine.Targets(ctx)
	if err != nil {
		return fmt.Errorf("export csv: %w", err)
	}
	slices.SortFunc(targets, func(a, b enroll.Target) int { return cmp.Compare(a.ID, b.ID) })
	header := []string{"person_key", "given_name", "family_name", "card_number", "department", "access_groups",
		"valid_from", "valid_until", "consent_at", "consent_by", "enrolled_at", "push_state"}
	col := map[enroll.TargetID]int{}
	for _, t := range targets {
		col[t.ID] = len(header)
		header = append(header, "push: "+t.Name)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("export csv: %w", err)
	}
	rows := 0
	after := ""
	for offset := 0; ; offset += exportBatch {
		q := f.query(offset, exportBatch)
		q.After = after
		page, err := m.engine.SearchPeople(ctx, q)
		if err != nil {
			return fmt.Errorf("export csv: people from %d: %w", offset, err)
		}
		for _, p := range page.People {
			pushes, err := m.engine.PushStatus(ctx, p.Key)
			if err != nil {
				return fmt.Errorf("export csv: %w", err)
			}
			rec := make([]string, len(header))
			copy(rec, []string{cell(p.Key), cell(p.GivenName), cell(p.FamilyName), cell(p.CardNumber), cell(p.Department),
				cell(strings.Join(p.AccessGroups, "; ")), csvTime(p.ValidFrom), csvTime(p.ValidUntil), csvTime(p.ConsentAt),
				cell(p.ConsentBy), csvTime(p.CreatedAt), string(p.PushState)})
			for _, it := range pushes {
				if i, ok := col[it.Target]; ok {
					rec[i] = string(it.State)
				}
			}
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("export csv: %w", err)
			}
			rows++
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("export csv: %w", err)
		}
		m.exportProgress(func(e *ExportProgress) { e.Rows, e.Total = rows, page.Total })
		if !page.More() || len(page.People) == 0 {
			return nil
		}
		after = page.Next
	}
}

// cell defuses text a spreadsheet would take for a formula, as the journal's export does.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
