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
	// A handle the parent already gave us (cmd's "> out.txt", a pipe) is kept: only missing
	// ones are pointed at the console.
	valid := func(std int) bool {
		h, err := syscall.GetStdHandle(std)
		return err == nil && h != 0 && h != syscall.InvalidHandle
	}
	if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		if !valid(syscall.STD_OUTPUT_HANDLE) {
			os.Stdout = f
		}
		if !valid(syscall.STD_ERROR_HANDLE) {
			os.Stderr = f
		}
	}
	if !valid(syscall.STD_INPUT_HANDLE) {
		if f, err := os.OpenFile("CONIN$", os.O_RDONLY, 0); err == nil {
			os.Stdin = f
		}
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
