package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"occhealth/app"
	"occhealth/store"
	"occhealth/store/kv"
	"occhealth/store/pg"
	"occhealth/store/transfer"
)

// archiveKeyRingPath is where the audit key ring of an archive lives: beside the configuration,
// named after the file for a bbolt archive, and one ring per configuration directory for a
// PostgreSQL archive (a server serves one archive; every server instance on the same database
// holds a copy of the same ring, and restored copies verify with it).
func archiveKeyRingPath(db string) string {
	if isPostgres(db) {
		return filepath.Join(store.ConfigDir(), "keys", "postgres.json")
	}
	return store.KeyRingPath(db)
}

// cmdMigrate copies a whole archive between a bbolt file and PostgreSQL (either way) and proves
// the copy, or prints an archive's summary (--summary) for restore drills.
func cmdMigrate(args []string) int {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	from := fs.String("from", "", "源档案：档案文件路径，或 postgres://…")
	to := fs.String("to", "", "目标：新档案文件路径（不能已存在），或空的 PostgreSQL 数据库 postgres://…")
	summary := fs.Bool("summary", false, "只输出 --from 各数据分区的记录数、序号与校验值（JSON），用于恢复演练的核对")
	asJSON := fs.Bool("json", false, "输出 JSON")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "用法：occhealth migrate --from 档案.db --to postgres://用户@主机/数据库（或反过来）")
		fs.PrintDefaults()
	}
	if _, err := parse(fs, args); err != nil {
		return exitUsage
	}
	if *from == "" || (*to == "" && !*summary) {
		fmt.Fprintln(os.Stderr, "错误：请用 --from 和 --to 指定源和目标（--summary 只需 --from）")
		return exitUsage
	}
	ctx := context.Background()
	if *summary {
		s, err := archiveSummary(ctx, *from)
		if err != nil {
			return fail(err)
		}
		printJSON(s)
		return exitOK
	}
	rep, err := migrateArchive(ctx, *from, *to)
	if err != nil {
		return fail(err)
	}
	if *asJSON {
		printJSON(rep)
		return exitOK
	}
	fmt.Printf("已迁移：%d 个数据分区，%d 条记录，核对一致（记录数、序号、SHA-256）。\n", len(rep.Summary.Buckets), rep.Summary.Keys)
	fmt.Printf("目标上的审计链校验通过：%d 条审计记录，链头 %s；附件 %d 个已复制。\n", rep.Audit.Entries, app.ShortHash(rep.Audit.Head), rep.Attachments)
	if rep.KeyRing != "" {
		fmt.Printf("审计密钥已复制到 %s（服务器使用同一配置目录）。\n", rep.KeyRing)
	}
	return exitOK
}

// migrateReport is what a migration did.
type migrateReport struct {
	Summary transfer.Summary `json:"summary"`
	Audit   app.AuditReport  `json:"audit"`
	KeyRing string           `json:"key_ring,omitempty"`
	// Attachments counts the attachment files copied beside the target.
	Attachments int `json:"attachments"`
}

// migrateArchive brings the source to this program's schema (opening it runs pending
// migrations), copies it raw into an empty target, compares both sides bucket by bucket, puts
// the audit key ring where the target looks for it, and verifies the audit chain on the target.
func migrateArchive(ctx context.Context, from, to string) (migrateReport, error) {
	var rep migrateReport
	if from == to {
		return rep, app.Errorf(app.EINVALID, "源和目标是同一个档案")
	}
	if !isPostgres(to) {
		if _, err := os.Stat(to); err == nil {
			return rep, app.Errorf(app.EUNSAFE, "目标文件 %s 已存在：迁移只写入新文件，不覆盖", to)
		}
		if err := store.CheckLocalPath(to); err != nil {
			return rep, err
		}
	}
	// The key rings: the target must verify with the source's keys.
	srcKeys, dstKeys := archiveKeyRingPath(from), archiveKeyRingPath(to)
	srcRing, err := os.ReadFile(srcKeys)
	if err != nil {
		return rep, app.Errorf(app.ENOTFOUND, "找不到源档案的审计密钥 %s：没有它，目标上的审计链无法核对", srcKeys)
	}
	if old, err := os.ReadFile(dstKeys); err == nil && string(old) != string(srcRing) && srcKeys != dstKeys {
		return rep, app.Errorf(app.EUNSAFE, "目标位置已有另一套审计密钥 %s：请先确认它不再使用并移走，再迁移", dstKeys)
	}
	// Schema first: an older archive is migrated in place (after its automatic backup).
	a, _, err := openServerStore(ctx, from)
	if err != nil {
		return rep, err
	}
	srcAttachments := a.db.AttachmentDir()
	a.db.Close()

	src, err := openEngine(ctx, from, false)
	if err != nil {
		return rep, err
	}
	defer src.Close()
	dst, err := openEngine(ctx, to, true)
	if err != nil {
		return rep, err
	}
	sum, err := transfer.Copy(dst, src)
	dst.Close()
	if err != nil {
		if !isPostgres(to) {
			os.Remove(to)
		}
		return rep, err
	}
	rep.Summary = sum
	if srcKeys != dstKeys {
		if err := os.MkdirAll(filepath.Dir(dstKeys), 0o700); err != nil {
			return rep, err
		}
		if err := os.WriteFile(dstKeys, srcRing, 0o600); err != nil {
			return rep, fmt.Errorf("复制审计密钥: %w", err)
		}
		rep.KeyRing = dstKeys
	}
	b, _, err := openServerStore(ctx, to)
	if err != nil {
		return rep, fmt.Errorf("打开迁移后的档案: %w", err)
	}
	defer b.db.Close()
	r, err := b.db.VerifyAuditOffline()
	if err != nil {
		return rep, err
	}
	rep.Audit = r
	if !r.OK {
		return rep, app.Errorf(app.EINTERNAL, "迁移后的审计链校验未通过：第 %d 条：%s", r.FirstBad, r.Problem)
	}
	// Scanned documents, seals and signatures live beside the archive, content-addressed.
	if rep.Attachments, err = b.db.ImportAttachments(srcAttachments); err != nil {
		return rep, fmt.Errorf("复制附件: %w", err)
	}
	// The copy records where it came from (the source is left as it was).
	note := fmt.Sprintf("档案由 %s 迁移而来：%d 个数据分区、%d 条记录逐一核对一致，审计链校验通过，附件 %d 个", redactDSN(from), len(sum.Buckets), sum.Keys, rep.Attachments)
	if err := b.db.RecordEvent(app.NewContextWithWorkstation(ctx, workstation()), "archive.migrate", "archive", note); err != nil {
		return rep, err
	}
	return rep, nil
}

// archiveSummary reads the per-bucket summary of an archive (a file or a database).
func archiveSummary(ctx context.Context, db string) (transfer.Summary, error) {
	e, err := openEngine(ctx, db, false)
	if err != nil {
		return transfer.Summary{}, err
	}
	defer e.Close()
	var s transfer.Summary
	err = e.View(func(tx kv.Tx) error { var err error; s, err = transfer.Summarize(tx); return err })
	return s, err
}

// openEngine opens the raw key-value engine of an archive: a bbolt file (read-only unless
// create) or a PostgreSQL database.
func openEngine(ctx context.Context, db string, create bool) (kv.Engine, error) {
	if isPostgres(db) {
		e, err := pg.Open(ctx, db)
		if err != nil {
			return nil, err
		}
		return e, nil
	}
	if !create {
		if _, err := os.Stat(db); err != nil {
			return nil, app.Errorf(app.ENOTFOUND, "档案文件 %s 不存在", db)
		}
	} else if err := os.MkdirAll(filepath.Dir(db), 0o755); err != nil {
		return nil, err
	}
	b, err := bbolt.Open(db, 0o600, &bbolt.Options{ReadOnly: !create, Timeout: time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, app.Errorf(app.ELOCKED, "档案“%s”正被另一个程序使用（窗口或服务器）。请先关闭它再迁移。", db)
	} else if err != nil {
		return nil, fmt.Errorf("open %s: %w", db, err)
	}
	return kv.NewBolt(b), nil
}
