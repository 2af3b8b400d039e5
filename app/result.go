package app

import (
	"errors"
	"strings"
	"time"
)

// ResultKind is how a result is written: a number with a unit, a text finding, or a code of a
// national code table. The card's itemList calls it type (2 数值, 3 文本 — code semantics [U]).
type ResultKind string

const (
	ResultNumeric ResultKind = "numeric" // 数值, e.g. 白细胞 5.6 ×10⁹/L
	ResultText    ResultKind = "text"    // 文本, e.g. 尿蛋白 阴性, or a physician's finding
	ResultCode    ResultKind = "code"    // 代码, e.g. the chest film reading 0–3
)

// Name returns 数值, 文本 or 代码.
func (k ResultKind) Name() string {
	switch k {
	case ResultNumeric:
		return "数值"
	case ResultText:
		return "文本"
	case ResultCode:
		return "代码"
	}
	return string(k)
}

// Valid reports whether k is one of the three kinds.
func (k ResultKind) Valid() bool { return k == ResultNumeric || k == ResultText || k == ResultCode }

// ResultStatus says whether an item was carried out. 弃检 and 未检 are explicit statuses, never an
// empty value, so that a report can say which one it was.
type ResultStatus string

const (
	ResultDone    ResultStatus = "done"    // 已检: Value holds the result
	ResultRefused ResultStatus = "refused" // 弃检: the worker declined; counts as settled for signing
	ResultMissing ResultStatus = "missing" // 未检: not (yet) done; blocks signing when required
)

// Name returns 已检, 弃检 or 未检.
func (s ResultStatus) Name() string {
	switch s {
	case ResultDone:
		return "已检"
	case ResultRefused:
		return "弃检"
	case ResultMissing:
		return "未检"
	}
	return string(s)
}

// ResultFlag is the judgement of a result against its reference range. The zero ResultFlag (FlagNone)
// means not judged: no range, no value, not done, or a qualified value ("<5") that the range
// cannot decide.
type ResultFlag string

const (
	FlagNone         ResultFlag = ""
	FlagNormal       ResultFlag = "normal"
	FlagHigh         ResultFlag = "high"
	FlagLow          ResultFlag = "low"
	FlagAbnormal     ResultFlag = "abnormal" // a text or code result outside the normal values
	FlagCriticalHigh ResultFlag = "critical_high"
	FlagCriticalLow  ResultFlag = "critical_low"
)

var flagNames = map[ResultFlag]string{
	FlagNone: "", FlagNormal: "正常", FlagHigh: "偏高", FlagLow: "偏低", FlagAbnormal: "异常",
	FlagCriticalHigh: "危急值（偏高）", FlagCriticalLow: "危急值（偏低）",
}

// Name returns the Chinese word shown beside a result: 正常, 偏高, 偏低, 异常, 危急值（偏高）,
// 危急值（偏低）, or "" for FlagNone.
func (f ResultFlag) Name() string {
	if n, ok := flagNames[f]; ok {
		return n
	}
	return string(f)
}

// Arrow returns the mark printed after a value on lab reports: ↑, ↓, ↑↑, ↓↓, * for an abnormal
// text, and "" for normal or not judged.
func (f ResultFlag) Arrow() string {
	switch f {
	case FlagHigh:
		return "↑"
	case FlagLow:
		return "↓"
	case FlagCriticalHigh:
		return "↑↑"
	case FlagCriticalLow:
		return "↓↓"
	case FlagAbnormal:
		return "*"
	}
	return ""
}

// Abnormal reports whether the result is outside its range (critical values included).
func (f ResultFlag) Abnormal() bool { return f != FlagNone && f != FlagNormal }

// Critical reports whether f is a critical-value flag.
func (f ResultFlag) Critical() bool { return f == FlagCriticalHigh || f == FlagCriticalLow }

// Result is one recorded item of one exam: what a department entered or imported for a national
// 健康指标 code. A refusal or a missing item of a whole group is one Result with ItemCode ""
// and the GroupCode.
type Result struct {
	ItemCode  string // national 7-digit 健康指标 code (catalog "items"); "" for a whole group
	GroupCode string // item group of app/rules the item was done under, e.g. "G0101"
	Kind      ResultKind
	// Value is the result as it will be printed, normalised by SetValue: "5.6", "<0.1",
	// "阴性", "2+", "0". Empty unless ResultStatus is ResultDone.
	Value string
	// Number is Value parsed, for numeric results; for "<0.1" it is 0.1 and Qualifier says <.
	Number float64
	Unit   string
	Status ResultStatus
	Flag   ResultFlag
	// RefRange is the reference range the result was judged against, resolved for the worker's
	// sex (Range.ForSex), kept with the result so that a later table change or LIS import
	// never changes an old report.
	Range  RefRange
	Doctor string // who recorded (or confirmed an import of) the result
	Time   time.Time
}

// SetValue normalises what a doctor typed (or an import cell) for r.Kind and stores it as a
// done result: numbers through ParseNumeric (全角 digits, 。 as the decimal point, a leading
// <, ≤, > or ≥ kept as the qualifier), qualitative text to the lab's spellings (阴性, 阳性, ±,
// 1+ … 4+), codes as half-width digits. It does not judge: call Evaluate after. An error is
// an *Error in Chinese naming the field "结果"; r is then unchanged.
func (r *Result) SetValue(input string) error {
	switch r.Kind {
	case ResultNumeric:
		q, text, n, err := ParseQualified(input)
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				return FieldError("结果", "%s", e.Message)
			}
			return err
		}
		r.Value, r.Number = string(q)+text, n
	case ResultText:
		v := NormalizeText(input)
		if v == "" {
			return FieldError("结果", "请填写结果，或记为弃检、未检")
		}
		r.Value, r.Number = v, 0
	case ResultCode:
		v := strings.TrimSpace(HalfWidth(input))
		if v == "" {
			return FieldError("结果", "请填写代码，或记为弃检、未检")
		}
		for _, c := range v {
			if c < '0' || c > '9' {
				return FieldError("结果", "“%s”不是代码，请填写数字代码", strings.TrimSpace(input))
			}
		}
		r.Value, r.Number = v, 0
	default:
		return FieldError("结果", "项目未设置结果类别（数值、文本或代码）")
	}
	r.Status = ResultDone
	return nil
}

// Qualifier returns the qualifier of a numeric Value ("<0.1" → QualLess), QualNone otherwise.
func (r *Result) Qualifier() Qualifier {
	if r.Kind != ResultNumeric {
		return QualNone
	}
	q, _, _, err := ParseQualified(r.Value)
	if err != nil {
		return QualNone
	}
	return q
}

// Refuse marks r 弃检: the value and flag are cleared.
func (r *Result) Refuse() { r.setStatus(ResultRefused) }

// MarkMissing marks r 未检: the value and flag are cleared.
func (r *Result) MarkMissing() { r.setStatus(ResultMissing) }

func (r *Result) setStatus(s ResultStatus) {
	r.Status, r.Value, r.Number, r.Flag = s, "", 0, FlagNone
}
