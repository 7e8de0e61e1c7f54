package ef45

import (
	"context"
	"encoding/json"
	"enrollstation/devices/internal/fault"
	"net/http"
	"net/url"
	"time"
)

// Manual sends a manual control command (POST /control; the device must have "Use manual
// command" enabled in its settings).
func (c *ControlService) Manual(ctx context.Context, on bool) error {
	return c.s.send(ctx, "manual control", http.MethodPost, "control", nil, on, &Result{})
}

// CardStart puts the device in card-read stand-by (POST /control/card/start; Slave mode).
func (c *ControlService) CardStart(ctx context.Context) error {
	return c.s.send(ctx, "start card reader", http.MethodPost, "control/card/start", nil, nil, &Result{})
}

// CardData returns the card presented so far, or "" (GET /control/card/data).
func (c *ControlService) CardData(ctx context.Context) (string, error) {
	var v CardData
	err := c.s.get(ctx, "read card", "control/card/data", nil, &v, 0)
	return v.Card, err
}

// CardStop leaves card-read stand-by (POST /control/card/stop).
func (c *ControlService) CardStop(ctx context.Context) error {
	return c.s.send(ctx, "stop card reader", http.MethodPost, "control/card/stop", nil, nil, &Result{})
}

// ReadCard starts card stand-by, polls until a card is presented or ctx ends, and always
// leaves stand-by again.
func (c *ControlService) ReadCard(ctx context.Context, poll time.Duration) (string, error) {
	// Stopped whatever happens, a failed start included: a start cut short by a cancel may
	// still have reached the device and left its reader in stand-by.
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = c.CardStop(stopCtx) // best effort: the card is read or we are giving up
	}()
	if err := c.CardStart(ctx); err != nil {
		return "", err
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		card, err := c.CardData(ctx)
		if err != nil || card != "" {
			return card, err
		}
		select {
		case <-ctx.Done():
			return "", fault.Transport(ctx, fault.EF45, "read card", ctx.Err())
		case <-t.C:
		}
	}
}

// ClearAPB releases one user from anti-passback violation (POST /control/apb/clear/{uuid}).
func (c *ControlService) ClearAPB(ctx context.Context, userUUID string) error {
	return c.s.send(ctx, "clear anti-passback", http.MethodPost, "control/apb/clear/"+url.PathEscape(userUUID), nil, nil, &Result{})
}

// ClearAllAPB releases every user from anti-passback violation (POST /control/apb/clearall).
func (c *ControlService) ClearAllAPB(ctx context.Context) error {
	return c.s.send(ctx, "clear anti-passback for all", http.MethodPost, "control/apb/clearall", nil, nil, &Result{})
}

// CardData is GET /control/card/data; Card is empty until a card is presented.
type CardData struct {
	Card string `json:"card"`
}

// UnmarshalJSON decodes card as text or number.
func (v *CardData) UnmarshalJSON(b []byte) error {
	type plain CardData
	w := struct {
		*plain
		Card Text `json:"card"`
	}{(*plain)(v), Text(v.Card)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.Card = string(w.Card)
	return nil
}
