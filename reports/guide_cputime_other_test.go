//go:build !unix

package reports_test

import "time"

// cpuTime is not measured here: the benchmarks report 0 cpu-ms.
func cpuTime() time.Duration { return 0 }
