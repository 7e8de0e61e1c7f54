package ef45sim

import (
	"net/http"
	"strings"

	"enrollstation/devices/ef45"
)

func (d *Device) routes() {
	m, l := d.api, d.locked
	m.HandleFunc("/", d.handleNotFound)

	m.HandleFunc("POST /1.0/lock", d.handleLockCreate)
	m.HandleFunc("PUT /1.0/lock", d.handleLockForce)
	m.HandleFunc("DELETE /1.0/lock/{uid}", d.handleLockDelete)
	m.HandleFunc("GET /1.0/version", d.handleVersion)

	m.HandleFunc("GET /1.0/camera", l(d.handleCameraGet))
	m.HandleFunc("POST /1.0/camera", l(d.handleCameraSet))
	m.HandleFunc("POST /1.0/camera/control/setDeviceTime/{time}", l(d.handleSetTime))
	m.HandleFunc("POST /1.0/camera/control/start", l(d.handleStart))
	m.HandleFunc("POST /1.0/camera/control/stop", l(d.handleStop))
	m.HandleFunc("POST /1.0/camera/control/start/matchtemplate/{seq}", l(d.handleMatchTemplate))
	m.HandleFunc("GET /1.0/preview", l(d.handlePreview))

	m.HandleFunc("GET /1.0/biometric-data", l(d.handleBiometricLegacy))
	m.HandleFunc("GET /1.0/biometric-data/ver1", l(d.handleBiometricVer1))
	m.HandleFunc("DELETE /1.0/biometric-data/{id}", l(d.handleBiometricDelete))
	m.HandleFunc("PUT /1.0/biometric-data/save-8bmp", l(d.handleSave8))
	m.HandleFunc("PUT /1.0/biometric-data/save-24bmp", l(d.handleSave24))
	m.HandleFunc("GET /1.0/biometric-data/load-file", l(d.handleLoadFile))
	m.HandleFunc("PUT /1.0/biometric-data/save-file", l(d.handleSaveFile))

	subjects, users := d.subjectResource(), d.userInfoResource()
	m.HandleFunc("GET /1.0/subjects", l(subjects.list))
	m.HandleFunc("POST /1.0/subjects", l(subjects.create))
	m.HandleFunc("GET /1.0/subjects/record-version", l(d.handleRecordVersion))
	m.HandleFunc("PUT /1.0/subjects/is-exist/template", l(d.handleDuplicateCheck))
	m.HandleFunc("GET /1.0/subjects/{uuid}", l(subjects.get))
	m.HandleFunc("PUT /1.0/subjects/{uuid}", l(subjects.put))
	m.HandleFunc("DELETE /1.0/subjects/{uuid}", l(subjects.delete))

	m.HandleFunc("GET /1.0/user-info", l(users.list))
	m.HandleFunc("POST /1.0/user-info", l(users.create))
	m.HandleFunc("GET /1.0/user-info/card/{card}", l(d.handleUserInfoByCard))
	m.HandleFunc("GET /1.0/user-info/uuid/{uuid}", l(users.get))
	m.HandleFunc("PUT /1.0/user-info/uuid/{uuid}", l(users.put))
	m.HandleFunc("DELETE /1.0/user-info/uuid/{uuid}", l(users.delete))

	m.HandleFunc("POST /1.0/user", l(d.handleUserBatch))
	m.HandleFunc("DELETE /1.0/user/{uuid}", l(d.handleUserDelete))

	m.HandleFunc("GET /1.0/faces", l(d.handleFaceList))
	m.HandleFunc("POST /1.0/faces", l(d.handleFaceCreate))
	m.HandleFunc("GET /1.0/faces/{uuid}", l(d.handleFaceGet))
	m.HandleFunc("PUT /1.0/faces/{uuid}", l(d.handleFaceUpdate))
	m.HandleFunc("DELETE /1.0/faces/{uuid}", l(d.handleFaceDelete))

	m.HandleFunc("GET /1.0/config/door-status", l(d.handleDoorStatus))
	m.HandleFunc("PUT /1.0/config/relay", l(d.handleRelay))
	m.HandleFunc("GET /1.0/config/{title}/{type}", l(d.handleConfigGet))
	m.HandleFunc("PUT /1.0/config/{title}/{type}", l(d.handleConfigSet))

	m.HandleFunc("GET /1.0/match-data", l(d.handleMatchList))
	m.HandleFunc("DELETE /1.0/match-data/{id}", l(d.handleMatchDelete))

	m.HandleFunc("GET /1.0/logs", l(d.handleLogList))
	m.HandleFunc("DELETE /1.0/logs", l(d.handleLogDeleteRange))
	m.HandleFunc("GET /1.0/logs/from/to", l(d.handleLogRange))
	m.HandleFunc("GET /1.0/logs/{id}", l(d.handleLogGet))
	m.HandleFunc("DELETE /1.0/logs/{id}", l(d.handleLogDelete))
	m.HandleFunc("DELETE /1.0/logs/db", l(d.handleLogDeleteAll))

	for _, method := range []string{http.MethodPost, http.MethodPut} {
		m.HandleFunc(method+" /1.0/update/start", l(d.handleFirmwareStart))
		m.HandleFunc(method+" /1.0/update/continous", l(d.handleFirmwareUnit))
		m.HandleFunc(method+" /1.0/update/done", l(d.handleFirmwareDone))
	}

	m.HandleFunc("POST /1.0/control", l(d.handleControl))
	m.HandleFunc("POST /1.0/control/card/start", l(d.handleCardStart))
	m.HandleFunc("GET /1.0/control/card/data", l(d.handleCardData))
	m.HandleFunc("POST /1.0/control/card/stop", l(d.handleCardStop))
	m.HandleFunc("POST /1.0/control/apb/clear/{uuid}", l(d.handleAPBClear))
	m.HandleFunc("POST /1.0/control/apb/clearall", l(d.handleAPBClearAll))
}

// ServeHTTP answers the device API under /1.0/ and the control surface under /sim/.
// Every API request first passes the reboot state and the fault knobs.
func (d *Device) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/sim/") {
		d.sim.ServeHTTP(w, r)
		return
	}
	now := d.now()
	d.mu.Lock()
	d.settleLocked(now)
	d.st.stats.Requests++
	f := d.st.faults
	// Three draws per request whatever the rates, so the fault sequence depends only on
	// the order of requests.
	drop, fail, garble := d.st.faultRNG.Float64(), d.st.faultRNG.Float64(), d.st.faultRNG.Float64()
	rebooting := now.Before(d.st.rebootUntil)
	refuseByDrop := false
	if rebooting {
		d.st.stats.RebootRefused++
		switch d.opts.RebootMode {
		case RebootDrop:
			refuseByDrop = true
		case RebootMixed:
			refuseByDrop = d.st.rebootRNG.IntN(2) == 0
		}
	}
	dropIt, failIt := drop < f.DropRate, fail < f.ErrorRate
	garbleIt := !dropIt && !failIt && garble < f.MalformedRate
	if !rebooting {
		switch {
		case dropIt:
			d.st.stats.InjectedDrops++
		case failIt:
			d.st.stats.InjectedErrors++
		case garbleIt:
			d.st.stats.InjectedMalformed++
		}
	}
	d.mu.Unlock()

	if !sleepCtx(r, d.opts.Latency+f.Latency) {
		return
	}
	switch {
	case rebooting && refuseByDrop:
		dropConnection(w)
	case rebooting:
		writeError(w, http.StatusServiceUnavailable, "upgrade in progress")
	case dropIt:
		dropConnection(w)
	case failIt:
		writeError(w, http.StatusInternalServerError, "internal device error")
	case garbleIt:
		bw := newBufferedWriter()
		d.api.ServeHTTP(bw, r)
		writeGarbled(w, bw)
	default:
		d.api.ServeHTTP(w, r)
	}
}

func (d *Device) handleNotFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path)
}

func (d *Device) handleVersion(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	v := d.st.version
	d.mu.Unlock()
	writeJSON(w, http.StatusOK, ef45.Version{Version: v})
}
