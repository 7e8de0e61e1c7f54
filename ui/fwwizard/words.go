package fwwizard

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2/lang"

	"enrollstation/enroll/firmware"
)

// The operator's words for the model's codes. Each text goes through lang; the keys are in
// assets/translations/fwwizard.*.json.

// stepTitle names a step.
func stepTitle(s Step) string {
	switch s {
	case StepUnits:
		return lang.X("fwwizard.step.units", "Choose the EF-45 units")
	case StepFile:
		return lang.X("fwwizard.step.file", "Choose the firmware file")
	case StepConfirm:
		return lang.X("fwwizard.step.confirm", "Confirm")
	case StepRun:
		return lang.X("fwwizard.step.run", "Uploading")
	}
	return lang.X("fwwizard.step.result", "Results")
}

// displayName names a unit: its target's name, else the capture camera, else its address.
func displayName(name string, camera bool, addr string) string {
	switch {
	case name != "":
		return name
	case camera:
		return lang.X("fwwizard.unit.camera", "Capture camera")
	}
	return addr
}

// unitLabel names a unit in the list: its name and address.
func unitLabel(u Unit) string {
	name := displayName(u.Name, u.Camera, u.Addr)
	if u.Name != "" && u.Camera {
		name = lang.X("fwwizard.unit.named_camera", "{{.Name}} (capture camera)", map[string]any{"Name": u.Name})
	}
	return fmt.Sprintf("%s — %s", name, u.Addr)
}

// unitStatus says what a unit's version read found.
func unitStatus(u Unit) string {
	switch {
	case u.Reading:
		return lang.X("fwwizard.unit.reading", "Reading the version…")
	case u.Busy:
		return lang.X("fwwizard.unit.busy", "An upload to it is running")
	case u.Restarting:
		return lang.X("fwwizard.unit.restarting", "Restarting or installing firmware: try again in a few minutes")
	case u.Err != nil:
		return lang.X("fwwizard.unit.unreachable", "Not reachable: check that it is switched on and connected")
	}
	return lang.X("fwwizard.unit.version", "Version {{.Version}}", map[string]any{"Version": u.Version})
}

// size says a byte count in the unit that reads best.
func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return lang.X("fwwizard.bytes", "{{.N}} bytes", map[string]any{"N": n})
}

// seconds rounds a wait for display.
func seconds(d time.Duration) string { return d.Round(time.Second).String() }

// phaseNow says what a running upload is doing.
func phaseNow(d Device) string {
	switch d.Phase {
	case firmware.PhaseVersion:
		return lang.X("fwwizard.phase.version", "Reading the version and taking the camera")
	case firmware.PhaseStart:
		return lang.X("fwwizard.phase.start", "Starting the upload")
	case firmware.PhaseUnits:
		return lang.X("fwwizard.phase.units", "Sending the file: {{.Sent}} of {{.Total}}",
			map[string]any{"Sent": size(d.Sent), "Total": size(d.Total)})
	case firmware.PhaseDone:
		return lang.X("fwwizard.phase.done", "Sending the last part; the camera checks the file")
	case firmware.PhaseReboot:
		return lang.X("fwwizard.phase.reboot", "Waiting for the camera to restart ({{.Wait}}); this can take a few minutes",
			map[string]any{"Wait": seconds(d.RebootWait)})
	case firmware.PhaseResult:
		return lang.X("fwwizard.phase.result", "Checking the version it came back with")
	}
	return lang.X("fwwizard.phase.waiting", "Waiting to start")
}

// phaseWhere names a phase as the place an upload stopped.
func phaseWhere(p firmware.Phase) string {
	switch p {
	case firmware.PhaseVersion:
		return lang.X("fwwizard.where.version", "while reading the version, before anything was sent")
	case firmware.PhaseStart:
		return lang.X("fwwizard.where.start", "while starting the upload")
	case firmware.PhaseUnits:
		return lang.X("fwwizard.where.units", "while sending the file")
	case firmware.PhaseDone:
		return lang.X("fwwizard.where.done", "at the last part, when the camera checks the file")
	case firmware.PhaseReboot:
		return lang.X("fwwizard.where.reboot", "while waiting for the camera to restart")
	}
	return lang.X("fwwizard.where.result", "when checking the new version")
}

// failureWords says what went wrong, where, and what the camera is left in.
func failureWords(f Failure) string {
	var cause string
	switch f.Cause {
	case firmware.CauseCancelled:
		cause = lang.X("fwwizard.cause.cancelled", "The upload was cancelled")
	case firmware.CauseInUse:
		cause = lang.X("fwwizard.cause.in_use", "The camera is in use by another workstation")
	case firmware.CauseFile:
		cause = lang.X("fwwizard.cause.file", "The firmware file cannot be used (it is missing or changed)")
	case firmware.CauseNoAnswer:
		cause = lang.X("fwwizard.cause.no_answer", "The camera stopped answering")
	case firmware.CauseRefused:
		cause = lang.X("fwwizard.cause.refused", "The camera refused the upload")
	case firmware.CauseNotTaken:
		cause = lang.X("fwwizard.cause.not_taken", "The camera restarted with its old version: the new firmware did not take")
	case firmware.CauseTimeout:
		cause = lang.X("fwwizard.cause.timeout", "The camera did not come back within {{.Wait}}", map[string]any{"Wait": seconds(f.Wait)})
	case firmware.CauseRunning:
		cause = lang.X("fwwizard.cause.running", "An upload to this camera is already running")
	default:
		cause = lang.X("fwwizard.cause.other", "The upload failed")
	}
	out := cause
	if f.Phase != "" && f.Cause != firmware.CauseNotTaken && f.Cause != firmware.CauseTimeout {
		out = lang.X("fwwizard.failure.where", "{{.Cause}} {{.Where}}", map[string]any{"Cause": cause, "Where": phaseWhere(f.Phase)})
		if f.Phase == firmware.PhaseUnits {
			out += " " + lang.X("fwwizard.failure.sent", "({{.Sent}} of {{.Total}} sent)",
				map[string]any{"Sent": size(f.Sent), "Total": size(f.Total)})
		}
	}
	return lang.X("fwwizard.failure.full", "{{.What}}. {{.State}}", map[string]any{"What": out, "State": stateWords(f)})
}

// stateWords says what a failed upload leaves the camera in and what to do.
func stateWords(f Failure) string {
	switch f.State {
	case firmware.StateUnchanged:
		if f.Version != "" {
			return lang.X("fwwizard.state.unchanged_version", "The camera keeps its firmware {{.Version}}; you can start again.",
				map[string]any{"Version": f.Version})
		}
		return lang.X("fwwizard.state.unchanged", "The camera keeps its old firmware; you can start again.")
	case firmware.StateInstalling:
		return lang.X("fwwizard.state.installing", "It may still be installing: do not switch it off or unplug it.")
	case firmware.StateUnknown:
		return lang.X("fwwizard.state.unknown",
			"It is not known whether it took the file: do not switch it off or unplug it, and check its version in a few minutes.")
	}
	return lang.X("fwwizard.state.untouched", "Nothing was sent to it.")
}

// successWords says how a finished upload went.
func successWords(d Device) string {
	if d.OldVersion == d.NewVersion {
		return lang.X("fwwizard.result.reinstalled", "Version {{.Version}} installed again", map[string]any{"Version": d.NewVersion})
	}
	return lang.X("fwwizard.result.updated", "Updated from {{.Old}} to {{.New}}", map[string]any{"Old": d.OldVersion, "New": d.NewVersion})
}
