package app

import (
	"context"
	"time"
)

// A case card (职业健康检查个案卡) is derived from a released exam, never typed twice. The store keeps,
// per exam, the card's reporting state: its DocumentId (minted once and stored), what was last
// exported (a hash of the card's content, so that a change goes out again as Update), the upload
// status and its history. Adapters in reports turn CardData into a platform's format.

// CardStatus is a card's upload status.
type CardStatus string

const (
	CardPending  CardStatus = "pending"  // 待上报
	CardExported CardStatus = "exported" // 已导出 (with a batch, not yet confirmed)
	CardReported CardStatus = "reported" // 已上报 (the platform confirmed it)
	CardReturned CardStatus = "returned" // 退回 (with the platform's reason)
)

var cardStatusNames = map[CardStatus]string{CardPending: "待上报", CardExported: "已导出", CardReported: "已上报", CardReturned: "退回"}

// Name returns the Chinese name.
func (s CardStatus) Name() string { return cardStatusNames[s] }

// Valid reports whether s is a card status.
func (s CardStatus) Valid() bool { _, ok := cardStatusNames[s]; return ok }

// Operate types of the exchange header (OperateType).
const (
	CardAdd    = "Add"
	CardUpdate = "Update" // 订正: the card changed after it was exported
	CardDelete = "Delete" // the exam was voided after it was exported
)

// Card formats (adapters).
const (
	CardFormatNational = "national" // 2021 national exchange XML
	CardFormatHubei    = "hubei"    // Hubei-style provincial structure (REFERENCE §6.3)
)

// Card is the reporting state of one exam's case card.
type Card struct {
	ExamID     int64
	ExamNumber string
	// DocumentID is minted at the first export and kept for every later export of the card.
	DocumentID string
	Status     CardStatus
	// Operate is what the next export sends: Add for a card never exported, Update when its
	// content changed since the last export (订正, referring to DocumentID), Delete for a voided
	// exam that was exported.
	Operate string
	// Changed: the card was exported and what it says now differs from what that export sent
	// (or its exam was voided since), so the next export sends it again, as Operate says.
	Changed bool
	// Late marks a card exported after its due date (补报).
	Late bool
	// Batch is the last export batch; ExportedAt when; ExportedHash the content hash then.
	Batch        string
	ExportedAt   time.Time
	ExportedHash string
	// Reason is the platform's reason for a 退回.
	Reason  string
	History []CardEvent
	// ReleasedAt is when the exam's report was first released (the due date counts from it).
	ReleasedAt time.Time
	// ContentHash is the hash of what the card says now (what RecordExport keeps as
	// ExportedHash); set by CardData and ExportItems.
	ContentHash string
}

// CardEvent is one change of a card's status.
type CardEvent struct {
	At     time.Time
	User   string
	Status CardStatus
	Batch  string
	Note   string
}

// CardSettings are what the platform issues to the institution, and who writes the cards.
type CardSettings struct {
	ReportZoneCode string // 数据交换上报地区代码
	ReportOrgCode  string // 数据交换上报机构代码
	License        string // 数据交换上报机构授权
	Writer         string // 填表人
	WriterPhone    string
	Reporter       string // 报告人
	ReporterPhone  string
	// DueDays: a card is due this many days after release (provincial rules vary; REFERENCE
	// §6.2 [U]) — 0 means no due date.
	DueDays   int
	UpdatedAt time.Time
	UpdatedBy string
}

// CardIssue is one pre-flight finding. Screen names where the user fixes it ("employer",
// "worker", "recording", "conclude", "institution", "card_settings") and EntityID which record.
type CardIssue struct {
	Level    string // LevelError (blocks export) or LevelWarning
	Field    string // the element or field, e.g. CREDIT_CODE / 统一社会信用代码
	Message  string // Chinese: what is wrong and how to fix it
	Screen   string
	EntityID int64
}

// CardData is everything an adapter needs for one card: the released exam with its Record
// (Record.Parties: worker, employer and 用工单位 as signed), the card state, the institution and
// the settings, and for a 复查 the earlier exam's card.
type CardData struct {
	Card        Card
	Exam        *Exam
	Institution *Institution
	Settings    CardSettings
	// Previous is the card of the exam this one rechecks (nil when not a recheck or unknown).
	Previous *Card
}

// CardRow is one line of the worklist.
type CardRow struct {
	Card       Card
	ExamDate   time.Time
	ReleasedAt time.Time
	Due        time.Time // zero when no due date
	WorkerName string
	Employer   string
	// Errors and Warnings count the pre-flight findings (computed when listed).
	Errors, Warnings int
}

// CardFilter selects cards for the worklist, by release date.
type CardFilter struct {
	From, To time.Time
	Status   CardStatus // "" for all
	Failing  bool       // only cards with pre-flight errors
	Offset   int
	Limit    int
}

// CardFeedback is one line of a platform's feedback file (or a status set by hand).
type CardFeedback struct {
	ExamNumber string // or the card code the platform echoes
	DocumentID string
	Status     CardStatus
	Reason     string
	At         time.Time
}

// CardSeal is one card's document rendered, checked against the pre-flight and the format's
// element table, compressed and hashed ahead of export (a "sealed" card). The store keeps a
// seal with the inputs it was made from (Key) and hands it out only while they are current,
// so that an export of many cards only assembles them.
type CardSeal struct {
	ExamID int64
	Format string
	// Key identifies what the seal was made from (content, DocumentId, OperateType, header
	// settings, catalogs, thresholds, program revision); the store sets it.
	Key string
	// Operate and Late are the OperateType and 补报 mark the document carries.
	Operate string
	Late    bool
	// Name is the document's file name in the package; Size its length; CRC32 and SHA256 of
	// its bytes; Deflated the raw deflate stream (zip method 8).
	Name     string
	Size     int
	CRC32    uint32
	SHA256   string
	Deflated []byte
	// Parties is what the batch's shared documents need of this card (the adapter's encoding
	// of the employer and 用工单位).
	Parties []byte
	// Warnings counts the pre-flight warnings (a seal is never made of a card with errors).
	Warnings int
}

// CardExportItem is a card an export may send, with its current seal.
type CardExportItem struct {
	Card Card
	Seal *CardSeal
}

// CardExportSet is what an export starts from: the sealed cards released in the range, and
// the cards whose seal is missing or out of date (read those with CardData).
type CardExportSet struct {
	Institution *Institution
	Settings    CardSettings
	Items       []CardExportItem
	Pending     []int64
}

// CardBatchRequest is one export of case cards into a folder (Documents.ExportCardBatch).
type CardBatchRequest struct {
	Format   string
	From, To time.Time // release dates
	// Again also sends the cards exported before whose content has not changed.
	Again bool
	// Batch is the batch ID (the caller names it: institution code and time).
	Batch string
	// Dir is the folder the package and manifest are written to; files never overwrite.
	Dir string
	// Check is the pre-flight check of a card read (sealed cards passed it when sealed).
	Check func(CardData) []CardIssue
	// Progress, when set, is told how far the export is (0..1) and what it does.
	Progress func(frac float64, text string)
}

// CardBlocked is a card an export held back, with why.
type CardBlocked struct {
	Card             Card
	Worker, Employer string
	Issues           []CardIssue
}

// CardBatchResult is what an export did.
type CardBatchResult struct {
	Batch    string
	Exported int
	Skipped  int // exported before and unchanged (not sent without Again)
	Sealed   int // of Exported, how many were sealed ahead
	Blocked  []CardBlocked
	Files    []string // the written files' paths (package first, then the manifest)
	Bytes    int64
	// Manifest is the manifest's JSON (nil when nothing was exported).
	Manifest []byte
}

// CardExportFile is one file of an export batch.
type CardExportFile struct {
	Name string
	Data []byte
}

// CardService keeps the cards' reporting state. The store derives CardData from released exams;
// reports' adapters render and validate; RecordExport marks what was sent.
type CardService interface {
	// Cards lists the worklist (cards of released exams, and of exported exams voided later),
	// with pre-flight counts.
	Cards(ctx context.Context, f CardFilter) ([]CardRow, int, error)
	// CardData reads the cards of exams released in [from, to] (or the exams given, and of
	// those only the ones released in the range when one is given), minting DocumentIDs that
	// are not minted yet and setting Operate; it writes nothing else.
	CardData(ctx context.Context, from, to time.Time, examIDs []int64) ([]CardData, error)
	// ExportItems lists the cards released in [from, to] whose document is sealed in format
	// and current, and the cards to read with CardData instead.
	ExportItems(ctx context.Context, format string, from, to time.Time) (*CardExportSet, error)
	// RecordExport marks the cards of a written batch as exported (Status, Batch, hash, Late),
	// all in one transaction.
	RecordExport(ctx context.Context, batch string, format string, cards []CardData) error
	// RecordExported is RecordExport for cards given by their state (ExamID, ExamNumber,
	// DocumentID, Operate, ContentHash, ReleasedAt), as ExportItems and CardData return them.
	RecordExported(ctx context.Context, batch string, format string, cards []Card) error
	// SetCardStatus sets a status by hand (e.g. 已上报 after uploading on the platform's web
	// page, or 退回 with the platform's reason).
	SetCardStatus(ctx context.Context, fb CardFeedback) error
	// ImportFeedback applies a platform's feedback lines; unknown cards are named in the error.
	ImportFeedback(ctx context.Context, fb []CardFeedback) (int, error)
	CardSettings(ctx context.Context) (*CardSettings, error)
	SaveCardSettings(ctx context.Context, s CardSettings) error
}
