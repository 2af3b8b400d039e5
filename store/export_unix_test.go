//go:build !windows

package store

// SetMountsFile points the network-drive check at a fixture and returns a restore func.
func SetMountsFile(path string) func() {
	old := mountsFile
	mountsFile = path
	return func() { mountsFile = old }
}
