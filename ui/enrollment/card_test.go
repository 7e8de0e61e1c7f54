package enrollment

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"enrollstation/devices/ef45"
	"enrollstation/enroll"
)

// waitCard waits until the card model's state satisfies cond.
func waitCard(t testing.TB, m *CardModel, what string, cond func(CardState) bool) CardState {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if st := m.State(); cond(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; state: %+v", what, m.State())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Read card in demo mode: the camera simulator presents a card after its delay, and it
// lands in the form in the journal's decimal form.
func TestCardModelReadsIntoTheFormInDemoMode(t *testing.T) {
	f, d := demoFlow(t)
	m := NewCardModel(d.Station, f.SetCard, 0)
	defer m.Close()
	form := f.Form()
	form.GivenName = "Ada"
	f.SetForm(form)

	m.Read()
	if st := m.State(); st.Phase != CardReading || st.Words.Key != "enroll.card.reading" || st.CanRead() {
		t.Fatalf("after Read: %+v", st)
	}
	st := waitCard(t, m, "a card", func(s CardState) bool { return s.Phase != CardReading })
	if st.Phase != CardRead || st.Card == "" {
		t.Fatalf("read ended %+v", st)
	}
	if c, err := enroll.CanonicalCard(st.Card); err != nil || c != st.Card {
		t.Fatalf("card %q is not decimal", st.Card)
	}
	if got := f.Form(); got.CardNumber != st.Card || got.GivenName != "Ada" {
		t.Fatalf("form after the read: %+v", got)
	}
	if w := st.Words.English(); w != "Card "+st.Card+" read." {
		t.Errorf("words %q", w)
	}
}

// Cancel stops the wait at once and frees the camera: the next read gets a card. A read
// no card comes to ends with the timeout in plain words; a camera held elsewhere is busy.
func TestCardModelCancelTimeoutAndBusy(t *testing.T) {
	f, d := demoFlow(t)
	m := NewCardModel(d.Station, f.SetCard, 0)
	defer m.Close()
	m.Read()
	m.Cancel()
	st := waitCard(t, m, "cancelled", func(s CardState) bool { return s.Phase != CardReading })
	if st.Phase != CardCancelled || f.Form().CardNumber != "" {
		t.Fatalf("after Cancel: %+v, form card %q", st, f.Form().CardNumber)
	}
	var after sync.WaitGroup
	after.Add(1)
	m.CancelThen(after.Done) // nothing runs: then runs at once
	after.Wait()

	m.Read()
	if st := waitCard(t, m, "a card after the cancel", func(s CardState) bool { return s.Phase != CardReading }); st.Phase != CardRead {
		t.Fatalf("read after a cancel: %+v", st)
	}

	short := NewCardModel(d.Station, f.SetCard, 300*time.Millisecond) // the simulator's card comes after 2 s
	defer short.Close()
	short.Read()
	st = waitCard(t, short, "the timeout", func(s CardState) bool { return s.Phase != CardReading })
	if st.Phase != CardFailed || st.Words.Key != "enroll.card.timeout" || st.Detail == "" {
		t.Fatalf("timed out read: %+v", st)
	}

	c, err := ef45.New("http://" + d.Camera)
	if err != nil {
		t.Fatal(err)
	}
	held, err := c.Open(t.Context(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close(context.WithoutCancel(t.Context()))
	m.Read()
	st = waitCard(t, m, "busy", func(s CardState) bool { return s.Phase != CardReading })
	if st.Phase != CardFailed || st.Words.Key != "enroll.card.busy" {
		t.Fatalf("read at a held camera: %+v", st)
	}
}

// CancelThen runs its function once the read has ended, not before.
func TestCardModelCancelThenWaitsForTheRead(t *testing.T) {
	release := make(chan struct{})
	eng := cardFunc(func(ctx context.Context) (string, error) {
		<-ctx.Done()
		<-release // the camera is being let go of
		return "", ctx.Err()
	})
	m := NewCardModel(eng, nil, 0)
	defer m.Close()
	m.Read()
	ran := make(chan struct{})
	m.CancelThen(func() { close(ran) })
	select {
	case <-ran:
		t.Fatal("ran before the read ended")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Fatal("never ran")
	}
	if st := m.State(); st.Phase != CardCancelled {
		t.Fatalf("state %+v", st)
	}
}

// Each failure has its own words; what is left keeps the device's message.
func TestCardProblemWords(t *testing.T) {
	ctx := context.Background()
	cases := map[string]error{
		"enroll.card.busy":        fmt.Errorf("read: %w", enroll.ErrCameraBusy),
		"enroll.card.no_camera":   fmt.Errorf("read: %w", enroll.ErrNoCamera),
		"enroll.card.unreachable": fmt.Errorf("read: %w", ef45.ErrUnreachable),
		"enroll.card.failed":      errors.New("the reader is broken"),
	}
	for key, err := range cases {
		if w := cardProblem(ctx, err, time.Second); w.Key != key {
			t.Errorf("%v: %s, want %s", err, w.Key, key)
		}
	}
	if w := cardProblem(ctx, errors.New("the reader is broken"), time.Second); w.English() != "The card could not be read: the reader is broken" {
		t.Errorf("failed words %q", w.English())
	}
}

type cardFunc func(ctx context.Context) (string, error)

func (f cardFunc) ReadDeskCard(ctx context.Context) (string, error) { return f(ctx) }
