package console

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"enrollstation/enroll"
)

// Load reads a configuration file in place of the form; name is shown. A file that cannot
// be read leaves the form as it was.
func (m *Model) Load(name string, r io.Reader) error {
	cfg, err := readConfig(r)
	m.mu.Lock()
	if err != nil {
		m.file, m.fileName, m.fileErr = FileLoadFailed, name, err.Error()
		m.mu.Unlock()
		m.Notify()
		return fmt.Errorf("load %s: %w", name, err)
	}
	m.cfg = cfg
	codes := make([]string, len(cfg.Judgment.StatusCodes))
	for i, c := range cfg.Judgment.StatusCodes {
		codes[i] = c.String()
	}
	m.codes = strings.Join(codes, ", ")
	m.file, m.fileName, m.fileErr = FileLoaded, name, ""
	if m.result != nil {
		m.result.Stale = true
	}
	m.validateLocked()
	m.mu.Unlock()
	m.Notify()
	return nil
}

func readConfig(r io.Reader) (enroll.VendorConfig, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxConfigBytes+1))
	if err != nil {
		return enroll.VendorConfig{}, fmt.Errorf("read the configuration: %w", err)
	}
	if len(b) > maxConfigBytes {
		return enroll.VendorConfig{}, fmt.Errorf("the file is larger than %d bytes", maxConfigBytes)
	}
	return enroll.ParseVendorConfig(b)
}

// ErrStatusCodes is a save refused because a status code is not a number: the file would
// not be JSON.
var ErrStatusCodes = errors.New("every status code must be a number to save the configuration")

// Save writes the form as a configuration file (the format `enrollctl clue vendor` reads);
// name is shown. Header values are written as they are: the file is the technician's.
func (m *Model) Save(name string, w io.Writer) error {
	m.mu.Lock()
	cfg := cloneConfig(m.cfg)
	m.mu.Unlock()
	err := writeConfig(cfg, w)
	m.mu.Lock()
	if err != nil {
		m.file, m.fileName, m.fileErr = FileSaveFailed, name, err.Error()
	} else {
		m.file, m.fileName, m.fileErr = FileSaved, name, ""
	}
	m.mu.Unlock()
	m.Notify()
	if err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	return nil
}

// fileFailed records a load or save that failed after the model's part of it (closing the
// file).
func (m *Model) fileFailed(a FileAction, name string, err error) {
	m.mu.Lock()
	m.file, m.fileName, m.fileErr = a, name, err.Error()
	m.mu.Unlock()
	m.Notify()
}

func writeConfig(cfg enroll.VendorConfig, w io.Writer) error {
	for _, c := range cfg.Judgment.StatusCodes {
		if !json.Valid([]byte(c)) {
			return fmt.Errorf("%w: %q", ErrStatusCodes, string(c))
		}
	}
	b, err := enroll.MarshalVendorConfig(cfg)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write the configuration: %w", err)
	}
	return nil
}
