package enroll

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/enroll/capture"
	"enrollstation/enroll/target"
)

// What the person form uses at the desk: the card reader, and the terminals' departments
// and access groups.

// ErrNoCamera reports that no capture camera is set, so there is no card reader at the desk.
var ErrNoCamera = errors.New("no capture camera is set")

// ErrCameraBusy reports that the capture camera's lock is held: by a capture of this
// station (running, or waiting to be accepted) or by another workstation.
var ErrCameraBusy = errors.New("the capture camera is busy")

// CanonicalCard is a card number in the journal's one form, decimal digits without
// leading zeros; each target converts it at its own edge.
func CanonicalCard(card string) (string, error) { return target.CanonicalCard(card) }

// deskCardPoll is how often the card reader is asked for a card.
const deskCardPoll = 200 * time.Millisecond

// ReadDeskCard waits for a card held to the capture camera's reader until ctx ends, and
// returns it in the journal's form (decimal).
//
// The capture camera reads, not an EF-45 target: it is the one at the desk, in front of the
// operator and the person being enrolled, while targets are door units elsewhere that
// people walk through. Its lock is not taken over: if this station's capture or another
// workstation holds it, the read fails with ErrCameraBusy rather than break that work. The
// camera reads cards only in Slave mode; it is put back in its mode afterwards.
func (s *Station) ReadDeskCard(ctx context.Context) (string, error) {
	addr, err := s.CameraAddress(ctx)
	if err != nil {
		return "", fmt.Errorf("read a card: %w", err)
	}
	if addr == "" {
		return "", fmt.Errorf("read a card: %w", ErrNoCamera)
	}
	// No lock memory: the lock this station remembers is its capture's, not a stale one.
	cam, err := capture.OpenCamera(addr, nil)
	if err != nil {
		return "", fmt.Errorf("read a card at the camera %s: %w", addr, err)
	}
	var raw string
	err = cam.WithSession(ctx, false, func(se *ef45.Session) error {
		cs, err := se.Camera.Get(ctx)
		if err != nil {
			return err
		}
		if cs.CameraMode != ef45.ModeSlave {
			if err := se.Camera.Set(ctx, ef45.ModeSlave, bool(cs.AudioEnabled)); err != nil {
				return fmt.Errorf("set camera mode Slave: %w", err)
			}
			defer func() {
				rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
				defer cancel()
				_ = se.Camera.Set(rctx, cs.CameraMode, bool(cs.AudioEnabled)) // best effort: a capture sets Slave itself
			}()
		}
		raw, err = se.Control.ReadCard(ctx, deskCardPoll)
		return err
	})
	if errors.Is(err, ef45.ErrInUse) {
		return "", fmt.Errorf("read a card at the camera %s: %w: %w", addr, ErrCameraBusy, err)
	}
	if err != nil {
		return "", fmt.Errorf("read a card at the camera %s: %w", addr, err)
	}
	card, err := target.CardFromEF45(raw)
	if err != nil {
		return "", fmt.Errorf("read a card at the camera %s: %w", addr, err)
	}
	return card, nil
}

// DefaultDirectoryTimeout bounds each terminal's answer in Directory.
const DefaultDirectoryTimeout = 8 * time.Second

// Directory is the departments and access groups people can be put in, from every enabled
// ACTAtek terminal, merged by name.
type Directory struct {
	// Departments and Groups are every name some terminal has, sorted; names differing
	// only in case or spaces around are one.
	Departments []DirectoryName
	Groups      []DirectoryName
	// Terminals are the ACTAtek targets asked, in the journal's order.
	Terminals []TerminalDirectory
}

// DirectoryName is a department or group and the terminals that have it.
type DirectoryName struct {
	Name      string
	Terminals []string
}

// TerminalDirectory is one terminal's lists, or why it could not give them.
type TerminalDirectory struct {
	Target      Target
	Departments []string
	Groups      []string
	// Err says, in the operator's words, why the terminal did not answer; "" when it did.
	Err string
}

// Reachable is how many terminals answered.
func (d Directory) Reachable() int {
	n := 0
	for _, t := range d.Terminals {
		if t.Err == "" {
			n++
		}
	}
	return n
}

// Directory asks every enabled ACTAtek target at once for its departments and access
// groups, each within DefaultDirectoryTimeout. A terminal that does not answer says why in
// its TerminalDirectory; the error is the journal's only.
func (s *Station) Directory(ctx context.Context) (Directory, error) {
	ts, err := s.st.Targets(ctx)
	if err != nil {
		return Directory{}, err
	}
	var d Directory
	for _, t := range ts {
		if t.Enabled && t.Kind == TargetACTAtek {
			d.Terminals = append(d.Terminals, TerminalDirectory{Target: t})
		}
	}
	var wg sync.WaitGroup
	for i := range d.Terminals {
		wg.Go(func() { s.terminalDirectory(ctx, &d.Terminals[i]) })
	}
	wg.Wait()
	d.Departments = mergeNames(d.Terminals, func(t TerminalDirectory) []string { return t.Departments })
	d.Groups = mergeNames(d.Terminals, func(t TerminalDirectory) []string { return t.Groups })
	return d, nil
}

func (s *Station) terminalDirectory(ctx context.Context, td *TerminalDirectory) {
	ctx, cancel := context.WithTimeout(ctx, DefaultDirectoryTimeout)
	defer cancel()
	tg, err := target.OpenWith(ctx, td.Target, s.sec, s.topts)
	if err != nil {
		td.Err = target.OperatorMessage(err)
		return
	}
	defer tg.Close()
	r, ok := tg.(target.DirectoryReader)
	if !ok {
		td.Err = ErrNotSupported.Error()
		return
	}
	dir, err := r.Directory(ctx)
	if err != nil {
		td.Err = target.OperatorMessage(err)
		return
	}
	td.Departments, td.Groups = dir.Departments, dir.Groups
}

// mergeNames merges the terminals' names case-insensitively, keeping the first spelling met.
func mergeNames(ts []TerminalDirectory, names func(TerminalDirectory) []string) []DirectoryName {
	byKey := map[string]int{}
	var out []DirectoryName
	for _, t := range ts {
		for _, n := range names(t) {
			k := strings.ToLower(strings.TrimSpace(n))
			i, ok := byKey[k]
			if !ok {
				i = len(out)
				byKey[k] = i
				out = append(out, DirectoryName{Name: strings.TrimSpace(n)})
			}
			if ts := out[i].Terminals; len(ts) == 0 || ts[len(ts)-1] != t.Target.Name {
				out[i].Terminals = append(out[i].Terminals, t.Target.Name)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out
}
