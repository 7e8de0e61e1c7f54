package enrollment

import (
	"context"
	"errors"
	"image/color"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"enrollstation/enroll"
	"enrollstation/enroll/capture"
	"enrollstation/ui/uitest"
)

// fakePeople is a DuplicateJournal holding a few people, each with one capture.
type fakePeople struct {
	people  map[string]enroll.Person
	photo   []byte
	failKey string // reading this person fails
}

func (j *fakePeople) Person(ctx context.Context, key string) (enroll.Person, error) {
	if key == j.failKey {
		return enroll.Person{}, errors.New("disk I/O error")
	}
	p, ok := j.people[key]
	if !ok {
		return enroll.Person{}, enroll.ErrNotFound
	}
	return p, nil
}

func (j *fakePeople) Captures(ctx context.Context, key string) ([]enroll.Capture, error) {
	return []enroll.Capture{{ID: "cap-" + key, CapturedAt: time.Date(2026, 11, 3, 9, 30, 0, 0, time.UTC)}}, nil
}

func (j *fakePeople) Capture(ctx context.Context, id string) (enroll.Capture, error) {
	return enroll.Capture{ID: id, Blobs: []enroll.Blob{{Kind: enroll.BlobKind("photo"), MediaType: "image/jpeg", Data: j.photo}}}, nil
}

func (j *fakePeople) PushStatus(ctx context.Context, key string) ([]enroll.OutboxItem, error) {
	return []enroll.OutboxItem{{PersonKey: key, TargetName: "Lobby terminal", State: enroll.OutboxFailed, LastError: "user table full"}}, nil
}

type noTargets struct{}

func (noTargets) EnrollTargets(context.Context) ([]enroll.TargetID, error) { return nil, nil }

// Three possible matches: one in the journal, one another station enrolled, one the
// journal cannot read. Each says so; "Same person" starts on the known one, and the
// operator picks another from the keyboard.
func TestDuplicateDialogShowsEveryMatch(t *testing.T) {
	enrolled := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	j := &fakePeople{people: map[string]enroll.Person{
		"k-known": {Key: "k-known", GivenName: "Ada", FamilyName: "Lovelace", CreatedAt: enrolled},
	}, photo: testJPEG(t, 48, 64, color.RGBA{180, 140, 120, 255}), failKey: "k-broken"}
	cam := newFakeCamera()
	cam.capture = func(ctx context.Context, opts capture.Options) (*capture.Result, error) {
		res := captureResult()
		res.Data.Faces[capture.FaceFarOff].Image = testJPEG(t, 36, 48, color.Gray{Y: 90})
		res.Duplicates = []capture.Duplicate{
			{PersonKey: "k-elsewhere", Sources: []string{"subjects check"}},
			{PersonKey: "k-known", Sources: []string{"left iris", "right iris"}, Person: &enroll.Person{Key: "k-known", GivenName: "Ada"}},
			{PersonKey: "k-broken", Sources: []string{"left iris"}},
		}
		return res, nil
	}
	m := NewCaptureModel(cam, CaptureModelOptions{})
	f := NewFlow(m, NewPushList(nil, "op1", nil), noTargets{}, "op1")
	f.Duplicates.SetJournal(j)
	test.NewTempApp(t)
	loop := uitest.NewLoop()
	s := newEnrollScreen(f, nil, loop.Do)
	w := test.NewWindow(s.Content())
	w.Resize(fyne.NewSize(1280, 800))
	defer func() {
		stop := make(chan struct{})
		go func() { f.Close(); m.Close(); close(stop) }()
		loop.DrainUntilClosed(stop)
		w.Close()
	}()

	m.Connect()
	loop.PumpUntil(t, "connected", func() bool { return m.State().Phase == PhaseReady })
	m.Capture()
	loop.PumpUntil(t, "every match read", func() bool {
		st := f.Duplicates.State()
		if !s.dup.Visible() || len(st.Matches) != 3 {
			return false
		}
		for _, mt := range st.Matches {
			if mt.Loading || mt.PhotoLoading {
				return false
			}
		}
		return true
	})
	loop.PumpUntil(t, "the cards filled", func() bool {
		return len(s.dup.cards) == 3 && s.dup.cards[1].pushes.Text != "" && !s.dup.cards[1].status.Visible()
	})
	st := f.Duplicates.State()
	if st.Newcomer.Face == nil || st.Newcomer.Left.UsableArea != 84 {
		t.Errorf("the newcomer: face %v, left eye %+v", st.Newcomer.Face != nil, st.Newcomer.Left)
	}
	elsewhere, known, broken := st.Matches[0], st.Matches[1], st.Matches[2]
	if elsewhere.Known || elsewhere.Photo != nil || elsewhere.Problem != nil {
		t.Errorf("the match the journal does not hold: %+v", elsewhere)
	}
	if !known.Known || known.Person.Name() != "Ada Lovelace" || !known.Person.CreatedAt.Equal(enrolled) || known.Photo == nil ||
		len(known.Pushes) != 1 || known.LastCapture.IsZero() {
		t.Errorf("the known match: %+v", known)
	}
	if broken.Problem == nil || broken.Photo != nil {
		t.Errorf("the match that cannot be read: %+v", broken)
	}
	if got := s.dup.cards[2].name.Text; got != "Not read from the journal" {
		t.Errorf("the unreadable match is named %q", got)
	}
	if st.Chosen != 1 {
		t.Errorf("Same person starts on match %d, want the known one", st.Chosen)
	}
	c := s.dup.cards
	if len(c) != 3 || c[0].name.Text == "" || c[1].name.Text != "Ada Lovelace" || c[1].pushes.Text != "Lobby terminal: failed — user table full" ||
		!c[2].status.Visible() || c[1].status.Visible() || !c[0].choose.Visible() {
		t.Fatalf("cards: %d, known %q, pushes %q", len(c), c[1].name.Text, c[1].pushes.Text)
	}

	if want := "Key: k-known · found by left iris, right iris"; c[1].key.Text != want {
		t.Errorf("the known card says %q, want %q", c[1].key.Text, want)
	}
	if want := "Left iris: 84 % usable area, quality 92\nRight iris: 77 % usable area, quality 88"; s.dup.newIris.Text != want {
		t.Errorf("the newcomer's iris figures %q, want %q", s.dup.newIris.Text, want)
	}

	// Tab to the card of the match from elsewhere, Enter: Same person would update it.
	canvas := w.Canvas()
	if !tabTo(canvas, c[0].choose) {
		t.Fatal("Tab never reaches the first card's choice")
	}
	canvas.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	loop.PumpUntil(t, "the first match chosen", func() bool { return f.Duplicates.State().Chosen == 0 })
	loop.PumpUntil(t, "the card says so", func() bool { return c[0].choose.Text != c[1].choose.Text })

	// Esc on a focused button cancels too: the capture is discarded and the dialog goes.
	if !tabTo(canvas, s.dup.same) {
		t.Fatal("Tab never reaches Same person")
	}
	canvas.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	loop.PumpUntil(t, "discarded", func() bool { return m.State().Phase == PhaseReady && !s.dup.Visible() })
	if st := f.Duplicates.State(); st.Open || st.Matches != nil {
		t.Errorf("after cancel the dialog holds %+v", st)
	}
}
