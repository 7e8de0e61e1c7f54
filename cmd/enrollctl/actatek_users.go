package main

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"io"
	"os"
	"strconv"
	"strings"

	"enrollstation/devices/actatek"
)

// Limits on the files user-add reads: a face photo or template is far smaller.
const (
	maxPhotoBytes    = 10 << 20
	maxTemplateBytes = 1 << 20
)

// userRow is a user as `users` shows it: no password, no biometric data.
type userRow struct {
	UserID      string `json:"user_id"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	AdminLevel  string `json:"admin_level"`
	Departments []int  `json:"departments"`
	Groups      []int  `json:"groups"`
	Active      bool   `json:"active"`
	Faces       int    `json:"faces"`
	CardSN      string `json:"card_sn,omitempty"`
}

func rowOf(u actatek.User) userRow {
	r := userRow{UserID: u.UserID, FirstName: u.FirstName, LastName: u.LastName, AdminLevel: u.AdminLevel,
		Departments: []int(u.DepartmentID), Groups: []int(u.GroupID), Faces: len(u.FacialRecords), CardSN: u.CardSN}
	if u.Status != nil {
		r.Active = actatek.On(u.Status.Active)
	}
	return r
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

func (a *actatekCmd) users(ctx context.Context, args []string) error {
	fs := a.flags("users")
	id := fs.String("id", "", "show only the user with this ID")
	if err := a.noArgs(fs, args); err != nil {
		return err
	}
	rows := []userRow{}
	if *id != "" {
		u, err := a.client.Users.Get(ctx, *id)
		if err != nil {
			return err
		}
		rows = append(rows, rowOf(u))
	} else {
		for u, err := range a.client.Users.All(ctx, 50) {
			if err != nil {
				return err
			}
			rows = append(rows, rowOf(u))
		}
	}
	return a.emit(rows, func(w io.Writer) {
		tw := table(w)
		fmt.Fprintln(tw, "USER ID\tNAME\tLEVEL\tDEPARTMENTS\tGROUPS\tACTIVE\tFACES")
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", r.UserID, strings.TrimSpace(r.FirstName+" "+r.LastName),
				r.AdminLevel, joinInts(r.Departments), joinInts(r.Groups), activeWord(r.Active), r.Faces)
		}
		tw.Flush()
		fmt.Fprintf(w, "%d users\n", len(rows))
	})
}

func activeWord(active bool) string {
	if active {
		return "yes"
	}
	return "no (suspended)"
}

// readLimited reads a whole file of at most limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d MiB", path, limit>>20)
	}
	return b, nil
}

func (a *actatekCmd) userAdd(ctx context.Context, args []string) error {
	fs := a.flags("user-add")
	id := fs.String("id", "", "user ID (required)")
	first := fs.String("first", "", "first name")
	last := fs.String("last", "", "last name")
	photo := fs.String("photo", "", "JPEG photo of the face (required)")
	tmpl := fs.String("template", "", "face template file (required: a face without its template never matches)")
	tmplType := fs.Int("template-type", 2, "face template type")
	dept := fs.Int("department", 0, "department ID")
	group := fs.Int("group", 0, "access group ID")
	if err := a.noArgs(fs, args); err != nil {
		return err
	}
	if *id == "" || *photo == "" || *tmpl == "" {
		return a.usagef("actatek user-add: --id, --photo and --template are required")
	}
	jpg, err := readLimited(*photo, maxPhotoBytes)
	if err != nil {
		return fmt.Errorf("photo: %w", err)
	}
	if _, err := jpeg.DecodeConfig(bytes.NewReader(jpg)); err != nil {
		return fmt.Errorf("photo %s is not a JPEG: %w", *photo, err)
	}
	face := actatek.FacialRecord{TemplateType: actatek.Int(*tmplType), Photo: jpg}
	if *tmpl != "" {
		if face.Template, err = readLimited(*tmpl, maxTemplateBytes); err != nil {
			return fmt.Errorf("template: %w", err)
		}
	}
	u := actatek.User{
		UserID: *id, FirstName: *first, LastName: *last,
		DepartmentID: actatek.IDs{*dept}, GroupID: actatek.IDs{*group},
		FacialRecords: actatek.List[actatek.FacialRecord]{face},
	}
	res, err := a.client.Users.Add(ctx, u)
	if err != nil {
		return err
	}
	out := map[string]any{"user_id": res.UserID, "message": res.Message, "already_present": res.Existing}
	return a.emit(out, func(w io.Writer) {
		if res.Existing {
			fmt.Fprintf(w, "user %s was already on the terminal with the same data\n", res.UserID)
			return
		}
		fmt.Fprintf(w, "user %s added (%s)\n", res.UserID, res.Message)
	})
}

func (a *actatekCmd) userDelete(ctx context.Context, args []string) error {
	fs := a.flags("user-delete")
	id := fs.String("id", "", "user ID (required)")
	if err := a.noArgs(fs, args); err != nil {
		return err
	}
	if *id == "" {
		return a.usagef("actatek user-delete: --id is required")
	}
	if err := a.client.Users.Delete(ctx, *id); err != nil {
		return err
	}
	return a.emit(map[string]string{"deleted": *id}, func(w io.Writer) { fmt.Fprintf(w, "user %s deleted\n", *id) })
}
