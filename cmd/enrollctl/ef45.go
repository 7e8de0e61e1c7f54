package main

import (
	"context"
	"errors"
)

func runEF45(ctx context.Context, c *cli, args []string) error {
	return errors.New("ef45: not available in this build")
}
