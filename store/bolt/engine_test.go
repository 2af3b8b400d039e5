package bolt_test

import (
	"context"
	"testing"

	"occhealth/app"
)

// TestBackup_RestoreEngine: a backup is a bbolt archive on every engine, and Restore loads it
// back into the engine the archive lives in (the file swap on bbolt, one write transaction on
// PostgreSQL); subscribers are told to refresh everything.
func TestBackup_RestoreEngine(t *testing.T) {
	td := MustOpenDB(t)
	td.employer(t, "红星锰业", creditCode("91450102MA5K00001"))
	info, err := td.svc.Backup.Backup(td.admin, app.BackupManual)
	if err != nil || !info.Verified {
		t.Fatalf("%+v %v", info, err)
	}
	td.employer(t, "备份之后的单位", creditCode("91450102MA5K00005"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := td.DB.Changes().Subscribe(ctx)
	td.clock.Add(1e9)
	if err := td.svc.Backup.Restore(td.admin, info.Path, "测试县人民医院"); err != nil {
		t.Fatal(err)
	}
	sawAll := false
	for len(ch) > 0 {
		if c := <-ch; c.Kind == app.ChangeAll {
			sawAll = true
		}
	}
	if !sawAll {
		t.Error("no ChangeAll after a restore")
	}
	got, total, err := td.svc.Employers.FindEmployers(td.admin, app.EmployerFilter{})
	if err != nil || total != 1 || got[0].Name != "红星锰业" {
		t.Fatalf("restored employers: %d %v %v", total, got, err)
	}
	r, err := td.svc.Audit.VerifyAudit(td.admin)
	if err != nil || !r.OK {
		t.Fatalf("after restore: %+v %v", r, err)
	}
	// Writing goes on after the restore, with sequences as in the backup.
	e := td.employer(t, "恢复之后的单位", creditCode("91450102MA5K00009"))
	if e.ID != 2 {
		t.Errorf("first employer after the restore has ID %d, want 2 (the backup's sequence)", e.ID)
	}
	if _, _, err := td.DB.BackupIfDue(td.admin); err != nil {
		t.Fatal(err)
	}
}
