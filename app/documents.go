package app

import (
	"context"
	"time"
)

// GuideInput is what one guide sheet (导检单) and its tube labels print: the exam with the
// records it refers to, read by the caller through the services.
type GuideInput struct {
	Exam           *Exam
	Worker         *Worker
	Employer       *Employer
	ContractNumber string
	HazardNames    []string
	Photo          []byte // nil when the worker has no photo
}

// Documents reads and writes the files of intake for the screens and commands (implemented in
// reports; the UI sees only this interface). Rule tables travel in the app/rules encoding so
// that app need not import app/rules.
type Documents interface {
	// ReadRoster reads a roster from .xlsx or .csv (UTF-8 with or without BOM, GB18030).
	ReadRoster(name string, data []byte) (RosterFile, error)
	// RosterOutcome writes a preview's outcome as .xlsx (each row's result and reasons).
	RosterOutcome(p *RosterPreview) ([]byte, error)
	// GuideSheets renders guide sheets, one or more A4 pages per exam, in one PDF.
	GuideSheets(in *Institution, g []GuideInput, progress func(done, total int)) ([]byte, error)
	// TubeLabels renders 50×30 mm specimen labels, one page per tube the items need.
	TubeLabels(g []GuideInput) ([]byte, error)
	// ReadResults reads a LIS or device file (.xlsx or .csv) with a column mapping; rows whose
	// cells cannot be read carry Problems.
	ReadResults(name string, data []byte, m ResultMapping) (ResultImportFile, error)
	// ResultHeaders returns the header row of a LIS or device file, for the mapping screen.
	ResultHeaders(name string, data []byte) ([]string, error)
	// Notice renders a notice (NoticeSuspected, NoticeContraindication, NoticeRecheck) as PDF.
	Notice(kind string, in NoticeInput) ([]byte, error)
	// ExamReports renders individual reports, each from its signed exam (Record.Parties, never
	// live data), one after another in one PDF with page numbers per report.
	ExamReports(in []ExamReportInput, progress func(done, total int)) ([]byte, error)
	// SummaryReport renders a contract's summary report for the employer, with its chart.
	SummaryReport(in SummaryInput) ([]byte, error)
	// Settlement renders a contract's settlement sheet.
	Settlement(in SettlementInput) ([]byte, error)
	// ExportCards renders a batch of case cards in a format (CardFormatNational,
	// CardFormatHubei), validated against the format's element table before anything is
	// written; an EINVALID error names each card and element that fails. The same batch and
	// cards give byte-identical files.
	ExportCards(format, batch string, cards []CardData) ([]CardExportFile, error)
	// ExportCardBatch exports the cards released in a range that need sending: cards sealed
	// ahead go as they are, the others are read, checked and rendered; a card that fails the
	// pre-flight or the element table is held back and named. The package and manifest are
	// written whole into the folder (or nothing is), then the export is recorded through cs;
	// if that fails the files are removed.
	ExportCardBatch(ctx context.Context, cs CardService, req CardBatchRequest) (*CardBatchResult, error)
	// ReadCardFeedback reads a platform's feedback file (statuses and reasons per card).
	ReadCardFeedback(format, name string, data []byte) ([]CardFeedback, error)
	// ExportRules writes a rule table (app/rules encoding) as .xlsx.
	ExportRules(table []byte) ([]byte, error)
	// ImportRules reads an edited .xlsx against the current table and returns the new table's
	// encoding; an EINVALID error names the sheet, row and column of a bad cell.
	ImportRules(xlsx, current []byte) ([]byte, error)
}

// Notice kinds.
const (
	NoticeSuspected        = "suspected"        // 疑似职业病告知书
	NoticeContraindication = "contraindication" // 职业禁忌证告知书
)

// NoticeInput is what a notice prints: the signed exam (with its Record), the worker, the
// employer, and the addressee ("劳动者" or "用人单位").
type NoticeInput struct {
	Institution *Institution
	Exam        *Exam
	Worker      *Worker
	Employer    *Employer
	Addressee   string
	// HazardNames maps national hazard codes to names.
	HazardNames map[string]string
	// Date is the notice's date (the signing date when zero).
	Date time.Time
}
