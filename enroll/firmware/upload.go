package firmware

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/store"
)

// Upload runs the whole upload to one camera: version, start, units, done, reboot, result.
// It is refused, wrapping ErrRunning, while another upload to the same camera runs. A
// failure is an *Error naming its phase and the state the camera is left in.
func (u *Updater) Upload(ctx context.Context, d Device, job Job) (Result, error) {
	key, err := addrKey(d.Addr)
	if err != nil {
		return Result{Addr: d.Addr}, err
	}
	if job.Image.Size <= 0 {
		return Result{Addr: key}, fmt.Errorf("ef45 %s: no firmware file chosen", key)
	}
	release, ok := u.claim(key)
	if !ok {
		return Result{Addr: key}, fmt.Errorf("ef45 %s: %w; wait for it to finish", key, ErrRunning)
	}
	defer release()
	if job.Operator == "" {
		job.Operator = "station"
	}
	r := &run{u: u, dev: d, addr: key, job: job, res: Result{Addr: key, Forced: job.Force}}
	r.phase.Store(string(PhaseVersion))
	res, err := r.do(ctx)
	r.auditEnd(ctx, err)
	return res, err
}

// run is one camera's upload in progress.
type run struct {
	u    *Updater
	dev  Device
	addr string
	job  Job
	res  Result

	phase   atomic.Value // Phase as string: set by the HTTP observer too
	sent    atomic.Int64
	audited bool          // the start row was written
	waited  time.Duration // how long the reboot wait allowed
}

func (r *run) current() Phase { return Phase(r.phase.Load().(string)) }

// enter moves to phase p and reports it.
func (r *run) enter(p Phase) {
	if r.current() == p && p != PhaseVersion {
		return
	}
	r.phase.Store(string(p))
	r.report()
}

func (r *run) report() {
	if r.job.Progress == nil {
		return
	}
	v := r.res.OldVersion
	if r.res.NewVersion != "" {
		v = r.res.NewVersion
	}
	r.job.Progress(Progress{Addr: r.addr, Phase: r.current(), Sent: r.sent.Load(), Total: r.job.Image.Size, Version: v})
}

// fail builds the error of the current phase.
func (r *run) fail(state State, err error) *Error {
	e := &Error{Addr: r.addr, Phase: r.current(), State: state, Sent: r.sent.Load(), Total: r.job.Image.Size, Err: err}
	if state == StateUnchanged {
		e.Version = r.res.OldVersion
	}
	return e
}

func (r *run) do(ctx context.Context) (Result, error) {
	client, err := r.client()
	if err != nil {
		return r.res, r.fail(StateUnchanged, err)
	}
	r.enter(PhaseVersion)
	s, err := client.Open(ctx, r.job.TakeOver)
	if err != nil {
		return r.res, r.fail(StateUnchanged, err)
	}
	r.res.OldVersion = s.Version()
	if err := r.auditStart(ctx); err != nil {
		closeSession(ctx, s)
		return r.res, r.fail(StateUnchanged, err)
	}

	f, err := r.open()
	if err != nil {
		closeSession(ctx, s)
		return r.res, r.fail(StateUnchanged, err)
	}
	r.enter(PhaseStart)
	begin := time.Now()
	done, err := s.Firmware.Upload(ctx, f, ef45.UploadOptions{Force: r.job.Force, Progress: func(sent int64) {
		r.sent.Store(sent)
		r.report()
	}})
	f.Close()
	// The camera releases the lock as it reboots; until then it is ours to give back.
	closeSession(ctx, s)
	if err != nil {
		return r.res, r.uploadFailure(f, err)
	}
	r.res.Upload, r.res.Bytes, r.res.File = time.Since(begin), r.sent.Load(), done.File

	r.enter(PhaseReboot)
	restart := time.Now()
	v, err := r.awaitRestart(ctx, client)
	if err != nil {
		e := r.fail(StateInstalling, err)
		e.Wait = r.waited
		return r.res, e
	}
	r.res.Restart = time.Since(restart)
	r.res.NewVersion = v
	r.enter(PhaseResult)
	if v == r.res.OldVersion && !r.job.Force {
		// A normal upgrade is refused by the camera unless the file is newer: coming back
		// with the old version means it did not install it.
		e := r.fail(StateUnchanged, nil)
		e.Version = v
		return r.res, e
	}
	return r.res, nil
}

// uploadFailure classifies a failure of start, units or done.
func (r *run) uploadFailure(f *imageFile, err error) error {
	if f.readErr != nil {
		// The file, not the camera: it keeps its firmware, the upload is incomplete.
		r.phase.Store(string(PhaseUnits))
		return r.fail(StateUnchanged, fmt.Errorf("read firmware file %s: %w", r.job.Image.Path, f.readErr))
	}
	if r.current() == PhaseDone && (noAnswer(err) || errors.Is(err, context.Canceled)) {
		// The last unit went out; the camera may have taken it and be installing.
		return r.fail(StateUnknown, err)
	}
	return r.fail(StateUnchanged, err)
}

// client makes a client for this upload whose calls are watched to know the phase: the
// wire call sends start, the units and done by itself.
func (r *run) client() (*ef45.Client, error) {
	base := r.u.opts.HTTPClient
	if base == nil {
		base = &http.Client{}
	}
	hc := *base
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	hc.Transport = &phaseWatch{next: rt, r: r}
	// A camera has no business redirecting: never send a unit elsewhere.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return ef45.New(r.addr, ef45.WithHTTPClient(&hc), ef45.WithTimeout(r.u.opts.CallTimeout))
}

// phaseWatch moves the run to the phase of each firmware request as it goes out.
type phaseWatch struct {
	next http.RoundTripper
	r    *run
}

// RoundTrip notes the phase of the request and passes it on.
func (p *phaseWatch) RoundTrip(req *http.Request) (*http.Response, error) {
	switch {
	case strings.HasSuffix(req.URL.Path, "/update/start"):
		p.r.enter(PhaseStart)
	case strings.HasSuffix(req.URL.Path, "/update/continous"): // sic, spec 003
		p.r.enter(PhaseUnits)
	case strings.HasSuffix(req.URL.Path, "/update/done"):
		p.r.enter(PhaseDone)
	}
	return p.next.RoundTrip(req)
}

// imageFile is the firmware file opened for one upload; it keeps a read error apart from
// the camera's.
type imageFile struct {
	f       *os.File
	readErr error
}

func (i *imageFile) Read(p []byte) (int, error) {
	n, err := i.f.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		i.readErr = err
	}
	return n, err
}

func (i *imageFile) Close() { _ = i.f.Close() } // read only: nothing to flush

// fileError is a firmware file that cannot be used, found before anything was sent.
type fileError struct{ err error }

func (e *fileError) Error() string { return e.err.Error() }
func (e *fileError) Unwrap() error { return e.err }

// open opens the image and checks that it is still the file whose size was read.
func (r *run) open() (*imageFile, error) {
	f, err := os.Open(r.job.Image.Path)
	if err != nil {
		return nil, &fileError{fmt.Errorf("firmware file: %w", err)}
	}
	st, err := f.Stat()
	if err == nil && st.Size() != r.job.Image.Size {
		err = fmt.Errorf("firmware file %s changed since it was chosen (%d bytes, now %d); choose it again",
			filepath.Base(r.job.Image.Path), r.job.Image.Size, st.Size())
	}
	if err != nil {
		f.Close()
		return nil, &fileError{err}
	}
	return &imageFile{f: f}, nil
}

// closeSession releases the lock even when ctx has ended; a camera that rebooted has
// forgotten it already.
func closeSession(ctx context.Context, s *ef45.Session) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = s.Close(cctx)
}

// auditStart writes the start row; without it nothing is sent, so no upload goes unrecorded.
func (r *run) auditStart(ctx context.Context) error {
	if r.u.opts.Journal == nil {
		return nil
	}
	kind := "normal"
	if r.job.Force {
		kind = "forced"
	}
	err := r.u.opts.Journal.Audit(ctx, store.AuditEvent{
		Operator: r.job.Operator, Action: store.ActionFirmware, Target: r.dev.Target,
		Detail: fmt.Sprintf("start %s upload of %s (%d bytes) to %s, version %s", kind,
			filepath.Base(r.job.Image.Path), r.job.Image.Size, r.addr, r.res.OldVersion),
	})
	if err != nil {
		return fmt.Errorf("record the upload in the journal: %w", err)
	}
	r.audited = true
	return nil
}

// auditEnd writes how the upload ended, even after a cancel. It cannot undo the upload, so
// a journal failure is logged rather than returned.
func (r *run) auditEnd(ctx context.Context, uerr error) {
	if r.u.opts.Journal == nil || !r.audited {
		return
	}
	detail := fmt.Sprintf("%s: %s -> %s, %d bytes in %s, restart %s", r.addr, r.res.OldVersion, r.res.NewVersion,
		r.res.Bytes, r.res.Upload.Round(time.Millisecond), r.res.Restart.Round(time.Millisecond))
	if uerr != nil {
		detail = "failed: " + uerr.Error()
	} else {
		detail = "done " + detail
	}
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := r.u.opts.Journal.Audit(actx, store.AuditEvent{Operator: r.job.Operator, Action: store.ActionFirmware,
		Target: r.dev.Target, Detail: detail}); err != nil {
		r.u.opts.Logger.Error("firmware upload not recorded in the journal", "addr", r.addr, "err", err)
	}
}
