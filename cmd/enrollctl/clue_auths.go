package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"enrollstation/devices/clue"
)

// accessFlags are the flags register and update share.
type accessFlags struct {
	name     string
	photos   []string
	cards    []string
	format   string
	from     string
	until    string
	inactive bool
	allDoors bool
	doors    string
	schedule int64
}

func (a *accessFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&a.name, "name", "", "the person's name")
	fs.Func("photo", "a face photo, JPEG or PNG (at most twice); larger than 1 MB is scaled down", func(s string) error {
		a.photos = append(a.photos, s)
		return nil
	})
	fs.Func("card", "a card number, decimal (repeatable)", func(s string) error {
		a.cards = append(a.cards, s)
		return nil
	})
	fs.StringVar(&a.format, "card-format", clue.CardFormatCSN, "the cards' formatType")
	fs.StringVar(&a.from, "from", "", "start of validity: 2026-03-01, 2026-03-01T09:00:00+09:00 or epoch ms (default now)")
	fs.StringVar(&a.until, "until", "", "end of validity, same forms; a day means its end (default no end)")
	fs.BoolVar(&a.inactive, "inactive", false, "register the access as INACTIVE")
	fs.BoolVar(&a.allDoors, "all-doors", false, "open every door, whatever --doors says")
	fs.StringVar(&a.doors, "doors", "", "door ids to open, e.g. 234,235 (default: clue --doors, else all)")
	fs.Int64Var(&a.schedule, "schedule", 0, "limit access to this schedule id (default always)")
}

// access reads the photos and turns the flags into a clue.Access.
func (a *accessFlags) access() (clue.Access, error) {
	var acc clue.Access
	var err error
	if acc.Start, err = parseClueTime(a.from, false); err != nil {
		return acc, fmt.Errorf("--from: %w", err)
	}
	if acc.End, err = parseClueTime(a.until, true); err != nil {
		return acc, fmt.Errorf("--until: %w", err)
	}
	if acc.DoorIDs, err = parseIDs(a.doors); err != nil {
		return acc, fmt.Errorf("--doors: %w", err)
	}
	acc.Inactive, acc.AllDoors, acc.ScheduleID = a.inactive, a.allDoors, a.schedule
	for _, c := range a.cards {
		acc.Cards = append(acc.Cards, clue.Card{CardNumber: strings.TrimSpace(c), FormatType: a.format})
	}
	if len(a.photos) > clue.MaxFaceImages {
		return acc, fmt.Errorf("--photo: %d given, CLUe takes at most %d", len(a.photos), clue.MaxFaceImages)
	}
	for _, p := range a.photos {
		b, err := readLimited(p, maxCluePhotoBytes)
		if err != nil {
			return acc, err
		}
		acc.Faces = append(acc.Faces, b)
	}
	return acc, nil
}

func (k *clueCmd) register(ctx context.Context, args []string) error {
	fs := k.flags("clue register")
	key := fs.String("key", "", "the person's unique key (user.key)")
	var af accessFlags
	af.add(fs)
	if err := k.noArgs(fs, args); err != nil {
		return err
	}
	if *key == "" || af.name == "" {
		return k.usagef("clue register: --key and --name are required")
	}
	acc, err := af.access()
	if err != nil {
		return k.usagef("clue register: %v", err)
	}
	a, err := k.client.Auths.Register(ctx, clue.Registration{Key: *key, Name: af.name, Access: acc})
	if err != nil {
		return err
	}
	return k.emit(a, func(w io.Writer) { printAuth(w, "registered", a) })
}

func (k *clueCmd) update(ctx context.Context, args []string) error {
	fs := k.flags("clue update")
	id := fs.Int64("auth-id", 0, "the auth to replace: a setting not given takes its default, as in register (faces are kept unless --photo is given)")
	var af accessFlags
	af.add(fs)
	if err := k.noArgs(fs, args); err != nil {
		return err
	}
	if *id <= 0 {
		return k.usagef("clue update: --auth-id is required")
	}
	acc, err := af.access()
	if err != nil {
		return k.usagef("clue update: %v", err)
	}
	a, err := k.client.Auths.Update(ctx, *id, clue.AuthUpdate{Name: af.name, Access: acc})
	if err != nil {
		return err
	}
	return k.emit(a, func(w io.Writer) { printAuth(w, "updated", a) })
}

func printAuth(w io.Writer, verb string, a *clue.Auth) {
	doors := "all doors"
	if a.DoorAccessType == clue.DoorAccessSome {
		var names []string
		for _, d := range a.Doors {
			names = append(names, fmt.Sprintf("%d %s", d.DoorID, d.DoorName))
		}
		doors = strings.Join(names, ", ")
	}
	schedule := "always"
	if a.ScheduleType == clue.ScheduleSpecific {
		schedule = fmt.Sprintf("schedule %d", a.ScheduleID)
	}
	end := a.End.Local().Format("2006-01-02 15:04")
	if a.End.UnixMilli() == clue.NoEnd {
		end = "no end"
	}
	fmt.Fprintf(w, "%s auth %d: key %s, user %s, %s\n", verb, a.AuthID, a.Key, a.UserID, a.Name)
	fmt.Fprintf(w, "  %s from %s to %s, %s, %s\n", a.ActiveStatus, a.Start.Local().Format("2006-01-02 15:04"), end, doors, schedule)
	fmt.Fprintf(w, "  credentials: %s, %d face images\n", strings.Join(a.Modes, ", "), a.FaceImages)
}

func (k *clueCmd) delete(ctx context.Context, args []string) error {
	fs := k.flags("clue delete")
	id := fs.Int64("auth-id", 0, "the auth to delete (the user and its key stay in CLUe)")
	if err := k.noArgs(fs, args); err != nil {
		return err
	}
	if *id <= 0 {
		return k.usagef("clue delete: --auth-id is required")
	}
	if err := k.client.Auths.Delete(ctx, *id); err != nil {
		return err
	}
	out := struct {
		AuthID  int64 `json:"authId"`
		Deleted bool  `json:"deleted"`
	}{*id, true}
	return k.emit(out, func(w io.Writer) { fmt.Fprintf(w, "deleted auth %d\n", *id) })
}
