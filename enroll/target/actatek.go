package target

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/store"
	"enrollstation/store/secrets"
)

// DefaultFacialTemplateType is the FacialTemplateType sent when the target's options do not
// say ("facial_template_type").
const DefaultFacialTemplateType = 2

// actatekTarget pushes users with facial records to an ACTAtek terminal.
type actatekTarget struct {
	info         store.Target
	c            *actatek.Client
	templateType int64
	department   int64
	group        int64
	cardFormat   string // ACTAtekCardHex or ACTAtekCardDecimal (card.go)
	org          orgDirectory
	now          func() time.Time
}

func openACTAtek(ctx context.Context, t store.Target, sec secrets.Store, o Options) (*actatekTarget, error) {
	pw, err := secret(ctx, t, sec, "terminal password")
	if err != nil {
		return nil, err
	}
	tt, err := intOption(t, "facial_template_type", DefaultFacialTemplateType)
	if err != nil {
		return nil, err
	}
	dep, err := intOption(t, "department_id", -1)
	if err != nil {
		return nil, err
	}
	grp, err := intOption(t, "group_id", -1)
	if err != nil {
		return nil, err
	}
	cardFormat := strings.ToLower(strings.TrimSpace(t.Options["card_format"]))
	switch cardFormat {
	case "":
		cardFormat = ACTAtekCardHex
	case ACTAtekCardHex, ACTAtekCardDecimal:
	default:
		return nil, fmt.Errorf("option card_format = %q is neither %q nor %q", t.Options["card_format"], ACTAtekCardHex, ACTAtekCardDecimal)
	}
	c, err := actatek.New(t.Address, actatek.Options{
		Credentials: actatek.Credentials{Username: t.Account, Password: pw.Reveal()},
		PinSHA256:   t.CertPin,
		Timeout:     o.Timeout,
	})
	if err != nil {
		return nil, err
	}
	return &actatekTarget{info: t, c: c, templateType: tt, department: dep, group: grp, cardFormat: cardFormat, now: time.Now}, nil
}

func (a *actatekTarget) Info() store.Target { return a.info }

func (a *actatekTarget) Close() error {
	a.c.Close()
	return nil
}

// user is the terminal's user for rec, placed in the departments and groups of pl.
func (a *actatekTarget) user(rec Record, pl placement) (actatek.User, error) {
	p := rec.Person
	photo, ok := rec.colourFace()
	if !ok {
		return actatek.User{}, fmt.Errorf("%w: no colour face image in capture %s", ErrIncomplete, rec.CaptureID)
	}
	tpl, ok := rec.Blob(store.FaceFeature, "far_off")
	if !ok {
		return actatek.User{}, fmt.Errorf("%w: no face template of the colour face in capture %s", ErrIncomplete, rec.CaptureID)
	}
	card, _ := CardToACTAtek(journalCard(p.CardNumber), a.cardFormat) // a canonical card always converts
	u := actatek.User{
		UserID: p.Key, FirstName: p.GivenName, LastName: p.FamilyName, CardSN: card,
		DepartmentID: pl.departments, GroupID: pl.groups,
		FacialRecords: actatek.List[actatek.FacialRecord]{{
			TemplateType: actatek.Int(a.templateType), Template: tpl, Photo: photo}},
	}
	return u, nil
}

// Push places the user in the person's department and access groups, then adds it
// (addUser), or updates it (updateUser) when the userID exists with other data. A user
// already there as sent counts as added. A department or group the terminal does not have
// is left out, and the push is done with a note that names it.
func (a *actatekTarget) Push(ctx context.Context, rec Record) (string, error) {
	if _, err := a.user(rec, placement{}); err != nil {
		return "", err // incomplete: no need to ask the terminal anything
	}
	pl, err := a.place(ctx, rec.Person)
	if err != nil {
		return "", err
	}
	u, err := a.user(rec, pl)
	if err != nil {
		return "", err
	}
	_, err = a.c.Users.Add(ctx, u)
	if errors.Is(err, actatek.ErrUserExists) {
		err = a.c.Users.Update(ctx, u)
	}
	if err != nil {
		// The terminal may have refused a department or group it no longer has.
		a.org.departments.forget()
		a.org.groups.forget()
		return "", err
	}
	if len(pl.missing) > 0 {
		return "", &Caveat{RemoteID: u.UserID, Note: fmt.Sprintf("%s has no %s: the user was added without it; "+
			"add it on the terminal and push the person again", a.info.Name, strings.Join(pl.missing, ", "))}
	}
	return u.UserID, nil
}

// Delete removes the user (deleteUser).
func (a *actatekTarget) Delete(ctx context.Context, ref Ref) error {
	err := a.c.Users.Delete(ctx, ref.PersonKey)
	if errors.Is(err, actatek.ErrNotFound) {
		return nil
	}
	return err
}

// Inventory lists every user (getUsers).
func (a *actatekTarget) Inventory(ctx context.Context) (Inventory, error) {
	users, err := a.c.Users.List(ctx, actatek.UserFilter{})
	if err != nil {
		return Inventory{}, fmt.Errorf("inventory of %s: %w", a.info.Name, err)
	}
	inv := Inventory{Complete: true, Entries: map[string]Entry{}}
	for _, u := range users {
		bio := "no"
		for _, f := range u.FacialRecords {
			if len(f.Template) > 0 || len(f.Photo) > 0 {
				bio = "yes"
			}
		}
		card := inventoryCard(u.CardSN, func(c string) (string, error) { return CardFromACTAtek(c, a.cardFormat) })
		inv.Entries[u.UserID] = Entry{Key: u.UserID, RemoteID: u.UserID, Fields: map[string]string{
			"name": strings.TrimSpace(u.FirstName + " " + u.LastName), "card": card, "biometrics": bio}}
	}
	return inv, nil
}

// Health reads the terminal status.
func (a *actatekTarget) Health(ctx context.Context) Health {
	st, err := a.c.Terminal.Status(ctx)
	if err != nil {
		return failedHealth(err)
	}
	return Health{Reachable: true, Version: st.FirmwareVersion, Serial: st.SerialNumber, Users: int(st.RegisteredUsers)}
}

// TestDoor opens the terminal's door.
func (a *actatekTarget) TestDoor(ctx context.Context) error {
	_, err := a.c.Terminal.OpenDoor(ctx)
	return err
}
