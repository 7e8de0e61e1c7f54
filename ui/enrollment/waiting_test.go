package enrollment

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"enrollstation/enroll"
	"enrollstation/ui/uitest"
)

// A person called from the waiting list fills the Enroll form, consent left to ask; once
// enrolled they are off the list.
func TestEnrollScreenFromTheWaitingList(t *testing.T) {
	f, d := demoFlow(t)
	test.NewTempApp(t)
	loop := uitest.NewLoop()
	s := newEnrollScreen(f, nil, loop.Do)
	w := test.NewWindow(s.Content())
	defer w.Close()
	st := d.Station
	from := time.Date(2026, 4, 1, 0, 0, 0, 0, time.Local)
	if _, err := st.AddWaiting(t.Context(), []enroll.Person{
		{Key: "k-1", GivenName: "花子", FamilyName: "山田", CardNumber: "42", Department: "Lab", AccessGroups: []string{"Lobby"}, ValidFrom: from},
		{Key: "k-2", GivenName: "Ada"},
	}, false); err != nil {
		t.Fatal(err)
	}
	p, err := st.NextWaiting(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(s.consent) // ticked for someone else: a new person must be asked again
	f.UseWaiting(p)
	loop.PumpUntil(t, "the form filled", func() bool { return s.key.Text == "k-1" })
	got := map[string]string{"given": s.given.Text, "family": s.family.Text, "card": s.card.Text,
		"department": s.department.Text, "group": s.group.Text, "from": s.from.Text, "until": s.until.Text}
	want := map[string]string{"given": "花子", "family": "山田", "card": "42", "department": "Lab", "group": "Lobby", "from": "2026-04-01", "until": ""}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s shows %q, want %q", k, got[k], v)
		}
	}
	if s.consent.Checked || f.Form().Consent {
		t.Fatal("consent was carried over to the person from the list")
	}

	f.Capture.Connect()
	loop.PumpUntil(t, "connected", func() bool { return f.Capture.State().Phase == PhaseReady })
	test.Tap(s.consent)
	s.start()
	loop.PumpUntil(t, "the review", func() bool { return s.review.Visible() && (s.accept.Visible() || s.acceptAnyway.Visible()) })
	if s.accept.Visible() {
		test.Tap(s.accept)
	} else {
		test.Tap(s.acceptAnyway)
	}
	loop.PumpUntil(t, "saved", func() bool { return f.Capture.State().Phase == PhaseSaved })
	list, err := st.Waiting(t.Context())
	if err != nil || len(list) != 1 || list[0].Key != "k-2" {
		t.Fatalf("waiting after enrolling k-1: %+v, %v", list, err)
	}
	if person, err := st.Store().Person(t.Context(), "k-1"); err != nil || person.FamilyName != "山田" || person.CardNumber != "42" {
		t.Fatalf("enrolled %+v, %v", person, err)
	}
}
