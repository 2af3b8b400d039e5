package bolt

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"go.etcd.io/bbolt"

	"occhealth/store/kv"
)

// writeSnapshot writes the transaction's view of the archive to w as a bbolt archive file:
// bbolt's own page copy on bbolt, and an engine-neutral bucket copy into a temporary bbolt file
// on other engines, so that backups and migrations are archive files in every mode.
func writeSnapshot(tx kv.Tx, w io.Writer) (int64, error) {
	if bt, ok := tx.(*kv.BoltTx); ok {
		return bt.Tx.WriteTo(w)
	}
	dir, err := os.MkdirTemp("", "occhealth-snapshot-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "archive.db")
	if err := copyToBoltFile(tx, path); err != nil {
		return 0, err
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return io.Copy(w, f)
}

// copyToBoltFile writes the transaction's view into a new bbolt file at path.
func copyToBoltFile(tx kv.Tx, path string) error {
	if bt, ok := tx.(*kv.BoltTx); ok {
		return bt.Tx.CopyFile(path, 0o600)
	}
	b, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second, NoSync: true})
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	err = b.Update(func(btx *bbolt.Tx) error {
		_, err := kv.CopyAll(&kv.BoltTx{Tx: btx}, tx)
		return err
	})
	if err == nil {
		err = b.Sync()
	}
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	return err
}
