package target

import (
	"context"
	"errors"
	"fmt"
	"strings"

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
	c, err := actatek.New(t.Address, actatek.Options{
		Credentials: actatek.Credentials{Username: t.Account, Password: pw.Reveal()},
		PinSHA256:   t.CertPin,
		Timeout:     o.Timeout,
	})
	if err != nil {
		return nil, err
	}
	return &actatekTarget{info: t, c: c, templateType: tt, department: dep, group: grp}, nil
}

func (a *actatekTarget) Info() store.Target { return a.info }

func (a *actatekTarget) Close() error {
	a.c.Close()
	return nil
}

func (a *actatekTarget) user(rec Record) (actatek.User, error) {
	p := rec.Person
	photo, ok := rec.colourFace()
	if !ok {
		return actatek.User{}, fmt.Errorf("%w: no colour face image in capture %s", ErrIncomplete, rec.CaptureID)
	}
	tpl, ok := rec.Blob(store.FaceFeature, "far_off")
	if !ok {
		return actatek.User{}, fmt.Errorf("%w: no face template of the colour face in capture %s", ErrIncomplete, rec.CaptureID)
	}
	u := actatek.User{
		UserID: p.Key, FirstName: p.GivenName, LastName: p.FamilyName, CardSN: p.CardNumber,
		FacialRecords: actatek.List[actatek.FacialRecord]{{
			TemplateType: actatek.Int(a.templateType), Template: tpl, Photo: photo}},
	}
	if a.department >= 0 {
		u.DepartmentID = actatek.IDs{int(a.department)}
	}
	if a.group >= 0 {
		u.GroupID = actatek.IDs{int(a.group)}
	}
	return u, nil
}

// Push adds the user (addUser), or updates it (updateUser) when the userID exists with
// other data. A user already there as sent counts as added.
func (a *actatekTarget) Push(ctx context.Context, rec Record) (string, error) {
	u, err := a.user(rec)
	if err != nil {
		return "", err
	}
	_, err = a.c.Users.Add(ctx, u)
	if errors.Is(err, actatek.ErrUserExists) {
		err = a.c.Users.Update(ctx, u)
	}
	if err != nil {
		return "", err
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
		inv.Entries[u.UserID] = Entry{Key: u.UserID, RemoteID: u.UserID, Fields: map[string]string{
			"name": strings.TrimSpace(u.FirstName + " " + u.LastName), "card": u.CardSN, "biometrics": bio}}
	}
	return inv, nil
}

// Health reads the terminal status.
func (a *actatekTarget) Health(ctx context.Context) Health {
	st, err := a.c.Terminal.Status(ctx)
	if err != nil {
		return Health{Users: -1, Err: describe(err)}
	}
	return Health{Reachable: true, Version: st.FirmwareVersion, Serial: st.SerialNumber, Users: int(st.RegisteredUsers)}
}

// TestDoor opens the terminal's door.
func (a *actatekTarget) TestDoor(ctx context.Context) error {
	_, err := a.c.Terminal.OpenDoor(ctx)
	return err
}
