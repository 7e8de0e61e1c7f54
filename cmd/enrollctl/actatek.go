package main

import (
	"context"
	"errors"
)

func runActatek(ctx context.Context, c *cli, args []string) error {
	return errors.New("actatek: not available in this build")
}
