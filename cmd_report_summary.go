package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"occhealth/app"
)

const summaryUsage = "report summary --contract 合同编号 -o 文件.pdf [--date 2026-03-20] --user 用户"

// cmdReportSummary renders a contract's summary report for the employer (职业健康检查总结报告):
// every exam of the contract, the signed ones as 实检, with the names captured at signing.
func cmdReportSummary(args []string) int {
	fs, g := newFlags("report summary")
	contract := fs.String("contract", "", "体检任务：合同编号或 ID")
	out := fs.String("o", "", "输出 PDF 文件")
	date := fs.String("date", "", "报告日期（缺省为今天），如 2026-03-20")
	if pos, err := parse(fs, args); err != nil || len(pos) > 0 || *contract == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "用法: occhealth "+summaryUsage)
		return exitUsage
	}
	day, err := reportDate(*date)
	if err != nil {
		return fail(err)
	}
	a, ctx, err := login(g)
	if err != nil {
		return fail(err)
	}
	defer a.db.Close()
	start := time.Now()
	c, emp, exams, err := contractExams(ctx, a, *contract)
	if err != nil {
		return fail(err)
	}
	in := app.SummaryInput{Contract: c, Employer: emp, Exams: exams, Workers: map[int64]*app.Worker{}, HazardNames: map[string]string{}, Date: day}
	if in.Institution, err = a.svc.Institution.Institution(ctx); err != nil {
		return fail(err)
	}
	var ids []int64
	for _, e := range exams {
		if _, ok := in.Workers[e.WorkerID]; !ok {
			in.Workers[e.WorkerID] = nil
			ids = append(ids, e.WorkerID)
		}
		for _, h := range e.Hazards {
			if n, ok := a.svc.Catalogs.CodeName(app.CatalogHazards, h); ok {
				in.HazardNames[h] = n
			}
		}
	}
	for _, h := range c.Hazards {
		if n, ok := a.svc.Catalogs.CodeName(app.CatalogHazards, h); ok {
			in.HazardNames[h] = n
		}
	}
	for _, m := range c.Monitoring {
		if n, ok := a.svc.Catalogs.CodeName(app.CatalogHazards, m.HazardCode); ok {
			in.HazardNames[m.HazardCode] = n
		}
	}
	ws, err := a.svc.Workers.WorkersByIDs(ctx, ids)
	if err != nil {
		return fail(err)
	}
	for _, w := range ws {
		in.Workers[w.ID] = w
	}
	if a.svc.DocumentSettings != nil {
		if in.Texts, err = a.svc.DocumentSettings.DocumentTexts(ctx); err != nil {
			return fail(err)
		}
		if in.Texts != nil && in.Texts.Images[app.DocSummary].Seal {
			if in.Seal, err = a.svc.DocumentSettings.SealImage(ctx); err != nil {
				return fail(err)
			}
		}
	}
	pdf, err := a.svc.Documents.SummaryReport(in)
	if code := writeDocument(pdf, err, *out); code != exitOK {
		return code
	}
	fmt.Printf("总结报告：%s %s，体检 %d 条，%s（%d KB，%.2f 秒）\n", c.Number, emp.Name, len(exams), *out, len(pdf)/1024, time.Since(start).Seconds())
	return exitOK
}

// reportDate reads --date ("" is today).
func reportDate(s string) (time.Time, error) {
	if s == "" {
		now := time.Now()
		return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local), nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, time.Local)
	if err != nil {
		return time.Time{}, app.Errorf(app.EINVALID, "--date“%s”不是日期，应写作 2026-03-20", s)
	}
	return t, nil
}

// contractExams reads a contract (by number or ID), its employer and every exam of it with
// its record.
func contractExams(ctx context.Context, a *archive, contract string) (*app.Contract, *app.Employer, []*app.Exam, error) {
	cid, err := findContract(a, ctx, contract)
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := a.svc.Contracts.FindContractByID(ctx, cid)
	if err != nil {
		return nil, nil, nil, err
	}
	emp, err := a.svc.Employers.FindEmployerByID(ctx, c.EmployerID)
	if err != nil {
		return nil, nil, nil, err
	}
	list, _, err := a.svc.Exams.FindExams(ctx, app.ExamFilter{ContractID: cid})
	if err != nil {
		return nil, nil, nil, err
	}
	exams := make([]*app.Exam, 0, len(list))
	for _, e := range list {
		full, err := a.svc.Exams.FindExamByID(ctx, e.ID)
		if err != nil {
			return nil, nil, nil, err
		}
		exams = append(exams, full)
	}
	return c, emp, exams, nil
}

// writeDocument writes a rendered PDF. A character no bundled font has still gives a complete
// PDF with 〓 in its place: the file is kept with a warning. It returns the exit code.
func writeDocument(pdf []byte, err error, out string) int {
	if err != nil && len(pdf) == 0 {
		return fail(err)
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "警告："+app.ErrorMessage(err)+"（文件已生成，缺字处印为〓，请手写补正）")
	}
	if err := os.WriteFile(out, pdf, 0o644); err != nil {
		return fail(err)
	}
	return exitOK
}
