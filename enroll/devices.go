package enroll

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/devices/ef45"
	"enrollstation/enroll/push"
	"enrollstation/enroll/target"
	"enrollstation/store"
	"enrollstation/store/secrets"
)

// What the technician's devices screen shows of the engine's types.
type (
	// Health is what a health check of a target found.
	Health = target.Health
	// FailureCode is why a target's health check failed.
	FailureCode = target.FailureCode
	// Finding is one person a target disagrees with the journal about.
	Finding = push.Finding
	// FindingKind is how a target differs from the journal for one person.
	FindingKind = push.FindingKind
)

// NoteEventsOnly is a reconcile report's note code: rebuilt from the target's events.
const NoteEventsOnly = target.NoteEventsOnly

// FailureOf says why a call to a target failed.
func FailureOf(err error) FailureCode { return target.FailureOf(err) }

// The reasons a health check fails (FailureOf).
const (
	FailUnreachable = target.FailUnreachable
	FailTimeout     = target.FailTimeout
	FailAuth        = target.FailAuth
	FailTLS         = target.FailTLS
	FailMalformed   = target.FailMalformed
	FailDevice      = target.FailDevice
	FailOther       = target.FailOther
)

// Finding kinds.
const (
	FindingMissing   = push.Missing
	FindingDifferent = push.Different
	FindingUnknown   = push.Unknown
)

// ErrNotSupported reports a device action the target's kind cannot do.
var ErrNotSupported = errors.New("this device cannot do that")

// DefaultHealthTimeout bounds each target's health check in TargetsHealth.
const DefaultHealthTimeout = 8 * time.Second

// TargetStatus is a target with what its health check found and what it can do.
type TargetStatus struct {
	Target Target
	Health Health
	// Checked is false for a disabled target, which is not asked.
	Checked bool
	// DoorTest, CardRead, SetTime, CameraMode, Logs and Config say the target supports
	// TestDoor, ReadCard, SetTargetTime, the camera mode calls, TargetLogs and the
	// configuration calls.
	DoorTest, CardRead, SetTime, CameraMode, Logs, Config bool
}

// TargetsHealth lists every target with a health check of each enabled one, run at once,
// each within timeout (DefaultHealthTimeout when 0). A target that cannot be reached says
// why in Health.Err, in the operator's words.
func (s *Station) TargetsHealth(ctx context.Context, timeout time.Duration) ([]TargetStatus, error) {
	if timeout <= 0 {
		timeout = DefaultHealthTimeout
	}
	ts, err := s.st.Targets(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]TargetStatus, len(ts))
	var wg sync.WaitGroup
	for i, t := range ts {
		out[i] = TargetStatus{Target: t, Health: Health{Users: -1}}
		out[i].DoorTest, out[i].CardRead = capabilities(t.Kind)
		out[i].SetTime = t.Kind == TargetEF45 || t.Kind == TargetACTAtek
		out[i].Logs = out[i].SetTime
		out[i].CameraMode = t.Kind == TargetEF45
		out[i].Config = t.Kind == TargetEF45
		if !t.Enabled {
			continue
		}
		out[i].Checked = true
		wg.Go(func() { out[i].Health = s.health(ctx, t, timeout) })
	}
	wg.Wait()
	return out, nil
}

// capabilities are what a kind of target can do beyond pushing (see target.DoorTester and
// target.CardReader); they are known from the kind, without opening a client.
func capabilities(k TargetKind) (door, card bool) {
	switch k {
	case TargetEF45:
		return true, true
	case TargetACTAtek:
		return true, false
	}
	return false, false
}

func (s *Station) health(ctx context.Context, t store.Target, timeout time.Duration) Health {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tg, err := target.OpenWith(ctx, t, s.sec, s.topts)
	if err != nil {
		return Health{Users: -1, Code: target.FailureOf(err), Err: target.OperatorMessage(err)}
	}
	defer tg.Close()
	return tg.Health(ctx)
}

// SaveTarget adds t (ID 0) or replaces its settings. A non-empty secret (password, API
// key) goes to the secrets store; an empty one keeps the secret the target has.
func (s *Station) SaveTarget(ctx context.Context, t Target, secret, operator string) (Target, error) {
	var sv secrets.Value
	if secret != "" {
		sv = secrets.StringValue(secret)
	}
	if t.ID == 0 {
		return s.AddTarget(ctx, t, sv, operator)
	}
	old, err := s.st.Target(ctx, t.ID)
	if err != nil {
		return Target{}, err
	}
	t.SecretRef = old.SecretRef
	if !sv.IsZero() {
		if t.SecretRef == "" {
			t.SecretRef = secretRef(t.Name)
		}
		if err := s.sec.Set(ctx, t.SecretRef, sv); err != nil {
			return Target{}, fmt.Errorf("change target %q: save its secret: %w", t.Name, err)
		}
	}
	if err := s.st.UpdateTarget(ctx, t, operator); err != nil {
		return Target{}, err
	}
	s.worker.Forget(t.ID) // the worker's client has the old settings
	return s.st.Target(ctx, t.ID)
}

// TerminalCertificate is the certificate an https ACTAtek terminal presents, for a person
// to compare with the terminal's own screen before it is pinned.
type TerminalCertificate struct {
	// Fingerprint is the SHA-256 to pin (lowercase hex); Display groups it in pairs.
	Fingerprint, Display string
	Subject, Issuer      string
	NotAfter             time.Time
}

// ReadTerminalCertificate connects to the terminal at url and reads its certificate
// without trusting it; nothing is sent to the terminal.
func (s *Station) ReadTerminalCertificate(ctx context.Context, url string) (TerminalCertificate, error) {
	info, err := actatek.Probe(ctx, url)
	if err != nil {
		return TerminalCertificate{}, fmt.Errorf("read the certificate of %s: %w", url, err)
	}
	return TerminalCertificate{Fingerprint: info.Fingerprint, Display: actatek.FormatFingerprint(info.Fingerprint),
		Subject: info.Subject, Issuer: info.Issuer, NotAfter: info.NotAfter}, nil
}

// ParseFingerprint reads a certificate fingerprint typed or pasted by a person.
func ParseFingerprint(fp string) (string, error) { return actatek.ParseFingerprint(fp) }

// TestDoor opens the target's door or pulses its relay (a technician's test).
func (s *Station) TestDoor(ctx context.Context, id TargetID) error {
	tg, err := s.OpenTarget(ctx, id)
	if err != nil {
		return err
	}
	defer tg.Close()
	d, ok := tg.(target.DoorTester)
	if !ok {
		return fmt.Errorf("test the door of %s: %w", tg.Info().Name, ErrNotSupported)
	}
	if err := d.TestDoor(ctx); err != nil {
		return fmt.Errorf("test the door of %s: %w", tg.Info().Name, err)
	}
	return nil
}

// ReadCard waits for a card at the target's reader until ctx ends. An EF-45 reads cards
// only in Slave mode: it is switched to Slave for the read and put back afterwards.
func (s *Station) ReadCard(ctx context.Context, id TargetID) (string, error) {
	tg, err := s.OpenTarget(ctx, id)
	if err != nil {
		return "", err
	}
	defer tg.Close()
	info := tg.Info()
	r, ok := tg.(target.CardReader)
	if !ok {
		return "", fmt.Errorf("read a card at %s: %w", info.Name, ErrNotSupported)
	}
	if info.Kind == TargetEF45 {
		restore, err := ef45Slave(ctx, info.Address)
		if err != nil {
			return "", fmt.Errorf("read a card at %s: %w", info.Name, err)
		}
		defer restore()
	}
	card, err := r.ReadCard(ctx)
	if err != nil {
		return "", fmt.Errorf("read a card at %s: %w", info.Name, err)
	}
	return card, nil
}

// ef45Slave puts the EF-45 at addr in Slave mode and returns how to put its mode back.
func ef45Slave(ctx context.Context, addr string) (restore func(), err error) {
	c, err := ef45.New(ef45URL(addr))
	if err != nil {
		return nil, err
	}
	var mode string
	var audio bool
	err = ef45Locked(ctx, c, func(s *ef45.Session) error {
		cs, err := s.Camera.Get(ctx)
		if err != nil {
			return err
		}
		mode, audio = cs.CameraMode, bool(cs.AudioEnabled)
		if mode == ef45.ModeSlave {
			return nil
		}
		return s.Camera.Set(ctx, ef45.ModeSlave, audio)
	})
	if err != nil {
		return nil, fmt.Errorf("set camera mode Slave: %w", err)
	}
	return func() {
		if mode == ef45.ModeSlave {
			return
		}
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = ef45Locked(rctx, c, func(s *ef45.Session) error { return s.Camera.Set(rctx, mode, audio) })
	}, nil
}

// ef45URL is the base URL of an EF-45 saved as HOST:PORT.
func ef45URL(addr string) string {
	addr = strings.TrimSpace(addr)
	if !strings.Contains(addr, "://") {
		addr = "http://" + addr
	}
	return addr
}

// ef45Locked runs fn under the device lock, taking over a lock left behind as the push
// target does (a door unit has no operator at it).
func ef45Locked(ctx context.Context, c *ef45.Client, fn func(*ef45.Session) error) error {
	s, err := c.Open(ctx, false)
	if errors.Is(err, ef45.ErrInUse) {
		s, err = c.Open(ctx, true)
	}
	if err != nil {
		return err
	}
	ferr := fn(s)
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if cerr := s.Close(cctx); ferr == nil && cerr != nil {
		return fmt.Errorf("release the camera: %w", cerr)
	}
	return ferr
}

// OperatorMessage is an error in words an operator understands (the device's own message
// where it gave one).
func OperatorMessage(err error) string { return target.OperatorMessage(err) }
