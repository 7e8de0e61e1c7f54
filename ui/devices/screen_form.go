package devices

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"enrollstation/enroll"
)

// field is one labelled entry of the form with its validation message under it.
type field struct {
	label   *widget.Label
	entry   *widget.Entry
	problem *widget.Label
	box     *fyne.Container
}

func newField(entry *widget.Entry) *field {
	f := &field{label: widget.NewLabel(""), entry: entry, problem: widget.NewLabel("")}
	f.problem.Importance = widget.DangerImportance
	f.problem.Wrapping = fyne.TextWrapWord
	f.problem.Hide()
	f.box = container.NewVBox(entry, f.problem)
	return f
}

func (f *field) show(on bool, label, hint string) {
	f.label.SetText(label)
	f.entry.SetPlaceHolder(hint)
	show(f.label, on)
	show(f.box, on)
}

func (f *field) set(text string) {
	if f.entry.Text != text {
		f.entry.SetText(text)
	}
}

// formView is the add or edit form.
type formView struct {
	s         *Screen
	content   *fyne.Container
	title     *widget.Label
	name      *field
	address   *field
	account   *field
	secret    *field
	pin       *field
	prefix    *field
	confirm   *widget.Check
	enabled   *widget.Check
	readCert  *widget.Button
	cert      *widget.Label
	save      *widget.Button
	close     *widget.Button
	progress  *widget.ProgressBarInfinite
	err       *widget.Label
	details   *widget.Button
	detail    *widget.Label
	rendering bool
	open      *FormState // the form shown, to fill the entries once when it opens
}

func newFormView(s *Screen) *formView {
	v := &formView{s: s}
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.name = newField(widget.NewEntry())
	v.address = newField(widget.NewEntry())
	v.account = newField(widget.NewEntry())
	v.secret = newField(widget.NewPasswordEntry())
	v.pin = newField(widget.NewEntry())
	v.prefix = newField(widget.NewEntry())
	v.confirm = widget.NewCheck(lang.X("devices.form.confirm", "The terminal shows this same fingerprint"), func(bool) { v.changed() })
	v.enabled = widget.NewCheck(lang.X("devices.form.enabled", "Push to this device"), func(bool) { v.changed() })
	v.readCert = widget.NewButton(lang.X("devices.form.readcert", "Read the certificate"), func() { s.m.ReadCertificate(s.ctx) })
	v.cert = widget.NewLabel("")
	v.cert.Wrapping = fyne.TextWrapWord
	v.save = widget.NewButton(lang.X("devices.form.save", "Save"), func() { s.m.Save(s.ctx) })
	v.save.Importance = widget.HighImportance
	v.close = widget.NewButton(lang.X("devices.form.close", "Cancel"), s.m.CloseForm)
	v.progress = widget.NewProgressBarInfinite()
	v.err = widget.NewLabel("")
	v.err.Importance = widget.DangerImportance
	v.err.Wrapping = fyne.TextWrapWord
	v.detail = widget.NewLabel("")
	v.detail.Wrapping = fyne.TextWrapWord
	v.detail.Hide()
	v.details = widget.NewButton(lang.X("devices.details", "Details"), func() { show(v.detail, !v.detail.Visible()) })
	for _, f := range v.fields() {
		f.entry.OnChanged = func(string) { v.changed() }
	}
	v.name.entry.OnSubmitted = func(string) { s.m.Save(s.ctx) }
	grid := container.New(layout.NewFormLayout())
	for _, f := range v.fields() {
		grid.Add(f.label)
		grid.Add(f.box)
	}
	v.content = container.NewVBox(v.title, grid, container.NewHBox(v.readCert), v.cert, v.confirm, v.enabled,
		v.progress, container.NewBorder(nil, nil, nil, v.details, v.err), v.detail, container.NewHBox(v.save, v.close))
	return v
}

func (v *formView) fields() []*field {
	return []*field{v.name, v.address, v.account, v.secret, v.pin, v.prefix}
}

// changed hands what was typed to the model.
func (v *formView) changed() {
	if v.rendering || v.open == nil {
		return
	}
	f := v.open.Form
	f.Name, f.Address, f.Account = v.name.entry.Text, v.address.entry.Text, v.account.entry.Text
	f.Secret, f.Pin, f.Prefix = v.secret.entry.Text, v.pin.entry.Text, v.prefix.entry.Text
	f.PinConfirmed, f.Enabled = v.confirm.Checked, v.enabled.Checked
	v.open.Form = f
	v.s.m.SetForm(f)
}

func (v *formView) render(fs *FormState) {
	v.rendering = true
	defer func() { v.rendering = false }()
	if fs == nil {
		v.open = nil
		v.secret.entry.SetText("") // typed secrets leave with the form
		return
	}
	fresh := v.open == nil || v.open.Form.ID != fs.Form.ID || v.open.Form.Kind != fs.Form.Kind
	v.open = fs
	f := fs.Form
	if fresh {
		v.secret.entry.SetText("") // a secret is never shown back
	}
	v.name.set(f.Name)
	v.address.set(f.Address)
	v.account.set(f.Account)
	v.pin.set(f.Pin)
	v.prefix.set(f.Prefix)
	v.confirm.SetChecked(f.PinConfirmed)
	v.enabled.SetChecked(f.Enabled)
	v.layoutFor(f)
	for fld, w := range map[Field]*field{FieldName: v.name, FieldAddress: v.address, FieldAccount: v.account,
		FieldSecret: v.secret, FieldPin: v.pin} {
		p, bad := fs.Problem(fld)
		if bad {
			w.problem.SetText(lang.X("devices.problem."+p.Code, p.Text))
		}
		show(w.problem, bad)
	}
	certText := ""
	if fs.Cert != nil {
		certText = lang.X("devices.form.cert", "SHA-256 {{.FP}}\nissued to {{.Subject}} by {{.Issuer}}, valid until {{.Until}}",
			map[string]any{"FP": fs.Cert.Display, "Subject": fs.Cert.Subject, "Issuer": fs.Cert.Issuer,
				"Until": fs.Cert.NotAfter.Format("2006-01-02")})
	}
	setText(v.cert, certText)
	busy := fs.Saving || fs.CertReading
	show(v.progress, busy)
	if busy {
		v.save.Disable()
		v.readCert.Disable()
	} else {
		v.save.Enable()
		v.readCert.Enable()
	}
	setText(v.err, text(fs.Err))
	v.detail.SetText(fs.Detail)
	if fs.Detail == "" {
		v.detail.Hide()
	}
	show(v.details, fs.Detail != "")
}

// layoutFor shows the fields of the form's kind, with their labels.
func (v *formView) layoutFor(f Form) {
	keep := lang.X("devices.form.secret.keep", "unchanged unless typed")
	secretHint := ""
	if f.ID != 0 {
		secretHint = keep
	}
	title := map[bool]string{true: lang.X("devices.form.add", "Add {{.Kind}}", map[string]any{"Kind": kindName(f.Kind)}),
		false: lang.X("devices.form.edit", "Change {{.Name}}", map[string]any{"Name": f.Name})}
	v.title.SetText(title[f.ID == 0])
	v.name.show(true, lang.X("devices.form.name", "Name"), lang.X("devices.form.name.hint", "as the technicians call it"))
	actatek, clue := f.Kind == enroll.TargetACTAtek, f.Kind == enroll.TargetCLUe
	switch {
	case actatek:
		v.address.show(true, lang.X("devices.form.url", "Terminal URL"), "https://192.168.1.30")
		v.account.show(true, lang.X("devices.form.account", "Account"), "")
		v.secret.show(true, lang.X("devices.form.password", "Password"), secretHint)
	case clue:
		v.address.show(true, lang.X("devices.form.baseurl", "Base URL"), "https://api.example.com")
		v.account.show(true, lang.X("devices.form.place", "Place id"), "")
		v.secret.show(true, lang.X("devices.form.apikey", "API key"), secretHint)
	default:
		v.address.show(true, lang.X("devices.form.hostport", "Address"), "192.168.1.20:8080")
		v.account.show(false, "", "")
		v.secret.show(false, "", "")
	}
	v.pin.show(actatek, lang.X("devices.form.pin", "Certificate fingerprint"), lang.X("devices.form.pin.hint", "read from the terminal"))
	v.prefix.show(clue, lang.X("devices.form.prefix", "API prefix"), "/v1")
	show(v.readCert, actatek)
	show(v.confirm, actatek)
}
