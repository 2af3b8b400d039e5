package main

import (
	"fmt"
	"os"

	"occhealth/app"
	"occhealth/reports"
)

const settlementUsage = "report settlement --contract 合同编号 -o 文件.pdf [--date 2026-03-20] --user 用户"

// cmdReportSettlement renders a contract's settlement sheet (结算单): its agreed item sets with
// their prices and how many people took each, the total in figures and in capitals.
func cmdReportSettlement(args []string) int {
	fs, g := newFlags("report settlement")
	contract := fs.String("contract", "", "体检任务：合同编号或 ID")
	out := fs.String("o", "", "输出 PDF 文件")
	date := fs.String("date", "", "结算日期（缺省为今天），如 2026-03-20")
	if pos, err := parse(fs, args); err != nil || len(pos) > 0 || *contract == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "用法: occhealth "+settlementUsage)
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
	c, emp, exams, err := contractExams(ctx, a, *contract)
	if err != nil {
		return fail(err)
	}
	in := app.SettlementInput{Contract: c, Employer: emp, Exams: exams, Date: day}
	if in.Institution, err = a.svc.Institution.Institution(ctx); err != nil {
		return fail(err)
	}
	if in.Packages, err = a.svc.Packages.FindPackages(ctx, true); err != nil {
		return fail(err)
	}
	pdf, err := a.svc.Documents.Settlement(in)
	if code := writeDocument(pdf, err, *out); code != exitOK {
		return code
	}
	s, _ := reports.NewSettlement(in)
	fmt.Printf("结算单：%s %s，%d 人，合计 ¥%s（%s），%s\n", c.Number, emp.Name, s.People, reports.Yuan(s.TotalFen), reports.CapitalYuan(s.TotalFen), *out)
	return exitOK
}
