package secrets

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"time"
)

// fileVersion is the format version File writes; a file with a newer one is refused.
const fileVersion = 1

// maxFileSize bounds what File reads: secrets are small, and a huge file is not ours.
const maxFileSize = 1 << 20

// File keeps secrets in a JSON file that only its owner may read (mode 0600, folder 0700),
// for machines where no OS keyring answers. Writes replace the file atomically and take an
// advisory lock, so the GUI and enrollctl can share it.
type File struct {
	path string
	// sem serialises readers and writers inside this process and honours ctx while waiting.
	sem chan struct{}
}

// fileBody is the file's JSON shape. Values are base64 because secrets may be binary.
type fileBody struct {
	Version int               `json:"version"`
	Secrets map[string]string `json:"secrets"`
}

// DefaultFilePath is secrets.json in the user's config folder, under enrollstation/.
func DefaultFilePath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "enrollstation", "secrets.json"), nil
}

// NewFile returns a Store backed by the file at path, created on the first Set.
func NewFile(path string) *File {
	return &File{path: path, sem: make(chan struct{}, 1)}
}

// Path is the file's location.
func (f *File) Path() string { return f.path }

// Get returns the secret called name.
func (f *File) Get(ctx context.Context, name string) (Value, error) {
	if err := checkName(name); err != nil {
		return Value{}, fmt.Errorf("secrets file get: %w", err)
	}
	if err := f.acquire(ctx); err != nil {
		return Value{}, fmt.Errorf("secrets file get %s: %w", name, err)
	}
	defer f.release()
	m, err := f.read()
	if err != nil {
		return Value{}, fmt.Errorf("secrets file get %s: %w", name, err)
	}
	b, ok := m[name]
	if !ok {
		return Value{}, fmt.Errorf("secrets file get %s: %w", name, ErrNotFound)
	}
	return Value{b: b}, nil
}

// Set stores v under name, rewriting the file atomically.
func (f *File) Set(ctx context.Context, name string, v Value) error {
	if err := checkName(name); err != nil {
		return fmt.Errorf("secrets file set: %w", err)
	}
	err := f.update(ctx, func(m map[string][]byte) error {
		m[name] = v.Bytes()
		return nil
	})
	if err != nil {
		return fmt.Errorf("secrets file set %s: %w", name, err)
	}
	return nil
}

// Delete removes the secret called name.
func (f *File) Delete(ctx context.Context, name string) error {
	if err := checkName(name); err != nil {
		return fmt.Errorf("secrets file delete: %w", err)
	}
	err := f.update(ctx, func(m map[string][]byte) error {
		if _, ok := m[name]; !ok {
			return ErrNotFound
		}
		delete(m, name)
		return nil
	})
	if err != nil {
		return fmt.Errorf("secrets file delete %s: %w", name, err)
	}
	return nil
}

func (f *File) acquire(ctx context.Context) error {
	select {
	case f.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (f *File) release() { <-f.sem }

// update runs a read-modify-write under both the in-process semaphore and the cross-process
// lock, so two programs setting different secrets do not lose each other's.
func (f *File) update(ctx context.Context, change func(map[string][]byte) error) error {
	if err := f.acquire(ctx); err != nil {
		return err
	}
	defer f.release()
	dir := filepath.Dir(f.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create folder: %w", err)
	}
	unlockFile, err := lockFile(ctx, f.path+".lock")
	if err != nil {
		return err
	}
	defer unlockFile()
	m, err := f.read()
	if err != nil {
		return err
	}
	if err := change(m); err != nil {
		return err
	}
	return f.write(m)
}

// lockFile takes the cross-process lock kept in the file at path (created 0600), waiting
// while another program holds it, and returns the call that releases it.
func lockFile(ctx context.Context, path string) (unlockFile func(), err error) {
	lf, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	for {
		busy, err := tryLock(lf)
		if err != nil {
			lf.Close()
			return nil, fmt.Errorf("lock: %w", err)
		}
		if !busy {
			break
		}
		select {
		case <-ctx.Done():
			lf.Close()
			return nil, fmt.Errorf("another program holds %s: %w", path, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return func() {
		_ = unlock(lf)
		lf.Close()
	}, nil
}

// SetIfAbsent stores v under name unless a secret of that name is there already, in one
// step under the file's lock, and returns the value kept: v, or the one found.
func (f *File) SetIfAbsent(ctx context.Context, name string, v Value) (Value, error) {
	if err := checkName(name); err != nil {
		return Value{}, fmt.Errorf("secrets file set %s: %w", name, err)
	}
	kept := v
	err := f.update(ctx, func(m map[string][]byte) error {
		if old, ok := m[name]; ok {
			kept = Value{b: old}
			return errUnchanged
		}
		m[name] = v.Bytes()
		return nil
	})
	if err != nil && !errors.Is(err, errUnchanged) {
		return Value{}, fmt.Errorf("secrets file set %s: %w", name, err)
	}
	return kept, nil
}

// errUnchanged tells update that the change found nothing to write.
var errUnchanged = errors.New("unchanged")

// read loads the file; a missing file is an empty store. A file that others could read is
// refused rather than silently fixed: its secrets may already have leaked and should be
// changed, which only the operator can decide.
func (f *File) read() (map[string][]byte, error) {
	fh, err := os.Open(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string][]byte{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if err := checkPrivate(f.path, fi.Mode()); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(fh, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%s is larger than %d bytes; it is not a secrets file this program wrote", f.path, maxFileSize)
	}
	m, err := parseFile(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.path, err)
	}
	return m, nil
}

// checkPrivate refuses a file that users other than its owner can read or write. Windows
// has no such mode bits; the file lives in the user's own profile there.
func checkPrivate(path string, mode fs.FileMode) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	if mode.Perm()&0o077 != 0 {
		return fmt.Errorf("%s can be read by other users (mode %04o); its secrets may have leaked: "+
			"change them, then run chmod 600 %s", path, mode.Perm(), path)
	}
	return nil
}

// parseFile decodes the file's content. Damage is reported, never guessed around.
func parseFile(data []byte) (map[string][]byte, error) {
	var body fileBody
	if err := json.Unmarshal(data, &body); err != nil {
		return nil, fmt.Errorf("not a secrets file (damaged JSON): %w", err)
	}
	if body.Version > fileVersion {
		return nil, fmt.Errorf("secrets file version %d is newer than this program understands (%d)", body.Version, fileVersion)
	}
	if body.Version < 1 {
		return nil, fmt.Errorf("secrets file has no version; it is not a file this program wrote")
	}
	m := make(map[string][]byte, len(body.Secrets))
	for name, enc := range body.Secrets {
		if err := checkName(name); err != nil {
			return nil, fmt.Errorf("damaged entry: %w", err)
		}
		b, err := base64.StdEncoding.DecodeString(enc)
		if err != nil {
			return nil, fmt.Errorf("damaged entry %q: value is not base64", name)
		}
		m[name] = b
	}
	return m, nil
}

// encodeFile is parseFile's inverse, with names sorted so rewrites are stable.
func encodeFile(m map[string][]byte) ([]byte, error) {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	body := fileBody{Version: fileVersion, Secrets: make(map[string]string, len(m))}
	for _, n := range names {
		body.Secrets[n] = base64.StdEncoding.EncodeToString(m[n])
	}
	return json.MarshalIndent(body, "", "  ")
}

// write replaces the file atomically: a temporary file (created 0600) in the same folder,
// synced, then renamed over the old one, then the folder synced so the rename survives a
// power cut.
func (f *File) write(m map[string][]byte) error {
	data, err := encodeFile(m)
	if err != nil {
		return err
	}
	dir := filepath.Dir(f.path)
	tmp, err := os.CreateTemp(dir, ".secrets-*.tmp")
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		tmp.Close()
		return fmt.Errorf("write: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // not supported everywhere; the rename itself has happened
		d.Close()
	}
	return nil
}
