// Package console is the CLUe vendor webhook console (spec 002): the technician edits a
// vendor API configuration with live validation, loads and saves it as JSON, runs a test
// call against the webhook and reads the request, the response, its class and the
// judgment.
package console

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"enrollstation/enroll"
	"enrollstation/ui/observe"
)

// Tester is what the console needs of the engine: one test call of a vendor webhook.
// enroll.VendorConsole is one.
type Tester interface {
	Test(ctx context.Context, cfg enroll.VendorConfig, in enroll.VendorTestInput) *enroll.VendorResult
}

// Options adjust a Model.
type Options struct {
	// Debounce is how long the model waits after the last edit before validating, so that
	// messages do not flicker while the technician types; DefaultDebounce when 0.
	Debounce time.Duration
}

// DefaultDebounce is the pause in typing after which the form is validated.
const DefaultDebounce = 300 * time.Millisecond

// maxConfigBytes bounds a configuration file (the engine's CLI reads at most as much).
const maxConfigBytes = 1 << 20

// FileAction is the outcome of the last load or save.
type FileAction int

// The file actions.
const (
	FileNone FileAction = iota
	FileLoaded
	FileSaved
	FileLoadFailed
	FileSaveFailed
)

// State is a snapshot of the console, for the screen and for tests.
type State struct {
	Config      enroll.VendorConfig
	StatusCodes string // the status code entry as typed
	Input       enroll.VendorTestInput
	// Messages are the validation messages per field (see the Field names), config and
	// test values; empty when all is well.
	Messages map[string][]string
	// Rules are the rules the Messages break, per field in the same order: the screen
	// words a message by its rule.
	Rules map[string][]string
	// Valid: the configuration breaks no rule (the test values aside).
	Valid bool
	// Running: a test call is under way.
	Running bool
	// Result is the last test call; nil before the first.
	Result *Result

	FileAction  FileAction
	FileName    string
	FileProblem string // the error, as details for a failed load or save
}

// InputValue is the test value the current auth type uses.
func (s State) InputValue() string { return inputValue(s.Input, s.Config.AuthType) }

// Model is the console's view model. It is safe for concurrent use.
type Model struct {
	observe.Notifier
	tester   Tester
	debounce time.Duration

	mu       sync.Mutex
	cfg      enroll.VendorConfig
	codes    string
	in       enroll.VendorTestInput
	messages map[string][]string
	rules    map[string][]string
	valid    bool
	timer    *time.Timer
	closed   bool
	running  bool
	cancel   context.CancelFunc
	result   *Result
	// response is the last answer, kept whole so the judgment can be re-applied on it.
	response *enroll.VendorResponse
	file     FileAction
	fileName string
	fileErr  string
}

// New returns a console over t with a new FACE configuration and its default auto fields.
func New(t Tester, opts Options) *Model {
	m := &Model{tester: t, debounce: opts.Debounce}
	if m.debounce <= 0 {
		m.debounce = DefaultDebounce
	}
	m.cfg = enroll.VendorConfig{AuthType: enroll.VendorAuthFace, AutoFields: enroll.VendorDefaultAutoFields(enroll.VendorAuthFace)}
	m.validateLocked()
	return m
}

// State returns a snapshot.
func (m *Model) State() State {
	m.mu.Lock()
	defer m.mu.Unlock()
	msgs := make(map[string][]string, len(m.messages))
	for k, v := range m.messages {
		msgs[k] = append([]string(nil), v...)
	}
	rules := make(map[string][]string, len(m.rules))
	for k, v := range m.rules {
		rules[k] = append([]string(nil), v...)
	}
	return State{
		Config: cloneConfig(m.cfg), StatusCodes: m.codes, Input: m.in, Messages: msgs, Rules: rules, Valid: m.valid,
		Running: m.running, Result: m.result.clone(),
		FileAction: m.file, FileName: m.fileName, FileProblem: m.fileErr,
	}
}

// edit applies a change to the form; when it changed anything, the form is validated after
// the debounce and subscribers are told. A change outside the judgment makes the last test
// result stale; a change of the judgment re-judges the last response instead.
func (m *Model) edit(judgment bool, change func() bool) {
	m.mu.Lock()
	if m.closed || !change() {
		m.mu.Unlock()
		return
	}
	if m.result != nil && !judgment {
		m.result.Stale = true
	}
	if m.timer != nil {
		m.timer.Stop()
	}
	m.timer = time.AfterFunc(m.debounce, m.Validate)
	m.mu.Unlock()
	m.Notify()
}

func set[T comparable](p *T, v T) bool {
	if *p == v {
		return false
	}
	*p = v
	return true
}

// SetName sets the API's name.
func (m *Model) SetName(s string) { m.edit(false, func() bool { return set(&m.cfg.Name, s) }) }

// SetURL sets the webhook URL.
func (m *Model) SetURL(s string) { m.edit(false, func() bool { return set(&m.cfg.WebhookURL, s) }) }

// SetAuthType sets the credential type. The auto fields become the type's own (spec 002,
// 5.4), keeping the key and choice of each placeholder that is still available.
func (m *Model) SetAuthType(t enroll.VendorAuthType) {
	m.edit(false, func() bool {
		if !set(&m.cfg.AuthType, t) {
			return false
		}
		fields := enroll.VendorDefaultAutoFields(t)
		for i, f := range fields {
			for _, old := range m.cfg.AutoFields {
				if old.Placeholder == f.Placeholder {
					fields[i] = old
				}
			}
		}
		m.cfg.AutoFields = fields
		return true
	})
}

// AddHeader adds an empty custom header.
func (m *Model) AddHeader() {
	m.edit(false, func() bool { m.cfg.Headers = append(m.cfg.Headers, enroll.VendorHeader{}); return true })
}

// SetHeader sets the key and value of the i-th custom header.
func (m *Model) SetHeader(i int, key, value string) {
	m.edit(false, func() bool {
		return i >= 0 && i < len(m.cfg.Headers) && set(&m.cfg.Headers[i], enroll.VendorHeader{Key: key, Value: value})
	})
}

// RemoveHeader removes the i-th custom header.
func (m *Model) RemoveHeader(i int) {
	m.edit(false, func() bool {
		if i < 0 || i >= len(m.cfg.Headers) {
			return false
		}
		m.cfg.Headers = append(m.cfg.Headers[:i:i], m.cfg.Headers[i+1:]...)
		return true
	})
}

// SetAutoField sets the key of the i-th auto field and whether it is sent; its placeholder
// is fixed.
func (m *Model) SetAutoField(i int, key string, enabled bool) {
	m.edit(false, func() bool {
		if i < 0 || i >= len(m.cfg.AutoFields) {
			return false
		}
		f := m.cfg.AutoFields[i]
		f.Key, f.Enabled = key, enabled
		return set(&m.cfg.AutoFields[i], f)
	})
}

// AddManualField adds a STRING manual field with no name.
func (m *Model) AddManualField() {
	m.edit(false, func() bool {
		m.cfg.ManualFields = append(m.cfg.ManualFields, enroll.VendorManualField{Type: enroll.VendorString})
		return true
	})
}

// SetManualField sets the i-th manual field.
func (m *Model) SetManualField(i int, name string, t enroll.VendorFieldType, value string) {
	m.edit(false, func() bool {
		return i >= 0 && i < len(m.cfg.ManualFields) &&
			set(&m.cfg.ManualFields[i], enroll.VendorManualField{Name: name, Type: t, Value: enroll.VendorText(value)})
	})
}

// RemoveManualField removes the i-th manual field.
func (m *Model) RemoveManualField(i int) {
	m.edit(false, func() bool {
		if i < 0 || i >= len(m.cfg.ManualFields) {
			return false
		}
		m.cfg.ManualFields = append(m.cfg.ManualFields[:i:i], m.cfg.ManualFields[i+1:]...)
		return true
	})
}

// SetStatusCodes sets the success status codes as typed, separated by commas or spaces.
func (m *Model) SetStatusCodes(s string) {
	m.edit(true, func() bool {
		if !set(&m.codes, s) {
			return false
		}
		m.cfg.Judgment.StatusCodes = nil
		for _, c := range parseStatusCodes(s) {
			m.cfg.Judgment.StatusCodes = append(m.cfg.Judgment.StatusCodes, json.Number(c))
		}
		return true
	})
}

// SetSuccessResult sets the body condition: the value at the JSONPath key, of type t,
// equals value. All three empty means no body condition.
func (m *Model) SetSuccessResult(key, value string, t enroll.VendorFieldType) {
	m.edit(true, func() bool {
		var r *enroll.VendorSuccessResult
		if key != "" || value != "" || t != "" {
			r = &enroll.VendorSuccessResult{Key: key, Value: enroll.VendorText(value), Type: t}
		}
		old := m.cfg.Judgment.SuccessResult
		if (old == nil && r == nil) || (old != nil && r != nil && *old == *r) {
			return false
		}
		m.cfg.Judgment.SuccessResult = r
		return true
	})
}

// SetSuccessMessage sets the JSONPath of the message shown when access is granted.
func (m *Model) SetSuccessMessage(p string) {
	m.edit(true, func() bool { return set(&m.cfg.Judgment.SuccessMessage, p) })
}

// SetFailureMessage sets the JSONPath of the message shown when access is denied.
func (m *Model) SetFailureMessage(p string) {
	m.edit(true, func() bool { return set(&m.cfg.Judgment.FailureMessage, p) })
}

// SetDeviceID sets the device serial of the test.
func (m *Model) SetDeviceID(s string) { m.edit(false, func() bool { return set(&m.in.DeviceID, s) }) }

// SetInputValue sets the test value the current auth type uses (user key, card, PIN or QR).
func (m *Model) SetInputValue(s string) {
	m.edit(false, func() bool {
		if inputValue(m.in, m.cfg.AuthType) == s {
			return false
		}
		setInputValue(&m.in, m.cfg.AuthType, s)
		return true
	})
}

// Validate validates the form now, re-judges the last response on the current criteria,
// and tells subscribers. Edits call it after the debounce.
func (m *Model) Validate() {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return
	}
	m.validateLocked()
	m.mu.Unlock()
	m.Notify()
}

func (m *Model) validateLocked() {
	vs := enroll.ValidateVendor(m.cfg)
	m.valid = len(vs) == 0
	vs = append(vs, enroll.ValidateVendorInput(m.in, m.cfg.AuthType)...)
	m.messages, m.rules = map[string][]string{}, map[string][]string{}
	for _, v := range vs {
		k := fieldKey(v.Field)
		m.messages[k] = append(m.messages[k], v.Message)
		m.rules[k] = append(m.rules[k], string(v.Rule))
	}
	if m.result != nil && m.response != nil && m.result.Class == enroll.VendorClassC {
		m.result.judge(m.cfg.Judgment, m.response)
	}
}

// Run starts a test call of the form as it is now with the test values; Cancel stops it.
// A second Run while one is under way does nothing.
func (m *Model) Run(ctx context.Context) {
	m.mu.Lock()
	if m.closed || m.running {
		m.mu.Unlock()
		return
	}
	cfg, in := cloneConfig(m.cfg), m.in
	ctx, cancel := context.WithCancel(ctx)
	m.running, m.cancel = true, cancel
	m.mu.Unlock()
	m.Notify()
	go func() {
		defer cancel()
		r := m.tester.Test(ctx, cfg, in)
		cancelled := errors.Is(ctx.Err(), context.Canceled)
		m.mu.Lock()
		m.running, m.cancel = false, nil
		m.result = newResult(r, cancelled)
		m.response = nil
		if r != nil && !cancelled {
			m.response = r.Response
		}
		m.mu.Unlock()
		m.Notify()
	}()
}

// Cancel stops a running test call.
func (m *Model) Cancel() {
	m.mu.Lock()
	cancel := m.cancel
	m.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// Close stops the pending validation and a running test; the model takes no more edits.
func (m *Model) Close() {
	m.mu.Lock()
	m.closed = true
	if m.timer != nil {
		m.timer.Stop()
	}
	cancel := m.cancel
	m.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}
