package app

import (
	"context"
	"slices"
	"time"
)

// ExamRecord is everything written about an exam after registration: the inquiry, the results
// of every department, the critical-value call-backs, the chief examiner's conclusion and
// signature, the review, the release and, once the exam is locked, the addenda. It is stored
// apart from the Exam (lists never decode it) and guarded by the exam's Version: every write
// to the record bumps the exam's version.
type ExamRecord struct {
	ExamID int64
	// Edition counts signings: 1 for the first signed report; a 退回 and a new signature make
	// edition 2, and the signed edition 1 stays in the history (ExamSnapshot).
	Edition int
	Inquiry *Inquiry
	// Results hold one entry per (GroupCode, ItemCode); a whole group refused or not done is
	// one entry with ItemCode "".
	Results       []Result
	CriticalCalls []CriticalCall
	Conclusion    *ExamConclusion
	Signature     *Signature
	Review        *Signature
	// Returns lists every 退回, oldest first.
	Returns  []ReturnNote
	Releases []Handover
	Addenda  []Addendum
	// RecheckExamID is the 复查 exam created when a conclusion ordering a recheck was signed.
	RecheckExamID int64
	// Parties are the worker, employer and names as they were at the last signature: what the
	// report prints (nil before the first signature).
	Parties *ExamParties
}

// ResultFor returns the result of an item of a group, if recorded.
func (r *ExamRecord) ResultFor(group, item string) (Result, bool) {
	if r == nil {
		return Result{}, false
	}
	for _, x := range r.Results {
		if x.GroupCode == group && x.ItemCode == item {
			return x, true
		}
	}
	return Result{}, false
}

// Smoking and drinking status (the card's smkSituation/drkSituation; codes [U], kept local).
const (
	HabitNever     = "0" // 不吸（饮）
	HabitSometimes = "1" // 偶尔
	HabitRegular   = "2" // 经常
	HabitQuit      = "3" // 已戒
)

// HabitNames are the Chinese names of the habit statuses in code order.
var HabitNames = map[string]string{HabitNever: "无", HabitSometimes: "偶尔", HabitRegular: "经常", HabitQuit: "已戒"}

// Habit is smoking or drinking: status, amount per day (支 for cigarettes, mL for drink) and
// years.
type Habit struct {
	Status string
	PerDay int
	Years  int
}

// OccupationEntry is one line of the occupational history of the inquiry (职业史): pre-filled
// from the worker's archive, then corrected by the doctor.
type OccupationEntry struct {
	From, To   time.Time // To zero: until now
	Employer   string
	Workshop   string
	Job        string
	Hazards    []string // national hazard codes
	Protection string   // 防护措施
}

// SymptomAnswer is one symptom asked about, coded with the national 健康指标 symptom code
// (10x0000 under 1000000 症状询问).
type SymptomAnswer struct {
	Code    string
	Name    string
	Present bool
	Degree  string // 轻, 中, 重 (when present)
	Since   string // how long, as said ("3年")
}

// Inquiry is the 问诊 of an exam, the card's healthSurvey block.
type Inquiry struct {
	Date   time.Time
	Doctor string // login of who recorded it
	// History is the occupational history; pre-filled from the archive.
	History []OccupationEntry
	// PastHistory is the 既往史 (diseases, operations), free text.
	PastHistory string
	// OccupationalDiseaseHistory is an earlier occupational disease (职业病史), free text.
	OccupationalDiseaseHistory string
	Smoking                    Habit
	Drinking                   Habit
	Marriage                   string // 婚姻史, free text
	// Women only: menstrual and reproductive history. Zero means not asked.
	MenarcheAge   int
	PeriodDays    string // 经期 (天), e.g. "5" or "4-6"
	CycleDays     string // 周期 (天), e.g. "28-30"
	MenopauseAge  int
	Children      int
	Abortions     int
	Stillbirths   int
	Premature     int
	AbnormalFetal int
	Symptoms      []SymptomAnswer
	Note          string
}

// CriticalCall is one critical value (危急值) and its call-back: who was told, by whom, when,
// and what was advised. An open call (Done false) keeps the exam on the critical worklist.
type CriticalCall struct {
	GroupCode, ItemCode string
	Name                string
	Value               string
	Flag                ResultFlag
	FlaggedAt           time.Time
	Done                bool
	CalledAt            time.Time
	Caller              string // login of the doctor who called
	Recipient           string // the worker or the employer's contact, by name
	Phone               string
	Advice              string
}

// HazardConclusion is the conclusion of one hazard: a code of the exam edition's conclusion
// list (体检结论代码表: 01 目前未见异常, 02 复查, 03 疑似职业病, 04 职业禁忌证, 05 其他疾病或异常)
// and what it names.
type HazardConclusion struct {
	Hazard string // national hazard code
	Code   string
	// Disease is the target occupational disease of 疑似职业病 (national disease code and name).
	DiseaseCode, Disease string
	// Contraindication names the 职业禁忌证 (code where one exists, and its words).
	ContraindicationCode, Contraindication string
	// Other says what 其他疾病或异常 is.
	Other string
	// Basis is the findings the doctor relied on (abnormal results, criteria cited).
	Basis string
}

// RecheckOrder orders a 复查: which item groups, by when, and why. Under GBZ 188-2025 a recheck is
// an order attached to the exam, not a conclusion.
type RecheckOrder struct {
	Groups []string // item-group codes
	Date   time.Time
	Reason string
}

// ExamConclusion is the chief examiner's conclusion of the whole exam.
type ExamConclusion struct {
	Hazards []HazardConclusion
	// Advice is the 主检建议 printed on the report.
	Advice  string
	Recheck *RecheckOrder
}

// Signature is who signed (or reviewed), when, and under which qualification.
type Signature struct {
	Login         string
	Name          string
	At            time.Time
	Qualification string // e.g. 主检医师 with its certificate number
}

// ReturnNote is one 退回 by a reviewer.
type ReturnNote struct {
	Login   string
	Name    string
	At      time.Time
	Reason  string
	Edition int // the signed edition that was returned
}

// Handover is one release (发放) of reports or notices: the handover log supervisors check.
type Handover struct {
	At        time.Time
	Login     string // who handed over
	Recipient string // 领取人
	// RecipientKind: 本人, 用人单位, 代领.
	RecipientKind string
	Documents     []string // e.g. 职业健康检查报告, 疑似职业病告知书
	// Receipt is how the receipt was taken (签字, 邮寄单号 …).
	Receipt string
}

// Addendum corrects or completes a locked exam without changing it.
type Addendum struct {
	At    time.Time
	Login string
	Name  string
	Text  string
}

// ExamSnapshot is one signed edition as it was when it was returned (or the current one).
type ExamSnapshot struct {
	Edition int
	Exam    Exam
	Record  ExamRecord
	// ReturnedAt and Reason are set for an edition a reviewer returned.
	ReturnedAt time.Time
	Reason     string
}

// Referral is a worker with a signed 疑似职业病 conclusion: the list the diagnosis side works from.
type Referral struct {
	ExamID      int64
	ExamNumber  string
	WorkerID    int64
	WorkerName  string
	EmployerID  int64
	Hazard      string
	DiseaseCode string
	Disease     string
	SignedAt    time.Time
}

// Review decisions.
const (
	ReviewApprove = "approve" // 审核通过
	ReviewReturn  = "return"  // 退回
)

// ResultImportColumn is what a column of a LIS or device file holds.
type ResultImportColumn struct {
	Header string // as written in the file
	// Key is "exam_number" (体检号 or barcode), "item" (one national item code per column), or
	// "ignore".
	Key      string
	ItemCode string // for Key "item": the national 健康指标 code
	Unit     string
}

// Result import column keys.
const (
	ImportKeyExamNumber = "exam_number"
	ImportKeyItem       = "item"
	ImportKeyIgnore     = "ignore"
)

// ResultMapping is the column mapping of one source (a LIS, an audiometer's software), saved so
// that the next file of the same source needs no mapping.
type ResultMapping struct {
	Source    string // name the user gives it, e.g. 检验科LIS
	GroupCode string // the item group the file reports (血常规 …), "" when columns say
	Columns   []ResultImportColumn
	UpdatedAt time.Time
}

// ResultImportRecord is one row of an import file, as read.
type ResultImportRecord struct {
	Row        int
	ExamNumber string
	// Values by national item code, as written in the cell.
	Values   map[string]string
	Problems []RowMessage
}

// ResultImportFile is a LIS or device file as read with a mapping.
type ResultImportFile struct {
	Name    string
	Mapping ResultMapping
	Records []ResultImportRecord
}

// ResultImportRow is the checked outcome of one row.
type ResultImportRow struct {
	Row      int
	Outcome  string // RowAccepted, RowWarning, RowRejected
	Messages []RowMessage
	ExamID   int64
	Exam     string // exam number
	Worker   string // name, to check by eye
	Results  []Result
}

// ResultImportPreview is what the import screen shows before commit.
type ResultImportPreview struct {
	File     ResultImportFile
	Rows     []ResultImportRow
	Accepted int
	Warned   int
	Rejected int
}

// RecordService records and concludes exams. Every method takes the exam's current version and
// returns the exam with its Record; EINVALID when the exam's state does not allow the change
// (e.g. results on a released exam: add an addendum instead), ECONFLICT on a stale version.
type RecordService interface {
	// SaveInquiry records the 问诊. A registered exam becomes 检查中.
	SaveInquiry(ctx context.Context, examID, version int64, in Inquiry) (*Exam, error)
	// SaveResults records results, replacing earlier ones of the same (group, item). The store
	// judges each against the reference ranges for the worker's sex, opens a CriticalCall for
	// every critical value, and moves the exam to 检查中, or to 待总检 once every required item
	// group has results or 弃检.
	SaveResults(ctx context.Context, examID, version int64, rs []Result) (*Exam, error)
	// LogCriticalCall records a call-back of a critical value (matched by group and item).
	LogCriticalCall(ctx context.Context, examID, version int64, c CriticalCall) (*Exam, error)
	// OpenCriticals lists exams with a critical value not yet called back.
	OpenCriticals(ctx context.Context) ([]*Exam, error)
	// SaveConclusion stores the chief examiner's draft conclusion (not signed).
	SaveConclusion(ctx context.Context, examID, version int64, c ExamConclusion) (*Exam, error)
	// Sign signs the conclusion: the signer needs the 主检医师 role and a valid 主检医师
	// qualification; every hazard needs a conclusion naming what it must; signing is refused
	// (EINVALID, naming them) while a required item group has neither result nor 弃检. A
	// 疑似职业病 conclusion puts the worker on the referral list; a recheck order registers a
	// linked 复查 exam.
	Sign(ctx context.Context, examID, version int64) (*Exam, error)
	// Review approves a signed exam (ReviewApprove) or returns it (ReviewReturn, with a reason):
	// the returned edition is kept in the history and the exam can be corrected and signed
	// again as the next edition. The reviewer must not be the signer.
	Review(ctx context.Context, examID, version int64, decision, reason string) (*Exam, error)
	// Release hands reports and notices over (发放) and locks the exam for good. A reviewed exam
	// is released once; later handovers (a copy to the employer) are added to the log.
	Release(ctx context.Context, examID, version int64, h Handover) (*Exam, error)
	// AddAddendum adds a correction to a locked exam.
	AddAddendum(ctx context.Context, examID, version int64, text string) (*Exam, error)
	// ExamHistory returns every signed edition, oldest first, the current one last.
	ExamHistory(ctx context.Context, examID int64) ([]ExamSnapshot, error)
	// Referrals lists signed 疑似职业病 conclusions, newest first.
	Referrals(ctx context.Context) ([]Referral, error)
	// PreviewResultImport checks an import file against the archive. It writes nothing.
	PreviewResultImport(ctx context.Context, f ResultImportFile) (*ResultImportPreview, error)
	// CommitResultImport checks again and, only when no row is rejected, records every row in
	// one transaction. EINVALID naming the rejected rows otherwise.
	CommitResultImport(ctx context.Context, f ResultImportFile) (int, error)
	// ResultMappings lists the saved column mappings; SaveResultMapping adds or replaces one by
	// source name.
	ResultMappings(ctx context.Context) ([]ResultMapping, error)
	SaveResultMapping(ctx context.Context, m ResultMapping) error
}

// Conclusion codes of the national code table (体检结论代码表).
const (
	ConclusionNormal           = "01" // 目前未见异常
	ConclusionRecheck          = "02" // 复查
	ConclusionSuspected        = "03" // 疑似职业病
	ConclusionContraindication = "04" // 职业禁忌证
	ConclusionOther            = "05" // 其他疾病或异常
)

// QualificationChiefExaminer is the qualification kind signing requires.
const QualificationChiefExaminer = "主检医师"

// Validate checks a conclusion against the exam's hazards: every hazard concluded once, with a
// known code, and what the code must name. It does not know the edition's list (package
// criteria does); the store checks the code against it.
func (c *ExamConclusion) Validate(hazards []string, hazardName func(string) string) error {
	var es Errors
	seen := map[string]bool{}
	for _, h := range c.Hazards {
		name := hazardName(h.Hazard)
		if !slices.Contains(hazards, h.Hazard) {
			es = append(es, FieldError("体检结论", "%s 不是本次体检的危害因素", name))
		}
		if seen[h.Hazard] {
			es = append(es, FieldError("体检结论", "%s 的结论填写了两次", name))
		}
		seen[h.Hazard] = true
		switch h.Code {
		case ConclusionNormal, ConclusionRecheck:
		case ConclusionSuspected:
			if h.Disease == "" {
				es = append(es, FieldError("疑似职业病", "%s：请选择疑似的职业病名称", name))
			}
		case ConclusionContraindication:
			if h.Contraindication == "" {
				es = append(es, FieldError("职业禁忌证", "%s：请填写职业禁忌证名称", name))
			}
		case ConclusionOther:
			if h.Other == "" {
				es = append(es, FieldError("其他疾病或异常", "%s：请写明是何种疾病或异常", name))
			}
		case "":
			es = append(es, FieldError("体检结论", "%s：请选择结论", name))
		default:
			es = append(es, FieldError("体检结论", "%s：结论代码“%s”不在结论表中", name, h.Code))
		}
	}
	for _, h := range hazards {
		if !seen[h] {
			es = append(es, FieldError("体检结论", "%s：尚未给出结论", hazardName(h)))
		}
	}
	if c.Recheck != nil {
		if len(c.Recheck.Groups) == 0 {
			es = append(es, FieldError("复查项目", "请选择复查项目"))
		}
		if c.Recheck.Date.IsZero() {
			es = append(es, FieldError("复查日期", "请填写复查日期"))
		}
	}
	return es.Err()
}

// Editable reports whether results, inquiry and conclusions may still change.
func (s ExamState) Editable() bool {
	switch s {
	case ExamRegistered, ExamInProgress, ExamAwaiting, ExamReturned:
		return true
	}
	return false
}

// Locked reports whether the exam is immutable (released, or voided): corrections are addenda.
func (s ExamState) Locked() bool { return s == ExamReleased || s == ExamVoided }
