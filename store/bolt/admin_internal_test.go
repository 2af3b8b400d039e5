package bolt

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"occhealth/store"
)

// ImportAttachments copies content-addressed files once and refuses a damaged one by name.
func TestImportAttachments(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	db, err := Open(filepath.Join(t.TempDir(), "a.db"), Options{Keys: store.NewMemoryKeyRing(now), Now: func() time.Time { return now }, FastPasswords: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src := t.TempDir()
	put := func(name string, data []byte) {
		p := filepath.Join(src, name[:2], name)
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	good := []byte("合同扫描件")
	h := sha256.Sum256(good)
	sum := hex.EncodeToString(h[:])
	put(sum, good)
	if n, err := db.ImportAttachments(src); err != nil || n != 1 {
		t.Fatalf("import: %d %v", n, err)
	}
	if got, err := db.readAttachment(sum); err != nil || string(got) != string(good) {
		t.Fatalf("read back: %q %v", got, err)
	}
	if n, err := db.ImportAttachments(src); err != nil || n != 0 {
		t.Fatalf("second import: %d %v", n, err)
	}
	bad := sha256.Sum256([]byte("别的内容"))
	put(hex.EncodeToString(bad[:]), []byte("被改过的内容"))
	if _, err := db.ImportAttachments(src); err == nil || !strings.Contains(err.Error(), "已损坏") {
		t.Fatalf("damaged attachment: %v", err)
	}
	if _, err := os.Stat(db.attachmentPath(hex.EncodeToString(bad[:]))); err == nil {
		t.Fatal("a damaged attachment was copied")
	}
}
