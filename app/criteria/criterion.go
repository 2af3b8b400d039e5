package criteria

import (
	"fmt"
	"slices"

	"occhealth/app"
)

// Kind is what a criterion points to when it is met.
type Kind string

// Kinds of criteria.
const (
	KindContraindication Kind = "contraindication" // 职业禁忌证
	KindSuspected        Kind = "suspected"        // 疑似职业病
	KindRecheck          Kind = "recheck"          // 复查 (a conclusion in 2014, an action in 2025)
	KindSupplement       Kind = "supplement"       // 补充检查 (2025)
)

var kindNames = map[Kind]string{
	KindContraindication: "职业禁忌证", KindSuspected: "疑似职业病", KindRecheck: "复查", KindSupplement: "补充检查",
}

// Name returns the Chinese name.
func (k Kind) Name() string { return kindNames[k] }

// Statuses of a criterion's source text, as in domain/GBZ188.md.
const (
	StatusVerified   = "V"
	StatusPartial    = "P"
	StatusUnverified = "U"
)

// Criterion is one rule of GBZ 188 (or GBZ 49) that the chief examiner is offered: where it
// applies, what it points to, the clause it comes from, and the evaluator that checks it with
// its thresholds (Params). A criterion with no Evaluator is listed for the coverage table only.
type Criterion struct {
	ID        string
	Hazards   []string       // national hazard codes
	ExamTypes []app.ExamType // exam types it applies to
	Edition   string         // GBZ 188 edition: 2014 or 2025
	Kind      Kind
	Clause    string // e.g. GBZ 188-2014 7.1.1.1 a)
	Status    string // V, P or U: the source text's status
	Text      string // the standard's wording, as the sources give it
	Evaluator string // name of the Go evaluator; "" when not machine-checked
	Params    map[string]float64
	// Checkable marks a criterion without an evaluator that is numeric all the same (it waits
	// for a threshold the sources lack); criteria with an evaluator are checkable anyway.
	Checkable bool
	// DriverClass limits a driving criterion to "large" or "small" vehicles ("" for both).
	DriverClass string
	Confirm     string // what the doctor must still confirm when it is met
	Action      string // for rechecks and supplements: what to do
	Source      string
	Notes       string
}

// MachineCheckable reports whether the criterion is numeric: a machine could check it given
// the thresholds.
func (c Criterion) MachineCheckable() bool { return c.Evaluator != "" || c.Checkable }

// Implemented reports whether an evaluator checks the criterion.
func (c Criterion) Implemented() bool { _, ok := evaluators[c.Evaluator]; return ok }

// AppliesTo reports whether the criterion is one of hazard, examType and edition.
func (c Criterion) AppliesTo(hazard string, examType app.ExamType, edition string) bool {
	return c.Edition == edition && slices.Contains(c.Hazards, hazard) && slices.Contains(c.ExamTypes, examType)
}

func (c Criterion) validate() error {
	switch {
	case c.ID == "":
		return fmt.Errorf("criterion without id")
	case len(c.Hazards) == 0 || len(c.ExamTypes) == 0:
		return fmt.Errorf("criterion %s: no hazards or exam types", c.ID)
	case c.Edition != "2014" && c.Edition != "2025":
		return fmt.Errorf("criterion %s: edition %q", c.ID, c.Edition)
	case kindNames[c.Kind] == "":
		return fmt.Errorf("criterion %s: kind %q", c.ID, c.Kind)
	case c.Status != StatusVerified && c.Status != StatusPartial && c.Status != StatusUnverified:
		return fmt.Errorf("criterion %s: status %q", c.ID, c.Status)
	case c.Clause == "" || c.Text == "":
		return fmt.Errorf("criterion %s: no clause or text", c.ID)
	case c.DriverClass != "" && c.DriverClass != DriverLarge && c.DriverClass != DriverSmall:
		return fmt.Errorf("criterion %s: driver class %q", c.ID, c.DriverClass)
	}
	for _, t := range c.ExamTypes {
		if !t.Valid() {
			return fmt.Errorf("criterion %s: exam type %q", c.ID, t)
		}
	}
	if c.Evaluator == "" {
		if len(c.Params) > 0 {
			return fmt.Errorf("criterion %s: params without an evaluator", c.ID)
		}
		return nil
	}
	ev, ok := evaluators[c.Evaluator]
	if !ok {
		return fmt.Errorf("criterion %s: unknown evaluator %q", c.ID, c.Evaluator)
	}
	return ev.check(c)
}

// Driver classes of GBZ 188—2025 9.4 (大型: A1 A2 A3 B1 B2 N P; 小型: C D E F M and others,
// incl. 叉车 and similar special vehicles).
const (
	DriverLarge = "large"
	DriverSmall = "small"
)

// Names of the measurements criteria read from Input.Values, with their units.
const (
	MeasWBC          = "wbc"              // 白细胞计数, ×10⁹/L
	MeasNEUT         = "neut"             // 中性粒细胞绝对值, ×10⁹/L
	MeasPLT          = "plt"              // 血小板计数, ×10⁹/L
	MeasRBC          = "rbc"              // 红细胞计数, ×10¹²/L
	MeasHGB          = "hgb"              // 血红蛋白, g/L
	MeasBloodLead    = "pb_blood"         // 血铅, µg/L
	MeasUrineLead    = "pb_urine"         // 尿铅, µg/L
	MeasScarArea     = "scar_area_pct"    // 全身瘢痕面积, % of body surface
	MeasHeight       = "height_cm"        // 身高, cm
	MeasSBP          = "sbp"              // 收缩压, mmHg
	MeasDBP          = "dbp"              // 舒张压, mmHg
	MeasVisualField  = "visual_field_deg" // 水平视野, degrees
	MeasAcuityLeft   = "acuity_left"      // 左眼远视力, 对数视力表 (5-point scale)
	MeasAcuityRight  = "acuity_right"     // 右眼远视力, 对数视力表
	MeasNoiseMonths  = "noise_months"     // months of noise work since the pre-employment exam
	LeadMicrogPerMol = 207.2              // µg per µmol of lead: 2025 gives µmol/L and µg/L
)

type measure struct{ name, unit string }

var measures = map[string]measure{
	MeasWBC: {"白细胞计数", "×10⁹/L"}, MeasNEUT: {"中性粒细胞", "×10⁹/L"}, MeasPLT: {"血小板计数", "×10⁹/L"},
	MeasRBC: {"红细胞计数", "×10¹²/L"}, MeasHGB: {"血红蛋白", "g/L"},
	MeasBloodLead: {"血铅", "µg/L"}, MeasUrineLead: {"尿铅", "µg/L"},
	MeasScarArea: {"全身瘢痕面积", "%"}, MeasHeight: {"身高", "cm"},
	MeasSBP: {"收缩压", "mmHg"}, MeasDBP: {"舒张压", "mmHg"}, MeasVisualField: {"水平视野", "°"},
	MeasAcuityLeft: {"左眼远视力", ""}, MeasAcuityRight: {"右眼远视力", ""},
	MeasNoiseMonths: {"噪声作业时间", "个月"},
}

// MeasureName returns the Chinese name and unit of a measurement name ("", "" if unknown).
func MeasureName(name string) (string, string) { m := measures[name]; return m.name, m.unit }

// Range is a laboratory reference interval, both ends inclusive.
type Range struct{ Low, High float64 }

// Input is what one evaluation sees: one hazard of one exam, and the results recorded so far.
type Input struct {
	Hazard   string
	ExamType app.ExamType
	Edition  string
	// Age (whole years; ≤0 unknown) and Sex only feed the reference values of the GBZ 49
	// screen (age/sex correction); no criterion uses corrected levels.
	Age int
	Sex app.Sex
	// Audiogram is this exam's pure-tone audiogram, nil when not done.
	Audiogram *Audiogram
	// Baseline is the worker's pre-employment audiogram (噪声敏感者 needs it), nil if unknown.
	Baseline *Audiogram
	// Values are numeric results by Meas* name.
	Values map[string]float64
	// Ranges are the laboratory reference intervals by Meas* name (sex-specific as the lab
	// gives them), for rules that say "异常".
	Ranges map[string]Range
	// DriverClass is DriverLarge or DriverSmall for 职业机动车驾驶作业, "" when unknown.
	DriverClass string
}

// Outcome is the result of checking one criterion.
type Outcome int

// Outcomes.
const (
	NotMet  Outcome = iota // 不符合
	Met                    // 符合
	Unknown                // 无法判断 (a measurement is missing or invalid, or the rule does not say)
)

// Name returns the Chinese name.
func (o Outcome) Name() string {
	switch o {
	case Met:
		return "符合"
	case Unknown:
		return "无法判断"
	}
	return "不符合"
}

// Value is one measurement a finding used.
type Value struct {
	Name  string // e.g. 左耳 500 Hz, 白细胞计数
	Value float64
	Unit  string
}

// Finding is the result of one criterion for one exam and hazard: a suggestion for the
// chief examiner, with the clause it rests on and the values it used.
type Finding struct {
	Criterion string
	Kind      Kind
	Clause    string
	Status    string // the criterion's V/P/U
	Outcome   Outcome
	Text      string // Chinese, e.g. 左耳 500 Hz 听阈 30 dBHL > 25 dBHL：职业禁忌证（…）
	Confirm   string // what the doctor must still confirm (when Met)
	Action    string // for rechecks and supplements (when Met)
	Missing   []string
	Used      []Value
}
