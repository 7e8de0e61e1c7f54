package main

import (
	"context"
	"fmt"
	"io"

	"enrollstation/store/secrets"
)

// runSecrets is `enrollctl secrets set NAME | delete NAME`: it keeps passwords and API keys
// in the OS keyring (or the 0600 file), for --password-secret and --api-key-secret.
func runSecrets(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("secrets")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	named := func(action string, args []string) (string, error) {
		if len(args) != 1 || args[0] == "" {
			return "", c.usagef("secrets %s: give one NAME", action)
		}
		// Refused before anything is read or opened: the journal key is not the operator's.
		if err := secrets.CheckOperatorName(args[0]); err != nil {
			return "", fmt.Errorf("%s: %w", action, err)
		}
		return args[0], nil
	}
	return c.subcommand(ctx, "secrets", fs.Args(), map[string]func(context.Context, []string) error{
		"set": func(ctx context.Context, args []string) error {
			name, err := named("set", args)
			if err != nil {
				return err
			}
			value, err := c.readSecret("secret")
			if err != nil {
				return err
			}
			store, err := c.openSecrets(ctx)
			if err != nil {
				return err
			}
			if err := store.Set(ctx, name, secrets.StringValue(value)); err != nil {
				return fmt.Errorf("keep %q: %w", name, err)
			}
			return c.emit(map[string]string{"stored": name}, func(w io.Writer) { fmt.Fprintf(w, "stored %s\n", name) })
		},
		"delete": func(ctx context.Context, args []string) error {
			name, err := named("delete", args)
			if err != nil {
				return err
			}
			store, err := c.openSecrets(ctx)
			if err != nil {
				return err
			}
			if err := store.Delete(ctx, name); err != nil {
				return fmt.Errorf("delete %q: %w", name, err)
			}
			return c.emit(map[string]string{"deleted": name}, func(w io.Writer) { fmt.Fprintf(w, "deleted %s\n", name) })
		},
	})
}
