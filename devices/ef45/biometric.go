package ef45

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// List returns the buffered biometric data. The endpoint follows the device version read
// when the session opened: /biometric-data up to 1.2.33, /biometric-data/ver1 from 1.2.34
// (spec 003; specs/README.md). An item is ~5 MB.
func (b *BiometricService) List(ctx context.Context) ([]BiometricData, error) {
	path := "biometric-data"
	if UsesVer1(b.s.version) {
		path = "biometric-data/ver1"
	}
	var items []BiometricData
	err := b.s.do(ctx, call{name: "read biometric data", method: http.MethodGet, path: path, limit: limitLarge,
		decode: func(data []byte) (err error) {
			items, err = DecodeBiometricList(data)
			return err
		}})
	return items, err
}

// Delete empties one item from the buffer (DELETE /biometric-data/{encounter_id}).
func (b *BiometricService) Delete(ctx context.Context, encounterID string) error {
	return b.s.send(ctx, "delete biometric data", http.MethodDelete, "biometric-data/"+url.PathEscape(encounterID), nil, nil, nil)
}

// Clear deletes every buffered item; spec 003 asks for it before a capture starts.
func (b *BiometricService) Clear(ctx context.Context) (int, error) {
	items, err := b.List(ctx)
	if err != nil {
		return 0, err
	}
	for i, it := range items {
		if err := b.Delete(ctx, it.EncounterID); err != nil && !errors.Is(err, ErrNotFound) {
			return i, err
		}
	}
	return len(items), nil
}

// Save8BMP asks the device to save an iris image as an 8-bit bitmap under name
// ("lefteye.bmp", "righteye.bmp") (PUT /biometric-data/save-8bmp).
func (b *BiometricService) Save8BMP(ctx context.Context, name string) error {
	return b.s.send(ctx, "save iris bitmap", http.MethodPut, "biometric-data/save-8bmp", nil, name, nil)
}

// Save24BMP asks the device to save a face image as a 24-bit bitmap under name
// ("irisoff.bmp", "faroff.bmp", "faron.bmp", "nearoff.bmp", "nearon.bmp").
func (b *BiometricService) Save24BMP(ctx context.Context, name string) error {
	return b.s.send(ctx, "save face bitmap", http.MethodPut, "biometric-data/save-24bmp", nil, name, nil)
}

// LoadFile reads an image file from the device image folder, e.g. "{uuid}_lefteye.jpg" or
// "pc_enroll_logo.png" (GET /biometric-data/load-file).
func (b *BiometricService) LoadFile(ctx context.Context, filename string) ([]byte, error) {
	var f LoadedFile
	if err := b.s.get(ctx, "load file "+filename, "biometric-data/load-file", url.Values{"filename": {filename}}, &f, limitLarge); err != nil {
		return nil, err
	}
	if f.Size > 0 && int(f.Size) != len(f.File) {
		return nil, &Error{Call: "load file " + filename, Status: http.StatusOK,
			Err: fmt.Errorf("%w: size %d but %d bytes", ErrMalformed, f.Size, len(f.File))}
	}
	return f.File, nil
}

// SaveFile writes a file to the device image folder, e.g. the enrollment logo
// "pc_enroll_logo.png" (PUT /biometric-data/save-file; body: the bytes in base64).
func (b *BiometricService) SaveFile(ctx context.Context, filename string, data []byte) error {
	return b.s.send(ctx, "save file "+filename, http.MethodPut, "biometric-data/save-file", url.Values{"filename": {filename}}, data, nil)
}

// unmarshal decodes device JSON, wrapping a failure as ErrMalformed.
func unmarshal(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return nil
}
