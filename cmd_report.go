package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"occhealth/app"
	"occhealth/reports"
)

// cmdReport renders documents: guide sheets and tube labels of a contract or of one exam.
func cmdReport(args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "notice":
			return cmdReportNotice(args[1:])
		case "exam":
			return cmdReportExam(args[1:])
		case "summary":
			return cmdReportSummary(args[1:])
		case "settlement":
			return cmdReportSettlement(args[1:])
		}
	}
	if len(args) == 0 || (args[0] != "guide" && args[0] != "labels") {
		fmt.Fprintln(os.Stderr, "用法: occhealth report guide|labels (--contract 合同编号 | --exam 体检号) -o 文件.pdf --user 用户")
		fmt.Fprintln(os.Stderr, "      occhealth "+noticeUsage)
		fmt.Fprintln(os.Stderr, "      occhealth "+reportExamUsage)
		return exitUsage
	}
	kind := args[0]
	fs, g := newFlags("report " + kind)
	contract := fs.String("contract", "", "体检任务：合同编号或 ID（该任务全部已登记的体检）")
	examNo := fs.String("exam", "", "体检号（单人）")
	out := fs.String("o", "", "输出 PDF 文件")
	if _, err := parse(fs, args[1:]); err != nil || *out == "" || (*contract == "") == (*examNo == "") {
		fmt.Fprintln(os.Stderr, "用法: occhealth report guide|labels (--contract 合同编号 | --exam 体检号) -o 文件.pdf")
		return exitUsage
	}
	a, ctx, err := login(g)
	if err != nil {
		return fail(err)
	}
	defer a.db.Close()
	var exams []*app.Exam
	contractNumber := ""
	if *examNo != "" {
		e, err := a.svc.Exams.FindExamByNumber(ctx, *examNo)
		if err != nil {
			return fail(err)
		}
		exams = []*app.Exam{e}
	} else {
		cid, err := findContract(a, ctx, *contract)
		if err != nil {
			return fail(err)
		}
		all, _, err := a.svc.Exams.FindExams(ctx, app.ExamFilter{ContractID: cid, State: app.ExamRegistered})
		if err != nil {
			return fail(err)
		}
		exams = all
	}
	if len(exams) == 0 {
		return fail(app.Errorf(app.ENOTFOUND, "没有已登记的体检"))
	}
	inputs, err := guideInputs(ctx, a.svc, exams, contractNumber)
	if err != nil {
		return fail(err)
	}
	start := time.Now()
	var pdf []byte
	if kind == "guide" {
		in, ierr := a.svc.Institution.Institution(ctx)
		if ierr != nil {
			return fail(ierr)
		}
		pdf, err = a.svc.Documents.GuideSheets(in, inputs, func(done, total int) {
			if done%200 == 0 || done == total {
				fmt.Fprintf(os.Stderr, "\r导检单 %d/%d", done, total)
			}
		})
		fmt.Fprintln(os.Stderr)
	} else {
		pdf, err = a.svc.Documents.TubeLabels(inputs)
	}
	// A character no bundled font has (a rare name) still gives a complete PDF, with 〓 in its
	// place: keep the file and say so, never print a wrong name silently.
	if err != nil && len(pdf) == 0 {
		return fail(err)
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "警告："+app.ErrorMessage(err)+"（文件已生成，缺字处印为〓，请手写补正）")
	}
	if err := os.WriteFile(*out, pdf, 0o644); err != nil {
		return fail(err)
	}
	what := map[string]string{"guide": "导检单", "labels": "条码标签"}[kind]
	fmt.Printf("%s：%d 人，%s（%.1f MB，%.1f 秒）\n", what, len(exams), *out, float64(len(pdf))/1e6, time.Since(start).Seconds())
	return exitOK
}

// guideInputs reads the records each exam's documents print.
func guideInputs(ctx context.Context, svc app.Services, exams []*app.Exam, contractNumber string) ([]app.GuideInput, error) {
	workers := map[int64]*app.Worker{}
	employers := map[int64]*app.Employer{}
	contracts := map[int64]string{}
	var ids []int64
	for _, e := range exams {
		if workers[e.WorkerID] == nil {
			workers[e.WorkerID] = nil
			ids = append(ids, e.WorkerID)
		}
	}
	ws, err := svc.Workers.WorkersByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, w := range ws {
		workers[w.ID] = w
	}
	out := make([]app.GuideInput, 0, len(exams))
	for _, e := range exams {
		emp, ok := employers[e.EmployerID]
		if !ok {
			if emp, err = svc.Employers.FindEmployerByID(ctx, e.EmployerID); err != nil {
				return nil, err
			}
			employers[e.EmployerID] = emp
		}
		cn := contractNumber
		if e.ContractID != 0 {
			if n, ok := contracts[e.ContractID]; ok {
				cn = n
			} else if c, err := svc.Contracts.FindContractByID(ctx, e.ContractID); err == nil {
				contracts[e.ContractID], cn = c.Number, c.Number
			}
		}
		var names []string
		for _, h := range e.Hazards {
			n, ok := svc.Catalogs.CodeName(app.CatalogHazards, h)
			if !ok {
				n = h
			}
			names = append(names, n)
		}
		w := workers[e.WorkerID]
		if w == nil {
			return nil, app.Errorf(app.ENOTFOUND, "体检 %s 的劳动者档案 %s 不存在", e.Number, strconv.FormatInt(e.WorkerID, 10))
		}
		out = append(out, app.GuideInput{Exam: e, Worker: w, Employer: emp, ContractNumber: cn, HazardNames: names})
	}
	return out, nil
}

const noticeUsage = "report notice --exam 体检号 --kind suspected|contraindication|recheck --to 劳动者|用人单位 -o 文件.pdf [--wording 告知书文字.json] --user 用户"

// cmdReportNotice renders the 疑似职业病告知书 or 职业禁忌证告知书 of a signed exam for the
// worker or the employer. --wording prints with an administrator's corrected copy of the legal
// text (reports/notice_wording.json).
func cmdReportNotice(args []string) int {
	fs, g := newFlags("report notice")
	examNo := fs.String("exam", "", "体检号")
	kind := fs.String("kind", "", "suspected（疑似职业病告知书）、contraindication（职业禁忌证告知书）或 recheck（复查通知书）")
	to := fs.String("to", "劳动者", "告知对象：劳动者 或 用人单位")
	out := fs.String("o", "", "输出 PDF 文件")
	wordingFile := fs.String("wording", "", "告知书文字文件（JSON，缺省用内置文字）")
	if pos, err := parse(fs, args); err != nil || len(pos) > 0 || *examNo == "" || *out == "" ||
		(*kind != app.NoticeSuspected && *kind != app.NoticeContraindication && *kind != app.NoticeRecheck) {
		fmt.Fprintln(os.Stderr, "用法: occhealth "+noticeUsage)
		return exitUsage
	}
	wording := reports.DefaultNoticeWording()
	if *wordingFile != "" {
		b, err := os.ReadFile(*wordingFile)
		if err != nil {
			return fail(err)
		}
		if wording, err = reports.ParseNoticeWording(b); err != nil {
			return fail(err)
		}
	}
	a, ctx, err := login(g)
	if err != nil {
		return fail(err)
	}
	defer a.db.Close()
	in, err := noticeInput(ctx, a.svc, *examNo, *to)
	if err != nil {
		return fail(err)
	}
	n, err := reports.NewNotice(*kind, in, wording)
	if err != nil {
		return fail(err)
	}
	pdf, err := reports.RenderNotice(n)
	if err != nil && len(pdf) == 0 {
		return fail(err)
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "警告："+app.ErrorMessage(err)+"（文件已生成，缺字处印为〓，请手写补正）")
	}
	if err := os.WriteFile(*out, pdf, 0o644); err != nil {
		return fail(err)
	}
	fmt.Printf("%s（致%s）：%s %s，%s\n", n.Title, n.Addressee, n.Worker, n.ExamNumber, *out)
	return exitOK
}

// noticeInput reads what a notice prints: the exam with its record, the worker, the employer,
// the institution and the hazard names.
func noticeInput(ctx context.Context, svc app.Services, examNo, to string) (app.NoticeInput, error) {
	e, err := svc.Exams.FindExamByNumber(ctx, examNo)
	if err != nil {
		return app.NoticeInput{}, err
	}
	w, err := svc.Workers.FindWorkerByID(ctx, e.WorkerID)
	if err != nil {
		return app.NoticeInput{}, err
	}
	emp, err := svc.Employers.FindEmployerByID(ctx, e.EmployerID)
	if err != nil {
		return app.NoticeInput{}, err
	}
	inst, err := svc.Institution.Institution(ctx)
	if err != nil {
		return app.NoticeInput{}, err
	}
	names := map[string]string{}
	for _, h := range e.Hazards {
		if n, ok := svc.Catalogs.CodeName(app.CatalogHazards, h); ok {
			names[h] = n
		}
	}
	return app.NoticeInput{Institution: inst, Exam: e, Worker: w, Employer: emp, Addressee: to, HazardNames: names}, nil
}
