package clue

import "time"

// NewTestPacer returns a pacer with any spacing, below MinSpacing too, so that tests do not
// wait 300 ms per call. The public constructor never goes below MinSpacing.
func NewTestPacer(spacing time.Duration) *Pacer { return newPacer(spacing) }

// SlowPreparation makes every registration of c take d longer to prepare, as large photos on
// a busy machine would, without using the CPU.
func SlowPreparation(c *Client, d time.Duration) {
	prepare := c.Auths.prepare
	c.Auths.prepare = func(r Registration) ([]byte, error) {
		time.Sleep(d)
		return prepare(r)
	}
}
