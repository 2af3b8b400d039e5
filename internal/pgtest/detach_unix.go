//go:build unix

package pgtest

import "syscall"

// detached puts the watchdog in its own process group: signals to the test binary's group
// do not reach it.
func detached() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }
