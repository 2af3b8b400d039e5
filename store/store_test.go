package store_test

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

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

func TestNameInitials(t *testing.T) {
	tests := []struct {
		name string
		want []string // each must be among the results
		not  []string
	}{
		{"张三", []string{"zs"}, nil},
		{"曾乐", []string{"zl", "zy"}, []string{"cl", "cy"}},
		{"单田芳", []string{"stf"}, []string{"dtf"}},
		{"尉迟恭", []string{"ycg"}, nil},
		{"阿依古丽·买买提", []string{"aygl" + "mmt"}, nil},
		{"覃小明", []string{"qxm"}, []string{"txm"}},
		{"John Li", []string{"jl"}, nil},
	}
	for _, tt := range tests {
		got := store.NameInitials(tt.name)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: %v lacks %s", tt.name, got, w)
			}
		}
		for _, n := range tt.not {
			if slices.Contains(got, n) {
				t.Errorf("%s: %v has %s", tt.name, got, n)
			}
		}
	}
}

func TestKeyRing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "k.json")
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	r, err := store.LoadKeyRing(path, now)
	if err != nil || len(r.Keys) != 1 {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || (runtime.GOOS != "windows" && st.Mode().Perm() != 0o600) {
		t.Fatalf("key file: %v %v", st, err)
	}
	again, err := store.LoadKeyRing(path, now)
	if err != nil || again.Current().ID != r.Current().ID {
		t.Fatal("key ring not reloaded")
	}
	if err := again.Rotate(now); err != nil {
		t.Fatal(err)
	}
	third, _ := store.LoadKeyRing(path, now)
	if len(third.Keys) != 2 || third.Current().ID == r.Current().ID {
		t.Fatal("rotation not saved")
	}
	if _, ok := third.ByID(r.Current().ID); !ok {
		t.Fatal("old key lost")
	}
}
