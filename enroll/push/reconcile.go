package push

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"enrollstation/enroll/target"
	"enrollstation/store"
)

// FindingKind is how a target differs from the journal for one person.
type FindingKind string

// Finding kinds.
const (
	Missing   FindingKind = "missing"   // the journal pushed the person; the target does not hold them
	Different FindingKind = "different" // the target holds the person with other data
	Unknown   FindingKind = "unknown"   // the target holds someone the journal did not push there
)

// Finding is one person a target disagrees with the journal about.
type Finding struct {
	Kind      FindingKind `json:"kind"`
	PersonKey string      `json:"person_key"`
	Name      string      `json:"name,omitempty"`
	// Detail names the fields that differ, journal value first.
	Detail string `json:"detail,omitempty"`
	// Requeued is the outbox row of the repair, 0 when none was made.
	Requeued int64 `json:"requeued,omitempty"`
}

// Report is the outcome of a reconcile of one target.
type Report struct {
	Target store.Target `json:"target"`
	// Complete is false when the target cannot list what it holds; Note says what was not
	// checked, and Unverified lists the people neither confirmed nor found missing.
	Complete   bool      `json:"complete"`
	Note       string    `json:"note,omitempty"`
	NoteCode   string    `json:"note_code,omitempty"` // target.NoteEventsOnly
	NoteDays   int       `json:"note_days,omitempty"`
	Checked    int       `json:"checked"` // people the journal expects on the target
	InSync     int       `json:"in_sync"`
	Findings   []Finding `json:"findings,omitempty"`
	Unverified []string  `json:"unverified,omitempty"`
}

// Count is how many findings are of kind k.
func (r Report) Count(k FindingKind) int {
	n := 0
	for _, f := range r.Findings {
		if f.Kind == k {
			n++
		}
	}
	return n
}

// Reconcile compares what tg holds with the journal: the people whose newest push to it is
// done must be there with the journal's data; anyone else there is unknown. With repair,
// each missing or different person is pushed again through the outbox; unknown ones are
// only reported.
func Reconcile(ctx context.Context, st *store.Store, tg target.Target, repair bool, operator string) (Report, error) {
	info := tg.Info()
	rep := Report{Target: info}
	inv, err := tg.Inventory(ctx)
	if err != nil {
		return rep, fmt.Errorf("reconcile %s: %w", info.Name, err)
	}
	rep.Complete, rep.Note, rep.NoteCode, rep.NoteDays = inv.Complete, inv.Note, inv.NoteCode, inv.NoteDays
	rows, err := st.TargetOutbox(ctx, info.ID)
	if err != nil {
		return rep, fmt.Errorf("reconcile %s: %w", info.Name, err)
	}
	known := map[string]bool{}
	for _, it := range rows {
		known[it.PersonKey] = true
		if it.Op != store.OpPush || it.State != store.OutboxDone {
			continue // under way, failed (already shown), or erased
		}
		p, err := st.Person(ctx, it.PersonKey)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return rep, fmt.Errorf("reconcile %s: %w", info.Name, err)
		}
		rep.Checked++
		e, ok := inv.Entries[it.PersonKey]
		var f Finding
		switch {
		case !ok && (inv.Complete || inv.Gone[it.PersonKey]):
			f = Finding{Kind: Missing, PersonKey: p.Key, Name: p.Name()}
		case !ok:
			rep.Unverified = append(rep.Unverified, p.Key)
			continue
		default:
			if d := diff(target.Expected(info.Kind, p), e.Fields); d != "" {
				f = Finding{Kind: Different, PersonKey: p.Key, Name: p.Name(), Detail: d}
			}
		}
		if f.Kind == "" {
			rep.InSync++
			continue
		}
		if repair {
			id, err := st.Repush(ctx, p.Key, info.ID, operator, fmt.Sprintf("reconcile found %s %s on %s", p.Key, f.Kind, info.Name))
			if err != nil {
				return rep, fmt.Errorf("reconcile %s: repair %s: %w", info.Name, p.Key, err)
			}
			f.Requeued = id
		}
		rep.Findings = append(rep.Findings, f)
	}
	var unknown []string
	for k := range inv.Entries {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		rep.Findings = append(rep.Findings, Finding{Kind: Unknown, PersonKey: k, Name: inv.Entries[k].Fields["name"]})
	}
	return rep, nil
}

// diff names the fields both sides carry whose values differ.
func diff(want, got map[string]string) string {
	var keys []string
	for k := range want {
		if _, ok := got[k]; ok && want[k] != got[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: journal %q, target %q", k, want[k], got[k])
	}
	return strings.Join(parts, "; ")
}
