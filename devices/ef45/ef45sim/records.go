package ef45sim

import (
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
)

// records is an insertion-ordered table keyed by user uuid.
type records[T any] struct {
	m     map[string]T
	order []string
}

func newRecords[T any]() records[T] { return records[T]{m: map[string]T{}} }

func (r *records[T]) get(id string) (T, bool) {
	v, ok := r.m[id]
	return v, ok
}

func (r *records[T]) put(id string, v T) {
	if _, ok := r.m[id]; !ok {
		r.order = append(r.order, id)
	}
	r.m[id] = v
}

func (r *records[T]) remove(id string) bool {
	if _, ok := r.m[id]; !ok {
		return false
	}
	delete(r.m, id)
	for i, o := range r.order {
		if o == id {
			r.order = append(r.order[:i:i], r.order[i+1:]...)
			break
		}
	}
	return true
}

func (r *records[T]) list() []T {
	out := make([]T, 0, len(r.order))
	for _, id := range r.order {
		out = append(out, r.m[id])
	}
	return out
}

const maxUUIDLen = 64

// checkUserUUID accepts any short non-empty id: spec 003's own examples use "1" and "111".
func checkUserUUID(id string) string {
	switch {
	case strings.TrimSpace(id) == "":
		return "user_uuid is empty"
	case len(id) > maxUUIDLen:
		return "user_uuid is longer than " + strconv.Itoa(maxUUIDLen) + " characters"
	case strings.ContainsAny(id, "/?#"):
		return "user_uuid " + quote(id) + " contains / ? or #"
	}
	return ""
}

// normalizeCard writes a card number as spec 003 shows it, hex bytes separated by spaces
// ("65 D8 A1 BD"); it accepts any spacing and case. ok is false if it is not hex bytes.
func normalizeCard(card string) (string, bool) {
	raw := strings.Join(strings.Fields(card), "")
	if raw == "" {
		return "", true
	}
	b, err := hex.DecodeString(raw)
	if err != nil {
		return "", false
	}
	return formatCard(b), true
}

func formatCard(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = strings.ToUpper(hex.EncodeToString([]byte{c}))
	}
	return strings.Join(parts, " ")
}

// Subjects and user info.

// resource serves a uuid-keyed record collection the way spec 003 treats subjects and
// user info alike: a paged list, create (409 when present), get, update and delete (404 when
// absent), each change logged as the device logs it.
type resource[T any] struct {
	d      *Device
	table  func() *records[T] // the collection; call with d.mu held
	what   string             // "subject", "user info"
	add    string             // log info of a create, e.g. "AddUser"
	update string             // of an update
	remove string             // of a delete
	key    func(*T) *string   // the record's user_uuid
	check  func(*T) string    // validates and normalises a record; "" when fine
}

func (rs resource[T]) list(w http.ResponseWriter, r *http.Request) {
	rs.d.mu.Lock()
	all := rs.table().list()
	rs.d.mu.Unlock()
	l, err := paginate(all, r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, "list "+rs.what+": "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, l)
}

// decode reads a record from the body; id, when not empty, comes from the path.
func (rs resource[T]) decode(w http.ResponseWriter, r *http.Request, verb, id string) (T, bool) {
	var v T
	if err := decodeBody(w, r, maxJSONBody, &v); err != nil {
		writeError(w, http.StatusBadRequest, verb+" "+rs.what+": "+err.Error())
		return v, false
	}
	if id != "" {
		*rs.key(&v) = id
	}
	if p := rs.check(&v); p != "" {
		writeError(w, http.StatusBadRequest, verb+" "+rs.what+": "+p)
		return v, false
	}
	return v, true
}

func (rs resource[T]) create(w http.ResponseWriter, r *http.Request) {
	v, ok := rs.decode(w, r, "add", "")
	if !ok {
		return
	}
	id := *rs.key(&v)
	now := rs.d.now()
	rs.d.mu.Lock()
	defer rs.d.mu.Unlock()
	if _, exists := rs.table().get(id); exists {
		rs.d.logEventLocked(now, "UserData", rs.add, "Fail", id)
		writeError(w, http.StatusConflict, "add "+rs.what+": "+rs.what+" "+quote(id)+" already exists: update it instead")
		return
	}
	rs.table().put(id, v)
	rs.d.logEventLocked(now, "UserData", rs.add, "Success", id)
	writeCreated(w)
}

func (rs resource[T]) get(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	rs.d.mu.Lock()
	v, ok := rs.table().get(id)
	rs.d.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "no "+rs.what+" with user_uuid "+quote(id))
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (rs resource[T]) put(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	v, ok := rs.decode(w, r, "update", id)
	if !ok {
		return
	}
	now := rs.d.now()
	rs.d.mu.Lock()
	defer rs.d.mu.Unlock()
	if _, exists := rs.table().get(id); !exists {
		rs.d.logEventLocked(now, "UserData", rs.update, "Fail", id)
		writeError(w, http.StatusNotFound, "update "+rs.what+": no "+rs.what+" with user_uuid "+quote(id))
		return
	}
	rs.table().put(id, v)
	rs.d.logEventLocked(now, "UserData", rs.update, "Success", id)
	writeNoContent(w)
}

func (rs resource[T]) delete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("uuid")
	now := rs.d.now()
	rs.d.mu.Lock()
	defer rs.d.mu.Unlock()
	if !rs.table().remove(id) {
		rs.d.logEventLocked(now, "UserData", rs.remove, "Fail", id)
		writeError(w, http.StatusNotFound, "delete "+rs.what+": no "+rs.what+" with user_uuid "+quote(id))
		return
	}
	rs.d.logEventLocked(now, "UserData", rs.remove, "Success", id)
	writeNoContent(w)
}
