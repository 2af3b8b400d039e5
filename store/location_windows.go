//go:build windows

package store

import (
	"path/filepath"
	"strings"
	"syscall"
	"unsafe"
)

var procGetDriveTypeW = syscall.NewLazyDLL("kernel32.dll").NewProc("GetDriveTypeW")

const driveRemote = 4

// isNetworkPath refuses UNC paths (\\server\share) and mapped network drives.
func isNetworkPath(path string) bool {
	if strings.HasPrefix(path, `\\`) || strings.HasPrefix(path, "//") {
		return !strings.HasPrefix(path, `\\?\`) || strings.HasPrefix(path, `\\?\UNC\`)
	}
	vol := filepath.VolumeName(path)
	if vol == "" {
		return false
	}
	p, err := syscall.UTF16PtrFromString(vol + `\`)
	if err != nil {
		return false
	}
	t, _, _ := procGetDriveTypeW.Call(uintptr(unsafe.Pointer(p)))
	return t == driveRemote
}
