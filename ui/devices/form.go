package devices

import (
	"context"
	"errors"
	"maps"
	"net"
	"net/url"
	"strconv"
	"strings"

	"enrollstation/enroll"
)

// Form is the add or edit form of one target. Secret (password or API key) is typed only:
// an edit starts with it empty, and empty keeps the secret the target has.
type Form struct {
	ID      enroll.TargetID // 0 for a new target
	Kind    enroll.TargetKind
	Name    string
	Address string // EF-45 HOST:PORT, ACTAtek https URL, CLUe base URL
	Account string // ACTAtek account, CLUe place id
	Secret  string
	Pin     string // ACTAtek certificate fingerprint
	// PinConfirmed: the technician compared the fingerprint with the terminal's own.
	PinConfirmed bool
	Prefix       string // CLUe API path prefix
	Enabled      bool

	options map[string]string // the options the form does not show, kept on save
	oldPin  string
}

// Field names a form field, for problems.
type Field string

// Form fields.
const (
	FieldName    Field = "name"
	FieldAddress Field = "address"
	FieldAccount Field = "account"
	FieldSecret  Field = "secret"
	FieldPin     Field = "pin"
)

// Problem is one validation message: Code is its translation key under
// "devices.problem.", Text the English.
type Problem struct {
	Field Field
	Code  string
	Text  string
}

// FormState is the open form with its problems and what it is doing.
type FormState struct {
	Form     Form
	Problems []Problem
	Saving   bool
	// Cert is the certificate read from the terminal, for the technician to compare.
	Cert        *enroll.TerminalCertificate
	CertReading bool
	// Err is why the last save or certificate read failed, Detail the whole error.
	Err    Message
	Detail string
}

// Problem returns the problem of field f, if any.
func (s FormState) Problem(f Field) (Problem, bool) {
	for _, p := range s.Problems {
		if p.Field == f {
			return p, true
		}
	}
	return Problem{}, false
}

// FormFor is the edit form of t; its secret stays with the engine.
func FormFor(t enroll.Target) Form {
	f := Form{ID: t.ID, Kind: t.Kind, Name: t.Name, Address: t.Address, Account: t.Account, Pin: t.CertPin,
		PinConfirmed: t.CertPin != "", Enabled: t.Enabled, options: maps.Clone(t.Options), oldPin: t.CertPin}
	f.Prefix = t.Options["prefix"]
	return f
}

// Validate lists what is wrong with the form, field by field.
func (f Form) Validate() []Problem {
	var out []Problem
	add := func(field Field, code, text string) { out = append(out, Problem{field, code, text}) }
	if strings.TrimSpace(f.Name) == "" {
		add(FieldName, "name", "Give the device a name.")
	}
	adding := f.ID == 0
	addr := strings.TrimSpace(f.Address)
	switch f.Kind {
	case enroll.TargetEF45:
		host, port, err := net.SplitHostPort(addr)
		n, perr := strconv.Atoi(port)
		if err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
			add(FieldAddress, "hostport", "Type the address as HOST:PORT, for example 192.168.1.20:8080.")
		}
	case enroll.TargetACTAtek:
		if u, err := url.Parse(addr); err != nil || u.Scheme != "https" || u.Host == "" {
			add(FieldAddress, "https", "Type the terminal's address as https://HOST.")
		}
		if strings.TrimSpace(f.Account) == "" {
			add(FieldAccount, "account", "Type the terminal's account name.")
		}
		if adding && f.Secret == "" {
			add(FieldSecret, "password", "Type the terminal account's password.")
		}
		switch pin, err := enroll.ParseFingerprint(f.Pin); {
		case strings.TrimSpace(f.Pin) == "":
			add(FieldPin, "pin", "Read the terminal's certificate and check its fingerprint.")
		case err != nil:
			add(FieldPin, "pinformat", "A fingerprint has 64 hexadecimal digits.")
		case pin != f.oldPin && !f.PinConfirmed:
			add(FieldPin, "confirm", "Compare the fingerprint with the one the terminal shows, then confirm it.")
		}
	case enroll.TargetCLUe:
		if u, err := url.Parse(addr); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			add(FieldAddress, "baseurl", "Type the CLUe base URL, for example https://api.example.com.")
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(f.Account), 10, 64); err != nil || n <= 0 {
			add(FieldAccount, "place", "The place id is the place's number.")
		}
		if adding && f.Secret == "" {
			add(FieldSecret, "apikey", "Type the place's API key.")
		}
	default:
		add(FieldName, "kind", "Choose the kind of device.")
	}
	return out
}

// Target is the target the form describes.
func (f Form) Target() enroll.Target {
	t := enroll.Target{ID: f.ID, Kind: f.Kind, Name: strings.TrimSpace(f.Name), Address: strings.TrimSpace(f.Address),
		Account: strings.TrimSpace(f.Account), Enabled: f.Enabled, Options: maps.Clone(f.options)}
	if t.Options == nil {
		t.Options = map[string]string{}
	}
	switch f.Kind {
	case enroll.TargetACTAtek:
		t.CertPin, _ = enroll.ParseFingerprint(f.Pin)
	case enroll.TargetCLUe:
		t.Options["prefix"] = strings.TrimSpace(f.Prefix)
		if t.Options["prefix"] == "" {
			t.Options["prefix"] = "/v1"
		}
	}
	return t
}

// NewForm opens an empty form for a new target of kind.
func (m *Model) NewForm(kind enroll.TargetKind) {
	f := Form{Kind: kind, Enabled: true}
	if kind == enroll.TargetCLUe {
		f.Prefix = "/v1"
	}
	m.openForm(f)
}

// EditForm opens the form of target id.
func (m *Model) EditForm(id enroll.TargetID) {
	row, ok := m.State().Row(id)
	if !ok {
		return
	}
	m.openForm(FormFor(row.Target))
}

func (m *Model) openForm(f Form) {
	m.CloseForm()
	m.update(func(s *State) { s.Form = &FormState{Form: f} })
}

// CloseForm drops the form and stops what it was doing.
func (m *Model) CloseForm() {
	m.mu.Lock()
	c := m.cancelForm
	m.cancelForm = nil
	m.st.Form = nil
	m.mu.Unlock()
	if c != nil {
		c()
	}
	m.Notify()
}

// SetForm takes what the technician typed. Problems shown stay in step with it, so a fixed
// field loses its message as soon as it is right.
func (m *Model) SetForm(f Form) {
	m.update(func(s *State) {
		if s.Form == nil {
			return
		}
		f.options, f.oldPin = s.Form.Form.options, s.Form.Form.oldPin
		if f.Pin != s.Form.Form.Pin {
			f.PinConfirmed = f.PinConfirmed && s.Form.Form.PinConfirmed
		}
		s.Form.Form = f
		if s.Form.Problems != nil {
			s.Form.Problems = f.Validate()
		}
	})
}

// formCall runs work in the background for the open form, with a cancel CloseForm uses.
func (m *Model) formCall(ctx context.Context, begin func(*FormState) bool, work func(ctx context.Context, f Form) func(*FormState)) {
	m.mu.Lock()
	fs := m.st.Form
	if fs == nil || fs.Saving || fs.CertReading || !begin(fs) {
		m.mu.Unlock()
		m.Notify()
		return
	}
	ctx, cancel := context.WithTimeout(ctx, ActionTimeout)
	m.cancelForm = cancel
	f := fs.Form
	m.mu.Unlock()
	m.Notify()
	go func() {
		defer cancel()
		apply := work(ctx, f)
		m.update(func(s *State) {
			if s.Form == fs { // the same form is still open
				apply(s.Form)
			}
		})
	}()
}

// ReadCertificate reads the certificate the ACTAtek terminal at the form's address
// presents and fills in its fingerprint, unconfirmed.
func (m *Model) ReadCertificate(ctx context.Context) {
	m.formCall(ctx, func(fs *FormState) bool {
		if _, bad := fs.Form.problemOf(FieldAddress); bad {
			fs.Problems = fs.Form.Validate()
			return false
		}
		fs.CertReading, fs.Err, fs.Detail = true, Message{}, ""
		return true
	}, func(ctx context.Context, f Form) func(*FormState) {
		c, err := m.eng.ReadTerminalCertificate(ctx, strings.TrimSpace(f.Address))
		return func(fs *FormState) {
			fs.CertReading = false
			if err != nil {
				fs.Err, fs.Detail = msg("cert", "The terminal's certificate could not be read: is the address right and the terminal on?"), err.Error()
				return
			}
			fs.Cert = &c
			if pin, _ := enroll.ParseFingerprint(fs.Form.Pin); pin != c.Fingerprint {
				fs.Form.Pin, fs.Form.PinConfirmed = c.Fingerprint, false
			}
			if fs.Problems != nil {
				fs.Problems = fs.Form.Validate()
			}
		}
	})
}

func (f Form) problemOf(field Field) (Problem, bool) {
	return FormState{Problems: f.Validate()}.Problem(field)
}

// Save validates the form and, when it is right, saves the target with its secret in the
// background, closes the form and refreshes the list.
func (m *Model) Save(ctx context.Context) {
	m.formCall(ctx, func(fs *FormState) bool {
		fs.Problems = fs.Form.Validate()
		if len(fs.Problems) > 0 {
			return false
		}
		fs.Saving, fs.Err, fs.Detail = true, Message{}, ""
		return true
	}, func(sctx context.Context, f Form) func(*FormState) {
		saved, err := m.eng.SaveTarget(sctx, f.Target(), f.Secret, m.operator)
		if err != nil {
			return func(fs *FormState) {
				fs.Saving = false
				fs.Err, fs.Detail = saveProblem(err), err.Error()
			}
		}
		m.Refresh(ctx) // before the form closes, so the list is never seen stale without it
		return func(*FormState) {
			m.st.Form = nil
			m.st.Selected = saved.ID
		}
	})
}

func saveProblem(err error) Message {
	if errors.Is(err, context.DeadlineExceeded) {
		return msg("save.slow", "Saving took too long; try again.")
	}
	return msg("save", "The device could not be saved: {{.Err}}", "Err", enroll.OperatorMessage(err))
}
