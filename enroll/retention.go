// The retention schedule: biometrics are kept only as long as they serve their purpose.

package enroll

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"enrollstation/store"
)

// RetentionEntry is a person the schedule erases, and when.
type RetentionEntry = store.RetentionEntry

// The settings of the schedule.
const (
	settingRetentionDays  = "retention.after_days"
	settingRetentionSweep = "retention.last_sweep" // RFC 3339 time and count: "2026-12-01T09:00:00Z 3"
)

// MaxRetentionDays bounds the schedule (a hundred years): a larger figure is a typing slip.
const MaxRetentionDays = 36500

// retentionBatch bounds the people one sweep queues, so one sweep stays one short stretch
// of work; the next sweep takes the rest.
const retentionBatch = 5000

// RetentionReport is the schedule, what the last sweep did, who is due now and who next.
type RetentionReport struct {
	// AfterDays is how many days after the end of validity (or the last enrollment, for
	// people without an end) a person is erased everywhere; 0 when no schedule is set.
	AfterDays int `json:"after_days"`
	// LastSweep is when the last sweep ran (zero: never) and LastErased how many people it
	// queued for erase.
	LastSweep  time.Time `json:"last_sweep,omitzero"`
	LastErased int       `json:"last_erased"`
	// Due are the people the next sweep erases; Next the ones after them, soonest first.
	Due  []RetentionEntry `json:"due"`
	Next []RetentionEntry `json:"next"`
}

// RetentionDays is the schedule's figure of days; 0 when none is set.
func (s *Station) RetentionDays(ctx context.Context) (int, error) {
	v, err := s.st.Setting(ctx, settingRetentionDays)
	if errors.Is(err, store.ErrNotFound) || (err == nil && v == "") {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("setting %s: %q is not a number of days", settingRetentionDays, v)
	}
	return n, nil
}

// CheckRetentionDays says what is wrong with a typed figure of days ("" when nothing is);
// 0 turns the schedule off.
func CheckRetentionDays(days int) string {
	if days < 0 || days > MaxRetentionDays {
		return fmt.Sprintf("between 0 (no schedule) and %d days", MaxRetentionDays)
	}
	return ""
}

// SetRetentionDays sets the schedule (0 turns it off); the change is audited.
func (s *Station) SetRetentionDays(ctx context.Context, days int, operator string) error {
	if msg := CheckRetentionDays(days); msg != "" {
		return fmt.Errorf("retention: %w: %s", store.ErrInvalid, msg)
	}
	return s.st.SetSetting(ctx, settingRetentionDays, strconv.Itoa(days), operator)
}

// Retention reports the schedule at now, with at most next people after the due ones.
func (s *Station) Retention(ctx context.Context, now time.Time, next int) (RetentionReport, error) {
	var r RetentionReport
	var err error
	if r.AfterDays, err = s.RetentionDays(ctx); err != nil {
		return r, err
	}
	if v, err := s.st.Setting(ctx, settingRetentionSweep); err == nil {
		var at string
		if _, err := fmt.Sscanf(v, "%s %d", &at, &r.LastErased); err == nil {
			r.LastSweep, _ = time.Parse(time.RFC3339, at)
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return r, err
	}
	if r.AfterDays == 0 {
		return r, nil
	}
	r.Due, r.Next, err = s.st.Retention(ctx, r.AfterDays, now, retentionBatch, next)
	return r, err
}

// SweepRetention erases everywhere, through the outbox like any erase, every person the
// schedule says is due at now, and returns them. Nothing happens without a schedule. The
// sweep is audited with its count, and each erase with its own rows.
func (s *Station) SweepRetention(ctx context.Context, now time.Time, operator string) ([]RetentionEntry, error) {
	days, err := s.RetentionDays(ctx)
	if err != nil || days == 0 {
		return nil, err
	}
	due, _, err := s.st.Retention(ctx, days, now, retentionBatch, 0)
	if err != nil {
		return nil, err
	}
	var erased []RetentionEntry
	for _, e := range due {
		if err := s.Erase(ctx, e.PersonKey, operator); err != nil && !errors.Is(err, store.ErrNotFound) {
			return erased, fmt.Errorf("retention sweep: erase %s: %w", e.PersonKey, err)
		}
		erased = append(erased, e)
	}
	if err := s.st.Audit(ctx, store.AuditEvent{At: now, Operator: operator, Action: store.ActionRetention,
		Detail: fmt.Sprintf("retention sweep (%d days): %d people queued for erase everywhere", days, len(erased))}); err != nil {
		return erased, err
	}
	return erased, s.st.SetSetting(ctx, settingRetentionSweep, fmt.Sprintf("%s %d", now.UTC().Format(time.RFC3339), len(erased)), operator)
}

// retentionEvery is how often a running station sweeps.
const retentionEvery = 24 * time.Hour

// sweepDaily sweeps at start and then once a day until ctx ends; a failed sweep is logged
// and tried again at the next.
func (s *Station) sweepDaily(ctx context.Context) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if erased, err := s.SweepRetention(ctx, time.Now(), s.operator); err != nil {
			if ctx.Err() == nil {
				s.log.Error("retention sweep", "err", err)
			}
		} else if len(erased) > 0 {
			s.log.Info("retention sweep", "queued", len(erased))
		}
		t.Reset(retentionEvery)
	}
}
