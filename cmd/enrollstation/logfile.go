package main

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"enrollstation/store"
)

// logPath is where the application log goes: beside the journal, in the user data folder.
func logPath() (string, error) {
	dir, err := store.DataDir()
	if err != nil {
		return "", fmt.Errorf("find the log folder: %w", err)
	}
	return filepath.Join(dir, "enrollstation.log"), nil
}

// openLog opens the log file for appending, readable by the user only (it names devices
// and people's capture ids), and returns a structured logger writing to it.
func openLog() (*slog.Logger, func(), error) {
	path, err := logPath()
	if err != nil {
		return nil, nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, nil, fmt.Errorf("create the log folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open the log file: %w", err)
	}
	return slog.New(slog.NewJSONHandler(f, nil)), func() { _ = f.Close() }, nil
}
