package app

import (
	"context"
	"time"
)

// ExamParties is who an exam concerned, as they were when the conclusion was signed: reports
// print these, never the live archive (a later correction of a name is an addendum matter).
type ExamParties struct {
	Worker         Worker
	Employer       Employer
	HostEmployer   *Employer // 用工单位 of dispatched labour
	ContractNumber string
	ContractTitle  string
	// JobName is the exam's job as printed: the name typed at registration, else the national
	// job catalog's name of its code.
	JobName string
	// HazardNames maps the exam's hazard codes to names; ItemNames the item codes of its
	// results; GroupNames its item groups (the rule table's names at signing).
	HazardNames map[string]string
	ItemNames   map[string]string
	GroupNames  map[string]string
}

// ExamReportInput is one individual report (职业健康检查报告): a signed exam with its Record
// (including Record.Parties), the institution, and the copy it is (e.g. 劳动者留存, 用人单位留存;
// "" prints no copy label).
type ExamReportInput struct {
	Institution *Institution
	Exam        *Exam
	Copy        string
	// Texts are the institution's text blocks and phrases (DocumentTexts); nil uses the defaults.
	Texts *DocumentTexts
	// Seal and Signature images (PNG) print only when the document settings allow them for
	// this document type; nil leaves the blank area for the physical stamp.
	Seal, Signature []byte
}

// SummaryInput is an employer's summary report (职业健康检查总结报告) of one contract: the contract,
// the employer, every exam of it with its Record, and the institution.
type SummaryInput struct {
	Institution *Institution
	Contract    *Contract
	Employer    *Employer
	// Exams are the contract's exams with records (the planned ones count as 应检, the
	// signed ones as 实检).
	Exams []*Exam
	// Workers by ID (names, sex) for the named lists.
	Workers     map[int64]*Worker
	HazardNames map[string]string
	Texts       *DocumentTexts
	Seal        []byte
	Date        time.Time
}

// SettlementInput is a contract's settlement sheet (结算单): the item sets agreed with their
// prices and how many people took each.
type SettlementInput struct {
	Institution *Institution
	Contract    *Contract
	Employer    *Employer
	Exams       []*Exam
	Packages    []*ExamPackage
	Date        time.Time
}

// DocumentTexts are the text blocks of the printed documents and the advice phrases, which the
// administrator edits (data, not code). Keys of Blocks: "header" (institution header lines),
// "footer", and per document type "<doc>.<part>" (e.g. "report.statement"); AdvicePhrases are
// keyed by conclusion code and hazard code ("03/1038"), or conclusion code alone ("01").
type DocumentTexts struct {
	Blocks        map[string]string
	AdvicePhrases map[string][]string
	// Images says, per document type (DocReport, DocSummary, DocNotice …), whether the uploaded
	// seal and signature images print. Never the default; certificates never.
	Images    map[string]ImageOptions
	UpdatedAt time.Time
	UpdatedBy string
}

// ImageOptions are the image choices of one document type.
type ImageOptions struct {
	Seal      bool
	Signature bool
}

// Document types (for settings, print jobs and the print log).
const (
	DocReport     = "report"     // 职业健康检查报告
	DocSummary    = "summary"    // 职业健康检查总结报告
	DocNotice     = "notice"     // 告知书
	DocSettlement = "settlement" // 结算单
	DocGuide      = "guide"      // 导检单
	DocLabels     = "labels"     // 条码标签
)

// DocumentSettingsService keeps the text blocks, advice phrases and image options, and the
// uploaded seal image, in the archive. Every change is audited.
type DocumentSettingsService interface {
	DocumentTexts(ctx context.Context) (*DocumentTexts, error)
	SaveDocumentTexts(ctx context.Context, t DocumentTexts) error
	// SealImage returns the uploaded seal image (PNG), nil when none.
	SealImage(ctx context.Context) ([]byte, error)
	SaveSealImage(ctx context.Context, png []byte) error
	// SignatureImage returns the uploaded signature image (PNG) of a user (login name), nil
	// when none. Reports print the signer's image only when Images[doc].Signature is on.
	SignatureImage(ctx context.Context, login string) ([]byte, error)
	// SaveSignatureImage stores a user's signature image (nil or empty removes it).
	SaveSignatureImage(ctx context.Context, login string, png []byte) error
}

// NoticeRecheck is the 复查通知书 (Documents.Notice kind).
const NoticeRecheck = "recheck"

// Printer is one printer the system offers.
type Printer struct {
	Name    string
	Default bool
	// Info is what the system says about it (model, location), for the list.
	Info string
}

// PrintJob is one print job: a PDF, to a printer, with copies and duplex.
type PrintJob struct {
	Printer string // "" for the system default
	Title   string // shown in the system's queue
	PDF     []byte
	Copies  int // ≥ 1
	Duplex  bool
}

// PrintSpooler sends PDFs to printers (CUPS `lp` on Linux, the system's print path on Windows).
type PrintSpooler interface {
	Printers() ([]Printer, error)
	Print(job PrintJob) error
}

// PrintRecord is one entry of the print log: what was printed for whom, when, where, how many.
type PrintRecord struct {
	ID         int64
	Time       time.Time
	User       string
	Doc        string // DocReport …
	ContractID int64
	ExamIDs    []int64
	Printer    string
	Copies     int
	Pages      int
	Reprint    bool // the same document was printed before
	Note       string
}

// PrintLogService keeps the print (and reprint) log.
type PrintLogService interface {
	LogPrint(ctx context.Context, r PrintRecord) (*PrintRecord, error)
	FindPrints(ctx context.Context, contractID, examID int64) ([]PrintRecord, error)
}

// Calendar is the Chinese working-day calendar: holidays and make-up workdays (调休) by year, as
// data an administrator edits (REFERENCE §10). Dates are days in local time.
type Calendar struct {
	// Holidays are days off that fall on weekdays or weekends (法定节假日及调休放假).
	Holidays []time.Time
	// Workdays are weekend days that are working days (调休上班).
	Workdays []time.Time
	// Years lists the years the data covers; outside them only weekends count (with a warning).
	Years     []int
	Source    string
	UpdatedAt time.Time
	UpdatedBy string
}

// CalendarService keeps the working-day calendar in the archive.
type CalendarService interface {
	Calendar(ctx context.Context) (*Calendar, error)
	SaveCalendar(ctx context.Context, c Calendar) error
}

// ReportDueWorkingDays is the deadline of the individual and summary reports: 30 working days
// from the end of the exam (职业健康检查管理办法, REFERENCE §5 [P]).
const ReportDueWorkingDays = 30
