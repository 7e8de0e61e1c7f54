package main

import (
	"context"
	"errors"
)

func runJournal(ctx context.Context, c *cli, args []string) error {
	return errors.New("journal: not available in this build")
}
