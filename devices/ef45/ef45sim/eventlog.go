package ef45sim

import (
	"time"

	"enrollstation/devices/ef45"
)

const maxLogs = 10000

// logEventLocked appends a device log entry stamped with device time.
func (d *Device) logEventLocked(at time.Time, eventType, info, result, user string) {
	d.st.logs = append(d.st.logs, ef45.LogEntry{
		ID:                   ef45.Int(d.st.nextLogID),
		EventType:            eventType,
		Timestamp:            ef45.Timestamp{Time: d.deviceTimeLocked(at)},
		UserUUID:             user,
		Info:                 info,
		AdditionalData:       result,
		MatchedFaceImageData: []byte{},
	})
	d.st.nextLogID++
	if len(d.st.logs) > maxLogs {
		d.st.logs = append(d.st.logs[:0:0], d.st.logs[len(d.st.logs)-maxLogs:]...)
	}
}

// logEvent stamps and appends a log entry under the lock.
func (d *Device) logEvent(eventType, info, result, user string) {
	now := d.now()
	d.mu.Lock()
	d.logEventLocked(now, eventType, info, result, user)
	d.mu.Unlock()
}

func outcome(ok bool) string {
	if ok {
		return "Success"
	}
	return "Fail"
}
