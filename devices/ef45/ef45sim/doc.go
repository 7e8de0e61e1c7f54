// Package ef45sim simulates a CMITech EF-45 iris and face camera: the REST API of spec 003
// under /1.0/, with the shapes of the ef45 wire model, for tests, demo and training.
//
// A Device is an http.Handler. It keeps the state a real device keeps: the lock holder,
// camera mode and a running capture, the biometric-data and match-data buffers, subjects,
// user info, faces, configuration, door relay, event logs, card reader, and a firmware
// upload in progress. It is deterministic given Options.Seed: serial number, images,
// templates, ids, card numbers and the fault sequence repeat for the same order of
// requests.
//
// # Captures
//
// POST /1.0/camera/control/start runs a capture on the device clock (Options.Now), not on
// the client's polling: GET /1.0/preview serves the frame of the moment at Options.FPS.
// Over Options.CaptureDuration the person comes from 700 mm to 400 mm, their eyes start too
// high or too low (messages 2 and 1), in glasses mode they wear glasses (message 4), they
// blink (message 3), and at the end the geometry is good (message 0, iris radius over
// 100 px). Then one biometric-data item appears — about 5 MB of JSON when every mode is
// set — and the camera stops by itself. Capture k of a device shows person k; the
// templates of a person repeat closely enough to match, so enrolling a capture and then
// showing that person again (SetNextPerson) fills the duplicate uuids.
//
// # Firmware
//
// Firmware units are reassembled as they stream in: the simulator keeps only the header,
// a SHA-256 and a byte count. An image starts with FirmwareHeader(version). An accepted
// upload answers {"file":…}, then the device reboots for Options.RebootTime: requests get
// 503 "upgrade in progress" or a dropped connection (Options.RebootMode), the lock and
// buffers are gone, and afterwards GET /1.0/version reports the new version.
// LastFirmware reports what was received.
//
// # Control surface
//
// Outside the vendor API, under /sim/, a demo console or a trainer can drive the device:
//
//	GET  /sim/state                 version, lock, camera, frames served, last firmware, counters
//	POST /sim/faults                body {"latency":"200ms","error_rate":0.1,"malformed_rate":0,"drop_rate":0}
//	POST /sim/steal-lock            another workstation takes the lock
//	POST /sim/expire-lock           the lock expires
//	POST /sim/reboot?for=2s         reboot now (default Options.RebootTime)
//	POST /sim/version?v=1.2.33      change the application version
//	POST /sim/person?n=1            the next capture shows person n (a returning person)
//
// Every control answers the new state. The control surface ignores the lock, the faults
// and reboots.
package ef45sim
