package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"occhealth/app"
	"occhealth/app/cardcheck"
	"occhealth/assets"
	"occhealth/reports/cards"
)

const cardsUsage = `用法:
  occhealth cards check [--from 日期 --to 日期] [--format national|hubei] [--json] --user 统计上报员
      预检：列出发放日期在范围内（不写日期为全部）的个案卡及其错误、警告，并按导出格式的元素表校验。
      有错误时退出码为 1。
  occhealth cards export --from 日期 --to 日期 --format national|hubei -o 文件夹 [--again] [-v] [--json] --user 统计上报员
      导出：预检未通过的个案卡不导出（逐张列出），其余按所选格式生成文件写入文件夹
      （国家格式：每张卡一个 XML 与用人单位 XML 打成一个 zip；湖北格式：一个 XML；另有一份 .manifest.json），
      然后登记为“已导出”。已导出且内容未变的卡不再导出，除非加 --again。有卡未导出时退出码为 1。
  occhealth cards seal --user 统计上报员
      预生成：把已发放、尚未预生成（或内容已变）的个案卡预先生成、预检、压缩并保存在档案中，
      以后导出时直接打包（程序平时在后台自动进行；升级或迁移档案后可手动执行）。
日期写作 2026-11-01。格式说明见 docs/card-formats.md。`

// cmdCards checks and exports case cards (个案卡).
func cmdCards(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, cardsUsage)
		return exitUsage
	}
	switch args[0] {
	case "check":
		return cmdCardsCheck(args[1:])
	case "export":
		return cmdCardsExport(args[1:])
	case "seal":
		return cmdCardsSeal(args[1:])
	}
	fmt.Fprintln(os.Stderr, cardsUsage)
	return exitUsage
}

// cardFlags are the flags both subcommands share.
type cardFlags struct {
	from, to, format *string
}

func addCardFlags(f interface {
	String(name, value, usage string) *string
}) cardFlags {
	return cardFlags{
		from:   f.String("from", "", "发放日期起（含），如 2026-11-01"),
		to:     f.String("to", "", "发放日期止（含）"),
		format: f.String("format", app.CardFormatNational, "导出格式：national（国家交换格式）或 hubei（湖北格式）"),
	}
}

func (c cardFlags) dates() (time.Time, time.Time, error) {
	var from, to time.Time
	var err error
	if *c.from != "" {
		if from, err = time.ParseInLocation("2006-01-02", *c.from, time.Local); err != nil {
			return from, to, app.FieldError("--from", "日期“%s”应写作 2026-11-01", *c.from)
		}
	}
	if *c.to != "" {
		if to, err = time.ParseInLocation("2006-01-02", *c.to, time.Local); err != nil {
			return from, to, app.FieldError("--to", "日期“%s”应写作 2026-11-30", *c.to)
		}
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return from, to, app.FieldError("--to", "止日期早于起日期")
	}
	if _, ok := cards.Lookup(*c.format); !ok {
		return from, to, app.FieldError("--format", "未知的导出格式“%s”（可选：%s）", *c.format, strings.Join(cards.Formats(), "、"))
	}
	return from, to, nil
}

// cardIssue is one finding of the check, for people and for --json.
type cardIssue struct {
	Level   string `json:"level"` // error or warning
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	Screen  string `json:"screen,omitempty"`
}

// cardResult is one card's outcome of check or export.
type cardResult struct {
	ExamNumber string      `json:"exam_number"`
	DocumentID string      `json:"document_id"`
	Worker     string      `json:"worker"`
	Employer   string      `json:"employer"`
	Status     string      `json:"status"`
	Operate    string      `json:"operate"`
	Late       bool        `json:"late,omitempty"`
	Errors     int         `json:"errors"`
	Warnings   int         `json:"warnings"`
	Issues     []cardIssue `json:"issues,omitempty"`
}

func newCardResult(d app.CardData) cardResult {
	r := cardResult{ExamNumber: d.Card.ExamNumber, DocumentID: d.Card.DocumentID, Status: d.Card.Status.Name(), Operate: d.Card.Operate, Late: d.Card.Late}
	if d.Exam != nil && d.Exam.Record != nil && d.Exam.Record.Parties != nil {
		r.Worker, r.Employer = d.Exam.Record.Parties.Worker.Name, d.Exam.Record.Parties.Employer.Name
	}
	return r
}

func (r *cardResult) add(level, field, msg, screen string) {
	r.Issues = append(r.Issues, cardIssue{Level: level, Field: field, Message: msg, Screen: screen})
	if level == app.LevelError {
		r.Errors++
	} else {
		r.Warnings++
	}
}

// preflight runs the pre-flight check of every card (on every core) and, with validate, the
// format's element table over the cards the check lets through. (An export leaves the element
// table to cards.Export, which checks every document as it writes it: see exportCards.)
func preflight(a *archive, format string, ds []app.CardData, validate bool) ([]cardResult, error) {
	check, err := cardChecker(a)
	if err != nil {
		return nil, err
	}
	out := make([]cardResult, len(ds))
	eachCard(len(ds), func(i int) {
		out[i] = newCardResult(ds[i])
		for _, is := range check(ds[i]) {
			out[i].add(is.Level, is.Field, is.Message, is.Screen)
		}
	})
	if !validate {
		return out, nil
	}
	var clean []app.CardData
	for i, d := range ds {
		if out[i].Errors == 0 {
			clean = append(clean, d)
		}
	}
	ps, err := cards.Validate(format, clean, cards.Options{Codes: catalogCodes(a)})
	if err != nil {
		return nil, err
	}
	addProblems(out, ds, ps)
	return out, nil
}

// addProblems adds the element table's problems to the results of the cards they name.
func addProblems(out []cardResult, ds []app.CardData, ps []cards.Problem) {
	byNumber := make(map[string]int, len(ds))
	for i, d := range ds {
		byNumber[d.Card.ExamNumber] = i
	}
	for _, p := range ps {
		if i, ok := byNumber[p.Card]; ok && p.Card != "" {
			out[i].add(app.LevelError, p.Element, "不符合导出格式："+p.Message, "")
		}
	}
}

func catalogCodes(a *archive) app.CodeLookup {
	if a.svc.Catalogs != nil {
		return a.svc.Catalogs
	}
	return nil
}

// eachCard runs f(0..n-1) on every core.
func eachCard(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				f(i)
			}
		}()
	}
	wg.Wait()
}

// cardChecker returns the store's pre-flight check (with its thresholds), or the bundled one.
func cardChecker(a *archive) (func(app.CardData) []app.CardIssue, error) {
	if c, ok := a.svc.Cards.(interface {
		Check(app.CardData) ([]app.CardIssue, error)
	}); ok {
		return func(d app.CardData) []app.CardIssue {
			is, err := c.Check(d)
			if err != nil {
				return []app.CardIssue{{Level: app.LevelError, Message: "预检无法进行：" + app.ErrorMessage(err)}}
			}
			return is
		}, nil
	}
	b, err := fs.ReadFile(assets.Rules, "rules/card_checks.json")
	if err != nil {
		return nil, err
	}
	th, err := cardcheck.Load(b)
	if err != nil {
		return nil, err
	}
	return func(d app.CardData) []app.CardIssue { return cardcheck.Check(d, a.svc.Catalogs, th) }, nil
}

func printCardResult(w io.Writer, r cardResult, onlyErrors bool) {
	fmt.Fprintf(w, "%s  %s  %s  %s", r.ExamNumber, r.Worker, r.Employer, r.Status)
	if r.Late {
		fmt.Fprint(w, "  补报")
	}
	fmt.Fprintf(w, "  错误 %d  警告 %d\n", r.Errors, r.Warnings)
	for _, is := range r.Issues {
		if onlyErrors && is.Level != app.LevelError {
			continue
		}
		word := "警告"
		if is.Level == app.LevelError {
			word = "错误"
		}
		if is.Field != "" {
			fmt.Fprintf(w, "    %s  %s：%s\n", word, is.Field, is.Message)
		} else {
			fmt.Fprintf(w, "    %s  %s\n", word, is.Message)
		}
	}
}

func cmdCardsCheck(args []string) int {
	fs, g := newFlags("cards check")
	cf := addCardFlags(fs)
	pos, err := parse(fs, args)
	if err != nil || len(pos) > 0 {
		fmt.Fprintln(os.Stderr, cardsUsage)
		return exitUsage
	}
	from, to, err := cf.dates()
	if err != nil {
		return fail(err)
	}
	a, ctx, err := login(g)
	if err != nil {
		return fail(err)
	}
	defer a.db.Close()
	ds, err := a.svc.Cards.CardData(ctx, from, to, nil)
	if err != nil {
		return fail(err)
	}
	res, err := preflight(a, *cf.format, ds, true)
	if err != nil {
		return fail(err)
	}
	failing, warned := 0, 0
	for _, r := range res {
		if r.Errors > 0 {
			failing++
		} else if r.Warnings > 0 {
			warned++
		}
	}
	if g.json {
		printJSON(struct {
			Format  string       `json:"format"`
			Cards   int          `json:"cards"`
			Failing int          `json:"failing"`
			Warned  int          `json:"warned"`
			Results []cardResult `json:"results"`
		}{*cf.format, len(res), failing, warned, res})
	} else {
		for _, r := range res {
			if len(r.Issues) > 0 {
				printCardResult(os.Stdout, r, false)
			}
		}
		fmt.Printf("共 %d 张个案卡：%d 张未通过预检，%d 张有警告，%d 张可以导出。\n", len(res), failing, warned, len(res)-failing)
	}
	if failing > 0 {
		return exitError
	}
	return exitOK
}

func cmdCardsExport(args []string) int {
	fs, g := newFlags("cards export")
	cf := addCardFlags(fs)
	dir := fs.String("o", "", "导出到的文件夹")
	again := fs.Bool("again", false, "也导出已导出、内容未变的个案卡")
	verbose := fs.Bool("v", false, "在标准错误输出上逐步显示进度与用时")
	pos, err := parse(fs, args)
	if err != nil || len(pos) > 0 || *dir == "" || *cf.from == "" || *cf.to == "" {
		fmt.Fprintln(os.Stderr, cardsUsage)
		return exitUsage
	}
	from, to, err := cf.dates()
	if err != nil {
		return fail(err)
	}
	if st, err := os.Stat(*dir); err != nil || !st.IsDir() {
		return fail(app.FieldError("-o", "文件夹“%s”不存在", *dir))
	}
	a, ctx, err := login(g)
	if err != nil {
		return fail(err)
	}
	defer a.db.Close()
	var progress func(float64, string)
	if *verbose {
		start := time.Now()
		progress = func(_ float64, text string) {
			fmt.Fprintf(os.Stderr, "%7.2f s  %s\n", time.Since(start).Seconds(), text)
		}
	}
	out, err := exportCards(ctx, a, *cf.format, from, to, *dir, *again, progress)
	if err != nil && out == nil {
		return fail(err)
	}
	if g.json {
		if out.manifest != nil {
			out.Manifest = &cards.Manifest{}
			if err := json.Unmarshal(out.manifest, out.Manifest); err != nil {
				return fail(err)
			}
		}
		printJSON(out)
	} else {
		out.print(os.Stdout)
	}
	if err != nil {
		return fail(err)
	}
	if len(out.Blocked) > 0 {
		return exitError
	}
	return exitOK
}

// cardExportOutcome is what an export did.
type cardExportOutcome struct {
	Format   string          `json:"format"`
	Batch    string          `json:"batch,omitempty"`
	Exported int             `json:"exported"`
	Skipped  int             `json:"skipped"` // exported before and unchanged
	Sealed   int             `json:"sealed"`  // of the exported, sealed ahead
	Files    []string        `json:"files,omitempty"`
	Bytes    int64           `json:"bytes"`
	Manifest *cards.Manifest `json:"manifest,omitempty"`
	Blocked  []cardResult    `json:"blocked,omitempty"`
	// manifest is the manifest's JSON, decoded into Manifest only for --json (it lists every
	// document: 100,000 cards make 20 MB).
	manifest []byte
}

func (o *cardExportOutcome) print(w io.Writer) {
	if len(o.Blocked) > 0 {
		fmt.Fprintf(w, "以下 %d 张个案卡未通过预检，没有导出（修改后再导出）：\n", len(o.Blocked))
		for _, r := range o.Blocked {
			printCardResult(w, r, true)
		}
	}
	if o.Exported == 0 {
		msg := "没有需要导出的个案卡。"
		if o.Skipped > 0 {
			msg = fmt.Sprintf("没有需要导出的个案卡（%d 张已导出且内容未变；要重新生成文件，请加 --again）。", o.Skipped)
		}
		fmt.Fprintln(w, msg)
		return
	}
	fmt.Fprintf(w, "已导出 %d 张个案卡（批次 %s），%d 个文件，共 %d 字节：\n", o.Exported, o.Batch, len(o.Files), o.Bytes)
	for _, f := range o.Files {
		fmt.Fprintln(w, "  "+f)
	}
	fmt.Fprintln(w, "请把文件上传到平台，平台确认后登记“已上报”或导入平台反馈。")
}

// exportCards exports the cards released in [from, to] into dir (cards.ExportBatch: cards
// sealed ahead go as they are, the others are read, checked and rendered; those that fail are
// held back) and records the export. A non-nil outcome with an error says how far it got.
func exportCards(ctx context.Context, a *archive, format string, from, to time.Time, dir string, again bool, progress func(float64, string)) (*cardExportOutcome, error) {
	out := &cardExportOutcome{Format: format}
	check, err := cardChecker(a)
	if err != nil {
		return nil, err
	}
	res, err := cards.ExportBatch(ctx, a.svc.Cards, app.CardBatchRequest{Format: format, From: from, To: to, Again: again,
		Batch: cardBatch(ctx, a, dir), Dir: dir, Check: check, Progress: progress}, cards.Options{Codes: catalogCodes(a)})
	if err != nil {
		return nil, err
	}
	out.Batch, out.Exported, out.Skipped, out.Sealed, out.Files, out.Bytes = res.Batch, res.Exported, res.Skipped, res.Sealed, res.Files, res.Bytes
	out.manifest = res.Manifest
	for _, b := range res.Blocked {
		r := cardResult{ExamNumber: b.Card.ExamNumber, DocumentID: b.Card.DocumentID, Worker: b.Worker, Employer: b.Employer,
			Status: b.Card.Status.Name(), Operate: b.Card.Operate, Late: b.Card.Late}
		for _, is := range b.Issues {
			r.add(is.Level, is.Field, is.Message, is.Screen)
		}
		out.Blocked = append(out.Blocked, r)
	}
	return out, nil
}

// cardBatch names a batch: the institution code and the second of the export, with -2, -3 …
// when dir already holds a batch of that name (the same names as the window's export).
func cardBatch(ctx context.Context, a *archive, dir string) string {
	id := nowFunc().Format("20060102150405")
	if in, err := a.svc.Institution.Institution(ctx); err == nil && in != nil && in.Code != "" {
		id = in.Code + "-" + id
	}
	out := id
	for n := 2; ; n++ {
		if m, _ := filepath.Glob(filepath.Join(dir, out+".*")); len(m) == 0 {
			return out
		}
		out = fmt.Sprintf("%s-%d", id, n)
	}
}

// cmdCardsSeal seals every released card whose seal is missing or out of date.
func cmdCardsSeal(args []string) int {
	fs, g := newFlags("cards seal")
	pos, err := parse(fs, args)
	if err != nil || len(pos) > 0 {
		fmt.Fprintln(os.Stderr, cardsUsage)
		return exitUsage
	}
	a, ctx, err := login(g)
	if err != nil {
		return fail(err)
	}
	defer a.db.Close()
	if _, err := app.Authorize(ctx, "CardService.CardData"); err != nil {
		return fail(err)
	}
	sealer, ok := a.svc.Cards.(interface {
		SealPending(context.Context, []int64) (int, error)
	})
	if !ok {
		return fail(app.Errorf(app.EINVALID, "此档案的个案卡由服务器预生成"))
	}
	n, err := sealer.SealPending(ctx, nil)
	if err != nil {
		return fail(err)
	}
	fmt.Printf("已预生成 %d 张个案卡。\n", n)
	return exitOK
}
