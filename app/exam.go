package app

import (
	"context"
	"strings"
	"time"
)

// ExamType is the national exam-type code (exchange spec code table 10).
type ExamType string

const (
	ExamPreEmployment ExamType = "01" // 上岗前
	ExamPeriodic      ExamType = "02" // 在岗期间
	ExamLeaving       ExamType = "03" // 离岗时
	ExamEmergency     ExamType = "04" // 应急
	ExamPostExposure  ExamType = "05" // 离岗后
)

// ExamTypes lists the types in code order.
var ExamTypes = []ExamType{ExamPreEmployment, ExamPeriodic, ExamLeaving, ExamEmergency, ExamPostExposure}

var examTypeNames = map[ExamType]string{
	ExamPreEmployment: "上岗前", ExamPeriodic: "在岗期间", ExamLeaving: "离岗时",
	ExamEmergency: "应急", ExamPostExposure: "离岗后",
}

// Name returns the Chinese name.
func (t ExamType) Name() string {
	if n, ok := examTypeNames[t]; ok {
		return n
	}
	return string(t)
}

// Valid reports whether t is a national exam-type code.
func (t ExamType) Valid() bool { _, ok := examTypeNames[t]; return ok }

// ParseExamType accepts a code or a Chinese name with the usual variants (上岗前, 岗前, 在岗,
// 在岗期间, 离岗, 离岗时, 应急, 离岗后).
func ParseExamType(s string) (ExamType, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "职业健康检查"), "体检")
	switch s {
	case "01", "1", "上岗前", "岗前", "上岗":
		return ExamPreEmployment, true
	case "02", "2", "在岗期间", "在岗", "在岗期", "定期":
		return ExamPeriodic, true
	case "03", "3", "离岗时", "离岗":
		return ExamLeaving, true
	case "04", "4", "应急":
		return ExamEmergency, true
	case "05", "5", "离岗后", "离岗后医学随访":
		return ExamPostExposure, true
	}
	return "", false
}

// ExamState is where an exam stands (DESIGN.md): 登记 (or 取消/未到检) → 检查中 → 待总检 →
// 已总检 → 已审核 (or 退回) → 已发放; 作废 by an administrator with a reason.
type ExamState string

const (
	ExamRegistered ExamState = "registered"  // 已登记
	ExamCancelled  ExamState = "cancelled"   // 已取消
	ExamNoShow     ExamState = "no_show"     // 未到检
	ExamInProgress ExamState = "in_progress" // 检查中
	ExamAwaiting   ExamState = "awaiting"    // 待总检
	ExamConcluded  ExamState = "concluded"   // 已总检（签名）
	ExamReviewed   ExamState = "reviewed"    // 已审核
	ExamReturned   ExamState = "returned"    // 退回
	ExamReleased   ExamState = "released"    // 已发放
	ExamVoided     ExamState = "voided"      // 已作废
)

var examStateNames = map[ExamState]string{
	ExamRegistered: "已登记", ExamCancelled: "已取消", ExamNoShow: "未到检", ExamInProgress: "检查中",
	ExamAwaiting: "待总检", ExamConcluded: "已总检", ExamReviewed: "已审核", ExamReturned: "退回",
	ExamReleased: "已发放", ExamVoided: "已作废",
}

// Name returns the Chinese name.
func (s ExamState) Name() string { return examStateNames[s] }

// HasResults reports whether the exam is past registration (results, signatures): such an
// exam can only be voided by an administrator with a reason.
func (s ExamState) HasResults() bool {
	switch s {
	case ExamRegistered, ExamCancelled, ExamNoShow:
		return false
	}
	return true
}

// ExamItem is one item group an exam must (or may) carry out, e.g. 血常规 at 检验科.
type ExamItem struct {
	GroupCode  string // item-group code of the rule data
	Name       string
	Department string
	Required   bool   // required by the rule table for one of the hazards
	Source     string // "rule", "package", "manual"
	Hazards    []string
	// Tube is the specimen container the group needs ("" when none), for labels.
	Tube string
	// Note qualifies the item as the standard words it (e.g. 含血嗜酸粒细胞计数).
	Note string
}

// Exam is one occupational health exam of one worker. This issue covers registration; results,
// conclusions and signatures come with the recording issue.
type Exam struct {
	ID      int64
	Version int64
	// Number is digits only (scanners and IMEs garble letters): installation prefix, two-digit
	// year, six-digit sequence. Unique across workstations that have different prefixes.
	Number     string
	WorkerID   int64
	EmployerID int64
	// HostEmployerID is the 用工单位 of dispatched labour (0 when the same).
	HostEmployerID int64
	ContractID     int64 // 0 for an individual exam
	Type           ExamType
	Recheck        bool  // 复查
	PreviousExamID int64 // the exam being rechecked
	Hazards        []string
	// Edition is the GBZ 188 edition in force on Date ("2014" or "2025"), stored so that a
	// later change of the switch date never rewrites old exams.
	Edition    string
	Date       time.Time
	Workshop   string
	JobCode    string
	JobName    string
	PackageIDs []int64
	Items      []ExamItem
	// PlanNotes say where the rule table could not plan the items alone (no rule for a
	// hazard, an unverified rule): the desk and the doctor see them.
	PlanNotes []string
	State     ExamState
	// StateNote is the reason of a cancellation, no-show or void.
	StateNote string
	CreatedAt time.Time
	UpdatedAt time.Time
	UpdatedBy string
	// Record is what was recorded after registration. FindExamByID, FindExamByNumber and the
	// RecordService methods fill it; lists (FindExams) leave it nil.
	Record *ExamRecord
}

// Registration asks for one exam.
type Registration struct {
	WorkerID       int64
	EmployerID     int64
	HostEmployerID int64
	ContractID     int64
	Type           ExamType
	Recheck        bool
	PreviousExamID int64
	Hazards        []string
	Date           time.Time
	Workshop       string
	JobCode        string
	JobName        string
	PackageIDs     []int64
}

// Validate checks a registration's own fields.
func (r *Registration) Validate() error {
	var es Errors
	if r.WorkerID == 0 {
		es = append(es, FieldError("劳动者", "请选择"))
	}
	if r.EmployerID == 0 {
		es = append(es, FieldError("用人单位", "请选择"))
	}
	if !r.Type.Valid() {
		es = append(es, FieldError("体检类型", "请选择"))
	}
	if len(r.Hazards) == 0 {
		es = append(es, FieldError("危害因素", "至少选择一项"))
	}
	if r.Date.IsZero() {
		es = append(es, FieldError("体检日期", "不能为空"))
	}
	if r.Recheck && r.PreviousExamID == 0 {
		es = append(es, FieldError("复查", "请选择被复查的上次体检"))
	}
	return es.Err()
}

// ExamFilter selects exams.
type ExamFilter struct {
	ContractID int64
	WorkerID   int64
	State      ExamState
	Number     string
	Offset     int
	Limit      int
}

// ExamService registers exams and changes their registration state.
type ExamService interface {
	// Register creates one exam with its items derived from the rule table of the exam date's
	// edition and the chosen packages. EINVALID (e.g. a hazard outside the filed categories).
	Register(ctx context.Context, r Registration) (*Exam, error)
	FindExamByID(ctx context.Context, id int64) (*Exam, error)
	FindExamByNumber(ctx context.Context, number string) (*Exam, error)
	FindExams(ctx context.Context, f ExamFilter) ([]*Exam, int, error)
	// CancelExam marks an exam without results 已取消 or 未到检 (noShow) with a reason.
	// EINVALID for an exam with results: see VoidExam.
	CancelExam(ctx context.Context, id, version int64, noShow bool, reason string) (*Exam, error)
	// VoidExam voids an exam with results or a signature (administrators only), with a reason.
	VoidExam(ctx context.Context, id, version int64, reason string) (*Exam, error)
}
