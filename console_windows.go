//go:build windows

package main

import (
	"os"
	"syscall"
	"unsafe"
)

// The Windows build is a GUI program (-H=windowsgui) with no console of its own. When it is
// started from cmd.exe or PowerShell with a subcommand, attach to that console so that
// `occhealth.exe backup` prints its output and the caller sees its exit code.
func init() {
	if len(os.Args) < 2 {
		return
	}
	const attachParentProcess = ^uintptr(0) // (DWORD)-1
	r, _, _ := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole").Call(attachParentProcess)
	if r == 0 {
		return
	}
	if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		os.Stdout, os.Stderr = f, f
	}
	if f, err := os.OpenFile("CONIN$", os.O_RDONLY, 0); err == nil {
		os.Stdin = f
	}
}

// showFatal shows a message box: a user who double-clicked the icon has no console.
func showFatal(msg string) {
	if len(os.Args) > 1 {
		return
	}
	text, _ := syscall.UTF16PtrFromString(msg)
	title, _ := syscall.UTF16PtrFromString("职业健康工作站")
	const mbIconError = 0x10
	syscall.NewLazyDLL("user32.dll").NewProc("MessageBoxW").Call(0, uintptr(unsafe.Pointer(text)), uintptr(unsafe.Pointer(title)), mbIconError)
}
