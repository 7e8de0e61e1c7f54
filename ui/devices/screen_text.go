package devices

import (
	"strings"

	"fyne.io/fyne/v2/lang"

	"enrollstation/enroll"
)

// text is a model's message in the technician's language.
func text(m Message) string {
	if m.Key == "" {
		return m.Text
	}
	return lang.X("devices.msg."+m.Key, m.Text, m.Args)
}

// actionText says what the last action is doing or did.
func actionText(a Action) string {
	if a.Kind == "" {
		return ""
	}
	if a.Running {
		switch a.Kind {
		case ActionCard:
			return lang.X("devices.card.waiting", "Hold a card to the reader of {{.Name}}…", map[string]any{"Name": a.Name})
		case ActionReconcile, ActionRepair:
			return lang.X("devices.reconcile.running", "Comparing {{.Name}} with the journal…", map[string]any{"Name": a.Name})
		}
		return lang.X("devices.action.running", "Working on {{.Name}}…", map[string]any{"Name": a.Name})
	}
	if !a.Err.IsZero() {
		return lang.X("devices.action.failed", "It did not work:")
	}
	switch a.Kind {
	case ActionDoor:
		return lang.X("devices.door.done", "The door of {{.Name}} opened.", map[string]any{"Name": a.Name})
	case ActionCard:
		return lang.X("devices.card.done", "Card read: {{.Card}}", map[string]any{"Card": a.Card})
	case ActionTime:
		return lang.X("devices.time.done", "The clock of {{.Name}} is set to this computer's time.", map[string]any{"Name": a.Name})
	case ActionMode:
		return lang.X("devices.mode.read", "The camera of {{.Name}} is in {{.Mode}} mode.", map[string]any{"Name": a.Name, "Mode": a.Mode})
	case ActionSetMode:
		return lang.X("devices.mode.set", "The camera of {{.Name}} is now in {{.Mode}} mode.", map[string]any{"Name": a.Name, "Mode": a.Mode})
	case ActionLogs:
		return lang.X("devices.log.done", "The newest entries of the log of {{.Name}}:", map[string]any{"Name": a.Name})
	case ActionConfig:
		return lang.X("devices.config.read", "{{.Key}} is {{.Value}}.", map[string]any{"Key": a.ConfigKey, "Value": a.ConfigValue})
	case ActionSetConfig:
		return lang.X("devices.config.written", "{{.Key}} is now {{.Value}}.", map[string]any{"Key": a.ConfigKey, "Value": a.ConfigValue})
	case ActionRemove:
		return lang.X("devices.remove.done", "{{.Name}} was removed (or disabled, if it has pushes).", map[string]any{"Name": a.Name})
	case ActionRepair:
		return lang.X("devices.repair.done", "The missing and different people are queued again.")
	case ActionReconcile:
		return lang.X("devices.reconcile.done", "Reconcile done.")
	}
	return ""
}

// eventsText is the device log an action read, one line per entry.
func eventsText(a Action) string {
	if a.Kind != ActionLogs || a.Running || !a.Err.IsZero() {
		return ""
	}
	if len(a.Events) == 0 {
		return lang.X("devices.log.empty", "The device's log is empty.")
	}
	lines := make([]string, len(a.Events))
	for i, e := range a.Events {
		parts := []string{e.At.Local().Format("2006-01-02 15:04:05"), e.Event}
		if e.Person != "" {
			parts = append(parts, e.Person)
		}
		if e.Detail != "" {
			parts = append(parts, e.Detail)
		}
		lines[i] = strings.Join(parts, "  ")
	}
	return strings.Join(lines, "\n")
}

// reportText is a reconcile report: the counts, then one line per person.
func reportText(rep *enroll.Report) string {
	if rep == nil {
		return ""
	}
	lines := []string{lang.X("devices.report.summary",
		"{{.Checked}} expected, {{.InSync}} in sync, {{.Missing}} missing, {{.Different}} different, {{.Unknown}} unknown",
		map[string]any{"Checked": rep.Checked, "InSync": rep.InSync, "Missing": rep.Count(enroll.FindingMissing),
			"Different": rep.Count(enroll.FindingDifferent), "Unknown": rep.Count(enroll.FindingUnknown)})}
	switch {
	case rep.NoteCode == enroll.NoteEventsOnly:
		lines = append(lines, lang.X("devices.report.note.events_only",
			"This device has no call that lists what it holds: this is rebuilt from its events of the last {{.Days}} days, so a person who neither changed nor opened a door in that time is not checked.",
			map[string]any{"Days": rep.NoteDays}))
	case rep.Note != "":
		lines = append(lines, lang.X("devices.report.note", "Note: {{.Note}}", map[string]any{"Note": rep.Note}))
	}
	if len(rep.Unverified) > 0 {
		lines = append(lines, lang.X("devices.report.unverified", "{{.N}} people could not be checked on this device.",
			map[string]any{"N": len(rep.Unverified)}))
	}
	for _, f := range rep.Findings {
		who := map[string]any{"Name": f.Name, "Key": f.PersonKey, "Detail": f.Detail}
		var line string
		switch f.Kind {
		case enroll.FindingMissing:
			line = lang.X("devices.finding.missing", "Missing: {{.Name}} ({{.Key}})", who)
		case enroll.FindingDifferent:
			line = lang.X("devices.finding.different", "Different: {{.Name}} ({{.Key}}): {{.Detail}}", who)
		default:
			line = lang.X("devices.finding.unknown", "Unknown to the journal: {{.Name}} ({{.Key}})", who)
		}
		if f.Requeued != 0 {
			line += " — " + lang.X("devices.finding.requeued", "queued again")
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func kindName(k enroll.TargetKind) string {
	switch k {
	case enroll.TargetEF45:
		return "EF-45"
	case enroll.TargetACTAtek:
		return "ACTAtek"
	case enroll.TargetCLUe:
		return "CLUe"
	}
	return string(k)
}

// rowLine is a target's one-line health in the list.
func rowLine(r Row) string {
	var parts []string
	switch {
	case !r.Target.Enabled:
		parts = append(parts, lang.X("devices.health.disabled", "Disabled"))
	case !r.Checked:
		parts = append(parts, lang.X("devices.health.unchecked", "Not checked yet"))
	case !r.Health.Reachable:
		return lang.X("devices.health.unreachable", "Not reachable: {{.Why}} (detail: {{.Err}})",
			map[string]any{"Why": failureText(r.Health.Code), "Err": r.Health.Err})
	default:
		parts = append(parts, lang.X("devices.health.reachable", "Reachable"))
	}
	if r.Health.Version != "" {
		parts = append(parts, lang.X("devices.health.version", "version {{.V}}", map[string]any{"V": r.Health.Version}))
	}
	if r.Health.Serial != "" {
		parts = append(parts, lang.X("devices.health.serial", "serial {{.S}}", map[string]any{"S": r.Health.Serial}))
	}
	if r.Health.Users >= 0 {
		parts = append(parts, lang.X("devices.health.users", "{{.N}} users", map[string]any{"N": r.Health.Users}))
	}
	if r.Drift != nil {
		parts = append(parts, driftText(*r.Drift))
	}
	return strings.Join(parts, " · ")
}

// failureText is why a health check failed, in the operator's words.
func failureText(c enroll.FailureCode) string {
	switch c {
	case enroll.FailUnreachable:
		return lang.X("devices.failure.unreachable", "no answer at this address; check that it is on and connected")
	case enroll.FailTimeout:
		return lang.X("devices.failure.timeout", "no answer in time")
	case enroll.FailAuth:
		return lang.X("devices.failure.auth", "the account, password or key was refused")
	case enroll.FailTLS:
		return lang.X("devices.failure.tls", "the secure connection failed (certificate)")
	case enroll.FailMalformed:
		return lang.X("devices.failure.malformed", "the answer could not be read")
	case enroll.FailDevice:
		return lang.X("devices.failure.device", "the device answered with an error")
	}
	return lang.X("devices.failure.other", "the check failed")
}

func healthText(r Row) string {
	line := rowLine(r)
	if r.Drift == nil {
		line += "\n" + lang.X("devices.drift.none", "Not reconciled in this session.")
	}
	return line
}

func driftText(rep enroll.Report) string {
	return lang.X("devices.drift", "last reconcile: {{.Missing}} missing, {{.Different}} different, {{.Unknown}} unknown",
		map[string]any{"Missing": rep.Count(enroll.FindingMissing), "Different": rep.Count(enroll.FindingDifferent),
			"Unknown": rep.Count(enroll.FindingUnknown)})
}
