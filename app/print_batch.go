package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Batch printing (issue 6): what a contract's (or one exam's) documents are, rendered through
// Documents, sent through a PrintSpooler and logged through PrintLogService. Shared by the
// 报告打印 screen and `occhealth print`; only services are used, so it lives here.

// PrintBatch is what to print: the documents of a contract (or of one exam), how many copies,
// duplex, and where.
type PrintBatch struct {
	ContractID int64 // a contract's exams (0 with ExamID)
	ExamID     int64 // one exam instead of a contract
	// Docs are the document types: DocReport, DocNotice, DocSummary, DocSettlement (the
	// last two a contract's only), DocGuide and DocLabels (of the registered exams).
	Docs []string
	// Copies: an individual report prints as many labelled copies (劳动者留存, 用人单位留存 …);
	// the summary and the settlement sheet print Copies copies. Notices print one for the
	// worker and one for the employer.
	Copies  int
	Duplex  bool
	Printer string // "" for the system default
	// LabelPrinter takes the tube labels ("" sends them to Printer).
	LabelPrinter string
}

// PrintDocNames are the Chinese names of the document types a batch prints.
var PrintDocNames = map[string]string{
	DocReport:     "个人体检报告",
	DocNotice:     "告知书",
	DocSummary:    "总结报告",
	DocSettlement: "结算单",
	DocGuide:      "导检单",
	DocLabels:     "条码标签",
}

// MaxPrintCopies is the most copies one job may ask for (a typo of 200 for 2 should not empty
// the paper store).
const MaxPrintCopies = 50

// DefaultReportCopyLabels label the copies of an individual report; DocumentTexts.Blocks
// "report.copies" (labels separated by spaces, 、 or lines) overrides them.
var DefaultReportCopyLabels = []string{"劳动者留存", "用人单位留存", "体检机构存档"}

// PrintDoc is one document of a batch: one line of the print log. Most are one PDF and one
// print job; the notices of a batch are one PDF each (one job each) logged together.
type PrintDoc struct {
	Doc        string // DocReport …
	Title      string // for the queue, the screen and the file name
	ContractID int64
	ExamIDs    []int64
	Copies     int // copies of each job (a report's labelled copies are pages of its PDF)
	Note       string
	// Printer, when set, is where the document goes instead of the batch's printer (tube
	// labels to the label printer); Simplex documents never print duplex.
	Printer string
	Simplex bool
	parts   []printPart
}

type printPart struct {
	title  string
	exams  []int64
	units  int // rendering work (reports rendered), for the progress bar
	render func(progress func(done int)) ([]byte, error)
}

// Units is the rendering work of the document, for a progress bar.
func (d *PrintDoc) Units() int {
	n := 0
	for _, p := range d.parts {
		n += p.units
	}
	return n
}

// Parts is the number of PDFs (print jobs) the document makes.
func (d *PrintDoc) Parts() int { return len(d.parts) }

// PlanPrint reads what the batch prints and returns its documents, and notes on what was left
// out and why (exams not yet reviewed …). Nothing is rendered yet.
func PlanPrint(ctx context.Context, svc Services, b PrintBatch) ([]*PrintDoc, []string, error) {
	src, err := LoadPrintSource(ctx, svc, b.ContractID, b.ExamID)
	if err != nil {
		return nil, nil, err
	}
	return src.Plan(ctx, svc, b)
}

// PrintSource is what a batch prints from: a contract's exams (or one exam) with their
// records, the institution and the text blocks, read once and planned again as the choices
// on the screen change.
type PrintSource struct {
	contractID, examID int64
	inst               *Institution
	texts              *DocumentTexts
	contract           *Contract
	employer           *Employer
	exams              []*Exam // the contract's (or the one), with records where signed
}

// ContractID and ExamID are what the source was read for.
func (src *PrintSource) ContractID() int64 { return src.contractID }
func (src *PrintSource) ExamID() int64     { return src.examID }

// Plan is PlanPrint on what was read; the batch's ContractID and ExamID are the source's.
func (src *PrintSource) Plan(ctx context.Context, svc Services, b PrintBatch) ([]*PrintDoc, []string, error) {
	b.ContractID, b.ExamID = src.contractID, src.examID
	if svc.Documents == nil {
		return nil, nil, Errorf(EINTERNAL, "文书模块未连接")
	}
	if len(b.Docs) == 0 {
		return nil, nil, FieldError("文书", "请至少选择一种")
	}
	if b.Copies == 0 {
		b.Copies = 1
	}
	if b.Copies < 1 || b.Copies > MaxPrintCopies {
		return nil, nil, FieldError("份数", "应为 1 到 %d，现为 %d", MaxPrintCopies, b.Copies)
	}
	p := printPlanner{PrintSource: src, ctx: ctx, svc: svc, b: b}
	var docs []*PrintDoc
	for _, d := range b.Docs {
		switch d {
		case DocReport:
			docs = append(docs, p.reports()...)
		case DocNotice:
			docs = append(docs, p.notices()...)
		case DocSummary, DocSettlement:
			if p.contract == nil {
				p.notes = append(p.notes, PrintDocNames[d]+"按体检任务打印，单人体检没有"+PrintDocNames[d])
				continue
			}
			x, err := p.contractDoc(d)
			if err != nil {
				return nil, nil, err
			}
			docs = append(docs, x)
		case DocGuide, DocLabels:
			if x, err := p.guideDoc(d); err != nil {
				return nil, nil, err
			} else if x != nil {
				docs = append(docs, x)
			}
		default:
			return nil, nil, FieldError("文书", "不认识“%s”（可选 report、notice、summary、settlement、guide、labels）", d)
		}
	}
	return docs, p.notes, nil
}

type printPlanner struct {
	*PrintSource
	ctx   context.Context
	svc   Services
	b     PrintBatch
	notes []string
	signs map[string][]byte // signature images read for this plan, by login
}

// contractID is the batch's contract, or the contract of its one exam (so that the contract's
// print log lists it).
func (p *printPlanner) contractID() int64 {
	if p.b.ContractID == 0 && len(p.exams) == 1 {
		return p.exams[0].ContractID
	}
	return p.b.ContractID
}

func signedState(s ExamState) bool {
	return s == ExamConcluded || s == ExamReviewed || s == ExamReleased
}

// LoadPrintSource reads what the documents of a contract (or of one exam, examID) print.
func LoadPrintSource(ctx context.Context, svc Services, contractID, examID int64) (*PrintSource, error) {
	p := &PrintSource{contractID: contractID, examID: examID}
	if examID != 0 {
		p.contractID = 0
	}
	var err error
	if p.inst, err = svc.Institution.Institution(ctx); err != nil {
		return nil, err
	}
	if svc.DocumentSettings != nil {
		if p.texts, err = svc.DocumentSettings.DocumentTexts(ctx); err != nil {
			return nil, err
		}
	}
	if examID != 0 {
		e, err := svc.Exams.FindExamByID(ctx, examID)
		if err != nil {
			return nil, err
		}
		p.exams = []*Exam{e}
		return p, nil
	}
	if contractID == 0 {
		return nil, FieldError("体检任务", "请选择体检任务或输入体检号")
	}
	if p.contract, err = svc.Contracts.FindContractByID(ctx, contractID); err != nil {
		return nil, err
	}
	if p.employer, err = svc.Employers.FindEmployerByID(ctx, p.contract.EmployerID); err != nil {
		return nil, err
	}
	list, _, err := svc.Exams.FindExams(ctx, ExamFilter{ContractID: contractID})
	if err != nil {
		return nil, err
	}
	for _, e := range list {
		if signedState(e.State) && e.Record == nil {
			if e, err = svc.Exams.FindExamByID(ctx, e.ID); err != nil {
				return nil, err
			}
		}
		p.exams = append(p.exams, e)
	}
	return p, nil
}

// seal returns the seal image for a document type when the settings allow it, nil otherwise.
func (p *printPlanner) seal(doc string) []byte {
	if p.texts == nil || !p.texts.Images[doc].Seal || p.svc.DocumentSettings == nil {
		return nil
	}
	png, err := p.svc.DocumentSettings.SealImage(p.ctx)
	if err != nil {
		p.notes = append(p.notes, "印章图片无法读取（"+ErrorMessage(err)+"），留空白处盖章")
		return nil
	}
	return png
}

// signature returns the image of the doctor who signed e, when the settings allow signature
// images for doc; nil otherwise (the signature place stays blank for a hand signature).
func (p *printPlanner) signature(doc string, e *Exam) []byte {
	if p.texts == nil || !p.texts.Images[doc].Signature || p.svc.DocumentSettings == nil ||
		e.Record == nil || e.Record.Signature == nil || e.Record.Signature.Login == "" {
		return nil
	}
	login := e.Record.Signature.Login
	if png, ok := p.signs[login]; ok {
		return png
	}
	png, err := p.svc.DocumentSettings.SignatureImage(p.ctx, login)
	if err != nil {
		p.notes = append(p.notes, "签名图片无法读取（"+ErrorMessage(err)+"），留空白手写签名")
		png = nil
	}
	if p.signs == nil {
		p.signs = map[string][]byte{}
	}
	p.signs[login] = png
	return png
}

func (p *printPlanner) copyLabels() []string {
	if p.b.Copies == 1 {
		return []string{""}
	}
	labels := DefaultReportCopyLabels
	if p.texts != nil {
		if s := strings.TrimSpace(p.texts.Blocks["report.copies"]); s != "" {
			labels = strings.Fields(strings.ReplaceAll(s, "、", " "))
		}
	}
	out := make([]string, p.b.Copies)
	for i := range out {
		if i < len(labels) {
			out[i] = labels[i]
		} else {
			out[i] = fmt.Sprintf("副本%d", i+1)
		}
	}
	return out
}

func (p *printPlanner) reports() []*PrintDoc {
	var ready []*Exam
	waiting := 0
	for _, e := range p.exams {
		if (e.State == ExamReviewed || e.State == ExamReleased) && e.Record != nil && e.Record.Parties != nil {
			ready = append(ready, e)
		} else if e.State != ExamCancelled && e.State != ExamNoShow && e.State != ExamVoided {
			waiting++
		}
	}
	if p.b.ExamID != 0 && len(ready) == 0 {
		p.notes = append(p.notes, fmt.Sprintf("体检 %s %s：个人报告须审核后打印", p.exams[0].Number, p.exams[0].State.Name()))
		return nil
	} else if waiting > 0 {
		p.notes = append(p.notes, fmt.Sprintf("%d 人尚未审核，未打印个人报告", waiting))
	}
	if len(ready) == 0 {
		return nil
	}
	labels := p.copyLabels()
	seal := p.seal(DocReport)
	var in []ExamReportInput
	ids := make([]int64, 0, len(ready))
	for _, e := range ready {
		ids = append(ids, e.ID)
		for _, l := range labels {
			in = append(in, ExamReportInput{Institution: p.inst, Exam: e, Copy: l, Texts: p.texts, Seal: seal,
				Signature: p.signature(DocReport, e)})
		}
	}
	title := fmt.Sprintf("个人体检报告 %d 人", len(ready))
	if len(ready) == 1 {
		title = "个人体检报告 " + ready[0].Number + " " + printPartiesName(ready[0])
	}
	if len(labels) > 1 {
		title += fmt.Sprintf("（每人 %d 份）", len(labels))
	}
	docs := p.svc.Documents
	return []*PrintDoc{{Doc: DocReport, Title: title, ContractID: p.contractID(), ExamIDs: ids, Copies: 1,
		Note: strings.Join(slices.DeleteFunc(slices.Clone(labels), func(s string) bool { return s == "" }), "、"),
		parts: []printPart{{title: title, exams: ids, units: len(in), render: func(progress func(int)) ([]byte, error) {
			return docs.ExamReports(in, func(done, total int) { progress(done) })
		}}}}}
}

func printPartiesName(e *Exam) string {
	if e.Record != nil && e.Record.Parties != nil {
		return e.Record.Parties.Worker.Name
	}
	return ""
}

// printNoticeKinds are the notices an exam's signed conclusion calls for.
func printNoticeKinds(e *Exam) []string {
	if e.Record == nil || e.Record.Conclusion == nil {
		return nil
	}
	has := map[string]bool{}
	for _, h := range e.Record.Conclusion.Hazards {
		has[h.Code] = true
	}
	var kinds []string
	if has[ConclusionSuspected] {
		kinds = append(kinds, NoticeSuspected)
	}
	if has[ConclusionContraindication] {
		kinds = append(kinds, NoticeContraindication)
	}
	if has[ConclusionRecheck] || e.Record.Conclusion.Recheck != nil {
		kinds = append(kinds, NoticeRecheck)
	}
	return kinds
}

// NoticeNames are the titles of the notices by kind.
var NoticeNames = map[string]string{
	NoticeSuspected:        "疑似职业病告知书",
	NoticeContraindication: "职业禁忌证告知书",
	NoticeRecheck:          "复查通知书",
}

// notices makes one document of all the notices the batch's signed conclusions call for,
// each to the worker and to the employer: one PDF (one job) per notice, one log line.
func (p *printPlanner) notices() []*PrintDoc {
	d := &PrintDoc{Doc: DocNotice, ContractID: p.contractID(), Copies: 1}
	count := map[string]int{}
	for _, e := range p.exams {
		if !signedState(e.State) || e.Record == nil || e.Record.Signature == nil {
			continue
		}
		kinds := printNoticeKinds(e)
		if len(kinds) > 0 {
			d.ExamIDs = append(d.ExamIDs, e.ID)
		}
		for _, kind := range kinds {
			count[kind]++
			for _, to := range []string{"劳动者", "用人单位"} {
				in := NoticeInput{Institution: p.inst, Exam: e, Addressee: to, HazardNames: map[string]string{}}
				if pt := e.Record.Parties; pt != nil {
					w, emp := pt.Worker, pt.Employer
					in.Worker, in.Employer, in.HazardNames = &w, &emp, pt.HazardNames
				}
				kind, docs := kind, p.svc.Documents
				d.parts = append(d.parts, printPart{
					title: fmt.Sprintf("%s %s %s（致%s）", NoticeNames[kind], e.Number, printPartiesName(e), to),
					exams: []int64{e.ID}, units: 1,
					render: func(progress func(int)) ([]byte, error) {
						b, err := docs.Notice(kind, in)
						progress(1)
						return b, err
					}})
			}
		}
	}
	if len(d.parts) == 0 {
		p.notes = append(p.notes, "没有需要告知书的已签名体检")
		return nil
	}
	var what []string
	for _, k := range []string{NoticeSuspected, NoticeContraindication, NoticeRecheck} {
		if count[k] > 0 {
			what = append(what, fmt.Sprintf("%s %d 人", NoticeNames[k], count[k]))
		}
	}
	d.Note = strings.Join(what, "，") + "；致劳动者、用人单位各一份"
	if len(d.parts) == 2 {
		d.Title = strings.TrimSuffix(d.parts[0].title, "（致劳动者）")
	} else {
		d.Title = fmt.Sprintf("告知书 %d 份（%s）", len(d.parts), strings.Join(what, "，"))
	}
	return []*PrintDoc{d}
}

// guideDoc is the guide sheets or the tube labels of the batch's registered exams (of its one
// exam, whatever its state short of cancelled): labels go to the label printer, simplex.
func (p *printPlanner) guideDoc(doc string) (*PrintDoc, error) {
	var exams []*Exam
	for _, e := range p.exams {
		switch {
		case e.State == ExamCancelled || e.State == ExamNoShow || e.State == ExamVoided:
		case p.b.ExamID != 0 || e.State == ExamRegistered:
			exams = append(exams, e)
		}
	}
	if len(exams) == 0 {
		p.notes = append(p.notes, "没有已登记待检的体检，不打印"+PrintDocNames[doc])
		return nil, nil
	}
	in, err := guideInputs(p.ctx, p.svc, exams)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(exams))
	for i, e := range exams {
		ids[i] = e.ID
	}
	title := fmt.Sprintf("%s %d 人", PrintDocNames[doc], len(exams))
	if len(exams) == 1 {
		title = PrintDocNames[doc] + " " + exams[0].Number + " " + in[0].Worker.Name
	}
	d := &PrintDoc{Doc: doc, Title: title, ContractID: p.contractID(), ExamIDs: ids, Copies: 1}
	docs, inst := p.svc.Documents, p.inst
	if doc == DocLabels {
		d.Printer, d.Simplex = p.b.LabelPrinter, true
		d.parts = []printPart{{title: title, exams: ids, units: 1, render: func(progress func(int)) ([]byte, error) {
			b, err := docs.TubeLabels(in)
			progress(1)
			return b, err
		}}}
		return d, nil
	}
	d.parts = []printPart{{title: title, exams: ids, units: len(in), render: func(progress func(int)) ([]byte, error) {
		return docs.GuideSheets(inst, in, func(done, total int) { progress(done) })
	}}}
	return d, nil
}

// guideInputs reads what the guide sheets and labels of exams print.
func guideInputs(ctx context.Context, svc Services, exams []*Exam) ([]GuideInput, error) {
	var ids []int64
	seen := map[int64]bool{}
	for _, e := range exams {
		if !seen[e.WorkerID] {
			seen[e.WorkerID] = true
			ids = append(ids, e.WorkerID)
		}
	}
	workers := map[int64]*Worker{}
	for i := 0; i < len(ids); i += 500 {
		ws, err := svc.Workers.WorkersByIDs(ctx, ids[i:min(i+500, len(ids))])
		if err != nil {
			return nil, err
		}
		for _, w := range ws {
			workers[w.ID] = w
		}
	}
	employers := map[int64]*Employer{}
	contracts := map[int64]string{}
	out := make([]GuideInput, 0, len(exams))
	for _, e := range exams {
		emp, ok := employers[e.EmployerID]
		if !ok {
			var err error
			if emp, err = svc.Employers.FindEmployerByID(ctx, e.EmployerID); err != nil {
				return nil, err
			}
			employers[e.EmployerID] = emp
		}
		cn := ""
		if e.ContractID != 0 {
			if n, ok := contracts[e.ContractID]; ok {
				cn = n
			} else if c, err := svc.Contracts.FindContractByID(ctx, e.ContractID); err == nil {
				contracts[e.ContractID], cn = c.Number, c.Number
			}
		}
		w := workers[e.WorkerID]
		if w == nil {
			return nil, Errorf(ENOTFOUND, "体检 %s 的劳动者档案不存在", e.Number)
		}
		var names []string
		for _, h := range e.Hazards {
			n := h
			if svc.Catalogs != nil {
				if x, ok := svc.Catalogs.CodeName(CatalogHazards, h); ok {
					n = x
				}
			}
			names = append(names, n)
		}
		out = append(out, GuideInput{Exam: e, Worker: w, Employer: emp, ContractNumber: cn, HazardNames: names})
	}
	return out, nil
}

func (p *printPlanner) contractDoc(doc string) (*PrintDoc, error) {
	docs := p.svc.Documents
	now := time.Now()
	if p.svc.Now != nil {
		now = p.svc.Now()
	}
	d := &PrintDoc{Doc: doc, ContractID: p.contract.ID, Copies: p.b.Copies,
		Title: PrintDocNames[doc] + " " + p.contract.Number + " " + p.employer.Name}
	var render func() ([]byte, error)
	if doc == DocSummary {
		ws := map[int64]*Worker{}
		var ids []int64
		names := map[string]string{}
		for _, e := range p.exams {
			ids = append(ids, e.WorkerID)
			for _, h := range e.Hazards {
				if p.svc.Catalogs == nil {
					break
				}
				if n, ok := p.svc.Catalogs.CodeName(CatalogHazards, h); ok {
					names[h] = n
				}
			}
		}
		for i := 0; i < len(ids); i += 500 {
			list, err := p.svc.Workers.WorkersByIDs(p.ctx, ids[i:min(i+500, len(ids))])
			if err != nil {
				return nil, err
			}
			for _, w := range list {
				ws[w.ID] = w
			}
		}
		in := SummaryInput{Institution: p.inst, Contract: p.contract, Employer: p.employer, Exams: p.exams,
			Workers: ws, HazardNames: names, Texts: p.texts, Seal: p.seal(DocSummary), Date: now}
		render = func() ([]byte, error) { return docs.SummaryReport(in) }
	} else {
		pkgs, err := p.svc.Packages.FindPackages(p.ctx, true)
		if err != nil {
			return nil, err
		}
		in := SettlementInput{Institution: p.inst, Contract: p.contract, Employer: p.employer, Exams: p.exams, Packages: pkgs, Date: now}
		render = func() ([]byte, error) { return docs.Settlement(in) }
	}
	d.parts = []printPart{{title: d.Title, units: 1, render: func(progress func(int)) ([]byte, error) {
		b, err := render()
		progress(1)
		return b, err
	}}}
	return d, nil
}

// PrintOutcome is what became of one document of a batch.
type PrintOutcome struct {
	Doc   *PrintDoc
	Jobs  int // PDFs sent (or saved)
	Pages int // pages of one copy, all jobs together
	// Record is the print log entry (nil when nothing was printed, or when saving).
	Record *PrintRecord
	// Files are the PDFs written by SavePrint.
	Files []string
	// Warnings are about what was printed (a missing character printed as 〓); Problems
	// about the parts that could not be rendered (the others were printed).
	Warnings, Problems []string
	// Err says why nothing of the document was printed.
	Err error
}

// PrintProgress reports a batch's progress: the stage ("生成" or "发送"), the document, and
// the work done of the total (rendering units plus one per PDF sent).
type PrintProgress func(stage string, d *PrintDoc, done, total int)

// RunPrint renders each document, sends it to the spooler and logs it. A document that cannot
// be rendered is skipped with its error; when the printer refuses a job the rest are not
// sent (the same error would repeat) and the error is returned with the outcomes so far.
// Each document printed gets one print-log line, with Reprint set by the store.
func RunPrint(ctx context.Context, svc Services, sp PrintSpooler, docs []*PrintDoc, b PrintBatch, progress PrintProgress) ([]PrintOutcome, error) {
	if sp == nil {
		return nil, Errorf(EINVALID, "本机未连接打印系统：请“另存为 PDF”后打印")
	}
	if svc.PrintLog == nil {
		return nil, Errorf(EINTERNAL, "打印记录服务未连接")
	}
	printerOf := func(d *PrintDoc) string {
		if d.Printer != "" {
			return d.Printer
		}
		return b.Printer
	}
	return runPrintDocs(docs, progress, func(d *PrintDoc, title string, pdf []byte) (string, error) {
		return "", sp.Print(PrintJob{Printer: printerOf(d), Title: title, PDF: pdf, Copies: d.Copies, Duplex: b.Duplex && !d.Simplex})
	}, func(d *PrintDoc, o *PrintOutcome, exams []int64) error {
		printer := printerOf(d)
		if printer == "" {
			printer = "默认打印机"
		}
		rec, err := svc.PrintLog.LogPrint(ctx, PrintRecord{Doc: d.Doc, ContractID: d.ContractID, ExamIDs: exams,
			Printer: printer, Copies: d.Copies, Pages: o.Pages, Note: d.Note})
		if err != nil {
			return Errorf(ErrorCode(err), "《%s》已送打印机，但打印记录未能保存：%s", d.Title, ErrorMessage(err))
		}
		o.Record = rec
		return nil
	})
}

// SavePrint renders each document into dir as PDF files named after their titles instead of
// printing them (另存为 PDF); nothing is logged.
func SavePrint(docs []*PrintDoc, dir string, progress PrintProgress) ([]PrintOutcome, error) {
	return runPrintDocs(docs, progress, func(d *PrintDoc, title string, pdf []byte) (string, error) {
		name := filepath.Join(dir, PrintFileName(title))
		if err := os.WriteFile(name, pdf, 0o644); err != nil {
			return "", Errorf(EINTERNAL, "无法写入 %s：%v", name, err)
		}
		return name, nil
	}, nil)
}

// PrintFileName makes a file name of a title.
func PrintFileName(title string) string {
	s := strings.Map(func(r rune) rune {
		if r < ' ' || strings.ContainsRune(`<>:"/\|?*`, r) {
			return '_'
		}
		return r
	}, title)
	return strings.TrimSpace(s) + ".pdf"
}

func runPrintDocs(docs []*PrintDoc, progress PrintProgress,
	send func(d *PrintDoc, title string, pdf []byte) (string, error),
	finish func(d *PrintDoc, o *PrintOutcome, exams []int64) error) ([]PrintOutcome, error) {
	if progress == nil {
		progress = func(string, *PrintDoc, int, int) {}
	}
	total := 0
	for _, d := range docs {
		total += d.Units() + d.Parts()
	}
	done := 0
	out := make([]PrintOutcome, 0, len(docs))
	for _, d := range docs {
		o := PrintOutcome{Doc: d}
		var exams []int64
		var firstErr error
		for _, part := range d.parts {
			base := done
			progress("生成", d, done, total)
			pdf, err := part.render(func(n int) { progress("生成", d, base+min(n, part.units), total) })
			done = base + part.units
			if err != nil && len(pdf) == 0 {
				if firstErr == nil {
					firstErr = err
				}
				o.Problems = append(o.Problems, part.title+"："+ErrorMessage(err))
				done++
				progress("生成", d, done, total)
				continue
			} else if err != nil {
				o.Warnings = append(o.Warnings, part.title+"："+ErrorMessage(err)+"（缺字处印为〓，请手写补正）")
			}
			progress("发送", d, done, total)
			file, err := send(d, part.title, pdf)
			if err != nil {
				// The printer (or the disk) refused: the rest would fail the same way.
				o.Err = err
				if o.Jobs > 0 && finish != nil {
					if ferr := finish(d, &o, exams); ferr != nil {
						o.Problems = append(o.Problems, ErrorMessage(ferr))
					}
				}
				out = append(out, o)
				return out, err
			}
			done++
			progress("发送", d, done, total)
			o.Jobs++
			o.Pages += CountPDFPages(pdf)
			if file != "" {
				o.Files = append(o.Files, file)
			}
			for _, id := range part.exams {
				if !slices.Contains(exams, id) {
					exams = append(exams, id)
				}
			}
		}
		if o.Jobs == 0 {
			o.Err = firstErr
			if len(d.parts) == 1 {
				o.Problems = nil // the error says it
			}
		} else if finish != nil {
			if err := finish(d, &o, exams); err != nil {
				o.Err = err
				out = append(out, o)
				return out, err
			}
		}
		out = append(out, o)
	}
	return out, nil
}

var pdfPageRe = regexp.MustCompile(`/Type\s*/Page[^s]`)

// CountPDFPages counts the page objects of a PDF.
func CountPDFPages(pdf []byte) int {
	return len(pdfPageRe.FindAllIndex(pdf, -1))
}
