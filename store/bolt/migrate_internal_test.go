package bolt

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/store"
	"occhealth/store/kv"
)

// TestMigrate_BackupFirst adds a schema step and reopens an archive with data: the step must
// run after a pre-migration backup, and a file from a newer program must be refused.
func TestMigrate_BackupFirst(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.db")
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	keys := store.NewMemoryKeyRing(now)
	opts := Options{Keys: keys, Now: func() time.Time { return now }, FastPasswords: true}
	db, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewInstitutionService(db).Initialize(context.Background(), app.SetupInput{
		Institution:   app.Institution{Name: "迁移测试医院", Code: "450102001", Kinds: []app.InstitutionKind{app.KindFollowUp}, AreaCode: "450102"},
		AdminUsername: "admin", AdminName: "管理员", AdminPassword: "Admin1234",
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	saved := migrations
	t.Cleanup(func() { migrations = saved })
	ran := false
	migrations = append(append([]migration(nil), saved...), migration{SchemaVersion() + 1, "test step", func(tx kv.Tx) error {
		ran = true
		_, err := tx.CreateBucketIfNotExists([]byte("test_new_bucket"))
		return err
	}})
	db, err = Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !ran {
		t.Fatal("migration did not run")
	}
	infos, err := listReports(db.BackupDir())
	if err != nil || len(infos) != 1 || infos[0].Kind != app.BackupPreMigration || !infos[0].Verified {
		t.Fatalf("pre-migration backup: %+v %v", infos, err)
	}
	var v int
	db.kv.View(func(tx kv.Tx) error { v = schemaVersion(tx); return nil })
	if v != SchemaVersion() {
		t.Fatalf("schema %d", v)
	}
	db.Close()

	migrations = saved // an older program opens the newer file
	if _, err := Open(path, opts); err == nil || !strings.Contains(err.Error(), "较新版本") {
		t.Fatalf("newer schema: %v", err)
	}
}
