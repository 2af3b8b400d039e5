package pg_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"occhealth/internal/pgtest"
	"occhealth/store/kv"
	"occhealth/store/kv/kvtest"
	"occhealth/store/pg"

	"go.etcd.io/bbolt"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func open(t testing.TB) *pg.Engine {
	e, err := pg.Open(context.Background(), pgtest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEngine(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Engine { return open(t) })
}

// TestEngine_Load: a bbolt archive loaded with COPY is the same store, empty values included,
// and replaces what was there.
func TestEngine_Load(t *testing.T) {
	b, err := bbolt.Open(filepath.Join(t.TempDir(), "src.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	src := kv.NewBolt(b)
	if err := src.Update(func(tx kv.Tx) error {
		for _, name := range []string{"a", "idx"} {
			bk, _ := tx.CreateBucketIfNotExists([]byte(name))
			for i := 0; i < 3000; i++ {
				bk.Put([]byte(fmt.Sprintf("k%05d", i)), []byte(fmt.Sprintf("v%d", i)))
			}
			bk.Put([]byte("empty"), nil)
			bk.SetSequence(77)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	e := open(t)
	defer e.Close()
	if err := e.Update(func(tx kv.Tx) error {
		bk, _ := tx.CreateBucketIfNotExists([]byte("old"))
		return bk.Put([]byte("x"), []byte("y"))
	}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := src.View(func(stx kv.Tx) error { n, err = e.Load(stx); return err }); err != nil || n != 6002 {
		t.Fatalf("loaded %d: %v", n, err)
	}
	if err := e.View(func(tx kv.Tx) error {
		if tx.Bucket([]byte("old")) != nil {
			t.Error("Load kept a bucket the archive does not have")
		}
		bk := tx.Bucket([]byte("idx"))
		if v := bk.Get([]byte("empty")); v == nil || len(v) != 0 {
			t.Errorf("empty value = %v", v)
		}
		if v := bk.Get([]byte("k02999")); string(v) != "v2999" || bk.Sequence() != 77 || bk.KeyN() != 3001 {
			t.Errorf("k02999 = %q, sequence %d, %d keys", v, bk.Sequence(), bk.KeyN())
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
