package console

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"enrollstation/enroll"
)

// headerRow is a custom header's inputs. The value is a password entry: it is often the
// vendor's token.
type headerRow struct {
	key, value *widget.Entry
	remove     *widget.Button
	msg        *widget.Label
	box        fyne.CanvasObject
}

func (s *Screen) newHeaderRow(i int) *headerRow {
	r := &headerRow{key: widget.NewEntry(), value: widget.NewPasswordEntry(), msg: message()}
	r.key.SetPlaceHolder(lang.X("console.headers.key", "Key, e.g. Authorization"))
	r.value.SetPlaceHolder(lang.X("console.headers.value", "Value"))
	r.key.OnChanged = s.on(func(k string) { s.model.SetHeader(i, k, r.value.Text) })
	r.value.OnChanged = s.on(func(v string) { s.model.SetHeader(i, r.key.Text, v) })
	r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { s.model.RemoveHeader(i) })
	r.box = container.NewVBox(
		container.NewBorder(nil, nil, nil, r.remove, container.NewGridWithColumns(2, r.key, r.value)),
		r.msg)
	return r
}

func (s *Screen) refreshHeaders(st State) {
	hs := st.Config.Headers
	if len(s.headerRows) != len(hs) {
		s.headerRows = s.headerRows[:0]
		objs := make([]fyne.CanvasObject, len(hs))
		for i := range hs {
			r := s.newHeaderRow(i)
			s.headerRows = append(s.headerRows, r)
			objs[i] = r.box
		}
		s.headers.Objects = objs
		s.headers.Refresh()
		s.relayout = true
	}
	for i, h := range hs {
		r := s.headerRows[i]
		setEntry(r.key, h.Key)
		setEntry(r.value, h.Value)
		s.showMessages(r.msg, st, HeaderKey(i), HeaderValue(i))
	}
	s.showMessages(s.headersMsg, st, FieldHeaders)
	if len(hs) >= enroll.VendorMaxHeaders {
		s.addHeader.Disable()
	} else {
		s.addHeader.Enable()
	}
}

// autoRow is an auto field: sent or not, its key, and its fixed placeholder.
type autoRow struct {
	placeholder string
	enabled     *widget.Check
	key         *widget.Entry
	msg         *widget.Label
	box         fyne.CanvasObject
}

func (s *Screen) newAutoRow(i int, placeholder string) *autoRow {
	r := &autoRow{placeholder: placeholder, key: widget.NewEntry(), msg: message()}
	r.enabled = widget.NewCheck(placeholder, func(on bool) {
		if !s.refreshing {
			s.model.SetAutoField(i, r.key.Text, on)
		}
	})
	r.key.OnChanged = s.on(func(k string) { s.model.SetAutoField(i, k, r.enabled.Checked) })
	r.box = container.NewVBox(
		container.NewBorder(nil, nil, r.enabled, widget.NewLabel(string(enroll.VendorString)), r.key),
		r.msg)
	return r
}

func (s *Screen) refreshAutos(st State) {
	fs := st.Config.AutoFields
	same := len(s.autoRows) == len(fs)
	for i := 0; same && i < len(fs); i++ {
		same = s.autoRows[i].placeholder == fs[i].Placeholder
	}
	if !same {
		s.autoRows = s.autoRows[:0]
		objs := make([]fyne.CanvasObject, len(fs))
		for i, f := range fs {
			r := s.newAutoRow(i, f.Placeholder)
			s.autoRows = append(s.autoRows, r)
			objs[i] = r.box
		}
		s.autos.Objects = objs
		s.autos.Refresh()
		s.relayout = true
	}
	for i, f := range fs {
		r := s.autoRows[i]
		setEntry(r.key, f.Key)
		if r.enabled.Checked != f.Enabled {
			r.enabled.SetChecked(f.Enabled)
		}
		s.showMessages(r.msg, st, AutoKey(i), AutoPlaceholder(i))
	}
}

// manualRow is a manual field: name, type and value.
type manualRow struct {
	name, value *widget.Entry
	remove      *widget.Button
	typ         *widget.Select
	msg         *widget.Label
	box         fyne.CanvasObject
}

func (s *Screen) newManualRow(i int) *manualRow {
	r := &manualRow{name: widget.NewEntry(), value: widget.NewEntry(), msg: message()}
	r.name.SetPlaceHolder(lang.X("console.manual.name", "Field name"))
	r.value.SetPlaceHolder(lang.X("console.manual.value", "Value"))
	set := s.on(func(string) {
		s.model.SetManualField(i, r.name.Text, enroll.VendorFieldType(r.typ.Selected), r.value.Text)
	})
	r.typ = widget.NewSelect([]string{string(enroll.VendorString), string(enroll.VendorNumber), string(enroll.VendorBoolean)}, set)
	r.typ.PlaceHolder = lang.X("console.select_one", "(Select one)")
	r.name.OnChanged, r.value.OnChanged = set, set
	r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { s.model.RemoveManualField(i) })
	r.box = container.NewVBox(
		container.NewBorder(nil, nil, nil, r.remove, container.NewGridWithColumns(3, r.name, r.typ, r.value)),
		r.msg)
	return r
}

func (s *Screen) refreshManuals(st State) {
	ms := st.Config.ManualFields
	if len(s.manualRows) != len(ms) || len(s.manuals.Objects) == 0 {
		s.manualRows = s.manualRows[:0]
		objs := make([]fyne.CanvasObject, len(ms))
		for i := range ms {
			r := s.newManualRow(i)
			s.manualRows = append(s.manualRows, r)
			objs[i] = r.box
		}
		if len(ms) == 0 {
			// Spec 002 5.5's own words for an empty list.
			objs = []fyne.CanvasObject{widget.NewLabel(lang.X("console.manual.none", "No manual fields defined."))}
		}
		s.manuals.Objects = objs
		s.manuals.Refresh()
		s.relayout = true
	}
	for i, f := range ms {
		r := s.manualRows[i]
		setEntry(r.name, f.Name)
		setSelect(r.typ, string(f.Type))
		setEntry(r.value, string(f.Value))
		s.showMessages(r.msg, st, ManualName(i), ManualType(i), ManualValue(i))
	}
	sent := len(ms)
	for _, a := range st.Config.AutoFields {
		if a.Enabled {
			sent++
		}
	}
	if sent >= enroll.VendorMaxFields {
		s.addManual.Disable()
	} else {
		s.addManual.Enable()
	}
}
