// Package lisdrop watches the folder into which a LIS or a device drops result files: every
// complete file (unchanged for two polls; temporary names ignored) is imported all or nothing
// with its source's saved column mapping and then moved into 已导入/ or 失败/ with a .txt
// that says what happened to each row. The command line (occhealth results watch) and the
// program's window (while a user allowed to import is logged in) both poll through it.
package lisdrop

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"occhealth/app"
	"occhealth/reports"
)

// Subfolders of a watched folder.
const (
	DoneDir   = app.DropDoneDir
	FailedDir = app.DropFailedDir
)

// DefaultInterval is how often a folder is looked at.
const DefaultInterval = 10 * time.Second

// Open gives what one file's import needs: the services (Records, Documents, Catalogs), a
// context that carries the importing user, and a release called after the file. The command
// line opens the archive and logs in each time; the window hands over its own session. An
// ELOCKED error means the archive is in use: the file stays for a later poll.
type Open = app.DropOpen

// Watcher polls one folder. It is not safe for concurrent use: one goroutine polls.
type Watcher struct {
	Dir    string
	Source string
	Open   Open
	// Now stamps the outcome files; nil means time.Now.
	Now func() time.Time
	// Log, when set, receives one line per event (a file imported, failed, waiting).
	Log func(string)

	seen map[string]fileState
	// done holds files imported (or failed) that could not be moved away: they are not
	// imported again while unchanged.
	done map[string]fileState
}

// fileState is a file's size and time at the last poll, and how many polls in a row saw it
// unchanged.
type fileState struct {
	size   int64
	mod    time.Time
	stable int
}

// Poll is what one look at the folder did.
type Poll = app.FolderPoll

// Folders implements app.DropFolders for the window.
type Folders struct{}

var _ app.DropFolders = Folders{}

// CheckFolder: see the package function.
func (Folders) CheckFolder(dir string) error { return CheckFolder(dir) }

// NewWatcher returns a watcher of dir for source.
func (Folders) NewWatcher(dir, source string, open app.DropOpen, now func() time.Time) app.DropWatcher {
	w := New(dir, source, open)
	w.Now = now
	return w
}

// Interval is DefaultInterval.
func (Folders) Interval() time.Duration { return DefaultInterval }

// New returns a watcher of dir for source.
func New(dir, source string, open Open) *Watcher {
	return &Watcher{Dir: dir, Source: source, Open: open}
}

func (w *Watcher) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *Watcher) logf(format string, args ...any) {
	if w.Log != nil {
		w.Log(fmt.Sprintf(format, args...))
	}
}

// Ignored reports whether a file in the folder is not for import: hidden files, files still
// being written under a temporary name, Office lock files.
func Ignored(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") ||
		strings.HasSuffix(lower, ".tmp") || strings.HasSuffix(lower, ".part") || strings.HasSuffix(lower, ".crdownload")
}

// CheckFolder says in Chinese what is wrong with dir as a watched folder.
func CheckFolder(dir string) error {
	if strings.TrimSpace(dir) == "" {
		return app.Errorf(app.EINVALID, "请填写要监视的文件夹")
	}
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return app.Errorf(app.EINVALID, "文件夹“%s”不存在", dir)
	}
	return nil
}

// Check opens a session and finds the source's saved mapping, so that a wrong password or an
// unsaved source is said at once rather than at the first file.
func (w *Watcher) Check(ctx context.Context) error {
	return w.session(ctx, func(context.Context, app.Services, app.ResultMapping) error { return nil })
}

// session opens, finds the saved mapping of the source, runs f and releases.
func (w *Watcher) session(ctx context.Context, f func(ctx context.Context, svc app.Services, m app.ResultMapping) error) error {
	if w.Open == nil {
		return app.Errorf(app.EINTERNAL, "结果文件夹没有接入档案")
	}
	svc, uctx, release, err := w.Open(ctx)
	if err != nil {
		return err
	}
	if release != nil {
		defer release()
	}
	m, err := SavedMapping(uctx, svc.Records, w.Source)
	if err != nil {
		return err
	}
	return f(uctx, svc, m)
}

// SavedMapping returns the saved mapping of source, or an error that says how to save one.
func SavedMapping(ctx context.Context, records app.RecordService, source string) (app.ResultMapping, error) {
	if records == nil {
		return app.ResultMapping{}, app.Errorf(app.EINTERNAL, "本程序未接入检查结果")
	}
	ms, err := records.ResultMappings(ctx)
	if err != nil {
		return app.ResultMapping{}, err
	}
	for _, m := range ms {
		if m.Source == source {
			return m, nil
		}
	}
	return app.ResultMapping{}, app.Errorf(app.EINVALID, "来源“%s”还没有保存列对应：请先在“结果导入”界面设置并保存，或用 occhealth results import --source %s --commit 导入一个文件", source, source)
}

// Poll looks at the folder once and imports the files that have not changed for two polls
// (seen unchanged at three looks in a row). An error means the watch cannot go on for a
// reason that is not the file's (the login, the source's mapping, the archive): the files
// stay where they are. A cancelled ctx stops between files.
func (w *Watcher) Poll(ctx context.Context) (Poll, error) {
	var out Poll
	if w.seen == nil {
		w.seen, w.done = map[string]fileState{}, map[string]fileState{}
	}
	entries, err := os.ReadDir(w.Dir)
	if err != nil {
		out.Unreadable = app.Errorf(app.EINVALID, "无法读取文件夹“%s”：%v", w.Dir, err)
		return out, nil
	}
	present := map[string]bool{}
	for _, e := range entries {
		if !e.Type().IsRegular() || Ignored(e.Name()) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		name := e.Name()
		present[name] = true
		st := fileState{size: info.Size(), mod: info.ModTime()}
		if d, ok := w.done[name]; ok && d.size == st.size && d.mod.Equal(st.mod) {
			continue // handled, but it could not be moved
		}
		delete(w.done, name)
		old, ok := w.seen[name]
		if ok && old.size == st.size && old.mod.Equal(st.mod) {
			st.stable = old.stable + 1
		}
		w.seen[name] = st
		if st.stable < 2 || out.Locked || ctx.Err() != nil {
			out.Waiting++
			continue
		}
		switch r, err := w.process(ctx, name, st); {
		case err != nil:
			return out, err
		case r == retryLocked:
			out.Locked = true
			out.Waiting++
		case r == retryLater:
			out.Waiting++
		case r == imported:
			out.Imported = append(out.Imported, name)
		default:
			out.Failed = append(out.Failed, name)
		}
	}
	for name := range w.seen {
		if !present[name] {
			delete(w.seen, name)
		}
	}
	for name := range w.done {
		if !present[name] {
			delete(w.done, name)
		}
	}
	return out, nil
}

// notTheFile reports whether an error met while importing a file is the user's or the
// program's rather than the file's: the file stays for when it is put right.
func notTheFile(err error) bool {
	if errors.As(err, new(fileError)) {
		return false
	}
	switch app.ErrorCode(err) {
	case app.EFORBIDDEN, app.EUNAUTHORIZED, app.ELOCKED, app.EINTERNAL:
		return true
	}
	return false
}

// fileError is an error of reading the file.
type fileError struct{ error }

func (e fileError) Unwrap() error { return e.error }

type outcome int

const (
	imported outcome = iota
	failed
	retryLater  // unreadable for now, or the watch was stopped
	retryLocked // the archive is in use
)

// process imports one complete file and moves it with its outcome. An error stops the watch
// (login, mapping); the file then stays.
func (w *Watcher) process(ctx context.Context, name string, st fileState) (outcome, error) {
	path := filepath.Join(w.Dir, name)
	var report strings.Builder
	fmt.Fprintf(&report, "文件：%s\n来源：%s\n处理时间：%s\n", name, w.Source, w.now().Format("2006-01-02 15:04:05"))
	ok := false
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".xlsx" && ext != ".csv" {
		fmt.Fprintf(&report, "结果：失败\n原因：只接受 .xlsx 和 .csv 文件\n")
	} else {
		data, err := os.ReadFile(path)
		if err != nil {
			w.logf("无法读取 %s：%v（下次再试）", name, err)
			return retryLater, nil
		}
		inFile, cancelled := false, false
		err = w.session(ctx, func(uctx context.Context, svc app.Services, m app.ResultMapping) error {
			inFile = true
			var docs app.Documents = reports.Documents{}
			if svc.Documents != nil {
				docs = svc.Documents
			}
			f, err := docs.ReadResults(name, data, m)
			if err != nil {
				return fileError{err} // the file's, whatever its code
			}
			p, err := svc.Records.PreviewResultImport(uctx, f)
			if err != nil {
				return err
			}
			writeRows(&report, svc, p)
			if p.Rejected > 0 {
				return nil
			}
			if ctx.Err() != nil {
				cancelled = true
				return nil
			}
			n, err := svc.Records.CommitResultImport(uctx, f)
			if err == nil {
				ok = true
				fmt.Fprintf(&report, "已导入 %d 行的结果。\n", n)
			}
			return err
		})
		switch {
		case cancelled:
			return retryLater, nil
		case err != nil && !inFile && app.ErrorCode(err) == app.ELOCKED:
			w.logf("%s：档案正被另一个程序使用，稍后再试", name)
			return retryLocked, nil
		case err != nil && (!inFile || notTheFile(err)):
			return failed, err
		case err != nil:
			fmt.Fprintf(&report, "结果：失败\n原因：%s\n", app.ErrorMessage(err))
		case ok:
			fmt.Fprintf(&report, "结果：已导入\n")
		default:
			fmt.Fprintf(&report, "结果：失败（有被拒绝的行，未写入任何结果；改正后请把文件重新放入文件夹）\n")
		}
	}
	sub, res := FailedDir, failed
	if ok {
		sub, res = DoneDir, imported
	}
	delete(w.seen, name)
	dest, err := MoveInto(path, filepath.Join(w.Dir, sub))
	if err != nil {
		w.logf("%s：已处理（%s），但无法移到“%s”：%v；文件不变时不再处理", name, sub, sub, err)
		w.done[name] = st
		return failed, nil
	}
	if err := os.WriteFile(dest+".txt", []byte(report.String()), 0o644); err != nil {
		w.logf("%s：无法写结果说明：%v", name, err)
	}
	w.logf("%s → %s", name, filepath.Join(sub, filepath.Base(dest)))
	return res, nil
}

// writeRows writes the preview's counts and one line per row: its outcome, exam, worker,
// results and messages.
func writeRows(b *strings.Builder, svc app.Services, p *app.ResultImportPreview) {
	fmt.Fprintf(b, "共 %d 行：通过 %d，有提示 %d，拒绝 %d\n\n", len(p.Rows), p.Accepted, p.Warned, p.Rejected)
	for _, r := range p.Rows {
		fmt.Fprintf(b, "第 %d 行（%s）%s %s", r.Row, OutcomeWord(r.Outcome), r.Exam, r.Worker)
		var vals []string
		if r.Outcome != app.RowRejected {
			for _, x := range r.Results {
				s := x.ItemCode + " " + x.Value
				if svc.Catalogs != nil {
					if e, ok := svc.Catalogs.Lookup("items", x.ItemCode); ok {
						s = e.Name + " " + x.Value
					}
				}
				if x.Unit != "" {
					s += " " + x.Unit
				}
				vals = append(vals, s+x.Flag.Arrow())
			}
		}
		if len(vals) > 0 {
			fmt.Fprintf(b, "：%s", strings.Join(vals, "；"))
		}
		var msgs []string
		for _, m := range r.Messages {
			if m.Column != "" {
				msgs = append(msgs, m.Column+"："+m.Message)
			} else {
				msgs = append(msgs, m.Message)
			}
		}
		if len(msgs) > 0 {
			fmt.Fprintf(b, "。%s", strings.Join(msgs, "；"))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	if p.Rejected > 0 {
		b.WriteString("有被拒绝的行，未写入任何结果。\n")
	}
}

// OutcomeWord is a row outcome in Chinese.
func OutcomeWord(o string) string {
	switch o {
	case app.RowRejected:
		return "拒绝"
	case app.RowWarning:
		return "提示"
	}
	return "通过"
}

// MoveInto moves path into dir (created if needed) under its name, or name（2） and so on
// when the name is taken, and returns the new path.
func MoveInto(path, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	base := filepath.Base(path)
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	dest := filepath.Join(dir, base)
	for i := 2; i < 10000; i++ {
		if _, err := os.Lstat(dest); errors.Is(err, os.ErrNotExist) {
			return dest, os.Rename(path, dest)
		}
		dest = filepath.Join(dir, fmt.Sprintf("%s（%d）%s", stem, i, ext))
	}
	return "", fmt.Errorf("too many files named %s in %s", base, dir)
}
