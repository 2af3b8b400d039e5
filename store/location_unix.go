//go:build !windows

package store

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

var networkFSTypes = map[string]bool{
	"nfs": true, "nfs4": true, "cifs": true, "smb3": true, "smbfs": true, "fuse.sshfs": true,
	"9p": true, "afs": true, "ncpfs": true, "glusterfs": true, "ceph": true, "fuse.rclone": true,
	"davfs": true, "fuse.davfs2": true,
}

// mountsFile is a variable so that tests can point it at a fixture.
var mountsFile = "/proc/self/mounts"

// isNetworkPath finds the mount holding path in /proc/self/mounts and checks its type.
func isNetworkPath(path string) bool {
	f, err := os.Open(mountsFile)
	if err != nil {
		return false
	}
	defer f.Close()
	best, bestType := "", ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 3 {
			continue
		}
		mp := strings.ReplaceAll(fs[1], `\040`, " ")
		if (path == mp || strings.HasPrefix(path, strings.TrimSuffix(mp, "/")+"/")) && len(mp) > len(best) {
			best, bestType = mp, fs[2]
		}
	}
	return networkFSTypes[bestType] || strings.HasPrefix(filepath.ToSlash(path), "//")
}
