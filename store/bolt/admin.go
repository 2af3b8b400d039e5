package bolt

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"occhealth/app"
)

// RecordEvent appends an audited event for an administrator's command that no service covers
// (a migration between engines), so that the archive itself says what was done to it.
func (db *DB) RecordEvent(ctx context.Context, action, entity, note string) error {
	return db.update(ctx, "", func(t *txn) error { return t.auditEvent(action, entity, 0, note) })
}

// ImportAttachments copies the content-addressed attachments under dir (another archive's
// attachment folder) into this archive's, each checked against the SHA-256 its name is: a
// damaged file is refused by name and nothing of it is written. Files already present are
// left alone. It returns the number of files copied.
func (db *DB) ImportAttachments(dir string) (int, error) {
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		} else if err != nil {
			return err
		}
		if d.IsDir() || filepath.Ext(p) == ".tmp" {
			return nil
		}
		sum := filepath.Base(p)
		target := db.attachmentPath(sum)
		if len(sum) != 64 {
			return app.Errorf(app.EINVALID, "附件文件夹中有不属于档案的文件：%s", p)
		}
		if _, err := os.Stat(target); err == nil {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if h := sha256.Sum256(b); hex.EncodeToString(h[:]) != sum {
			return app.Errorf(app.EINVALID, "附件 %s 已损坏（内容与校验值不符），未复制", p)
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(target+".tmp", b, 0o600); err != nil {
			return err
		}
		n++
		return os.Rename(target+".tmp", target)
	})
	return n, err
}
