package app

import (
	"context"
	"fmt"
	"time"
)

// PCSettings are this PC's own settings, kept in a file of the configuration directory, not in
// the archive (a folder path or a printer means something only on this PC): the LIS drop folder
// the window watches, and the printers 报告打印 chose last.
type PCSettings struct {
	// LISFolder is the folder of this PC (or a share it maps) into which a LIS or a device
	// drops result files; LISSource names the saved column mapping they are read with; the
	// window watches it while LISWatch is on and a user allowed to import is logged in.
	LISFolder string
	LISSource string
	LISWatch  bool
	// ReportPrinter and LabelPrinter are the printers chosen last ("" for the default).
	ReportPrinter string
	LabelPrinter  string
	// Mode is ModeLocal ("" too) or ModeServer; Server ("host:port") and ServerFingerprint
	// (the pinned certificate, as ServerInfo.Fingerprint gives it) serve 联网 mode.
	Mode              string
	Server            string
	ServerFingerprint string
}

// PCSettingsStore reads and writes this PC's settings.
type PCSettingsStore interface {
	LoadPCSettings() (PCSettings, error)
	SavePCSettings(s PCSettings) error
}

// Sub-folders of a drop folder for files handled.
const (
	DropDoneDir   = "已导入"
	DropFailedDir = "失败"
)

// FolderPoll is what one look at a drop folder did.
type FolderPoll struct {
	Imported []string // files moved into 已导入
	Failed   []string // files moved into 失败, or handled but left in place (could not move)
	Waiting  int      // files not yet complete, unreadable for now, or waiting for the archive
	Locked   bool     // a file waited because the archive was in use
	// Unreadable says why the folder could not be read this time (a network drive away):
	// not an error of the watch, which looks again at the next poll.
	Unreadable error
}

// Summary is the one-line account of a poll that handled files, as the window shows it:
// 已导入 3 个文件，1 个失败（见“失败”文件夹）. Empty when no file was handled.
func (p FolderPoll) Summary() string {
	switch {
	case len(p.Imported) == 0 && len(p.Failed) == 0:
		return ""
	case len(p.Failed) == 0:
		return fmt.Sprintf("已导入 %d 个文件", len(p.Imported))
	case len(p.Imported) == 0:
		return fmt.Sprintf("%d 个文件导入失败（见“%s”文件夹）", len(p.Failed), DropFailedDir)
	}
	return fmt.Sprintf("已导入 %d 个文件，%d 个失败（见“%s”文件夹）", len(p.Imported), len(p.Failed), DropFailedDir)
}

// DropOpen gives a watcher the services and the user's context for one file, and a release
// function (nil when nothing to release).
type DropOpen func(ctx context.Context) (svc Services, userCtx context.Context, release func(), err error)

// DropWatcher watches one drop folder: each Poll imports the complete files.
type DropWatcher interface {
	Poll(ctx context.Context) (FolderPoll, error)
}

// DropFolders makes drop-folder watchers (reports/lisdrop implements it).
type DropFolders interface {
	// CheckFolder says in Chinese why dir cannot be watched (missing, not a folder, not writable).
	CheckFolder(dir string) error
	NewWatcher(dir, source string, open DropOpen, now func() time.Time) DropWatcher
	// Interval is how often a folder is looked at.
	Interval() time.Duration
}
