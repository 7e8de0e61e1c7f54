package files

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// entry is what a test finds at a path: its kind, mode and content.
type entry struct {
	Kind    string // "file", "dir", "link", "missing"
	Mode    fs.FileMode
	Content string
}

func look(t *testing.T, path string) entry {
	t.Helper()
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return entry{Kind: "missing"}
	case err != nil:
		t.Fatal(err)
	case fi.Mode()&fs.ModeSymlink != 0:
		return entry{Kind: "link"}
	case fi.IsDir():
		return entry{Kind: "dir", Mode: fi.Mode().Perm()}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return entry{Kind: "file", Mode: fi.Mode().Perm(), Content: string(b)}
}

func checkEntry(t *testing.T, path string, want entry) {
	t.Helper()
	if got := look(t, path); got != want {
		t.Errorf("%s: %+v, want %+v", path, got, want)
	}
}

func unixOnly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no links nor mode bits to check on Windows")
	}
}

func TestOpenDirCreatesPrivateFolderAndFiles(t *testing.T) {
	unixOnly(t)
	path := filepath.Join(t.TempDir(), "capture", "today")
	d, err := OpenDir(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.WriteFile("left_eye.jpg", []byte("iris")); err != nil {
		t.Fatal(err)
	}
	f, err := d.Create("manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("{}")
	f.Close()
	checkEntry(t, path, entry{Kind: "dir", Mode: 0o700})
	checkEntry(t, filepath.Dir(path), entry{Kind: "dir", Mode: 0o700})
	checkEntry(t, filepath.Join(path, "left_eye.jpg"), entry{Kind: "file", Mode: 0o600, Content: "iris"})
	checkEntry(t, filepath.Join(path, "manifest.json"), entry{Kind: "file", Mode: 0o600, Content: "{}"})
}

func TestOpenDirRefusesFoldersNotOurs(t *testing.T) {
	unixOnly(t)
	base := t.TempDir()
	real := filepath.Join(base, "real")
	if err := os.Mkdir(real, 0o700); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(base, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(base, "shared")
	if err := os.Mkdir(shared, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	// A folder of another user: root hands one to nobody; anyone else meets one in "/".
	foreign := "/"
	if os.Getuid() == 0 {
		foreign = filepath.Join(base, "foreign")
		if err := os.Mkdir(foreign, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(foreign, 65534, 65534); err != nil {
			t.Fatal(err)
		}
	}
	for path, want := range map[string]string{
		link:    "is a symbolic link",
		shared:  "can be written by other users",
		file:    "not a folder",
		foreign: "belongs to another user",
	} {
		d, err := OpenDir(path)
		if err == nil {
			d.Close()
			t.Errorf("OpenDir(%s) accepted it", path)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("OpenDir(%s): %v, want it to say %q", path, err, want)
		}
	}
	checkEntry(t, real, entry{Kind: "dir", Mode: 0o700})
	if entries, _ := os.ReadDir(real); len(entries) != 0 {
		t.Errorf("the link's target was written to: %v", entries)
	}
}

// Whatever holds the name already (a file, a link to a file, a dangling link, a folder),
// nothing is written, followed or changed.
func TestCreateRefusesTakenNames(t *testing.T) {
	unixOnly(t)
	elsewhere := t.TempDir()
	target := filepath.Join(elsewhere, "victim")
	if err := os.WriteFile(target, []byte("theirs"), 0o644); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(elsewhere, "not-yet")

	dir := t.TempDir()
	setup := map[string]func(p string) error{
		"file":          func(p string) error { return os.WriteFile(p, []byte("old"), 0o644) },
		"link":          func(p string) error { return os.Symlink(target, p) },
		"dangling-link": func(p string) error { return os.Symlink(dangling, p) },
		"folder":        func(p string) error { return os.Mkdir(p, 0o700) },
	}
	for name, mk := range setup {
		if err := mk(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	want := map[string]string{
		"file": "never overwritten", "link": "symbolic link", "dangling-link": "symbolic link", "folder": "is a folder",
	}
	writers := map[string]func(path, name string) error{
		"Dir.WriteFile": func(_, name string) error { return d.WriteFile(name, []byte("new")) },
		"WriteFile":     func(path, _ string) error { return WriteFile(path, []byte("new")) },
		"Dir.CheckFree": func(_, name string) error { return d.CheckFree("free.jpg", name) },
	}
	for wname, write := range writers {
		for name, says := range want {
			err := write(filepath.Join(dir, name), name)
			if !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), says) {
				t.Errorf("%s over a %s: %v, want ErrExists saying %q", wname, name, err, says)
			}
		}
	}
	checkEntry(t, filepath.Join(dir, "file"), entry{Kind: "file", Mode: 0o644, Content: "old"})
	checkEntry(t, target, entry{Kind: "file", Mode: 0o644, Content: "theirs"})
	checkEntry(t, dangling, entry{Kind: "missing"})
	if err := d.CheckFree("free.jpg"); err != nil {
		t.Errorf("CheckFree of a free name: %v", err)
	}
}

func TestDirNamesStayInside(t *testing.T) {
	unixOnly(t)
	base := t.TempDir()
	d, err := OpenDir(filepath.Join(base, "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.WriteFile("../escaped", []byte("x")); err == nil {
		t.Error("a name with .. was written outside the folder")
	}
	checkEntry(t, filepath.Join(base, "escaped"), entry{Kind: "missing"})
}

func TestWriteFileIsPrivate(t *testing.T) {
	unixOnly(t)
	path := filepath.Join(t.TempDir(), "export.csv")
	if err := WriteFile(path, []byte("a,b\n")); err != nil {
		t.Fatal(err)
	}
	checkEntry(t, path, entry{Kind: "file", Mode: 0o600, Content: "a,b\n"})
}

// ReplaceFile replaces a file or a link at the name with a private file and leaves what a
// link pointed to alone.
func TestReplaceFile(t *testing.T) {
	unixOnly(t)
	dir := t.TempDir()
	target := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(target, []byte("theirs"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(dir, "shot.png")
	if err := os.WriteFile(old, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.png")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{old, link, filepath.Join(dir, "new.png")} {
		if err := ReplaceFile(p, []byte("png")); err != nil {
			t.Fatal(err)
		}
		checkEntry(t, p, entry{Kind: "file", Mode: 0o600, Content: "png"})
	}
	checkEntry(t, target, entry{Kind: "file", Mode: 0o644, Content: "theirs"})
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("folder holds %d entries, want 3 (no temporary file left)", len(entries))
	}
	if err := ReplaceFile(dir, []byte("png")); !errors.Is(err, ErrExists) {
		t.Errorf("ReplaceFile over a folder: %v, want ErrExists", err)
	}
}
