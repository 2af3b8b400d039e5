package bolt

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"occhealth/app"
	"occhealth/store"
	"occhealth/store/kv"
)

const (
	backupKindPreMigration = app.BackupPreMigration
	backupRateLimit        = 40 << 20 // bytes a second: a daily backup must not stall the PC
)

// backupReport is written beside each backup as NAME.json. It anchors the audit chain head
// outside the archive file.
type backupReport struct {
	Kind      string    `json:"kind"`
	Time      time.Time `json:"time"`
	Archive   string    `json:"archive"`
	File      string    `json:"file"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
	Schema    int       `json:"schema"`
	AuditSeq  uint64    `json:"audit_seq"`
	AuditHead string    `json:"audit_head"`
	Verified  bool      `json:"verified"`
	Copied    string    `json:"copied,omitempty"`
}

// restoreMarker records a restore: anchors written after the restored backup and before the
// restore belong to an abandoned history and are not checked.
type restoreMarker struct {
	RestoredAt time.Time `json:"restored_at"`
	FromSeq    uint64    `json:"from_seq"`
	FromFile   string    `json:"from_file"`
}

// BackupDir is where backups of this archive go.
func (db *DB) BackupDir() string {
	if db.opts.BackupDir != "" {
		return db.opts.BackupDir
	}
	return filepath.Join(filepath.Dir(db.path), "backups")
}

func (db *DB) backupSettings() app.BackupSettings {
	s := app.DefaultBackupSettings
	if db.kv == nil {
		return s
	}
	_ = db.kv.View(func(tx kv.Tx) error {
		if b := tx.Bucket(bucketMeta).Get(keyBackupSetting); b != nil {
			_ = decode(b, &s)
		}
		return nil
	})
	return s
}

// throttledWriter limits write speed so that a background backup never saturates the disk.
type throttledWriter struct {
	w     io.Writer
	start time.Time
	n     int64
	rate  int64
}

func (t *throttledWriter) Write(p []byte) (int, error) {
	n, err := t.w.Write(p)
	t.n += int64(n)
	if t.rate > 0 {
		want := time.Duration(float64(t.n) / float64(t.rate) * float64(time.Second))
		if d := want - time.Since(t.start); d > 0 {
			time.Sleep(d)
		}
	}
	return n, err
}

// writeBackup writes a hot backup with its report, checks it, copies it to the second
// location and rotates. It does not need a login (migrations call it).
func (db *DB) writeBackup(kind string) (app.BackupInfo, error) {
	dir := db.BackupDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return app.BackupInfo{}, fmt.Errorf("create backup folder: %w", err)
	}
	settings := db.backupSettings()
	now := db.now()
	base := strings.TrimSuffix(filepath.Base(db.path), filepath.Ext(db.path))
	name := fmt.Sprintf("%s-%s-%s.db", base, now.Format("20060102-150405.000"), kind)
	name = strings.Replace(name, ".", "", 1) // 150405.000 → 150405000 keeps one extension
	final := filepath.Join(dir, name)
	tmp := final + ".tmp"
	rep := backupReport{Kind: kind, Time: now.UTC(), Archive: db.path, File: name}
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return app.BackupInfo{}, fmt.Errorf("create backup: %w", err)
	}
	h := sha256.New()
	rate := int64(backupRateLimit)
	if kind != app.BackupDaily {
		rate = 0
	}
	tw := &throttledWriter{w: io.MultiWriter(f, h), start: time.Now(), rate: rate}
	err = db.kv.View(func(tx kv.Tx) error {
		rep.Schema = schemaVersion(tx)
		if last, ok := lastAudit(tx); ok {
			rep.AuditSeq, rep.AuditHead = last.Seq, last.MAC
		}
		n, err := writeSnapshot(tx, tw)
		rep.Size = n
		return err
	})
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return app.BackupInfo{}, fmt.Errorf("write backup: %w", err)
	}
	rep.SHA256 = hex.EncodeToString(h.Sum(nil))
	if err := checkBackupFile(tmp); err != nil {
		os.Remove(tmp)
		return app.BackupInfo{}, fmt.Errorf("备份文件校验失败（已删除）：%w", err)
	}
	rep.Verified = true
	if err := os.Rename(tmp, final); err != nil {
		return app.BackupInfo{}, err
	}
	if settings.SecondDir != "" {
		if dst, err := copyToSecond(final, settings.SecondDir); err == nil {
			rep.Copied = dst
		} else {
			rep.Copied = "复制失败：" + err.Error()
		}
	}
	if err := writeJSON(final+".json", rep); err != nil {
		return app.BackupInfo{}, err
	}
	if rep.Copied != "" && !strings.HasPrefix(rep.Copied, "复制失败") {
		_ = writeJSON(rep.Copied+".json", rep)
	}
	if err := syncAttachments(db.AttachmentDir(), filepath.Join(dir, "attachments")); err != nil {
		return app.BackupInfo{}, fmt.Errorf("备份附件失败: %w", err)
	}
	if settings.SecondDir != "" {
		_ = syncAttachments(db.AttachmentDir(), filepath.Join(settings.SecondDir, "attachments"))
	}
	if kind == app.BackupDaily || kind == app.BackupManual {
		db.rotate(settings)
	}
	return reportInfo(final, rep), nil
}

func reportInfo(path string, r backupReport) app.BackupInfo {
	return app.BackupInfo{Path: path, Kind: r.Kind, Time: r.Time, Size: r.Size, SHA256: r.SHA256,
		AuditHead: r.AuditHead, AuditSeq: r.AuditSeq, Verified: r.Verified, Copied: r.Copied}
}

// checkBackupFile opens a backup read-only and runs bbolt's consistency check.
func checkBackupFile(path string) error {
	b, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return err
	}
	defer b.Close()
	return b.View(func(btx *bbolt.Tx) error {
		for err := range btx.Check() {
			return err
		}
		tx := &kv.BoltTx{Tx: btx}
		if tx.Bucket(bucketMeta) == nil {
			return errors.New("不是本程序的档案文件")
		}
		return nil
	})
}

func copyToSecond(src, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	dst := filepath.Join(dir, filepath.Base(src))
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.OpenFile(dst+".tmp", os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return "", err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return "", err
	}
	if err := out.Close(); err != nil {
		return "", err
	}
	if err := checkBackupFile(dst + ".tmp"); err != nil {
		os.Remove(dst + ".tmp")
		return "", err
	}
	return dst, os.Rename(dst+".tmp", dst)
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

// listReports reads every backup report in dir, newest first.
func listReports(dir string) ([]app.BackupInfo, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var out []app.BackupInfo
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".db.json") {
			continue
		}
		var r backupReport
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil || json.Unmarshal(b, &r) != nil {
			continue
		}
		p := filepath.Join(dir, strings.TrimSuffix(e.Name(), ".json"))
		if _, err := os.Stat(p); err != nil {
			continue
		}
		out = append(out, reportInfo(p, r))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	return out, nil
}

// rotate keeps the newest KeepDaily days, the newest backup of each of the last KeepWeekly
// ISO weeks and of the last KeepMonthly months, among daily and manual backups. Backups taken
// before migrations, restores and bulk commands are kept (they are rare and precious).
func (db *DB) rotate(s app.BackupSettings) {
	all, err := listReports(db.BackupDir())
	if err != nil {
		return
	}
	keep := map[string]bool{}
	days, weeks, months := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, b := range all { // newest first
		if b.Kind != app.BackupDaily && b.Kind != app.BackupManual {
			keep[b.Path] = true
			continue
		}
		t := b.Time.Local()
		day := t.Format("2006-01-02")
		y, w := t.ISOWeek()
		week := fmt.Sprintf("%d-%02d", y, w)
		month := t.Format("2006-01")
		if !days[day] && len(days) < s.KeepDaily {
			days[day] = true
			keep[b.Path] = true
		}
		if !weeks[week] && len(weeks) < s.KeepWeekly {
			weeks[week] = true
			keep[b.Path] = true
		}
		if !months[month] && len(months) < s.KeepMonthly {
			months[month] = true
			keep[b.Path] = true
		}
	}
	for _, b := range all {
		if !keep[b.Path] {
			os.Remove(b.Path)
			os.Remove(b.Path + ".json")
		}
	}
}

// checkAnchors compares the backup reports' audit heads with the chain.
func (db *DB) checkAnchors(r *app.AuditReport) {
	dirs := []string{db.BackupDir()}
	if s := db.backupSettings(); s.SecondDir != "" {
		dirs = append(dirs, s.SecondDir)
	}
	var markers []restoreMarker
	if b, err := os.ReadFile(filepath.Join(db.BackupDir(), "restores.json")); err == nil {
		_ = json.Unmarshal(b, &markers)
	}
	superseded := func(b app.BackupInfo) bool {
		for _, m := range markers {
			if b.AuditSeq > m.FromSeq && !b.Time.After(m.RestoredAt) {
				return true
			}
		}
		return false
	}
	seen := map[string]bool{}
	_ = db.kv.View(func(tx kv.Tx) error {
		last, _ := lastAudit(tx)
		for _, dir := range dirs {
			infos, _ := listReports(dir)
			for _, b := range infos {
				if b.AuditSeq == 0 || seen[b.SHA256] || superseded(b) {
					continue
				}
				seen[b.SHA256] = true
				r.AnchorsChecked++
				var e app.AuditEntry
				v := tx.Bucket(bucketAudit).Get(itob(b.AuditSeq))
				switch {
				case b.AuditSeq > last.Seq:
					r.AnchorsFailed++
					if r.OK {
						r.OK, r.FirstBad = false, last.Seq+1
						r.Problem = fmt.Sprintf("备份 %s 记录的审计链头为第 %d 条，但档案中只有 %d 条：审计日志末尾被删除", filepath.Base(b.Path), b.AuditSeq, last.Seq)
					}
				case v == nil || decode(v, &e) != nil || e.MAC != b.AuditHead:
					r.AnchorsFailed++
					if r.OK {
						r.OK, r.FirstBad = false, b.AuditSeq
						r.Problem = fmt.Sprintf("第 %d 条审计记录与备份 %s 中记录的链头不符", b.AuditSeq, filepath.Base(b.Path))
					}
				}
			}
		}
		return nil
	})
}

// BackupService implements app.BackupService.
type BackupService struct{ db *DB }

var _ app.BackupService = (*BackupService)(nil)

// NewBackupService returns the backup service of db.
func NewBackupService(db *DB) *BackupService { return &BackupService{db: db} }

// Backup writes a backup now and audits it.
func (s *BackupService) Backup(ctx context.Context, kind string) (app.BackupInfo, error) {
	if _, err := app.Authorize(ctx, "BackupService.Backup"); err != nil {
		return app.BackupInfo{}, err
	}
	return s.db.backupAudited(ctx, kind)
}

func (db *DB) backupAudited(ctx context.Context, kind string) (app.BackupInfo, error) {
	db.FlushReads()
	db.mu.RLock()
	info, err := db.writeBackup(kind)
	db.mu.RUnlock()
	if err != nil {
		return info, err
	}
	err = db.update(ctx, "", func(t *txn) error {
		return t.auditEvent("BackupService.Backup", "backup", 0, fmt.Sprintf("%s 备份 %s（%d 字节，sha256 %s）", kind, filepath.Base(info.Path), info.Size, info.SHA256[:12]))
	})
	return info, err
}

// BackupIfDue writes the daily backup when none was written today and daily backups are on.
// The GUI calls it in the background after login; it needs no role (it is the system's
// duty), and the throttled copy keeps the PC responsive.
func (db *DB) BackupIfDue(ctx context.Context) (app.BackupInfo, bool, error) {
	s := db.backupSettings()
	if !s.Daily {
		return app.BackupInfo{}, false, nil
	}
	infos, err := listReports(db.BackupDir())
	if err != nil {
		return app.BackupInfo{}, false, err
	}
	today := db.now().Local().Format("2006-01-02")
	for _, b := range infos {
		if (b.Kind == app.BackupDaily || b.Kind == app.BackupManual) && b.Time.Local().Format("2006-01-02") == today {
			return b, false, nil
		}
	}
	info, err := db.backupAudited(ctx, app.BackupDaily)
	return info, err == nil, err
}

// ListBackups lists backups, newest first.
func (s *BackupService) ListBackups(ctx context.Context) ([]app.BackupInfo, error) {
	if _, err := app.Authorize(ctx, "BackupService.ListBackups"); err != nil {
		return nil, err
	}
	return listReports(s.db.BackupDir())
}

// BackupSettings returns the settings.
func (s *BackupService) BackupSettings(ctx context.Context) (app.BackupSettings, error) {
	if _, err := app.Authorize(ctx, "BackupService.BackupSettings"); err != nil {
		return app.BackupSettings{}, err
	}
	s.db.mu.RLock()
	defer s.db.mu.RUnlock()
	return s.db.backupSettings(), nil
}

// SaveBackupSettings stores the settings.
func (s *BackupService) SaveBackupSettings(ctx context.Context, bs app.BackupSettings) error {
	return s.db.update(ctx, "BackupService.SaveBackupSettings", func(t *txn) error {
		if err := bs.Validate(); err != nil {
			return err
		}
		if bs.SecondDir != "" {
			if err := store.CheckWritableDir(bs.SecondDir); err != nil {
				return app.FieldError("第二备份位置", "无法创建或写入：%v", err)
			}
		}
		old := t.tx.Bucket(bucketMeta).Get(keyBackupSetting)
		enc, err := encode(bs)
		if err != nil {
			return err
		}
		if err := t.tx.Bucket(bucketMeta).Put(keyBackupSetting, enc); err != nil {
			return err
		}
		_, err = appendAudit(t.tx, t.db.opts.Keys, app.AuditEntry{Time: t.now, User: t.username(), Workstation: t.ws,
			Action: "BackupService.SaveBackupSettings", Entity: "backup_settings", Diff: diffJSON(old, enc)})
		return err
	})
}

// Restore replaces the archive with a backup. It checks the confirmation, verifies the backup,
// takes a pre-restore backup, swaps the files while no transaction runs, reopens, and audits.
func (s *BackupService) Restore(ctx context.Context, path, confirm string) error {
	if _, err := app.Authorize(ctx, "BackupService.Restore"); err != nil {
		return err
	}
	db := s.db
	var inst *app.Institution
	if err := db.kv.View(func(tx kv.Tx) error {
		var err error
		inst, _, err = loadInstitution(tx)
		return err
	}); err != nil {
		return err
	}
	if inst == nil || strings.TrimSpace(confirm) != inst.Name {
		return app.FieldError("确认", "请输入机构名称“%s”以确认恢复", nameOr(inst))
	}
	if err := checkBackupFile(path); err != nil {
		return app.Errorf(app.EINVALID, "备份文件 %s 无法使用：%v", filepath.Base(path), err)
	}
	pre, err := db.backupAudited(ctx, app.BackupPreRestore)
	if err != nil {
		return fmt.Errorf("恢复前备份失败，未做任何修改: %w", err)
	}
	db.FlushReads()
	var fromSeq uint64
	if r, err := readReport(path); err == nil {
		fromSeq = r.AuditSeq
	}
	var swapErr, openErr error
	if db.bolt != nil {
		db.mu.Lock()
		if err := db.bolt.Close(); err != nil {
			db.mu.Unlock()
			return err
		}
		db.bolt, db.kv = nil, nil
		swapErr = replaceFile(path, db.path)
		openErr = db.open()
		db.mu.Unlock()
	} else {
		swapErr = db.loadArchive(path)
	}
	db.afterRestore()
	if swapErr != nil {
		return fmt.Errorf("恢复失败，原档案未改变（恢复前备份：%s）: %w", pre.Path, swapErr)
	}
	if openErr != nil {
		return fmt.Errorf("恢复后无法打开档案（恢复前备份：%s）: %w", pre.Path, openErr)
	}
	// Attachments the restored records refer to come back from the backup folder.
	_ = syncAttachments(filepath.Join(filepath.Dir(path), "attachments"), db.AttachmentDir())
	markers := []restoreMarker{}
	mp := filepath.Join(db.BackupDir(), "restores.json")
	if b, err := os.ReadFile(mp); err == nil {
		_ = json.Unmarshal(b, &markers)
	}
	markers = append(markers, restoreMarker{RestoredAt: db.now().UTC(), FromSeq: fromSeq, FromFile: filepath.Base(path)})
	if err := writeJSON(mp, markers); err != nil {
		return err
	}
	return db.update(ctx, "", func(t *txn) error {
		return t.auditEvent("BackupService.Restore", "backup", 0, fmt.Sprintf("从备份 %s 恢复；恢复前备份 %s", filepath.Base(path), filepath.Base(pre.Path)))
	})
}

// loadArchive replaces the contents of a non-file engine by a bbolt archive (a backup) in one
// write transaction, then migrates it: on failure the engine keeps what it had.
func (db *DB) loadArchive(path string) error {
	src, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return err
	}
	defer src.Close()
	db.mu.Lock()
	defer db.mu.Unlock()
	err = src.View(func(btx *bbolt.Tx) error {
		stx := &kv.BoltTx{Tx: btx}
		if bl, ok := db.kv.(kv.BulkLoader); ok {
			_, err := bl.Load(stx)
			return err
		}
		return db.kv.Update(func(tx kv.Tx) error {
			var names [][]byte
			if err := tx.ForEachBucket(func(name []byte, _ kv.Bucket) error {
				names = append(names, append([]byte(nil), name...))
				return nil
			}); err != nil {
				return err
			}
			for _, n := range names {
				if err := tx.DeleteBucket(n); err != nil {
					return err
				}
			}
			_, err := kv.CopyAll(tx, stx)
			return err
		})
	})
	if err != nil {
		return err
	}
	return db.migrate()
}

// afterRestore drops what was read from the replaced archive: the rule table and catalogs in
// force, the caches, and every subscriber's view (ChangeAll, also to other server instances).
func (db *DB) afterRestore() {
	if db.kv == nil {
		return
	}
	db.forgetCaches(nil)
	all := []app.Change{{Kind: app.ChangeAll, At: db.now()}}
	if _, ok := db.kv.(kv.Notifier); ok {
		_ = db.kv.Update(func(tx kv.Tx) error { return db.notify(tx, all) })
	}
	db.changes.publish(all)
}

func nameOr(in *app.Institution) string {
	if in == nil {
		return ""
	}
	return in.Name
}

func readReport(backupPath string) (backupReport, error) {
	var r backupReport
	b, err := os.ReadFile(backupPath + ".json")
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal(b, &r)
}

// replaceFile copies src over dst through a temporary file and a rename, so that a crash
// leaves either the old or the new archive, never half of one.
func replaceFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".restore-tmp"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// RestoreOffline restores an archive that cannot be opened (damaged) from a backup. The
// administrator's password and the confirmation are checked against the backup itself. The
// damaged file is kept beside the archive as NAME.damaged-TIME.
func RestoreOffline(archive, backup, username, password, confirm string, opts Options) error {
	if err := checkBackupFile(backup); err != nil {
		return app.Errorf(app.EINVALID, "备份文件 %s 无法使用：%v", filepath.Base(backup), err)
	}
	tmpDir, err := os.MkdirTemp("", "occhealth-restore-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmpDir)
	probe := filepath.Join(tmpDir, "probe.db")
	if err := replaceFile(backup, probe); err != nil {
		return err
	}
	popts := opts
	popts.BackupDir = filepath.Join(tmpDir, "b")
	pdb, err := Open(probe, popts)
	if err != nil {
		return err
	}
	u, err := NewUserService(pdb).Login(context.Background(), username, password)
	var inst *app.Institution
	if err == nil {
		_ = pdb.kv.View(func(tx kv.Tx) error { inst, _, _ = loadInstitution(tx); return nil })
	}
	pdb.Close()
	if err != nil {
		return err
	}
	if !u.HasRole(app.RoleAdmin) {
		return app.Errorf(app.EFORBIDDEN, "只有管理员可以从备份恢复")
	}
	if inst == nil || strings.TrimSpace(confirm) != inst.Name {
		return app.FieldError("确认", "请输入机构名称“%s”以确认恢复", nameOr(inst))
	}
	if _, err := os.Stat(archive); err == nil {
		aside := fmt.Sprintf("%s.damaged-%s", archive, time.Now().Format("20060102-150405"))
		if err := os.Rename(archive, aside); err != nil {
			return fmt.Errorf("无法保留损坏的档案: %w", err)
		}
	}
	if err := replaceFile(backup, archive); err != nil {
		return err
	}
	db, err := Open(archive, opts)
	if err != nil {
		return err
	}
	defer db.Close()
	var fromSeq uint64
	if r, err := readReport(backup); err == nil {
		fromSeq = r.AuditSeq
	}
	_ = syncAttachments(filepath.Join(filepath.Dir(backup), "attachments"), db.AttachmentDir())
	mp := filepath.Join(db.BackupDir(), "restores.json")
	markers := []restoreMarker{}
	if b, err := os.ReadFile(mp); err == nil {
		_ = json.Unmarshal(b, &markers)
	}
	markers = append(markers, restoreMarker{RestoredAt: db.now().UTC(), FromSeq: fromSeq, FromFile: filepath.Base(backup)})
	_ = os.MkdirAll(db.BackupDir(), 0o700)
	if err := writeJSON(mp, markers); err != nil {
		return err
	}
	return db.update(app.NewContextWithUser(context.Background(), u), "", func(t *txn) error {
		return t.auditEvent("BackupService.Restore", "backup", 0, "离线恢复（档案无法打开）自备份 "+filepath.Base(backup))
	})
}

// CopyTo writes a consistent copy of the open archive to path (which must not exist),
// checks it, and audits the copy. Used to move the archive.
func (db *DB) CopyTo(ctx context.Context, path string) error {
	if _, err := app.Authorize(ctx, "BackupService.Restore"); err != nil {
		return err
	}
	if err := store.CheckLocalPath(path); err != nil {
		return err
	}
	if _, err := os.Stat(path); err == nil {
		return app.Errorf(app.ECONFLICT, "目标文件 %s 已存在", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	db.FlushReads()
	if err := db.update(ctx, "", func(t *txn) error {
		return t.auditEvent("BackupService.Restore", "archive", 0, "档案迁移到 "+path)
	}); err != nil {
		return err
	}
	db.mu.RLock()
	err := db.kv.View(func(tx kv.Tx) error { return copyToBoltFile(tx, path+".tmp") })
	db.mu.RUnlock()
	if err != nil {
		os.Remove(path + ".tmp")
		return err
	}
	if err := checkBackupFile(path + ".tmp"); err != nil {
		os.Remove(path + ".tmp")
		return err
	}
	return os.Rename(path+".tmp", path)
}

// syncAttachments copies the content-addressed attachment files that dst lacks. Files are
// named by their hash, so an existing file is never rewritten and the copy is incremental.
func syncAttachments(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		} else if err != nil {
			return err
		}
		if d.IsDir() || strings.HasSuffix(p, ".tmp") {
			return nil
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if _, err := os.Stat(target); err == nil {
			return nil
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(target+".tmp", b, 0o600); err != nil {
			return err
		}
		return os.Rename(target+".tmp", target)
	})
}
