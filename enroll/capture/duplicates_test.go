package capture

import (
	"errors"
	"slices"
	"testing"

	"enrollstation/devices/ef45"
	"enrollstation/devices/ef45/ef45sim"
	"enrollstation/store"
)

// enrolOnCamera saves a capture of the simulator's person 1 under key and puts it on the
// camera as a subject, as a push to this EF-45 would.
func enrolOnCamera(t *testing.T, r *rig, key string) {
	t.Helper()
	ctx := t.Context()
	res, err := r.session(SessionOptions{Gates: lenient()}).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Only the subject matters here: on a loaded machine the short capture may end before a
	// preview frame, and the geometry gates then say "not measured".
	if _, err := res.Accept(ctx, r.journal, person(key), nil, Decisions{Operator: "desk", AcceptFailedGates: true}); err != nil {
		t.Fatal(err)
	}
	err = r.camera().WithSession(ctx, false, func(s *ef45.Session) error {
		return s.Subjects.Create(ctx, &ef45.Subject{UserUUID: key, FirstName: "Ada", LastName: "Lovelace",
			LeftEyeTemplate: res.Data.Left.EnrolTemplate, RightEyeTemplate: res.Data.Right.EnrolTemplate})
	})
	if err != nil {
		t.Fatal(err)
	}
	r.dev.SetNextPerson(1) // the same person comes back
}

func TestDuplicateDetectedAndDecided(t *testing.T) {
	const key = "6f1f0c1e-6a43-4a8e-9a57-0c2f1d7e2a10"
	for _, tc := range []struct {
		name     string
		decision DuplicateDecision
		sameKey  bool
	}{
		{"same person updates that person", SamePerson, true},
		{"new person gets a key of its own", NewPerson, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			r := newRig(t, ef45sim.Options{})
			enrolOnCamera(t, r, key)

			res, err := r.session(SessionOptions{Gates: lenient()}).Run(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Duplicates) != 1 {
				t.Fatalf("duplicates %+v, want one", res.Duplicates)
			}
			d := res.Duplicates[0]
			if d.PersonKey != key || d.Person == nil || d.Person.Key != key || !slices.Contains(d.Sources, "subjects check") || !slices.Contains(d.Sources, "left iris") {
				t.Fatalf("duplicate %+v: want %s, known to the journal, found by the camera and the subjects check", d, key)
			}
			newcomer := person("") // the operator typed a new person
			newcomer.GivenName = "Augusta"
			if _, err := res.Accept(ctx, r.journal, newcomer, nil, Decisions{Operator: "desk"}); !errors.Is(err, ErrDuplicateUndecided) {
				t.Fatalf("accept without a decision: %v, want ErrDuplicateUndecided", err)
			}
			if st := r.dev.State(); st.BiometricItems != 1 || !st.LockHeld {
				t.Fatalf("the flow did not stop: items %d, lock held %v", st.BiometricItems, st.LockHeld)
			}
			saved, err := res.Accept(ctx, r.journal, newcomer, nil, Decisions{Operator: "desk", Duplicate: tc.decision})
			if err != nil {
				t.Fatal(err)
			}
			if (saved.PersonKey == key) != tc.sameKey {
				t.Errorf("saved under %s (duplicate %s), want same key %v", saved.PersonKey, key, tc.sameKey)
			}
			rows, err := r.journal.AuditLog(ctx, store.AuditQuery{})
			if err != nil {
				t.Fatal(err)
			}
			var decided []store.AuditEvent
			for _, e := range rows {
				if e.Action == store.ActionDuplicate {
					decided = append(decided, e)
				}
			}
			want := "capture " + saved.CaptureID + ": possible duplicate of " + key + ", " + tc.decision.String()
			if len(decided) != 1 || decided[0].Detail != want || decided[0].PersonKey != saved.PersonKey || decided[0].Operator != "desk" {
				t.Errorf("duplicate audit rows %+v, want one %q", decided, want)
			}
		})
	}
}

func TestDuplicateCancelledIsJournaled(t *testing.T) {
	const key = "0b7c2f8e-8d59-4a43-9b1f-3e2a6c5d4f70"
	ctx := t.Context()
	r := newRig(t, ef45sim.Options{})
	enrolOnCamera(t, r, key)
	res, err := r.session(SessionOptions{Gates: lenient()}).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Discard(ctx, r.journal, "desk"); err != nil {
		t.Fatal(err)
	}
	if st := r.dev.State(); st.BiometricItems != 0 || st.LockHeld {
		t.Fatalf("after cancel: items %d, lock held %v", st.BiometricItems, st.LockHeld)
	}
	rows, err := r.journal.AuditLog(ctx, store.AuditQuery{PersonKey: key})
	if err != nil {
		t.Fatal(err)
	}
	want := "capture " + res.Data.EncounterID + " possible duplicate of " + key + ", cancelled"
	found := false
	for _, e := range rows {
		found = found || (e.Action == store.ActionDuplicate && e.Detail == want)
	}
	if !found {
		t.Errorf("no audit row %q in %+v", want, rows)
	}
	if caps, _ := r.journal.Captures(ctx, key); len(caps) != 1 {
		t.Errorf("person %s has %d captures, want only the first", key, len(caps))
	}
}
