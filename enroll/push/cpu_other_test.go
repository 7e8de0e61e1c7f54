//go:build !unix

package push_test

import "time"

// processCPU is not measured here; the benchmark then leaves its CPU figure out.
func processCPU() time.Duration { return 0 }
