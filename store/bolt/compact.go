package bolt

import (
	"context"
	"fmt"
	"os"

	"go.etcd.io/bbolt"

	"occhealth/app"
)

// Compact rewrites the archive without its free pages (a bbolt file never shrinks by
// itself). It needs an administrator, takes a pre-bulk backup first, writes the compacted
// copy beside the archive, checks it, and swaps it in while no transaction runs. It returns
// the sizes before and after.
func (db *DB) Compact(ctx context.Context) (before, after int64, err error) {
	if _, err := app.Authorize(ctx, "BackupService.Restore"); err != nil {
		return 0, 0, err
	}
	if db.bolt == nil {
		return 0, 0, app.Errorf(app.EINVALID, "“整理档案文件”只适用于本机档案文件；档案保存在 %s 数据库中，由数据库自行回收空间（PostgreSQL 的 VACUUM，由数据库管理员维护）。", db.kv.Kind())
	}
	if _, err := db.backupAudited(ctx, app.BackupPreBulk); err != nil {
		return 0, 0, fmt.Errorf("整理前备份失败，未做任何修改: %w", err)
	}
	if err := db.update(ctx, "", func(t *txn) error {
		return t.auditEvent("BackupService.Restore", "archive", 0, "整理档案文件（压缩空闲页）")
	}); err != nil {
		return 0, 0, err
	}
	db.FlushReads()
	db.mu.Lock()
	defer db.mu.Unlock()
	if st, err := os.Stat(db.path); err == nil {
		before = st.Size()
	}
	tmp := db.path + ".compact-tmp"
	os.Remove(tmp)
	dst, err := bbolt.Open(tmp, 0o600, nil)
	if err != nil {
		return before, 0, err
	}
	err = bbolt.Compact(dst, db.bolt, 64<<20)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = checkBackupFile(tmp)
	}
	if err != nil {
		os.Remove(tmp)
		return before, 0, fmt.Errorf("整理失败，原档案未改变: %w", err)
	}
	if err := db.bolt.Close(); err != nil {
		return before, 0, err
	}
	db.bolt, db.kv = nil, nil
	renameErr := os.Rename(tmp, db.path)
	if err := db.open(); err != nil {
		return before, 0, err
	}
	if renameErr != nil {
		return before, 0, renameErr
	}
	if st, err := os.Stat(db.path); err == nil {
		after = st.Size()
	}
	return before, after, nil
}
