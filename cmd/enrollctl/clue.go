package main

import (
	"context"
	"errors"
)

func runClue(ctx context.Context, c *cli, args []string) error {
	return errors.New("clue: not available in this build")
}
