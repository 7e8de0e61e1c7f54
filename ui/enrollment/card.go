package enrollment

import (
	"context"
	"errors"
	"sync"
	"time"

	"enrollstation/enroll"
	"enrollstation/enroll/capture"
	"enrollstation/ui/observe"
)

// CardReader is what the form's Read card needs of the engine; *enroll.Station has it.
type CardReader interface {
	// ReadDeskCard waits for a card at the capture camera until ctx ends; decimal.
	ReadDeskCard(ctx context.Context) (string, error)
}

// CardPhase is where a card read stands.
type CardPhase int

// Phases of a card read.
const (
	CardIdle      CardPhase = iota // nothing asked yet
	CardReading                    // waiting for the person to hold the card to the camera
	CardRead                       // a card came; it is in the form
	CardFailed                     // the read failed; Words say why, Detail how
	CardCancelled                  // the operator cancelled
)

// CardState is a snapshot of the card read.
type CardState struct {
	Phase CardPhase
	// Card is the card read (CardRead), in the journal's decimal form.
	Card string
	// Words are what the line under the card number says; empty when idle.
	Words Words
	// Detail is the technical cause of a failure, shown on request.
	Detail string
}

// CanRead reports whether Read card starts a read.
func (s CardState) CanRead() bool { return s.Phase != CardReading }

// DefaultCardTimeout is how long a read waits for a card.
const DefaultCardTimeout = 30 * time.Second

// CardModel reads a card at the desk for the person's form, off the UI goroutine, and can
// be cancelled. It knows nothing of Fyne; observers are told after every change.
type CardModel struct {
	observe.Notifier

	eng     CardReader
	fill    func(card string)
	timeout time.Duration

	ctx  context.Context // ends at Close
	stop context.CancelFunc
	wg   sync.WaitGroup

	mu     sync.Mutex
	state  CardState
	cancel context.CancelFunc // of the running read
	then   []func()           // run once the running read has ended
}

// NewCardModel reads through eng and hands each card read to fill (the form's card
// field). timeout bounds each read (DefaultCardTimeout when 0). Call Close when done.
func NewCardModel(eng CardReader, fill func(card string), timeout time.Duration) *CardModel {
	if timeout <= 0 {
		timeout = DefaultCardTimeout
	}
	ctx, stop := context.WithCancel(context.Background())
	return &CardModel{eng: eng, fill: fill, timeout: timeout, ctx: ctx, stop: stop}
}

// State returns a snapshot.
func (m *CardModel) State() CardState {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.state
}

// Read starts waiting for a card, unless a read runs already.
func (m *CardModel) Read() {
	m.mu.Lock()
	if m.state.Phase == CardReading || m.ctx.Err() != nil {
		m.mu.Unlock()
		return
	}
	ctx, cancel := context.WithTimeout(m.ctx, m.timeout)
	m.cancel = cancel
	m.state = CardState{Phase: CardReading, Words: say("enroll.card.reading", "Hold the card to the camera…")}
	m.wg.Add(1)
	m.mu.Unlock()
	m.Notify()
	go func() {
		defer m.wg.Done()
		defer cancel()
		card, err := m.eng.ReadDeskCard(ctx)
		m.finish(ctx, card, err)
	}()
}

// finish records how a read ended, fills the form with a card, and runs what waited.
func (m *CardModel) finish(ctx context.Context, card string, err error) {
	var s CardState
	switch {
	case err == nil && card != "":
		s = CardState{Phase: CardRead, Card: card, Words: say("enroll.card.read", "Card {{.Card}} read.", "Card", card)}
	case ctx.Err() == context.Canceled: // the operator, or Close
		s = CardState{Phase: CardCancelled, Words: say("enroll.card.cancelled", "Card reading cancelled.")}
	default:
		if err == nil {
			err = errors.New("the camera answered without a card")
		}
		s = CardState{Phase: CardFailed, Words: cardProblem(ctx, err, m.timeout), Detail: err.Error()}
	}
	if s.Phase == CardRead && m.fill != nil {
		m.fill(card)
	}
	m.mu.Lock()
	m.state, m.cancel = s, nil
	then := m.then
	m.then = nil
	m.mu.Unlock()
	m.Notify()
	for _, fn := range then {
		fn()
	}
}

// cardProblem is a failed read in the operator's words.
func cardProblem(ctx context.Context, err error, timeout time.Duration) Words {
	switch {
	case errors.Is(err, enroll.ErrCameraBusy):
		return say("enroll.card.busy", "The camera is busy: finish or discard the capture first, or another workstation is using it.")
	case errors.Is(err, enroll.ErrNoCamera):
		return say("enroll.card.no_camera", "No camera is set up, so no card can be read here.")
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return say("enroll.card.timeout", "No card within {{.Timeout}}. Press Read card and hold the card to the camera.",
			"Timeout", timeout.Round(time.Second).String())
	case errors.Is(err, capture.ErrUnreachable):
		return say("enroll.card.unreachable", "Cannot reach the camera. Check that it is switched on and connected.")
	}
	return say("enroll.card.failed", "The card could not be read: {{.Msg}}", "Msg", enroll.OperatorMessage(err))
}

// Cancel stops the running read; the camera leaves card stand-by.
func (m *CardModel) Cancel() { m.CancelThen(nil) }

// CancelThen stops the running read and calls then once it has ended and the camera is
// free again (on the read's goroutine), or at once when no read runs. A capture started
// after it finds the camera's lock released.
func (m *CardModel) CancelThen(then func()) {
	m.mu.Lock()
	cancel := m.cancel
	if cancel != nil && then != nil {
		m.then = append(m.then, then)
	}
	m.mu.Unlock()
	if cancel == nil {
		if then != nil {
			then()
		}
		return
	}
	cancel()
}

// Close cancels a read and waits for it to end.
func (m *CardModel) Close() {
	m.mu.Lock()
	m.stop()
	m.mu.Unlock()
	m.wg.Wait()
}
