package enroll_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/enroll"
	"enrollstation/enroll/demo"
	"enrollstation/store/secrets"
)

// The desk's card reader is the capture camera's: the card the simulator presents comes
// back in the journal's decimal form, and the camera is released and in its mode again.
func TestReadDeskCardAtTheCaptureCamera(t *testing.T) {
	d := startDemo(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	card, err := d.Station.ReadDeskCard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := enroll.CanonicalCard(card); err != nil || c != card || card == "" {
		t.Fatalf("card %q is not in the journal's form (%q, %v)", card, c, err)
	}
	// Released: the next read works too, and gives the next card.
	again, err := d.Station.ReadDeskCard(ctx)
	if err != nil || again == card {
		t.Fatalf("second read %q, %v (first %q)", again, err, card)
	}
}

// A read is cancelled with its context, and a camera held by someone else is not taken
// over: the read says the camera is busy.
func TestReadDeskCardCancelAndBusy(t *testing.T) {
	d := startDemo(t)
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond) // before the card comes
	defer cancel()
	start := time.Now()
	if _, err := d.Station.ReadDeskCard(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("read past its deadline: %v", err)
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Fatalf("the read took %v to stop", el)
	}
	c, err := ef45.New("http://" + d.Camera)
	if err != nil {
		t.Fatal(err)
	}
	held, err := c.Open(t.Context(), false) // the lock is free again after the cancel
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close(context.WithoutCancel(t.Context()))
	if _, err := d.Station.ReadDeskCard(t.Context()); !errors.Is(err, enroll.ErrCameraBusy) {
		t.Fatalf("read at a held camera: %v, want ErrCameraBusy", err)
	}
}

// Without a capture camera there is no reader at the desk.
func TestReadDeskCardWithoutCamera(t *testing.T) {
	dir := t.TempDir()
	st, err := enroll.OpenStation(t.Context(), enroll.Config{JournalPath: filepath.Join(dir, "j.db"),
		Secrets: secrets.NewFile(filepath.Join(dir, "secrets.json"))})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.ReadDeskCard(t.Context()); !errors.Is(err, enroll.ErrNoCamera) {
		t.Fatalf("got %v, want ErrNoCamera", err)
	}
}

// The directory merges the terminals' departments and groups by name, and says which
// terminal did not answer.
func TestDirectoryMergesTheTerminals(t *testing.T) {
	d := startDemo(t)
	dir, err := d.Station.Directory(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	names := func(ns []enroll.DirectoryName) map[string]int {
		out := map[string]int{}
		for _, n := range ns {
			out[n.Name] = len(n.Terminals)
		}
		return out
	}
	wantGroups := map[string]int{"General Staff": 2, "Staff": 2, "Visitors": 1, "Night shift": 1, "Engineering lab": 1}
	if got := names(dir.Groups); !reflect.DeepEqual(got, wantGroups) {
		t.Errorf("groups %v, want %v", got, wantGroups)
	}
	wantDeps := map[string]int{"General": 2, "Front desk": 2, "Engineering": 2, "Finance": 2, "Facilities": 2, "Security": 2}
	if got := names(dir.Departments); !reflect.DeepEqual(got, wantDeps) {
		t.Errorf("departments %v, want %v", got, wantDeps)
	}
	if dir.Reachable() != 2 || len(dir.Terminals) != 2 {
		t.Errorf("terminals %+v", dir.Terminals)
	}

	d.Sims.ACTAtek[1].SetDropRate(1)
	dir, err = d.Station.Directory(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if dir.Reachable() != 1 || dir.Terminals[1].Target.Name != demo.OfficeName || dir.Terminals[1].Err == "" {
		t.Fatalf("with the office down: %+v", dir.Terminals)
	}
	if got := names(dir.Groups); got["Engineering lab"] != 0 || got["Night shift"] != 1 {
		t.Errorf("groups with the office down: %v", got)
	}
}
