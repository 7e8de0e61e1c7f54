package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"enrollstation/store"
	"enrollstation/store/files"
	"enrollstation/store/secrets"
)

// key is `enrollctl journal key export|import|show`: the journal key shared by the
// stations of a site, carried wrapped with a passphrase.
func (j *journalCmd) key(ctx context.Context, args []string) error {
	fs := j.flagSet("journal key")
	if err := j.parse(fs, args); err != nil {
		return err
	}
	return j.subcommand(ctx, "journal key", fs.Args(), map[string]func(context.Context, []string) error{
		"export": j.keyExport,
		"import": j.keyImport,
		"show":   j.keyShow,
	})
}

// keyReport is what the key commands report: never the key, only its fingerprint.
type keyReport struct {
	Fingerprint string `json:"fingerprint"`
	File        string `json:"file,omitempty"`
	Replaced    bool   `json:"replaced,omitempty"`
}

func (j *journalCmd) keyExport(ctx context.Context, args []string) error {
	fs := j.flagSet("journal key export")
	out := fs.String("out", "", "the key file to write (created, never overwritten)")
	if _, err := j.parseArgs(fs, args, 0, "key export --out FILE (the passphrase on the first line of standard input)"); err != nil {
		return err
	}
	if *out == "" {
		return j.usagef("journal key export: --out FILE is required")
	}
	sec, err := j.openSecrets(ctx)
	if err != nil {
		return err
	}
	key, err := secrets.JournalKey(ctx, sec, false)
	if err != nil {
		return err
	}
	pass, err := j.readSecret("passphrase")
	if err != nil {
		return err
	}
	if err := secrets.CheckPassphrase([]byte(pass)); err != nil {
		return fmt.Errorf("journal key export: %w; nothing written", err)
	}
	file, err := secrets.WrapJournalKey(key, []byte(pass))
	if err != nil {
		return err
	}
	if err := files.WriteFile(*out, file); err != nil {
		return fmt.Errorf("journal key export: %w", err)
	}
	rep := keyReport{Fingerprint: secrets.Fingerprint(key), File: *out}
	return j.emit(rep, func(w io.Writer) {
		fmt.Fprintf(w, "wrote the journal key (fingerprint %s) to %s, sealed with the passphrase.\n", rep.Fingerprint, printable(*out))
		fmt.Fprintln(w, "Carry it to the other stations of the site and run there: enrollctl journal key import --in FILE")
	})
}

func (j *journalCmd) keyImport(ctx context.Context, args []string) error {
	fs := j.flagSet("journal key import")
	in := fs.String("in", "", "the key file written by journal key export")
	replace := fs.Bool("replace", false, "replace a different key this station holds (refused while its journal needs that key)")
	if _, err := j.parseArgs(fs, args, 0, "key import --in FILE [--replace] (the passphrase on the first line of standard input)"); err != nil {
		return err
	}
	if *in == "" {
		return j.usagef("journal key import: --in FILE is required")
	}
	file, err := os.ReadFile(*in)
	if err != nil {
		return fmt.Errorf("journal key import: %w", err)
	}
	pass, err := j.readSecret("passphrase")
	if err != nil {
		return err
	}
	key, err := secrets.UnwrapJournalKey(file, []byte(pass))
	if err != nil {
		return err
	}
	sec, err := j.openSecrets(ctx)
	if err != nil {
		return err
	}
	old, err := secrets.JournalKey(ctx, sec, false)
	replaced := err == nil && !old.Equal(key)
	if replaced && *replace {
		// The key held opens this station's journal: taking another would lose it.
		path, err := j.path()
		if err != nil {
			return err
		}
		exists, err := store.Exists(ctx, path)
		if err != nil {
			return err
		}
		if exists {
			if err := store.CheckKey(ctx, path, key.Bytes()); err != nil {
				return fmt.Errorf("journal key import: the journal at %s was made with the key this station holds (fingerprint %s), "+
					"not with the imported one; replacing it would make that journal unreadable; nothing changed", store.Redact(path), secrets.Fingerprint(old))
			}
		}
	}
	if err := secrets.ImportJournalKey(ctx, sec, key, *replace); err != nil {
		if errors.Is(err, secrets.ErrOtherKey) {
			return fmt.Errorf("%w; if this station's own journal is not needed, run again with --replace", err)
		}
		return err
	}
	rep := keyReport{Fingerprint: secrets.Fingerprint(key), Replaced: replaced}
	return j.emit(rep, func(w io.Writer) {
		fmt.Fprintf(w, "this station now holds the journal key with fingerprint %s\n", rep.Fingerprint)
	})
}

func (j *journalCmd) keyShow(ctx context.Context, args []string) error {
	fs := j.flagSet("journal key show")
	if _, err := j.parseArgs(fs, args, 0, "key show"); err != nil {
		return err
	}
	sec, err := j.openSecrets(ctx)
	if err != nil {
		return err
	}
	key, err := secrets.JournalKey(ctx, sec, false)
	if err != nil {
		return err
	}
	rep := keyReport{Fingerprint: secrets.Fingerprint(key)}
	return j.emit(rep, func(w io.Writer) {
		fmt.Fprintf(w, "journal key fingerprint %s (stations sharing a journal show the same)\n", rep.Fingerprint)
	})
}
