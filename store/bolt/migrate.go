package bolt

import (
	"occhealth/app"
	"occhealth/store/kv"

	"fmt"
)

// migration is one ordered schema step. Migrations never rewrite audit entries; a step that
// changes records appends its own audit entries with the system user.
type migration struct {
	version int
	name    string
	apply   func(tx kv.Tx) error
}

// migrations are applied in order; schema_version in meta is the last one applied. Add new
// steps at the end only.
var migrations = []migration{
	{1, "create buckets", func(tx kv.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	}},
	{2, "intake: contracts, packages, exams", func(tx kv.Tx) error {
		for _, b := range intakeBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	}},
	{3, "recording: exam records, returned editions, open critical values, referrals, result mappings", func(tx kv.Tx) error {
		for _, b := range recordBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	}},
	{4, "exam state index for worklists", func(tx kv.Tx) error {
		ix, err := tx.CreateBucketIfNotExists(bucketExamState)
		if err != nil {
			return err
		}
		return tx.Bucket(bucketExams).ForEach(func(k, v []byte) error {
			var e struct {
				ID    int64
				State app.ExamState
			}
			if err := decode(v, &e); err != nil {
				return fmt.Errorf("exam %d: %w", btoi(k), err)
			}
			return ix.Put(stateKey(e.State, e.ID), nil)
		})
	}},
	{5, "documents: text blocks, seal, calendar, print log", func(tx kv.Tx) error {
		for _, b := range documentBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	}},
	{6, "case cards: reporting state, DocumentId index, reporting settings", func(tx kv.Tx) error {
		for _, b := range cardBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	}},
}

// SchemaVersion is the schema this program writes.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

func schemaVersion(tx kv.Tx) int {
	m := tx.Bucket(bucketMeta)
	if m == nil {
		return 0
	}
	v := m.Get(keySchema)
	if len(v) != 8 {
		return 0
	}
	return int(btoi(v))
}

// migrate brings the file to SchemaVersion. An archive written by a newer program is refused
// rather than damaged. Before migrating an archive that has data, it writes a pre-migration
// backup.
func (db *DB) migrate() error {
	var cur int
	if err := db.kv.View(func(tx kv.Tx) error { cur = schemaVersion(tx); return nil }); err != nil {
		return err
	}
	if cur > SchemaVersion() {
		return app.Errorf(app.EVERSION, "档案由较新版本的程序创建（结构版本 %d，本程序为 %d），请升级程序后再打开。", cur, SchemaVersion())
	}
	if cur == SchemaVersion() {
		return nil
	}
	if cur > 0 {
		if _, err := db.writeBackup(backupKindPreMigration); err != nil {
			return fmt.Errorf("迁移前备份失败，未做任何修改: %w", err)
		}
	}
	return db.kv.Update(func(tx kv.Tx) error {
		for _, m := range migrations {
			if m.version <= cur {
				continue
			}
			if err := m.apply(tx); err != nil {
				return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
			}
			if err := tx.Bucket(bucketMeta).Put(keySchema, itob(uint64(m.version))); err != nil {
				return err
			}
		}
		return nil
	})
}
