package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"occhealth/app"
	"occhealth/reports"
)

const resultsUsage = `用法:
  occhealth results import 结果文件.xlsx|.csv --source 来源名称 [--commit] [--json] --user 体检医生
      预览（不写入）；加 --commit 在没有被拒绝的行时全部导入（全有或全无）。
      来源没有保存过列对应时按表头自动识别，导入成功后按来源名称保存。
  occhealth results watch 文件夹 --source 来源名称 [--interval 10s] [--once] --user 体检医生 --password-file 密码文件
      监视 LIS 或仪器放入结果文件的文件夹：每个写完的文件（连续两次检查大小不变；*.tmp、*.part 不理会）
      全有或全无地导入，然后移到“已导入”或“失败”子文件夹，旁边写一份同名 .txt 说明结果。
退出码：有被拒绝的行或有文件导入失败时为 1。`

// cmdResults imports results from LIS and device files.
func cmdResults(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, resultsUsage)
		return exitUsage
	}
	switch args[0] {
	case "import":
		return cmdResultsImport(args[1:])
	case "watch":
		return cmdResultsWatch(args[1:])
	}
	fmt.Fprintln(os.Stderr, resultsUsage)
	return exitUsage
}

func cmdResultsImport(args []string) int {
	fs, g := newFlags("results import")
	source := fs.String("source", "", "来源名称（其保存的列对应），如 检验科LIS")
	commit := fs.Bool("commit", false, "没有被拒绝的行时导入（否则只预览）")
	pos, err := parse(fs, args)
	if err != nil || len(pos) != 1 || strings.TrimSpace(*source) == "" {
		fmt.Fprintln(os.Stderr, resultsUsage)
		return exitUsage
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return fail(app.Errorf(app.EINVALID, "无法读取文件“%s”：%v", pos[0], err))
	}
	a, ctx, err := login(g)
	if err != nil {
		return fail(err)
	}
	defer a.db.Close()
	m, saved, err := sourceMapping(ctx, a, strings.TrimSpace(*source))
	if err != nil {
		return fail(err)
	}
	name := filepath.Base(pos[0])
	out := importOutcome{File: name, Source: m.Source, SavedMapping: saved}
	if !saved {
		// A new source: guess the columns from the header and show them.
		f, err := reports.ReadResults(name, data, app.ResultMapping{Source: m.Source})
		out.Mapping = f.Mapping.Columns
		if err != nil {
			if !g.json {
				printMapping(os.Stderr, f.Mapping)
			}
			return fail(err)
		}
		m = f.Mapping
	}
	p, n, err := importResults(ctx, a, name, data, m, *commit)
	out.fill(a, p, n, *commit)
	if err != nil && p == nil {
		return fail(err)
	}
	if out.Committed && err == nil && !saved {
		if serr := a.svc.Records.SaveResultMapping(ctx, m); serr == nil {
			out.MappingSaved = true
		} else {
			out.Notes = append(out.Notes, "列对应未能保存："+app.ErrorMessage(serr))
		}
	}
	if err != nil {
		out.Notes = append(out.Notes, app.ErrorMessage(err))
	}
	if g.json {
		printJSON(out)
	} else {
		if !saved {
			fmt.Printf("来源“%s”没有保存过列对应，按表头自动识别：\n", m.Source)
			printMapping(os.Stdout, m)
		}
		out.print(os.Stdout)
	}
	if err != nil || p.Rejected > 0 {
		return exitError
	}
	return exitOK
}

// sourceMapping returns the saved mapping of source, or an empty one (false) for a new source.
func sourceMapping(ctx context.Context, a *archive, source string) (app.ResultMapping, bool, error) {
	ms, err := a.svc.Records.ResultMappings(ctx)
	if err != nil {
		return app.ResultMapping{}, false, err
	}
	for _, m := range ms {
		if m.Source == source {
			return m, true, nil
		}
	}
	return app.ResultMapping{Source: source}, false, nil
}

// importResults reads a file with m and previews it; with commit and no rejected row it
// imports it. n counts the rows written. A non-nil preview comes with a commit error.
func importResults(ctx context.Context, a *archive, name string, data []byte, m app.ResultMapping, commit bool) (*app.ResultImportPreview, int, error) {
	f, err := reports.ReadResults(name, data, m)
	if err != nil {
		return nil, 0, err
	}
	p, err := a.svc.Records.PreviewResultImport(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	if !commit || p.Rejected > 0 {
		return p, 0, nil
	}
	n, err := a.svc.Records.CommitResultImport(ctx, f)
	return p, n, err
}

// importOutcome is what import prints (and, as JSON, what scripts read).
type importOutcome struct {
	File         string                   `json:"file"`
	Source       string                   `json:"source"`
	SavedMapping bool                     `json:"saved_mapping"`
	Mapping      []app.ResultImportColumn `json:"guessed_mapping,omitempty"`
	Accepted     int                      `json:"accepted"`
	Warned       int                      `json:"warned"`
	Rejected     int                      `json:"rejected"`
	Rows         []importRowJSON          `json:"rows"`
	Committed    bool                     `json:"committed"`
	Written      int                      `json:"rows_written"`
	MappingSaved bool                     `json:"mapping_saved,omitempty"`
	Notes        []string                 `json:"notes,omitempty"`
	commit       bool
}

type importRowJSON struct {
	Row      int              `json:"row"`
	Outcome  string           `json:"outcome"`
	Exam     string           `json:"exam_number"`
	Worker   string           `json:"worker"`
	Results  []string         `json:"results"` // name, value, unit and flag arrow
	Messages []app.RowMessage `json:"messages,omitempty"`
}

func (o *importOutcome) fill(a *archive, p *app.ResultImportPreview, n int, commit bool) {
	o.commit = commit
	if p == nil {
		return
	}
	o.Accepted, o.Warned, o.Rejected = p.Accepted, p.Warned, p.Rejected
	o.Committed, o.Written = commit && p.Rejected == 0 && n > 0, n
	for _, r := range p.Rows {
		row := importRowJSON{Row: r.Row, Outcome: r.Outcome, Exam: r.Exam, Worker: r.Worker, Messages: r.Messages}
		for _, x := range r.Results {
			s := x.ItemCode + " " + x.Value
			if a.svc.Catalogs != nil {
				if e, ok := a.svc.Catalogs.Lookup("items", x.ItemCode); ok {
					s = e.Name + " " + x.Value
				}
			}
			if x.Unit != "" {
				s += " " + x.Unit
			}
			row.Results = append(row.Results, s+x.Flag.Arrow())
		}
		o.Rows = append(o.Rows, row)
	}
}

// print writes the preview as a table, then the messages and the outcome.
func (o *importOutcome) print(w io.Writer) {
	fmt.Fprintf(w, "%s（来源“%s”）：共 %d 行，通过 %d，有提示 %d，拒绝 %d\n", o.File, o.Source, len(o.Rows), o.Accepted, o.Warned, o.Rejected)
	rows := [][]string{{"行号", "结果", "体检号", "姓名", "检查结果", "提示与原因"}}
	for _, r := range o.Rows {
		var msgs []string
		for _, m := range r.Messages {
			if m.Column != "" {
				msgs = append(msgs, m.Column+"："+m.Message)
			} else {
				msgs = append(msgs, m.Message)
			}
		}
		rows = append(rows, []string{fmt.Sprint(r.Row), outcomeWord(r.Outcome), r.Exam, r.Worker, strings.Join(r.Results, "；"), strings.Join(msgs, "；")})
	}
	printTable(w, rows)
	switch {
	case o.Committed:
		fmt.Fprintf(w, "已导入 %d 行的结果。\n", o.Written)
	case o.Rejected > 0:
		fmt.Fprintln(w, "有被拒绝的行，未写入任何结果。请改正原文件（或列对应）后重新导入。")
	case !o.commit:
		fmt.Fprintln(w, "预览完毕，未写入任何结果；确认无误后加 --commit 导入。")
	}
	if o.MappingSaved {
		fmt.Fprintf(w, "列对应已按来源“%s”保存。\n", o.Source)
	}
	for _, n := range o.Notes {
		fmt.Fprintln(w, n)
	}
}

func outcomeWord(o string) string {
	switch o {
	case app.RowRejected:
		return "拒绝"
	case app.RowWarning:
		return "提示"
	}
	return "通过"
}

// printMapping lists what each column of a file is taken for.
func printMapping(w io.Writer, m app.ResultMapping) {
	for _, c := range m.Columns {
		switch c.Key {
		case app.ImportKeyExamNumber:
			fmt.Fprintf(w, "  %s → 体检号\n", c.Header)
		case app.ImportKeyItem:
			fmt.Fprintf(w, "  %s → 检查项目 %s\n", c.Header, c.ItemCode)
		default:
			fmt.Fprintf(w, "  %s → 忽略\n", c.Header)
		}
	}
}

// printTable writes rows in columns padded for a terminal, where a Chinese character takes
// two cells; the last column is not padded.
func printTable(w io.Writer, rows [][]string) {
	if len(rows) == 0 {
		return
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			if i < len(r)-1 {
				widths[i] = max(widths[i], displayWidth(c))
			}
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1100 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// Subfolders of a watched folder.
const (
	watchDone   = "已导入"
	watchFailed = "失败"
)

// cmdResultsWatch imports every complete file a LIS drops into a folder. The archive is
// opened only while a file is imported, so that the program's window can use it in between.
func cmdResultsWatch(args []string) int {
	fs, g := newFlags("results watch")
	source := fs.String("source", "", "来源名称（须已保存列对应）")
	interval := fs.Duration("interval", 10*time.Second, "检查文件夹的间隔")
	once := fs.Bool("once", false, "处理完文件夹中现有的文件后退出（供计划任务使用）")
	pos, err := parse(fs, args)
	if err != nil || len(pos) != 1 || strings.TrimSpace(*source) == "" || *interval <= 0 {
		fmt.Fprintln(os.Stderr, resultsUsage)
		return exitUsage
	}
	dir := pos[0]
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fail(app.Errorf(app.EINVALID, "文件夹“%s”不存在", dir))
	}
	if g.user == "" {
		return fail(app.Errorf(app.EUNAUTHORIZED, "请用 --user 指定执行命令的用户"))
	}
	pw, err := readPassword(g, "用户 "+g.user+" 的密码：")
	if err != nil {
		return fail(err)
	}
	w := &watcher{dir: dir, source: strings.TrimSpace(*source), g: g, password: pw, seen: map[string]fileState{}, done: map[string]fileState{}, log: os.Stdout}
	// Check the login and the mapping now rather than at the first file; an archive in use
	// by the window is not an error (the file waits).
	if err := w.withArchive(func(ctx context.Context, a *archive, m app.ResultMapping) error { return nil }); err != nil && app.ErrorCode(err) != app.ELOCKED {
		return fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	w.logf("监视文件夹 %s（来源“%s”，每 %s 检查一次）；按 Ctrl+C 停止", dir, w.source, *interval)
	for {
		waiting, err := w.poll(*once)
		if err != nil {
			w.logf("停止监视：%s", app.ErrorMessage(err))
			return fail(err)
		}
		if *once && waiting == 0 {
			break
		}
		select {
		case <-ctx.Done():
			w.logf("已停止")
			return w.exitCode()
		case <-time.After(*interval):
		}
	}
	return w.exitCode()
}

// fileState is a file's size and time at the last poll, and how many polls in a row saw it
// unchanged.
type fileState struct {
	size   int64
	mod    time.Time
	stable int
}

type watcher struct {
	dir, source string
	g           *globals
	password    string
	seen        map[string]fileState
	// done holds files imported (or failed) that could not be moved away: they are not
	// imported again while unchanged.
	done   map[string]fileState
	log    io.Writer
	failed int
}

func (w *watcher) logf(format string, args ...any) {
	fmt.Fprintf(w.log, "%s %s\n", time.Now().Format("2006-01-02 15:04:05"), fmt.Sprintf(format, args...))
}

func (w *watcher) exitCode() int {
	if w.failed > 0 {
		return exitError
	}
	return exitOK
}

// withArchive opens the archive, logs in, finds the source's saved mapping, runs f and
// closes the archive.
func (w *watcher) withArchive(f func(ctx context.Context, a *archive, m app.ResultMapping) error) error {
	a, err := openArchive(w.g.db, false)
	if err != nil {
		return err
	}
	defer a.db.Close()
	ctx := app.NewContextWithWorkstation(context.Background(), workstation()+"（结果文件夹）")
	u, err := a.svc.Auth.Login(ctx, w.g.user, w.password)
	if err != nil {
		return err
	}
	ctx = app.NewContextWithUser(ctx, u)
	m, saved, err := sourceMapping(ctx, a, w.source)
	if err != nil {
		return err
	}
	if !saved {
		return app.Errorf(app.EINVALID, "来源“%s”还没有保存列对应：请先在“结果导入”界面设置并保存，或用 occhealth results import --source %s --commit 导入一个文件", w.source, w.source)
	}
	return f(ctx, a, m)
}

// watchIgnored reports whether a file in the folder is not for import: hidden files,
// files still being written under a temporary name, Office lock files.
func watchIgnored(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") ||
		strings.HasSuffix(lower, ".tmp") || strings.HasSuffix(lower, ".part") || strings.HasSuffix(lower, ".crdownload")
}

// poll looks at the folder once, imports the files that have not changed for two polls,
// and returns how many files are still waiting. An error stops the watch: the login, the
// source's mapping or the archive is wrong (with once, also an archive in use), and the
// files stay where they are.
func (w *watcher) poll(once bool) (int, error) {
	entries, err := os.ReadDir(w.dir)
	if err != nil {
		w.logf("无法读取文件夹：%v", err)
		return 0, nil
	}
	present := map[string]bool{}
	waiting := 0
	for _, e := range entries {
		if !e.Type().IsRegular() || watchIgnored(e.Name()) {
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
		if st.stable < 2 {
			waiting++
			continue
		}
		retry, err := w.process(name, st)
		if err != nil {
			return waiting, err
		}
		if retry {
			if once {
				return waiting, app.Errorf(app.ELOCKED, "档案正被另一个程序使用，文件留在原处，请稍后再运行")
			}
			waiting++ // try again at the next poll
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
	return waiting, nil
}

// process imports one complete file and moves it with its outcome. It returns retry when
// the file stays for a later poll (unreadable for now, or the archive in use), and an error
// when the watch cannot go on (login, mapping); the file then stays too.
func (w *watcher) process(name string, st fileState) (retry bool, fatal error) {
	path := filepath.Join(w.dir, name)
	var report strings.Builder
	fmt.Fprintf(&report, "文件：%s\n来源：%s\n处理时间：%s\n", name, w.source, time.Now().Format("2006-01-02 15:04:05"))
	ok := false
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".xlsx" && ext != ".csv" {
		fmt.Fprintf(&report, "结果：失败\n原因：只接受 .xlsx 和 .csv 文件\n")
	} else {
		data, err := os.ReadFile(path)
		if err != nil {
			w.logf("无法读取 %s：%v（下次再试）", name, err)
			return true, nil
		}
		inFile := false
		err = w.withArchive(func(ctx context.Context, a *archive, m app.ResultMapping) error {
			inFile = true
			p, n, err := importResults(ctx, a, name, data, m, true)
			out := importOutcome{File: name, Source: w.source, SavedMapping: true}
			out.fill(a, p, n, true)
			if p != nil {
				out.print(&report)
			}
			if err == nil && p.Rejected == 0 {
				ok = true
			}
			return err
		})
		switch {
		case err != nil && !inFile && app.ErrorCode(err) == app.ELOCKED:
			w.logf("%s：档案正被另一个程序使用，稍后再试", name)
			return true, nil
		case err != nil && !inFile:
			return false, err
		case err != nil:
			fmt.Fprintf(&report, "结果：失败\n原因：%s\n", app.ErrorMessage(err))
		case ok:
			fmt.Fprintf(&report, "结果：已导入\n")
		default:
			fmt.Fprintf(&report, "结果：失败（有被拒绝的行，未写入任何结果；改正后请把文件重新放入文件夹）\n")
		}
	}
	sub := watchFailed
	if ok {
		sub = watchDone
	} else {
		w.failed++
	}
	delete(w.seen, name)
	dest, err := moveInto(path, filepath.Join(w.dir, sub))
	if err != nil {
		w.logf("%s：已处理（%s），但无法移到“%s”：%v；文件不变时不再处理", name, sub, sub, err)
		w.done[name] = st
		w.failed++
		return false, nil
	}
	if err := os.WriteFile(dest+".txt", []byte(report.String()), 0o644); err != nil {
		w.logf("%s：无法写结果说明：%v", name, err)
	}
	w.logf("%s → %s", name, filepath.Join(sub, filepath.Base(dest)))
	return false, nil
}

// moveInto moves path into dir (created if needed) under its name, or name（2） and so on
// when the name is taken, and returns the new path.
func moveInto(path, dir string) (string, error) {
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
