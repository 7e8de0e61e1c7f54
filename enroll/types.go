package enroll

import "enrollstation/store"

// The journal's records as screens show them: a screen imports enroll, never store.
type (
	Person      = store.Person
	PushState   = store.PushState
	Query       = store.Query
	Page        = store.Page
	Order       = store.Order
	Capture     = store.Capture
	Blob        = store.Blob
	BlobKind    = store.BlobKind
	Quality     = store.Quality
	OutboxItem  = store.OutboxItem
	OutboxState = store.OutboxState
	Target      = store.Target
	TargetID    = store.TargetID
	TargetKind  = store.TargetKind
	Saved       = store.Saved
)

// Push states of a person.
const (
	PushNone    = store.PushNone
	PushPending = store.PushPending
	PushFailed  = store.PushFailed
	PushDone    = store.PushDone
)

// States of an outbox row.
const (
	OutboxPending    = store.OutboxPending
	OutboxInFlight   = store.OutboxInFlight
	OutboxDone       = store.OutboxDone
	OutboxFailed     = store.OutboxFailed
	OutboxSuperseded = store.OutboxSuperseded
)

// Kinds of target.
const (
	TargetEF45    = store.TargetEF45
	TargetACTAtek = store.TargetACTAtek
	TargetCLUe    = store.TargetCLUe
)

// Orders of a people search.
const (
	ByName   = store.ByName
	ByNewest = store.ByNewest
)

// ErrNotFound is the journal's answer for a person, capture or target it does not hold.
var ErrNotFound = store.ErrNotFound
