// Reading the pages of a search: the first of a new filter, the next after the last row
// shown, the one before by the row it followed.

package history

import "context"

// NextPage and PrevPage move through the results a page at a time.
func (m *Model) NextPage() {
	m.mu.Lock()
	st := m.st
	if st.HasNext() {
		m.afters[st.Offset+len(st.People)] = st.Next
	}
	m.mu.Unlock()
	if st.HasNext() {
		m.page(st.Offset + len(st.People))
	}
}

// PrevPage moves to the page before.
func (m *Model) PrevPage() {
	st := m.State()
	if st.HasPrev() {
		m.page(max(st.Offset-PageSize, 0))
	}
}

// Refresh runs the search again on the page shown.
func (m *Model) Refresh() { m.page(m.State().Offset) }

// page reads the page at offset of the current filter, after the row it followed when
// known.
func (m *Model) page(offset int) {
	m.mu.Lock()
	after := m.afters[offset]
	m.mu.Unlock()
	m.read(offset, after)
}

// search reads the first page of a new filter.
func (m *Model) search() {
	m.mu.Lock()
	m.afters = map[int]string{}
	m.mu.Unlock()
	m.read(0, "")
}

// read reads the page at offset for the current filter, after the row after when set. Each
// search supersedes the ones before: an older answer arriving late is dropped.
func (m *Model) read(offset int, after string) {
	m.mu.Lock()
	m.searchGen++
	gen := m.searchGen
	f := m.st.Filter
	m.st.Searching = true
	m.mu.Unlock()
	m.Notify()
	m.goDo(func(ctx context.Context) {
		q := f.query(offset, PageSize)
		q.After = after
		page, err := m.engine.SearchPeople(ctx, q)
		m.mu.Lock()
		if gen != m.searchGen {
			m.mu.Unlock()
			return
		}
		m.st.Searching = false
		if err != nil {
			m.st.SearchProblem = problem(OpSearch, err)
		} else {
			m.st.SearchProblem = nil
			m.st.People, m.st.Total, m.st.TotalCapped, m.st.Offset, m.st.Next = page.People, page.Total, page.Capped, page.Offset, page.Next
		}
		m.mu.Unlock()
		m.Notify()
	})
}
