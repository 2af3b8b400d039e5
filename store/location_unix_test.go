//go:build !windows

package store_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"occhealth/app"
	"occhealth/store"
)

func TestCheckLocalPath(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("mount table fixture is Linux-only")
	}
	dir := t.TempDir()
	mounts := filepath.Join(dir, "mounts")
	os.WriteFile(mounts, []byte(`/dev/vda1 / ext4 rw 0 0
//fileserver/share /mnt/share cifs rw 0 0
nas:/export /srv/nfs nfs4 rw 0 0
/dev/sdb1 /media/usb vfat rw 0 0
`), 0o600)
	defer store.SetMountsFile(mounts)()
	for path, bad := range map[string]bool{
		"/home/doc/archive.db":     false,
		"/mnt/share/档案/archive.db": true,
		"/srv/nfs/archive.db":      true,
		"/srv/nfsother/archive.db": false,
		"/media/usb/archive.db":    false,
	} {
		err := store.CheckLocalPath(path)
		if bad && (app.ErrorCode(err) != app.EUNSAFE || !strings.Contains(err.Error(), "联网")) {
			t.Errorf("%s: err = %v, want refusal pointing to 联网 mode", path, err)
		}
		if !bad && err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
}
