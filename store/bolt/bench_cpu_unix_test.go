//go:build unix

package bolt_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time of the process (user and system): on a shared machine the wall time
// of a benchmark says little; its CPU time is what one dedicated core would need.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
