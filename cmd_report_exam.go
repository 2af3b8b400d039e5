package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"occhealth/app"
	"occhealth/reports"
)

const reportExamUsage = "report exam 体检号 [--copy 劳动者留存] -o 文件.pdf --user 用户"

// cmdReportExam renders the individual report (职业健康检查报告) of a signed exam: one copy per
// label of the institution's text block report.copies (劳动者留存, 用人单位留存), or the one
// --copy names, in one PDF with page numbers per copy.
func cmdReportExam(args []string) int {
	fs, g := newFlags("report exam")
	copyLabel := fs.String("copy", "", "只打印这一联（如 劳动者留存）；缺省打印文书设置中的各联")
	out := fs.String("o", "", "输出 PDF 文件")
	pos, err := parse(fs, args)
	if err != nil || len(pos) != 1 || *out == "" {
		fmt.Fprintln(os.Stderr, "用法: occhealth "+reportExamUsage)
		return exitUsage
	}
	a, ctx, err := login(g)
	if err != nil {
		return fail(err)
	}
	defer a.db.Close()
	in, err := examReportInputs(ctx, a.svc, pos[0], *copyLabel)
	if err != nil {
		return fail(err)
	}
	pdf, err := a.svc.Documents.ExamReports(in, nil)
	// A character no bundled font has still gives a complete PDF with 〓 in its place: keep
	// the file and say so, never print a wrong name silently.
	if err != nil && len(pdf) == 0 {
		return fail(err)
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "警告："+app.ErrorMessage(err)+"（文件已生成，缺字处印为〓，请手写补正）")
	}
	if err := os.WriteFile(*out, pdf, 0o644); err != nil {
		return fail(err)
	}
	var copies []string
	for _, x := range in {
		if x.Copy != "" {
			copies = append(copies, x.Copy)
		}
	}
	p := in[0].Exam.Record.Parties
	fmt.Printf("职业健康检查报告：%s %s，%d 联（%s），%s（%d KB）\n", p.Worker.Name, in[0].Exam.Number, len(in),
		strings.Join(copies, "、"), *out, (len(pdf)+1023)/1024)
	return exitOK
}

// examReportInputs reads what the report of an exam prints: the exam with its record, the
// institution, the document texts, and the seal and signature images where the settings
// allow them for reports. One input per copy.
func examReportInputs(ctx context.Context, svc app.Services, examNo, copyLabel string) ([]app.ExamReportInput, error) {
	e, err := svc.Exams.FindExamByNumber(ctx, strings.TrimSpace(examNo))
	if err != nil {
		return nil, err
	}
	inst, err := svc.Institution.Institution(ctx)
	if err != nil {
		return nil, err
	}
	texts, err := svc.DocumentSettings.DocumentTexts(ctx)
	if err != nil {
		return nil, err
	}
	base := app.ExamReportInput{Institution: inst, Exam: e, Texts: texts}
	if texts != nil && texts.Images[app.DocReport].Seal {
		if base.Seal, err = svc.DocumentSettings.SealImage(ctx); err != nil {
			return nil, err
		}
	}
	if texts != nil && texts.Images[app.DocReport].Signature && e.Record != nil && e.Record.Signature != nil {
		if base.Signature, err = svc.DocumentSettings.SignatureImage(ctx, e.Record.Signature.Login); err != nil {
			return nil, err
		}
	}
	copies := []string{copyLabel}
	if copyLabel == "" {
		if copies = reports.ReportCopies(texts); len(copies) == 0 {
			copies = []string{""}
		}
	}
	in := make([]app.ExamReportInput, len(copies))
	for i, c := range copies {
		in[i] = base
		in[i].Copy = c
	}
	return in, nil
}
