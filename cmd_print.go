package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"occhealth/app"
	"occhealth/reports/printer"
)

// newSpooler makes the print spooler of this platform (CUPS, or Windows' print path); tests
// replace it with a recorder.
var newSpooler = func() app.PrintSpooler { return printer.New() }

const printUsage = `用法: occhealth print (--contract 合同编号 | --exam 体检号) [--docs report,notice,summary,settlement,guide,labels]
                       [--copies 2] [--duplex] [--printer 打印机] [--label-printer 标签打印机] [--save-dir 文件夹] --user 用户
      occhealth print --list-printers [--json]
  report 个人体检报告（已审核或已发放的体检；--copies 2 印“劳动者留存”“用人单位留存”各一份）
  notice 告知书（结论要求的疑似职业病、职业禁忌证、复查告知书，致劳动者与用人单位各一份）
  summary 总结报告、settlement 结算单（体检任务的，--copies 份）
  guide 导检单、labels 条码标签（已登记待检的体检；标签送 --label-printer，单面）
  --printer 缺省为系统默认打印机；--save-dir 不打印，把各文书存为 PDF 文件`

// cmdPrint prints a contract's (or one exam's) documents as one batch, logging every job in
// the print log (a document printed before is marked 重印), or lists the printers.
func cmdPrint(args []string) int {
	fs, g := newFlags("print")
	list := fs.Bool("list-printers", false, "列出本机打印机")
	contract := fs.String("contract", "", "体检任务：合同编号或 ID")
	examNo := fs.String("exam", "", "体检号（单人）")
	docs := fs.String("docs", "report,notice", "文书：report,notice,summary,settlement,guide,labels")
	copies := fs.Int("copies", 1, "份数")
	duplex := fs.Bool("duplex", false, "双面打印（长边装订）")
	printerName := fs.String("printer", "", "打印机名称（缺省为系统默认打印机）")
	labelPrinter := fs.String("label-printer", "", "条码标签打印机（缺省同 --printer）")
	saveDir := fs.String("save-dir", "", "不打印，存为 PDF 文件到该文件夹")
	pos, err := parse(fs, args)
	if err != nil || len(pos) > 0 {
		fmt.Fprintln(os.Stderr, printUsage)
		return exitUsage
	}
	if *list {
		return listPrinters(g.json)
	}
	if (*contract == "") == (*examNo == "") {
		fmt.Fprintln(os.Stderr, "请指定 --contract 或 --exam 之一")
		fmt.Fprintln(os.Stderr, printUsage)
		return exitUsage
	}
	b := app.PrintBatch{Copies: *copies, Duplex: *duplex, Printer: *printerName, LabelPrinter: *labelPrinter}
	for _, d := range strings.Split(*docs, ",") {
		if d = strings.TrimSpace(d); d != "" {
			b.Docs = append(b.Docs, d)
		}
	}
	if *saveDir != "" {
		if st, err := os.Stat(*saveDir); err != nil || !st.IsDir() {
			return fail(app.FieldError("--save-dir", "文件夹 %s 不存在", *saveDir))
		}
	}
	a, ctx, err := login(g)
	if err != nil {
		return fail(err)
	}
	defer a.db.Close()
	if *examNo != "" {
		e, err := a.svc.Exams.FindExamByNumber(ctx, *examNo)
		if err != nil {
			return fail(err)
		}
		b.ExamID = e.ID
	} else if b.ContractID, err = findContract(a, ctx, *contract); err != nil {
		return fail(err)
	}
	plan, notes, err := app.PlanPrint(ctx, a.svc, b)
	if err != nil {
		return fail(err)
	}
	for _, n := range notes {
		fmt.Fprintln(os.Stderr, "说明："+n)
	}
	if len(plan) == 0 {
		return fail(app.Errorf(app.ENOTFOUND, "没有可打印的文书"))
	}
	last := ""
	tty := term.IsTerminal(int(os.Stderr.Fd()))
	progress := func(stage string, d *app.PrintDoc, done, total int) {
		if !tty {
			return
		}
		line := fmt.Sprintf("\r%s %d/%d %s", stage, done, total, d.Title)
		if line != last {
			fmt.Fprint(os.Stderr, line+"\033[K")
			last = line
		}
	}
	var out []app.PrintOutcome
	if *saveDir != "" {
		out, err = app.SavePrint(plan, *saveDir, progress)
	} else {
		out, err = app.RunPrint(ctx, a.svc, a.svc.Spooler, plan, b, progress)
	}
	if tty {
		fmt.Fprint(os.Stderr, "\r\033[K")
	}
	failed := 0
	for _, o := range out {
		switch {
		case o.Jobs == 0:
			failed++
			fmt.Printf("未打印：%s：%s\n", o.Doc.Title, app.ErrorMessage(o.Err))
		case *saveDir != "":
			for _, f := range o.Files {
				fmt.Printf("已保存：%s\n", f)
			}
		default:
			mark := ""
			if o.Record != nil && o.Record.Reprint {
				mark = "【重印】"
			}
			fmt.Printf("已打印：%s%s，%d 页 × %d 份\n", mark, o.Doc.Title, o.Pages, o.Doc.Copies)
		}
		for _, p := range o.Problems {
			failed++
			fmt.Printf("未打印：%s\n", p)
		}
		for _, w := range o.Warnings {
			fmt.Fprintln(os.Stderr, "警告："+w)
		}
	}
	if err != nil {
		return fail(err)
	}
	if failed > 0 {
		fmt.Fprintf(os.Stderr, "错误：%d 份文书未能打印\n", failed)
		return exitError
	}
	return exitOK
}

// listPrinters prints the system's printers, the default marked.
func listPrinters(asJSON bool) int {
	list, err := newSpooler().Printers()
	if err != nil {
		return fail(err)
	}
	if asJSON {
		if list == nil {
			list = []app.Printer{}
		}
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		enc.Encode(list)
		return exitOK
	}
	if len(list) == 0 {
		fmt.Println("本机没有打印机")
		return exitOK
	}
	for _, p := range list {
		mark := "  "
		if p.Default {
			mark = "* "
		}
		line := mark + p.Name
		if p.Info != "" {
			line += "（" + p.Info + "）"
		}
		fmt.Println(line)
	}
	return exitOK
}
