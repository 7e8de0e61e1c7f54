package ef45sim

import (
	"net/http"

	"enrollstation/devices/ef45"
)

// The lock (spec 003 "lock"): one client at a time holds a lock uid and sends it as
// ?lock_uid= on every call but POST/PUT /lock and GET /version.

const maxReleased = 32

func (d *Device) handleLockCreate(w http.ResponseWriter, r *http.Request) {
	now := d.now()
	d.mu.Lock()
	if d.st.lockUID != "" {
		d.logEventLocked(now, "Lock", "Connect", "Fail", "")
		d.mu.Unlock()
		writeError(w, http.StatusConflict, "the device is locked by another connection: force the connection to take it over")
		return
	}
	uid := d.takeLockLocked("")
	d.logEventLocked(now, "Lock", "Connect", "Success", "")
	d.mu.Unlock()
	// Locked false: the device was not held by another client (specs/README.md, the lock
	// object is {locked, lock_uid}; a client reads locked true as "in use").
	writeJSON(w, http.StatusOK, ef45.Lock{Locked: false, LockUID: uid})
}

func (d *Device) handleLockForce(w http.ResponseWriter, r *http.Request) {
	now := d.now()
	d.mu.Lock()
	uid := d.takeLockLocked("another connection took over the lock (force connection)")
	d.logEventLocked(now, "Lock", "ForceConnect", "Success", "")
	d.mu.Unlock()
	writeJSON(w, http.StatusOK, ef45.Lock{Locked: true, LockUID: uid})
}

func (d *Device) handleLockDelete(w http.ResponseWriter, r *http.Request) {
	uid := r.PathValue("uid")
	now := d.now()
	d.mu.Lock()
	if reason := d.lockProblemLocked(uid); reason != "" {
		d.st.stats.LockRejected++
		d.logEventLocked(now, "Lock", "Disconnect", "Fail", "")
		d.mu.Unlock()
		writeError(w, http.StatusForbidden, reason)
		return
	}
	d.releaseLockLocked("the lock was released (disconnect)")
	d.logEventLocked(now, "Lock", "Disconnect", "Success", "")
	d.mu.Unlock()
	writeJSON(w, http.StatusOK, ef45.Lock{Locked: false, LockUID: uid})
}

// takeLockLocked gives the lock to a new uid; the former holder, if any, learns why.
func (d *Device) takeLockLocked(why string) string {
	if d.st.lockUID != "" {
		d.releaseLockLocked(why)
	}
	d.st.lockUID = newUUID(d.st.idRNG)
	return d.st.lockUID
}

func (d *Device) releaseLockLocked(why string) {
	uid := d.st.lockUID
	if uid == "" {
		return
	}
	d.st.lockUID = ""
	if _, ok := d.st.released[uid]; !ok {
		d.st.releasedOrder = append(d.st.releasedOrder, uid)
	}
	d.st.released[uid] = why
	for len(d.st.releasedOrder) > maxReleased {
		delete(d.st.released, d.st.releasedOrder[0])
		d.st.releasedOrder = d.st.releasedOrder[1:]
	}
}

// lockProblemLocked says why uid may not call the device, or "" when it holds the lock.
func (d *Device) lockProblemLocked(uid string) string {
	switch {
	case uid == "":
		return "lock_uid is missing: take the lock first (POST /1.0/lock)"
	case uid == d.st.lockUID:
		return ""
	case !validUUID(uid):
		return "lock_uid " + uid + " is not a lock uid (8-4-4-4-12)"
	}
	if why, ok := d.st.released[uid]; ok {
		return "lock_uid " + uid + " no longer holds the lock: " + why
	}
	return "lock_uid " + uid + " does not hold the lock"
}

// locked wraps a handler that needs the caller to hold the lock.
func (d *Device) locked(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		uid := r.URL.Query().Get("lock_uid")
		d.mu.Lock()
		reason := d.lockProblemLocked(uid)
		if reason != "" {
			d.st.stats.LockRejected++
		}
		d.mu.Unlock()
		if reason != "" {
			writeError(w, http.StatusForbidden, reason)
			return
		}
		h(w, r)
	}
}

// StealLock makes another workstation take the lock now: the current holder's uid gets
// 403 from then on and POST /1.0/lock answers 409 until the thief lets go (ExpireLock,
// a reboot, or a force connection).
func (d *Device) StealLock() {
	now := d.now()
	d.mu.Lock()
	d.takeLockLocked("another workstation took over the lock")
	d.logEventLocked(now, "Lock", "ForceConnect", "Success", "")
	d.mu.Unlock()
}

// ExpireLock drops the lock as if its holder had gone silent: the old uid gets 403 and a
// new POST /1.0/lock succeeds.
func (d *Device) ExpireLock() {
	now := d.now()
	d.mu.Lock()
	if d.st.lockUID != "" {
		d.releaseLockLocked("the lock expired")
		d.logEventLocked(now, "Lock", "Expire", "Success", "")
	}
	d.mu.Unlock()
}

// LockHeld reports whether some client holds the lock.
func (d *Device) LockHeld() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.st.lockUID != ""
}
