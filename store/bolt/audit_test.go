package bolt_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"strings"
	"testing"

	"occhealth/app"
	"occhealth/store"
	"occhealth/store/bolt"
	"occhealth/store/kv"
)

// seeded opens an archive with a few writes and returns it closed, with its path and keys.
func seeded(t *testing.T) *testDB {
	td := MustOpenDB(t)
	emp := td.employer(t, "红星锰业", creditCode("91450102MA5K00001"))
	for i := 0; i < 3; i++ {
		w := &app.Worker{Name: "工人" + []string{"甲", "乙", "丙"}[i], IDNumber: idNumber(fmt.Sprintf("4501021980010100%d", i+1)),
			WorkHistory: []app.WorkPeriod{{EmployerID: emp.ID, JobName: "电解工", Start: td.clock.Now().AddDate(-5, 0, 0)}}}
		if err := td.svc.Workers.CreateWorker(td.admin, w); err != nil {
			t.Fatal(err)
		}
	}
	return td
}

// tamper closes the archive, lets fn change the raw file, reopens it and verifies.
func tamper(t *testing.T, td *testDB, fn func(tx kv.Tx) error) app.AuditReport {
	t.Helper()
	if err := td.Close(); err != nil {
		t.Fatal(err)
	}
	rawUpdate(t, td.path, fn)
	db, err := reopenArchive(td.path, bolt.Options{Keys: td.keys, Now: td.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	td.DB = db
	r, err := db.VerifyAuditOffline()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func key(n uint64) []byte { b := make([]byte, 8); binary.BigEndian.PutUint64(b, n); return b }

func TestVerifyAudit(t *testing.T) {
	t.Run("intact", func(t *testing.T) {
		td := seeded(t)
		r, err := td.svc.Audit.VerifyAudit(td.admin)
		if err != nil || !r.OK || r.Entries < 5 || r.RecordsChecked != 5 || r.Segments != 1 {
			t.Fatalf("%+v %v", r, err)
		}
		t.Logf("intact: %d entries, %d records checked", r.Entries, r.RecordsChecked)
	})
	tests := []struct {
		name string
		fn   func(tx kv.Tx) error
		want string
	}{
		{"entry altered", func(tx kv.Tx) error {
			b := tx.Bucket([]byte("audit"))
			v := append([]byte(nil), b.Get(key(3))...)
			v = bytes.Replace(v, []byte(`"User":"admin"`), []byte(`"User":"nurse"`), 1)
			return b.Put(key(3), v)
		}, "第 3 条审计记录的校验码不符"},
		{"entry deleted", func(tx kv.Tx) error {
			return tx.Bucket([]byte("audit")).Delete(key(4))
		}, "第 4 条审计记录缺失"},
		{"entries swapped", func(tx kv.Tx) error {
			b := tx.Bucket([]byte("audit"))
			a, c := append([]byte(nil), b.Get(key(4))...), append([]byte(nil), b.Get(key(5))...)
			if err := b.Put(key(4), c); err != nil {
				return err
			}
			return b.Put(key(5), a)
		}, "序号被改"},
		{"record altered", func(tx kv.Tx) error {
			b := tx.Bucket([]byte("workers"))
			v := append([]byte(nil), b.Get(key(2))...)
			v = bytes.Replace(v, []byte("工人乙"), []byte("工人丙"), 1)
			return b.Put(key(2), v)
		}, "劳动者 记录 2 与第"},
		{"record deleted", func(tx kv.Tx) error {
			return tx.Bucket([]byte("workers")).Delete(key(1))
		}, "劳动者 记录 1 已不存在"},
		{"record inserted behind the program's back", func(tx kv.Tx) error {
			b := tx.Bucket([]byte("workers"))
			v := append([]byte(nil), b.Get(key(1))...)
			return b.Put(key(99), v)
		}, "没有任何审计记录"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td := seeded(t)
			r := tamper(t, td, tt.fn)
			if r.OK || !strings.Contains(r.Problem, tt.want) {
				t.Fatalf("report %+v, want problem containing %q", r, tt.want)
			}
			t.Logf("detected: %s", r.Problem)
		})
	}
	t.Run("tail truncated, caught by the backup anchor", func(t *testing.T) {
		td := seeded(t)
		info, err := td.svc.Backup.Backup(td.admin, app.BackupManual)
		if err != nil {
			t.Fatal(err)
		}
		r := tamper(t, td, func(tx kv.Tx) error {
			b := tx.Bucket([]byte("audit"))
			for s := info.AuditSeq; s > info.AuditSeq-2; s-- {
				if err := b.Delete(key(s)); err != nil {
					return err
				}
			}
			return b.SetSequence(info.AuditSeq - 2)
		})
		// Deleting the newest entries leaves records without their entries or with older
		// hashes; whichever is found first, the truncation must not pass.
		if r.OK {
			t.Fatalf("truncation not detected: %+v", r)
		}
		t.Logf("detected: %s", r.Problem)
	})
	t.Run("key lost starts a new segment", func(t *testing.T) {
		td := seeded(t)
		if err := td.keys.Rotate(td.clock.Now()); err != nil {
			t.Fatal(err)
		}
		td.employer(t, "新密钥后的单位", creditCode("91450102MA5K00009"))
		r, err := td.svc.Audit.VerifyAudit(td.admin)
		if err != nil || !r.OK || r.Segments != 2 {
			t.Fatalf("%+v %v", r, err)
		}
	})
}

func TestBackupRestoreDrill(t *testing.T) {
	onPostgres(t) // damages the archive file and restores it offline; TestBackup_RestoreEngine covers other engines
	td := seeded(t)
	info, err := td.svc.Backup.Backup(td.admin, app.BackupManual)
	if err != nil || !info.Verified || info.AuditHead == "" {
		t.Fatalf("%+v %v", info, err)
	}
	t.Logf("backup %s, %d bytes, audit head %s at entry %d", info.Path, info.Size, app.ShortHash(info.AuditHead), info.AuditSeq)
	// A change after the backup, then damage.
	td.employer(t, "备份之后的单位", creditCode("91450102MA5K00005"))
	if err := td.svc.Backup.Restore(td.admin, info.Path, "错误名称"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("wrong confirmation: %v", err)
	}
	nurse := td.as(t, "nurse2", app.RoleFollowUpNurse)
	if err := td.svc.Backup.Restore(nurse, info.Path, "测试县人民医院"); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("nurse restore: %v", err)
	}
	if err := td.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(td.path, bytes.Repeat([]byte("损坏"), 4096), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := bolt.Open(td.path, bolt.Options{Keys: td.keys, Now: td.clock.Now}); err == nil {
		t.Fatal("damaged archive opened")
	}
	opts := bolt.Options{Keys: td.keys, Now: td.clock.Now, FastPasswords: true, Codes: testCatalogs(t)}
	if err := bolt.RestoreOffline(td.path, info.Path, "admin", "wrong", "测试县人民医院", opts); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("wrong password: %v", err)
	}
	td.clock.Add(1e9)
	if err := bolt.RestoreOffline(td.path, info.Path, "admin", adminPassword, "测试县人民医院", opts); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(td.path, opts)
	if err != nil {
		t.Fatal(err)
	}
	td.DB = db
	td.svc = db.Services(testCatalogs(t))
	r, err := td.svc.Audit.VerifyAudit(td.admin)
	if err != nil || !r.OK {
		t.Fatalf("after restore: %+v %v", r, err)
	}
	got, total, _ := td.svc.Employers.FindEmployers(td.admin, app.EmployerFilter{})
	if total != 1 || got[0].Name != "红星锰业" {
		t.Fatalf("restored employers: %d %v", total, got)
	}
	t.Logf("restored and verified: %d entries, %d anchors checked", r.Entries, r.AnchorsChecked)

	// Online restore of the live archive goes the same way.
	td.clock.Add(1e9)
	if err := td.svc.Backup.Restore(td.admin, info.Path, "测试县人民医院"); err != nil {
		t.Fatal(err)
	}
	if r, err := td.svc.Audit.VerifyAudit(td.admin); err != nil || !r.OK {
		t.Fatalf("after online restore: %+v %v", r, err)
	}
	list, _ := td.svc.Backup.ListBackups(td.admin)
	kinds := map[string]int{}
	for _, b := range list {
		kinds[b.Kind]++
	}
	if kinds[app.BackupPreRestore] != 1 || kinds[app.BackupManual] != 1 {
		t.Fatalf("backups %v", kinds)
	}
}

func TestBackupRotation(t *testing.T) {
	td := MustOpenDB(t)
	if err := td.svc.Backup.SaveBackupSettings(td.admin, app.BackupSettings{KeepDaily: 3, KeepWeekly: 2, KeepMonthly: 2, Daily: true, SecondDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	for day := 0; day < 40; day++ {
		if _, made, err := td.BackupIfDue(context.Background()); err != nil || !made {
			t.Fatalf("day %d: %v %v", day, made, err)
		}
		if _, made, _ := td.BackupIfDue(context.Background()); made {
			t.Fatalf("day %d: second backup on the same day", day)
		}
		td.clock.Add(24 * 3600e9)
	}
	list, _ := td.svc.Backup.ListBackups(td.admin)
	// 3 daily + up to 2 weekly + up to 2 monthly, overlapping: between 3 and 7.
	if len(list) < 3 || len(list) > 7 {
		t.Fatalf("kept %d backups", len(list))
	}
	for _, b := range list {
		if b.Copied == "" || strings.HasPrefix(b.Copied, "复制失败") {
			t.Fatalf("second copy: %q", b.Copied)
		}
	}
	t.Logf("after 40 days: %d backups kept", len(list))
}

func TestCompact(t *testing.T) {
	td := seeded(t)
	for i := 0; i < 50; i++ {
		td.employer(t, "单位"+string(rune('甲'+i)), creditCode(fmt.Sprintf("91450102MA5K%05d", 100+i)))
	}
	nurse := td.as(t, "nurse3", app.RoleFollowUpNurse)
	if _, _, err := td.Compact(nurse); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("nurse compact: %v", err)
	}
	if testEngine() == "postgres" {
		// No file to compact: refused, saying where the space is reclaimed.
		if _, _, err := td.Compact(td.admin); app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "VACUUM") {
			t.Fatalf("compact on PostgreSQL: %v", err)
		}
		return
	}
	before, after, err := td.Compact(td.admin)
	if err != nil || after <= 0 || after > before {
		t.Fatalf("%d → %d: %v", before, after, err)
	}
	r, err := td.svc.Audit.VerifyAudit(td.admin)
	if err != nil || !r.OK {
		t.Fatalf("after compact: %+v %v", r, err)
	}
	_, total, _ := td.svc.Employers.FindEmployers(td.admin, app.EmployerFilter{})
	if total != 51 {
		t.Fatalf("employers after compact: %d", total)
	}
	t.Logf("compacted %d → %d bytes", before, after)
}

// TestKeyRingLost reopens an archive with a new key ring, as after a lost configuration
// folder: the program goes on, the new segment is recorded, the old entries are reported as
// unverifiable (not as tampering), and tampering in the new segment is still found.
func TestKeyRingLost(t *testing.T) {
	td := seeded(t)
	if err := td.Close(); err != nil {
		t.Fatal(err)
	}
	newKeys := store.NewMemoryKeyRing(td.clock.Now())
	db, err := reopenArchive(td.path, bolt.Options{Keys: newKeys, Codes: testCatalogs(t), Now: td.clock.Now, FastPasswords: true})
	if err != nil {
		t.Fatal(err)
	}
	td.DB, td.keys = db, newKeys
	td.svc = db.Services(testCatalogs(t))
	td.employer(t, "新密钥后的单位", creditCode("91450102MA5K00009"))
	r, err := td.svc.Audit.VerifyAudit(td.admin)
	if err != nil || !r.OK || r.Segments != 2 || r.Unverifiable == 0 || len(r.Notes) != 1 {
		t.Fatalf("%+v %v", r, err)
	}
	entries, _, _ := td.svc.Audit.FindAudit(td.admin, app.AuditFilter{Entity: "audit"})
	if len(entries) != 1 || !strings.Contains(entries[0].Note, "新的链段") {
		t.Fatalf("segment not recorded: %+v", entries)
	}
	t.Logf("after a lost key: %s", r.Notes[0])
	last := uint64(r.Entries)
	r = tamper(t, td, func(tx kv.Tx) error {
		b := tx.Bucket([]byte("audit"))
		v := append([]byte(nil), b.Get(key(last))...)
		return b.Put(key(last), bytes.Replace(v, []byte("新密钥后的单位"), []byte("改过的单位"), 1))
	})
	if r.OK {
		t.Fatalf("tampering in the new segment not found: %+v", r)
	}
}
