package store_test

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"occhealth/store"
)

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

func TestTextInitials(t *testing.T) {
	for text, want := range map[string]string{
		"木粉尘（硬）":    "mfcy", // the bracketed 硬 counts; pick lists match by prefix (mfc)
		"职业机动车驾驶作业": "zyjdcjszy",
		"单晶硅制造":     "djgzz", // not the surname reading of 单
		"噪声":        "zs",
	} {
		if got := store.TextInitials(text); !slices.Contains(got, want) {
			t.Errorf("%s: %v lacks %s", text, got, want)
		}
	}
}
