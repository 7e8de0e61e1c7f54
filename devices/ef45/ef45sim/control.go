package ef45sim

import (
	"net/http"
	"time"

	"enrollstation/devices/ef45"
)

// cardState is the card reader's stand-by mode.
type cardState struct {
	active bool
	since  time.Time
	card   string
}

// handleControl is the manual command (spec 003 "Manual device control"): true opens the
// door for the configured relay duration, false closes it. It needs the device setting
// "Use manual command" (config UseManualCommand).
func (d *Device) handleControl(w http.ResponseWriter, r *http.Request) {
	var open bool
	if err := decodeBody(w, r, maxJSONBody, &open); err != nil {
		writeError(w, http.StatusBadRequest, "control: the body must be true or false: "+err.Error())
		return
	}
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.configLocked("UseManualCommand").b {
		d.logEventLocked(now, "Control", "ManualCommand", "Fail", "")
		writeResult(w, false, "manual command is disabled on the device (Settings > Network > Server > Use manual command)")
		return
	}
	if open {
		secs := d.configLocked("RelayDuration").i
		d.st.relayLatched, d.st.relayUntil = false, now.Add(time.Duration(secs)*time.Second)
	} else {
		d.st.relayLatched, d.st.relayUntil = false, time.Time{}
	}
	d.logEventLocked(now, "Control", "ManualCommand", "Success", "")
	writeResult(w, true, "OK")
}

// handleCardStart puts the reader in stand-by: after Options.CardDelay a card is presented.
func (d *Device) handleCardStart(w http.ResponseWriter, r *http.Request) {
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.st.cameraMode != ef45.ModeSlave {
		d.logEventLocked(now, "Control", "CardReadStart", "Fail", "")
		writeResult(w, false, "card reading needs camera mode Slave (now "+d.st.cameraMode+")")
		return
	}
	d.st.cardReads++
	d.st.card = cardState{active: true, since: now, card: cardNumber(d.opts.Seed, d.st.cardReads)}
	d.logEventLocked(now, "Control", "CardReadStart", "Success", "")
	writeResult(w, true, "OK")
}

// cardNumber is the n-th card presented to a device: four bytes in the device's notation.
func cardNumber(seed int64, n uint64) string {
	r := newRNG(seed, "card", n)
	b := make([]byte, 4)
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return formatCard(b)
}

func (d *Device) handleCardData(w http.ResponseWriter, r *http.Request) {
	now := d.now()
	d.mu.Lock()
	c := d.st.card
	d.mu.Unlock()
	out := ef45.CardData{}
	if c.active && now.Sub(c.since) >= d.opts.CardDelay {
		out.Card = c.card
	}
	writeJSON(w, http.StatusOK, out)
}

func (d *Device) handleCardStop(w http.ResponseWriter, r *http.Request) {
	now := d.now()
	d.mu.Lock()
	d.st.card = cardState{}
	d.logEventLocked(now, "Control", "CardReadStop", "Success", "")
	d.mu.Unlock()
	writeResult(w, true, "OK")
}

// apbClear is the anti-passback status "CLEAR" (spec 003).
const apbClear = 1

func (d *Device) handleAPBClear(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	u, ok := d.st.users.get(id)
	if !ok {
		d.logEventLocked(now, "Control", "APBClear", "Fail", id)
		writeError(w, http.StatusNotFound, "clear anti-passback: no user info with user_uuid "+quote(id))
		return
	}
	u.APBStatus = apbClear
	d.st.users.put(id, u)
	d.logEventLocked(now, "Control", "APBClear", "Success", id)
	writeResult(w, true, "OK")
}

func (d *Device) handleAPBClearAll(w http.ResponseWriter, r *http.Request) {
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, u := range d.st.users.list() {
		u.APBStatus = apbClear
		d.st.users.put(u.UserUUID, u)
	}
	d.logEventLocked(now, "Control", "APBClearAll", "Success", "")
	writeResult(w, true, "OK")
}
