package actateksim

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"enrollstation/devices/actatek"
)

// sortedKeys lists a map's int keys in order, so answers are deterministic.
func sortedKeys[V any](m map[int]V) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// handleAddDepartments is POST department/{sessionid} (4.1).
func handleAddDepartments(s *Simulator, c *call) reply {
	return perItem(c, "department data is not valid JSON", func(d actatek.Department) actatek.Result {
		switch {
		case d.Name == "":
			return errResult("department ID %d: name is required", d.ID)
		case d.ID < 0:
			return errResult("department ID %d is not valid", d.ID)
		default:
			if _, exists := s.st.departments[int(d.ID)]; exists {
				return errResult("department ID %d %s", d.ID, actatek.MsgExists)
			}
			s.st.departments[int(d.ID)] = d
			return okResult("department ID %d Added", d.ID)
		}
	})
}

// handleUpdateDepartments is PUT department/{sessionid} (4.2); name and description
// change only when sent.
func handleUpdateDepartments(s *Simulator, c *call) reply {
	return perItem(c, "department data is not valid JSON", func(d actatek.Department) actatek.Result {
		old, exists := s.st.departments[int(d.ID)]
		if !exists {
			return errResult("department ID %d %s", d.ID, actatek.MsgNotFound)
		}
		if d.Name != "" {
			old.Name = d.Name
		}
		if d.Description != "" {
			old.Description = d.Description
		}
		s.st.departments[int(d.ID)] = old
		return okResult("department ID %d Updated", d.ID)
	})
}

func (s *Simulator) matchDepartments(c *call) ([]int, string) {
	q := c.query
	var id *int
	if v := q.Get("id"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, "id " + strconv.Quote(v) + " is not a department ID"
		}
		id = &n
	}
	var out []int
	for _, k := range sortedKeys(s.st.departments) {
		d := s.st.departments[k]
		if id != nil && k != *id {
			continue
		}
		if v := q.Get("name"); v != "" && d.Name != v {
			continue
		}
		if v := q.Get("description"); v != "" && d.Description != v {
			continue
		}
		out = append(out, k)
	}
	return out, ""
}

// handleGetDepartments is GET department/{sessionid} (4.3); always an array.
func handleGetDepartments(s *Simulator, c *call) reply {
	keys, msg := s.matchDepartments(c)
	if msg != "" {
		return refuse("%s", msg)
	}
	out := []actatek.Department{}
	for _, k := range keys {
		out = append(out, s.st.departments[k])
	}
	return ok(out)
}

// handleDeleteDepartments is DELETE department/{sessionid}?id&name&description (4.4).
func handleDeleteDepartments(s *Simulator, c *call) reply {
	if len(c.query) == 0 {
		return refuse("deleteDepartment needs at least one of id, name, description")
	}
	keys, msg := s.matchDepartments(c)
	if msg != "" {
		return refuse("%s", msg)
	}
	if len(keys) == 0 {
		return refuse("department %s", actatek.MsgNotFound)
	}
	for _, k := range keys {
		if k == 0 {
			return refuse("department 0 is the default department and cannot be deleted")
		}
	}
	for _, k := range keys {
		delete(s.st.departments, k)
	}
	return success("%d department(s) Deleted", len(keys))
}

func checkTimeSpec(ts actatek.List[actatek.TimeSpec]) string {
	for _, t := range ts {
		if !slices.Contains(actatek.Weekdays(), t.Weekday) {
			return "weekday " + strconv.Quote(t.Weekday) + " is not one of " + strings.Join(actatek.Weekdays(), ", ")
		}
		if len(t.TimePattern) != 48 || strings.Trim(t.TimePattern, "01") != "" {
			return "timePattern for " + t.Weekday + " must be 48 characters of 0 and 1"
		}
	}
	return ""
}

// handleAddRights is POST accessright/{sessionid} (5.1).
func handleAddRights(s *Simulator, c *call) reply { return s.writeRights(c, true) }

// handleUpdateRights is PUT accessright/{sessionid} (5.3).
func handleUpdateRights(s *Simulator, c *call) reply { return s.writeRights(c, false) }

func (s *Simulator) writeRights(c *call, add bool) reply {
	return perItem(c, "access right data is not valid JSON", func(r actatek.AccessRight) actatek.Result {
		_, exists := s.st.rights[int(r.ID)]
		switch {
		case add && exists:
			return errResult("access right ID %d %s", r.ID, actatek.MsgExists)
		case !add && !exists:
			return errResult("access right ID %d %s", r.ID, actatek.MsgNotFound)
		case add && r.Name == "":
			return errResult("access right ID %d: name is required", r.ID)
		default:
			if msg := checkTimeSpec(r.TimeSpec); msg != "" {
				return errResult("access right ID %d: %s", r.ID, msg)
			}
			if !add && r.Name == "" {
				r.Name = s.st.rights[int(r.ID)].Name
			}
			s.st.rights[int(r.ID)] = r
			verb := "Updated"
			if add {
				verb = "Added"
			}
			return okResult("access right ID %d %s", r.ID, verb)
		}
	})
}

// handleGetRights is GET accessright/{sessionid}?id (5.2).
func handleGetRights(s *Simulator, c *call) reply {
	out := []actatek.AccessRight{}
	v := c.query.Get("id")
	for _, k := range sortedKeys(s.st.rights) {
		if v != "" && strconv.Itoa(k) != v {
			continue
		}
		out = append(out, s.st.rights[k])
	}
	return ok(out)
}

// handleDeleteRight is DELETE accessright/{sessionid}/{id} (5.4).
func handleDeleteRight(s *Simulator, c *call) reply {
	id, err := strconv.Atoi(c.arg(1))
	if err != nil {
		return refuse("access right ID %q is not a number", c.arg(1))
	}
	if _, exists := s.st.rights[id]; !exists {
		return refuse("access right ID %d %s", id, actatek.MsgNotFound)
	}
	for _, g := range s.st.groups {
		if slices.Contains(g.AccessRightID, id) {
			return refuse("access right ID %d is used by access group %d", id, g.ID)
		}
	}
	delete(s.st.rights, id)
	return success("access right ID %d Deleted", id)
}

// handleAddGroups is POST accessgroup/{sessionid} (6.1); without an id the group gets the
// next free one.
func handleAddGroups(s *Simulator, c *call) reply { return s.writeGroups(c, true) }

// handleUpdateGroups is PUT accessgroup/{sessionid} (6.3).
func handleUpdateGroups(s *Simulator, c *call) reply { return s.writeGroups(c, false) }

func (s *Simulator) writeGroups(c *call, add bool) reply {
	gs, many, err := decodeOneOrMany[actatek.AccessGroup](c.body)
	if err != nil {
		return refuse("access group data is not valid JSON: %v", err)
	}
	raws, _, _ := decodeOneOrMany[map[string]json.RawMessage](c.body)
	results := make([]actatek.Result, len(gs))
	for i, g := range gs {
		if _, hasID := raws[i]["id"]; add && !hasID {
			g.ID = 0
			for {
				if _, taken := s.st.groups[int(g.ID)]; !taken {
					break
				}
				g.ID++
			}
		}
		_, exists := s.st.groups[int(g.ID)]
		switch {
		case add && exists:
			results[i] = errResult("access group ID %d %s", g.ID, actatek.MsgExists)
			continue
		case !add && !exists:
			results[i] = errResult("access group ID %d %s", g.ID, actatek.MsgNotFound)
			continue
		}
		if _, ok := s.st.departments[int(g.DepartmentID)]; !ok {
			results[i] = errResult("access group ID %d: department %d does not exist", g.ID, g.DepartmentID)
			continue
		}
		if bad := s.missingRight(g.AccessRightID); bad >= 0 {
			results[i] = errResult("access group ID %d: access right %d does not exist", g.ID, bad)
			continue
		}
		s.st.groups[int(g.ID)] = g
		verb := "Updated"
		if add {
			verb = "Added"
		}
		results[i] = okResult("access group ID %d %s", g.ID, verb)
	}
	return answerMany(results, many)
}

func (s *Simulator) missingRight(ids actatek.IDs) int {
	for _, id := range ids {
		if _, ok := s.st.rights[id]; !ok {
			return id
		}
	}
	return -1
}

// handleGetGroups is GET accessgroup/{sessionid}?groupid&deptid (6.2).
func handleGetGroups(s *Simulator, c *call) reply {
	out := []actatek.AccessGroup{}
	gid, dept := c.query.Get("groupid"), c.query.Get("deptid")
	for _, k := range sortedKeys(s.st.groups) {
		g := s.st.groups[k]
		if gid != "" && strconv.Itoa(k) != gid {
			continue
		}
		if dept != "" && strconv.Itoa(int(g.DepartmentID)) != dept {
			continue
		}
		out = append(out, g)
	}
	return ok(out)
}

// handleDeleteGroup is DELETE accessgroup/{sessionid}/{id} (6.4).
func handleDeleteGroup(s *Simulator, c *call) reply {
	id, err := strconv.Atoi(c.arg(1))
	if err != nil {
		return refuse("access group ID %q is not a number", c.arg(1))
	}
	if _, exists := s.st.groups[id]; !exists {
		return refuse("access group ID %d %s", id, actatek.MsgNotFound)
	}
	delete(s.st.groups, id)
	return success("access group ID %d Deleted", id)
}

// handleGetTriggers is GET trigger/{sessionid}?type (7.1): one trigger, or all of them
// in order when no type is given.
func handleGetTriggers(s *Simulator, c *call) reply {
	if t := c.query.Get("type"); t != "" {
		tr, exists := s.st.triggers[strings.ToUpper(t)]
		if !exists {
			return refuse("trigger type %s %s", t, actatek.MsgNotFound)
		}
		return ok([]actatek.Trigger{tr})
	}
	out := []actatek.Trigger{}
	for _, t := range triggerTypes() {
		out = append(out, s.st.triggers[t])
	}
	return ok(out)
}

// handleUpdateTrigger is PUT trigger/{sessionid} (7.2).
func handleUpdateTrigger(s *Simulator, c *call) reply {
	var t actatek.Trigger
	if err := json.Unmarshal(c.body, &t); err != nil {
		return refuse("trigger data is not valid JSON: %v", err)
	}
	t.Type = strings.ToUpper(t.Type)
	old, exists := s.st.triggers[t.Type]
	if !exists {
		return refuse("trigger type %q %s (IN, OUT, F1 to F40)", t.Type, actatek.MsgNotFound)
	}
	if t.FreeJobcode {
		n, _ := strconv.Atoi(strings.TrimPrefix(t.Type, "F"))
		if !strings.HasPrefix(t.Type, "F") || n < 1 || n > 10 {
			return refuse("freeJobcode is only for F1 to F10")
		}
	}
	if msg := checkTimeSpec(t.TimeSpec); msg != "" {
		return refuse("trigger type %s: %s", t.Type, msg)
	}
	if t.Name == "" {
		t.Name = old.Name
	}
	s.st.triggers[t.Type] = t
	return success("trigger type %s schedule Updated", t.Type)
}

// handleClearTrigger is DELETE trigger/{sessionid}/{type} (7.3).
func handleClearTrigger(s *Simulator, c *call) reply {
	typ := strings.ToUpper(c.arg(1))
	t, exists := s.st.triggers[typ]
	if !exists {
		return refuse("trigger type %q %s", c.arg(1), actatek.MsgNotFound)
	}
	t.TimeSpec = nil
	s.st.triggers[typ] = t
	return success("trigger type %s schedule cleared", typ)
}

// handleRegisterAgent is POST agent/{sessionid} (9.1).
func handleRegisterAgent(s *Simulator, c *call) reply {
	var a actatek.AgentRegistration
	if err := json.Unmarshal(c.body, &a); err != nil || a.URL == "" {
		return refuse("agent registration needs a JSON body with url")
	}
	for _, ag := range s.st.agents {
		if ag.URL == a.URL {
			return refuse("agent %s %s", a.URL, actatek.MsgExists)
		}
	}
	epoch := actatek.UTC(time.Unix(0, 0))
	s.st.agents = append(s.st.agents, actatek.Agent{
		URL: a.URL, RegistrationTime: actatek.UTC(s.terminalNow()), LastUpdate: epoch, LastCheck: epoch, Active: true,
	})
	return success("agent registered")
}

// handleUnregisterAgent is DELETE agent/{sessionid}?url (9.2).
func handleUnregisterAgent(s *Simulator, c *call) reply {
	u := c.query.Get("url")
	i := slices.IndexFunc(s.st.agents, func(a actatek.Agent) bool { return a.URL == u })
	if i < 0 {
		return refuse("agent %q %s", u, actatek.MsgNotFound)
	}
	s.st.agents = slices.Delete(s.st.agents, i, i+1)
	return success("Unregistration Agent Success")
}

// handleGetAgents is GET agent/{sessionid} (9.3).
func handleGetAgents(s *Simulator, c *call) reply {
	return ok(append([]actatek.Agent{}, s.st.agents...))
}
