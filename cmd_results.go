package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"occhealth/app"
	"occhealth/reports"
	"occhealth/reports/lisdrop"
)

const resultsUsage = `用法:
  occhealth results import 结果文件.xlsx|.csv --source 来源名称 [--commit] [--json] --user 体检医生
      预览（不写入）；加 --commit 在没有被拒绝的行时全部导入（全有或全无）。
      来源没有保存过列对应时按表头自动识别，导入成功后按来源名称保存。
  occhealth results watch 文件夹 --source 来源名称 [--interval 10s] [--once] --user 体检医生 --password-file 密码文件
      监视 LIS 或仪器放入结果文件的文件夹：每个写完的文件（连续两次检查大小不变；*.tmp、*.part 不理会）
      全有或全无地导入，然后移到“已导入”或“失败”子文件夹，旁边写一份同名 .txt 说明结果。
      开着程序窗口的电脑不必运行此命令：在“结果导入”界面设置“本机监视文件夹”，由窗口在登录期间监视。
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
	watchDone   = lisdrop.DoneDir
	watchFailed = lisdrop.FailedDir
)

// cmdResultsWatch imports every complete file a LIS drops into a folder (reports/lisdrop, as
// the program's window does while a user allowed to import is logged in). The archive is
// opened only while a file is imported, so that the window of another program can use it in
// between.
func cmdResultsWatch(args []string) int {
	fs, g := newFlags("results watch")
	source := fs.String("source", "", "来源名称（须已保存列对应）")
	interval := fs.Duration("interval", lisdrop.DefaultInterval, "检查文件夹的间隔")
	once := fs.Bool("once", false, "处理完文件夹中现有的文件后退出（供计划任务使用）")
	pos, err := parse(fs, args)
	if err != nil || len(pos) != 1 || strings.TrimSpace(*source) == "" || *interval <= 0 {
		fmt.Fprintln(os.Stderr, resultsUsage)
		return exitUsage
	}
	dir := pos[0]
	if err := lisdrop.CheckFolder(dir); err != nil {
		return fail(err)
	}
	if g.user == "" {
		return fail(app.Errorf(app.EUNAUTHORIZED, "请用 --user 指定执行命令的用户"))
	}
	pw, err := readPassword(g, "用户 "+g.user+" 的密码：")
	if err != nil {
		return fail(err)
	}
	logf := func(format string, args ...any) {
		fmt.Fprintf(os.Stdout, "%s %s\n", time.Now().Format("2006-01-02 15:04:05"), fmt.Sprintf(format, args...))
	}
	w := lisdrop.New(dir, strings.TrimSpace(*source), func(ctx context.Context) (app.Services, context.Context, func(), error) {
		a, err := openArchive(g.db, false)
		if err != nil {
			return app.Services{}, nil, nil, err
		}
		ctx = app.NewContextWithWorkstation(ctx, workstation()+"（结果文件夹）")
		u, err := a.svc.Auth.Login(ctx, g.user, pw)
		if err != nil {
			a.db.Close()
			return app.Services{}, nil, nil, err
		}
		return a.svc, app.NewContextWithUser(ctx, u), func() { a.db.Close() }, nil
	})
	w.Log = func(s string) { logf("%s", s) }
	// Check the login and the mapping now rather than at the first file; an archive in use
	// by the window is not an error (the file waits).
	if err := w.Check(context.Background()); err != nil && app.ErrorCode(err) != app.ELOCKED {
		return fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	logf("监视文件夹 %s（来源“%s”，每 %s 检查一次）；按 Ctrl+C 停止", dir, w.Source, *interval)
	failed := 0
	for {
		p, err := w.Poll(ctx)
		failed += len(p.Failed)
		if p.Unreadable != nil {
			logf("%s", app.ErrorMessage(p.Unreadable))
		}
		if err != nil {
			logf("停止监视：%s", app.ErrorMessage(err))
			return fail(err)
		}
		if *once && p.Locked {
			return fail(app.Errorf(app.ELOCKED, "档案正被另一个程序使用，文件留在原处，请稍后再运行"))
		}
		if *once && p.Waiting == 0 {
			break
		}
		select {
		case <-ctx.Done():
			logf("已停止")
			return watchExit(failed)
		case <-time.After(*interval):
		}
	}
	return watchExit(failed)
}

func watchExit(failed int) int {
	if failed > 0 {
		return exitError
	}
	return exitOK
}
