//go:build unix

package reports_test

import (
	"syscall"
	"time"
)

// cpuTime is the process's user and system time: on a shared machine it says more than the
// wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
