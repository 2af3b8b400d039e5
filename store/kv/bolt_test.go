package kv_test

import (
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"occhealth/store/kv"
	"occhealth/store/kv/kvtest"
)

func TestBolt(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Engine {
		db, err := bbolt.Open(filepath.Join(t.TempDir(), "kv.db"), 0o600, &bbolt.Options{Timeout: time.Second, NoSync: true, InitialMmapSize: 64 << 20})
		if err != nil {
			t.Fatal(err)
		}
		// The snapshot test holds a View while an Update commits: bbolt must not remap then.
		return kv.NewBolt(db)
	})
}

func BenchmarkBolt(b *testing.B) {
	kvtest.Bench(b, func(b *testing.B) kv.Engine {
		db, err := bbolt.Open(filepath.Join(b.TempDir(), "kv.db"), 0o600, &bbolt.Options{Timeout: time.Second})
		if err != nil {
			b.Fatal(err)
		}
		return kv.NewBolt(db)
	})
}
