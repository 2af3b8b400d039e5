package transfer_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"go.etcd.io/bbolt"

	"occhealth/app"
	"occhealth/store/kv"
	"occhealth/store/transfer"
)

func openBolt(t *testing.T, name string) *kv.Bolt {
	t.Helper()
	b, err := bbolt.Open(filepath.Join(t.TempDir(), name), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := kv.NewBolt(b)
	t.Cleanup(func() { e.Close() })
	return e
}

func fill(t *testing.T, e kv.Engine) {
	t.Helper()
	if err := e.Update(func(tx kv.Tx) error {
		for _, name := range []string{"workers", "audit", "empty"} {
			b, err := tx.CreateBucketIfNotExists([]byte(name))
			if err != nil {
				return err
			}
			if name == "empty" {
				continue
			}
			for i := 0; i < 500; i++ {
				if _, err := b.NextSequence(); err != nil {
					return err
				}
				if err := b.Put([]byte(fmt.Sprintf("%s-%05d", name, i)), []byte(fmt.Sprintf("值%d", i))); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestCopyVerifiesAndRefusesNonEmptyTarget(t *testing.T) {
	src, dst := openBolt(t, "src.db"), openBolt(t, "dst.db")
	fill(t, src)
	sum, err := transfer.Copy(dst, src)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Keys != 1000 || len(sum.Buckets) != 3 || sum.Buckets[2].Seq != 500 {
		t.Fatalf("summary %+v", sum)
	}
	// A second copy into the same target is refused, and leaves it as it was.
	if _, err := transfer.Copy(dst, src); app.ErrorCode(err) != app.EUNSAFE {
		t.Fatalf("second copy: %v", err)
	}
	var again transfer.Summary
	dst.View(func(tx kv.Tx) error { again, err = transfer.Summarize(tx); return err })
	if d := transfer.Compare(sum, again); d != "" {
		t.Fatal(d)
	}
	// A changed value is caught.
	dst.Update(func(tx kv.Tx) error { return tx.Bucket([]byte("workers")).Put([]byte("workers-00007"), []byte("改")) })
	dst.View(func(tx kv.Tx) error { again, err = transfer.Summarize(tx); return err })
	if d := transfer.Compare(sum, again); d != "“workers”的内容校验值不一致" {
		t.Fatalf("diff %q", d)
	}
}
