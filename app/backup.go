package app

import (
	"context"
	"time"
)

// Backup kinds.
const (
	BackupDaily        = "daily"
	BackupManual       = "manual"
	BackupPreMigration = "pre-migration"
	BackupPreRestore   = "pre-restore"
	BackupPreBulk      = "pre-bulk" // before a bulk destructive command
)

// BackupSettings say where backups go and how many are kept.
type BackupSettings struct {
	Dir string // "" for the default folder beside the archive
	// SecondDir is an optional second location (a USB disk or a network share: backups may go
	// to a share, the live archive may not).
	SecondDir   string
	KeepDaily   int
	KeepWeekly  int
	KeepMonthly int
	// Daily turns on the automatic daily backup after login.
	Daily bool
}

// DefaultBackupSettings keep 7 daily, 4 weekly and 12 monthly backups.
var DefaultBackupSettings = BackupSettings{KeepDaily: 7, KeepWeekly: 4, KeepMonthly: 12, Daily: true}

// Validate checks the counts.
func (s BackupSettings) Validate() error {
	var es Errors
	if s.KeepDaily < 1 || s.KeepDaily > 366 {
		es = append(es, FieldError("保留每日备份", "应为 1–366"))
	}
	if s.KeepWeekly < 0 || s.KeepWeekly > 520 {
		es = append(es, FieldError("保留每周备份", "应为 0–520"))
	}
	if s.KeepMonthly < 0 || s.KeepMonthly > 600 {
		es = append(es, FieldError("保留每月备份", "应为 0–600"))
	}
	return es.Err()
}

// BackupInfo describes one backup file.
type BackupInfo struct {
	Path      string
	Kind      string
	Time      time.Time
	Size      int64
	SHA256    string
	AuditHead string // the audit chain head at the time of the backup (an anchor)
	AuditSeq  uint64
	Verified  bool   // reopened and checked after writing
	Copied    string // the path of the copy in the second location, if any
}

// BackupService makes, lists and restores backups.
type BackupService interface {
	// Backup writes a hot backup, checks it, writes its report (with the audit head as an
	// anchor), copies it to the second location and rotates old ones.
	Backup(ctx context.Context, kind string) (BackupInfo, error)
	// ListBackups lists backups, newest first.
	ListBackups(ctx context.Context) ([]BackupInfo, error)
	// Restore replaces the archive with a backup after taking a pre-restore backup. confirm
	// must equal the institution's name, typed by the administrator. The archive is reopened
	// afterwards; the caller logs in again.
	Restore(ctx context.Context, path, confirm string) error
	BackupSettings(ctx context.Context) (BackupSettings, error)
	SaveBackupSettings(ctx context.Context, s BackupSettings) error
}
