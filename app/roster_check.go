package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"occhealth/app/catalog"
)

// IntakeWarnings are the thresholds and lists behind the warnings of a roster preview, kept
// as data (assets/rules/intake_warnings.json) so that an administrator can correct them:
// minors by age, and for women the hazard factors restricted during pregnancy or lactation
// (《女职工劳动保护特别规定》附录).
type IntakeWarnings struct {
	Version string
	// Ages are checked lowest Below first; the first rule with age < Below applies.
	Ages []AgeRule
	// FemaleMessage is the template of a female-hazard message, with {hazard}, {periods},
	// {condition} and {verify}.
	FemaleMessage string
	// Periods names each restricted period (孕期, 哺乳期) and what to verify (怀孕, 在哺乳期).
	Periods []RestrictedPeriod
	Female  []FemaleHazardRule
}

// AgeRule warns about (or rejects) a worker younger than Below years.
type AgeRule struct {
	Below   int
	Level   string // LevelWarning or LevelError
	Message string // {age} is replaced by the age in whole years
	Source  string
	Status  string // V, P or U as in the catalogs
}

// RestrictedPeriod is a period of a woman's life some work is forbidden in.
type RestrictedPeriod struct {
	Name   string // 孕期
	Verify string // 怀孕: "请核实是否" + Verify
}

// FemaleHazardRule names a hazard factor women must not work with in the given periods.
type FemaleHazardRule struct {
	Hazard    string   // national hazard code
	Name      string   // the regulation's name of the factor
	Periods   []string // names from IntakeWarnings.Periods
	Condition string   // when the restriction applies (浓度超标, 第三级、第四级 …); "" always
	Source    string
	Status    string
}

type intakeWarningsFile struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Version string `json:"version"`
	Notes   string `json:"notes"`
	Age     []struct {
		Below   int    `json:"below"`
		Level   string `json:"level"`
		Message string `json:"message"`
		Source  string `json:"source"`
		Status  string `json:"status"`
	} `json:"age"`
	FemaleMessage string `json:"female_message"`
	Periods       []struct {
		Name   string `json:"name"`
		Verify string `json:"verify"`
	} `json:"periods"`
	Female []struct {
		Hazard    string   `json:"hazard"`
		Name      string   `json:"name"`
		Periods   []string `json:"periods"`
		Condition string   `json:"condition"`
		Source    string   `json:"source"`
		Status    string   `json:"status"`
	} `json:"female"`
}

// LoadIntakeWarnings decodes and checks the intake warning rules. Unknown fields are
// rejected, so that a misspelt field in an edited file is reported rather than ignored.
func LoadIntakeWarnings(b []byte) (IntakeWarnings, error) {
	var f intakeWarningsFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return IntakeWarnings{}, fmt.Errorf("decode intake warnings: %w", err)
	}
	w := IntakeWarnings{Version: f.Version, FemaleMessage: f.FemaleMessage}
	status := func(s string) bool { return s == "" || s == "V" || s == "P" || s == "U" }
	for i, a := range f.Age {
		if a.Below <= 0 || a.Below > 150 {
			return IntakeWarnings{}, fmt.Errorf("intake warnings: age rule %d: below %d out of range", i, a.Below)
		}
		if a.Level != LevelWarning && a.Level != LevelError {
			return IntakeWarnings{}, fmt.Errorf("intake warnings: age rule %d: level %q", i, a.Level)
		}
		if strings.TrimSpace(a.Message) == "" || !status(a.Status) {
			return IntakeWarnings{}, fmt.Errorf("intake warnings: age rule %d: no message or bad status %q", i, a.Status)
		}
		w.Ages = append(w.Ages, AgeRule(a))
	}
	sort.SliceStable(w.Ages, func(i, j int) bool { return w.Ages[i].Below < w.Ages[j].Below })
	periods := map[string]bool{}
	for i, p := range f.Periods {
		if p.Name == "" || p.Verify == "" || periods[p.Name] {
			return IntakeWarnings{}, fmt.Errorf("intake warnings: period %d: empty or repeated", i)
		}
		periods[p.Name] = true
		w.Periods = append(w.Periods, RestrictedPeriod(p))
	}
	if len(f.Female) > 0 && strings.TrimSpace(f.FemaleMessage) == "" {
		return IntakeWarnings{}, fmt.Errorf("intake warnings: female rules without female_message")
	}
	for i, r := range f.Female {
		if r.Hazard == "" || r.Name == "" || len(r.Periods) == 0 || !status(r.Status) {
			return IntakeWarnings{}, fmt.Errorf("intake warnings: female rule %d (%s): missing hazard, name or periods, or bad status", i, r.Hazard)
		}
		for _, p := range r.Periods {
			if !periods[p] {
				return IntakeWarnings{}, fmt.Errorf("intake warnings: female rule %d (%s): unknown period %q", i, r.Hazard, p)
			}
		}
		w.Female = append(w.Female, FemaleHazardRule(r))
	}
	return w, nil
}

// rosterColumnLabels are the usual header texts, used in messages when the file's own header
// is not known (CheckRosterRecord on its own).
var rosterColumnLabels = map[RosterColumn]string{
	ColName: "姓名", ColIDNumber: "身份证号", ColDocType: "证件类型", ColSex: "性别",
	ColBirth: "出生日期", ColPhone: "联系电话", ColWorkshop: "车间", ColJob: "工种",
	ColHazards: "危害因素", ColExposureStart: "开始接害日期", ColExposureYears: "接害工龄",
	ColExamType: "体检类型",
}

// RosterColumns lists the recognised columns in the order an outcome file writes them.
var RosterColumns = []RosterColumn{
	ColName, ColDocType, ColIDNumber, ColSex, ColBirth, ColPhone, ColWorkshop, ColJob,
	ColHazards, ColExposureStart, ColExposureYears, ColExamType,
}

// Label returns the usual Chinese header of the column (姓名, 身份证号 …).
func (c RosterColumn) Label() string {
	if l, ok := rosterColumnLabels[c]; ok {
		return l
	}
	return string(c)
}

// CheckRosterRecord checks one roster row on its own (no duplicates, no archive): it reads
// every recognised column, normalises the worker, matches job and hazards against the
// catalogs, and adds the warnings of warn. Messages name the columns by their usual headers;
// CheckRoster names them as the file does. Worker.WorkHistory and Exposures stay empty: the
// row's Workshop, JobCode/JobName, Hazards, OtherHazards and ExposureStart carry them.
func CheckRosterRecord(rec RosterRecord, set *catalog.Set, warn IntakeWarnings, now time.Time) RosterRow {
	row, _ := newRosterChecker(nil, set, warn, now, false).check(rec)
	return row
}

// CheckRoster checks every record of f (see CheckRosterRecord) and rejects a later row with
// the same document number as an earlier one ("与第 N 行重复"). Rows come back in file order.
func CheckRoster(f RosterFile, set *catalog.Set, warn IntakeWarnings, now time.Time) []RosterRow {
	c := newRosterChecker(f.Headers, set, warn, now, true)
	rows := make([]RosterRow, len(f.Records))
	seen := make(map[string]int, len(f.Records))
	for i, rec := range f.Records {
		r, key := c.check(rec)
		if key != "" {
			if first, dup := seen[key]; dup {
				r.DuplicateOfRow = first
				r.Messages = append(r.Messages, RowMessage{Row: rec.Row, Column: c.header(ColIDNumber), Level: LevelError,
					Message: fmt.Sprintf("与第 %d 行重复（证件号码相同）", first)})
				r.Outcome = rosterOutcome(r.Messages)
			} else {
				seen[key] = rec.Row
			}
		}
		rows[i] = r
	}
	return rows
}

func rosterOutcome(ms []RowMessage) string {
	out := RowAccepted
	for _, m := range ms {
		if m.Level == LevelError {
			return RowRejected
		}
		out = RowWarning
	}
	return out
}

type rosterChecker struct {
	headers map[RosterColumn]string
	set     *catalog.Set
	warn    IntakeWarnings
	today   time.Time
	// jobs maps a job name to its code ("" when two codes share the name); nil to scan.
	jobs   map[string]string
	female map[string][]FemaleHazardRule
}

func newRosterChecker(headers map[RosterColumn]string, set *catalog.Set, warn IntakeWarnings, now time.Time, indexJobs bool) *rosterChecker {
	c := &rosterChecker{headers: headers, set: set, warn: warn,
		today: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)}
	if indexJobs && set != nil {
		if cat, ok := set.Catalog(catalog.Jobs); ok {
			c.jobs = make(map[string]string, len(cat.Entries))
			for _, e := range cat.Entries {
				if _, dup := c.jobs[e.Name]; dup {
					c.jobs[e.Name] = ""
				} else {
					c.jobs[e.Name] = e.Code
				}
			}
		}
	}
	c.female = make(map[string][]FemaleHazardRule, len(warn.Female))
	for _, r := range warn.Female {
		c.female[r.Hazard] = append(c.female[r.Hazard], r)
	}
	return c
}

func (c *rosterChecker) header(col RosterColumn) string {
	if h := c.headers[col]; h != "" {
		return h
	}
	return col.Label()
}

// rowCheck gathers the messages of one row.
type rowCheck struct {
	c      *rosterChecker
	row    int
	msgs   []RowMessage
	broken map[RosterColumn]bool // columns the reader already reported as unreadable
}

func (r *rowCheck) add(col RosterColumn, level, format string, args ...any) {
	column := ""
	if col != "" {
		column = r.c.header(col)
	}
	r.msgs = append(r.msgs, RowMessage{Row: r.row, Column: column, Level: level, Message: fmt.Sprintf(format, args...)})
}

func (r *rowCheck) errorf(col RosterColumn, format string, args ...any) {
	r.add(col, LevelError, format, args...)
}

func (r *rowCheck) warnf(col RosterColumn, format string, args ...any) {
	r.add(col, LevelWarning, format, args...)
}

// check returns the row and, when its document number is sound, a key for duplicates.
func (c *rosterChecker) check(rec RosterRecord) (RosterRow, string) {
	out := RosterRow{Row: rec.Row}
	r := &rowCheck{c: c, row: rec.Row}
	for _, p := range rec.Problems {
		p.Row = rec.Row
		r.msgs = append(r.msgs, p)
		if p.Level == LevelError {
			for col, h := range c.headers {
				if h == p.Column {
					if r.broken == nil {
						r.broken = map[RosterColumn]bool{}
					}
					r.broken[col] = true
				}
			}
			for col, l := range rosterColumnLabels {
				if l == p.Column && c.headers[col] == "" {
					if r.broken == nil {
						r.broken = map[RosterColumn]bool{}
					}
					r.broken[col] = true
				}
			}
		}
	}
	val := func(col RosterColumn) (string, bool) {
		v, ok := rec.Values[col]
		return strings.TrimSpace(strings.ReplaceAll(v, "\u3000", " ")), ok && !r.broken[col]
	}
	w := &out.Worker

	// 姓名
	if v, ok := val(ColName); ok || !r.broken[ColName] {
		if n, err := CheckPersonName(c.header(ColName), v); err != nil {
			r.errorf(ColName, "%s", err.(*Error).Message)
		} else {
			w.Name = n
		}
	}

	// 证件类型, 证件号码
	w.DocType = DocResidentID
	if v, ok := val(ColDocType); ok && v != "" {
		if d, found := ParseDocType(v); found {
			w.DocType = d
		} else {
			r.errorf(ColDocType, "证件类型“%s”无法识别，应为居民身份证、港澳台居民居住证、外国人永久居留身份证、护照等", v)
		}
	}
	// idName names the number in messages, docName the document (性别与身份证号不符（身份证显示为男）).
	idName, docName := "证件号码", "证件号码"
	if w.DocType == DocResidentID {
		idName, docName = "身份证号", "身份证"
	}
	var info IDInfo
	haveID, key := false, ""
	if v, ok := val(ColIDNumber); ok && w.DocType.Checked() {
		i, err := ParseIDNumber(w.DocType, v, c.today)
		switch {
		case err != nil:
			msg := err.(*Error).Message
			n := NormalizeIDNumber(v)
			if strings.Contains(msg, "校验位") && strings.HasSuffix(n, "000") {
				msg += "；末尾是 000，可能是 Excel 把号码当作数字保存而丢失了末几位，请把该列设为文本后重新填写"
			}
			r.errorf(ColIDNumber, "%s", msg)
		default:
			info, haveID = i, true
			w.IDNumber = i.Number
			key = string(w.DocType) + ":" + i.Number
		}
	} else if ok {
		n := strings.ToUpper(NormalizeIDNumber(v))
		bad := ""
		switch {
		case n == "":
			bad = "不能为空"
		case utf8.RuneCountInString(n) > 18:
			bad = "最多 18 位"
		default:
			for _, ch := range n {
				if !(ch >= '0' && ch <= '9' || ch >= 'A' && ch <= 'Z') {
					bad = "只能由字母和数字组成"
					break
				}
			}
		}
		if bad != "" {
			r.errorf(ColIDNumber, "%s", bad)
		} else {
			w.IDNumber = n
			key = string(w.DocType) + ":" + n
		}
	} else if !r.broken[ColIDNumber] {
		r.errorf(ColIDNumber, "名单中没有证件号码列，无法建档")
	}

	// 性别
	var given Sex
	if v, ok := val(ColSex); ok && v != "" {
		if s, found := parseSex(v); found {
			given = s
		} else if haveID {
			r.warnf(ColSex, "性别“%s”无法识别，以%s为准（%s）", v, docName, info.Sex.Name())
		} else {
			r.errorf(ColSex, "性别“%s”无法识别，请填写男或女", v)
		}
	}
	switch {
	case haveID:
		if given != "" && given != info.Sex {
			r.warnf(ColSex, "性别与%s不符（%s显示为%s），以%s为准", idName, docName, info.Sex.Name(), docName)
		}
		w.Sex = info.Sex
	case given != "":
		w.Sex = given
	case w.DocType.Checked():
		// the number was wrong or missing: already an error
	case !r.broken[ColSex]:
		r.errorf(ColSex, "证件类型为%s时必须填写性别", w.DocType.Name())
	}

	// 出生日期
	var birth time.Time
	monthOnly := false
	if v, ok := val(ColBirth); ok && v != "" {
		d, mo, err := ParseRosterDate(v)
		switch {
		case err != nil && haveID:
			r.warnf(ColBirth, "%s，以%s为准（%s）", err.(*Error).Message, docName, info.Birth.Format("2006-01-02"))
		case err != nil:
			r.errorf(ColBirth, "%s", err.Error())
		default:
			birth, monthOnly = d, mo
		}
	}
	switch {
	case haveID:
		if !birth.IsZero() && !sameBirth(birth, info.Birth, monthOnly) {
			r.warnf(ColBirth, "出生日期与%s不符（%s显示为 %s），以%s为准", idName, docName, info.Birth.Format("2006-01-02"), docName)
		}
		w.BirthDate = info.Birth
	case !birth.IsZero():
		if monthOnly && !w.DocType.Checked() {
			r.errorf(ColBirth, "只填写了年月，请填写完整的出生日期")
		} else if birth.After(c.today) {
			r.errorf(ColBirth, "出生日期 %s 晚于今天", birth.Format("2006-01-02"))
		} else {
			w.BirthDate = birth
		}
	case w.DocType.Checked():
	case !r.broken[ColBirth]:
		r.errorf(ColBirth, "证件类型为%s时必须填写出生日期", w.DocType.Name())
	}

	// 联系电话
	if v, ok := val(ColPhone); ok && v != "" {
		p := NormalizePhone(v)
		if err := checkPhone(c.header(ColPhone), p); err != nil {
			r.errorf(ColPhone, "%s", err.(*Error).Message)
		} else {
			w.Phone = p
		}
	}

	// 车间, 工种
	if v, ok := val(ColWorkshop); ok {
		if n := utf8.RuneCountInString(v); n > 50 {
			r.errorf(ColWorkshop, "最多 50 个字（现为 %d 个）", n)
		} else {
			out.Workshop = v
		}
	}
	if v, ok := val(ColJob); ok && v != "" {
		if n := utf8.RuneCountInString(v); n > 50 {
			r.errorf(ColJob, "最多 50 个字（现为 %d 个）", n)
		} else {
			// As in WorkPeriod: a code when the catalog has exactly one job of that name,
			// the text otherwise (其他工种名称).
			if out.JobCode = c.jobCode(v); out.JobCode == "" {
				out.JobName = v
			}
		}
	}

	// 危害因素
	if v, ok := val(ColHazards); ok {
		if v == "" {
			r.warnf(ColHazards, "未填写危害因素")
		} else {
			c.hazards(r, &out, v)
		}
	}

	// 开始接害日期, 接害工龄
	var start time.Time
	if v, ok := val(ColExposureStart); ok && v != "" {
		d, _, err := ParseRosterDate(v)
		switch {
		case err != nil:
			r.errorf(ColExposureStart, "%s", err.Error())
		case d.After(c.today):
			r.errorf(ColExposureStart, "开始接害日期 %s 晚于今天", d.Format("2006-01-02"))
		case !w.BirthDate.IsZero() && d.Before(w.BirthDate):
			r.errorf(ColExposureStart, "开始接害日期 %s 早于出生日期", d.Format("2006-01-02"))
		default:
			start = d
		}
	}
	if v, ok := val(ColExposureYears); ok && v != "" {
		years, err := parseYears(v)
		switch {
		case err != nil:
			r.errorf(ColExposureYears, "%s", err.Error())
		default:
			derived := c.today.AddDate(0, -int(math.Round(years*12)), 0)
			switch {
			case !w.BirthDate.IsZero() && derived.Before(w.BirthDate):
				r.errorf(ColExposureYears, "接害工龄 %s 年超过了年龄", v)
			case !start.IsZero():
				if diff := start.Sub(derived); diff > 366*24*time.Hour || diff < -366*24*time.Hour {
					r.warnf(ColExposureYears, "接害工龄 %s 年与开始接害日期 %s 相差一年以上，以开始接害日期为准", trimYears(v), start.Format("2006-01-02"))
				}
			default:
				start = derived
				r.warnf(ColExposureYears, "开始接害日期按接害工龄 %s 年推算为 %s", trimYears(v), derived.Format("2006-01-02"))
			}
		}
	}
	out.ExposureStart = start

	// 体检类型
	if v, ok := val(ColExamType); ok && v != "" {
		if t, found := ParseExamType(v); found {
			out.ExamType = t
		} else {
			r.errorf(ColExamType, "体检类型“%s”无法识别，应为上岗前、在岗期间、离岗时、应急或离岗后", v)
		}
	}

	// Warnings of the data rules.
	if !w.BirthDate.IsZero() {
		age := AgeOn(w.BirthDate, c.today)
		for _, a := range c.warn.Ages {
			if age < a.Below {
				col := ColBirth
				if haveID || c.headers[ColBirth] == "" && c.headers[ColIDNumber] != "" {
					col = ColIDNumber
				}
				r.add(col, a.Level, "%s", strings.ReplaceAll(a.Message, "{age}", strconv.Itoa(age)))
				break
			}
		}
	}
	if w.Sex == SexFemale {
		for _, code := range out.Hazards {
			for _, fr := range c.female[code] {
				r.warnf(ColHazards, "%s", c.femaleMessage(fr))
			}
		}
	}

	out.Messages = r.msgs
	out.Outcome = rosterOutcome(r.msgs)
	return out, key
}

func (c *rosterChecker) femaleMessage(fr FemaleHazardRule) string {
	var verify []string
	for _, name := range fr.Periods {
		for _, p := range c.warn.Periods {
			if p.Name == name {
				verify = append(verify, p.Verify)
			}
		}
	}
	cond := ""
	if fr.Condition != "" {
		cond = "（" + fr.Condition + "）"
	}
	return strings.NewReplacer("{hazard}", fr.Name, "{periods}", strings.Join(fr.Periods, "、"),
		"{condition}", cond, "{verify}", strings.Join(verify, "或")).Replace(c.warn.FemaleMessage)
}

func (c *rosterChecker) jobCode(name string) string {
	if c.jobs != nil {
		return c.jobs[name]
	}
	if c.set == nil {
		return ""
	}
	cat, ok := c.set.Catalog(catalog.Jobs)
	if !ok {
		return ""
	}
	code := ""
	for _, e := range cat.Entries {
		if e.Name == name {
			if code != "" {
				return "" // two codes share the name: keep the text
			}
			code = e.Code
		}
	}
	return code
}

// maxHazardJoin is how many pieces of a split hazard cell are tried together as one name
// (names such as “氯，氯气” and “1,2-二氯乙烷” contain separators).
const maxHazardJoin = 6

// hazards splits a hazard cell and matches each piece to the catalog.
func (c *rosterChecker) hazards(r *rowCheck, out *RosterRow, cell string) {
	pieces := splitHazards(cell)
	seen := map[string]bool{}
	for i := 0; i < len(pieces); {
		matched := false
		for j := min(len(pieces), i+maxHazardJoin); j > i; j-- {
			text := joinPieces(pieces[i:j])
			hits := c.matchHazard(text)
			if len(hits) == 0 {
				continue
			}
			matched = true
			if len(hits) > 1 {
				var opts []string
				for _, h := range hits {
					opts = append(opts, h.Code+" "+h.Category)
				}
				r.errorf(ColHazards, "危害因素“%s”对应多个代码（%s），请填写代码", text, strings.Join(opts, "、"))
			} else if !seen[hits[0].Code] {
				seen[hits[0].Code] = true
				out.Hazards = append(out.Hazards, hits[0].Code)
			}
			i = j
			break
		}
		if !matched {
			text := pieces[i].text
			if !seen["\x00"+text] {
				seen["\x00"+text] = true
				out.OtherHazards = append(out.OtherHazards, text)
				r.warnf(ColHazards, "危害因素“%s”不在目录中，按“其他”登记", text)
			}
			i++
		}
	}
}

// matchHazard matches a hazard name or alias, or a factor's national code.
func (c *rosterChecker) matchHazard(text string) []catalog.Entry {
	if c.set == nil {
		return nil
	}
	if hits := c.set.MatchHazards(text); len(hits) > 0 {
		return hits
	}
	if allDigits(text) {
		if e, ok := c.set.Lookup(catalog.Hazards, text); ok && e.Level > 1 {
			return []catalog.Entry{e}
		}
	}
	return nil
}

type hazardPiece struct {
	text string
	sep  string // the separator that followed it
}

// splitHazards splits a cell at 、，,；;/ and spaces outside brackets.
func splitHazards(s string) []hazardPiece {
	var out []hazardPiece
	var cur, sep strings.Builder
	depth := 0
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			out = append(out, hazardPiece{text: t})
		} else if len(out) > 0 && sep.Len() > 0 {
			out[len(out)-1].sep += sep.String()
		}
		cur.Reset()
		sep.Reset()
	}
	for _, r := range s {
		switch r {
		case '(', '（', '[', '【', '〔', '［':
			depth++
		case ')', '）', ']', '】', '〕', '］':
			if depth > 0 {
				depth--
			}
		}
		if depth == 0 && strings.ContainsRune("、，,；;/／ \u3000\t\r\n", r) {
			if cur.Len() > 0 && strings.TrimSpace(cur.String()) != "" {
				t := strings.TrimSpace(cur.String())
				out = append(out, hazardPiece{text: t, sep: string(r)})
				cur.Reset()
			} else if len(out) > 0 {
				out[len(out)-1].sep += string(r)
			}
			continue
		}
		cur.WriteRune(r)
	}
	flush()
	return out
}

func joinPieces(ps []hazardPiece) string {
	var b strings.Builder
	for i, p := range ps {
		b.WriteString(p.text)
		if i < len(ps)-1 {
			b.WriteString(p.sep)
		}
	}
	return b.String()
}

// ParseDocType reads a document type written as a code (01, L01) or a name (居民身份证,
// 身份证, 港澳台居民居住证, 护照 …).
func ParseDocType(s string) (DocType, bool) {
	s = strings.TrimSpace(s)
	if d := DocType(strings.ToUpper(s)); d.Valid() {
		return d, true
	}
	for d, n := range docTypeNames {
		if n == s {
			return d, true
		}
	}
	switch strings.ReplaceAll(s, " ", "") {
	case "身份证", "居民身份证号", "二代身份证", "1":
		return DocResidentID, true
	case "居住证", "港澳台居住证", "港澳居民居住证", "台湾居民居住证":
		return DocHMTResidence, true
	case "外国人永久居留证", "永久居留身份证", "永居证", "外国人永久居留身份证件":
		return DocForeignPermanent, true
	case "回乡证", "港澳通行证", "港澳居民通行证":
		return DocHKMacauPass, true
	case "台胞证", "台湾通行证":
		return DocTaiwanPass, true
	case "3":
		return DocPassport, true
	}
	return "", false
}

func parseSex(s string) (Sex, bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "男", "男性", "1", "M", "MALE":
		return SexMale, true
	case "女", "女性", "2", "F", "FEMALE":
		return SexFemale, true
	}
	return "", false
}

func sameBirth(given, fromID time.Time, monthOnly bool) bool {
	if monthOnly {
		return given.Year() == fromID.Year() && given.Month() == fromID.Month()
	}
	return sameDay(given, fromID)
}

// NormalizePhone trims a phone number and turns full-width digits and signs into ASCII.
func NormalizePhone(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r == '－':
			r = '-'
		case r == '＋':
			r = '+'
		case r == '\u3000' || r == '\u00a0':
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// parseYears reads 接害工龄: a number of years, possibly decimal, with an optional 年.
func parseYears(s string) (float64, error) {
	t := trimYears(s)
	y, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(y) || math.IsInf(y, 0) {
		return 0, fmt.Errorf("接害工龄“%s”不是年数，请填写数字，如 3 或 2.5", s)
	}
	if y < 0 || y > 70 {
		return 0, fmt.Errorf("接害工龄 %s 年不在 0–70 年之间", t)
	}
	return y, nil
}

func trimYears(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "年"), "年")
	return strings.TrimSpace(s)
}

// ParseRosterDate reads a date as rosters write it: 2024-03-05, 2024/3/5, 2024.3.5, 20240305,
// 2024年3月5日 (with or without a time of day after it), an Excel serial number (45356), or a
// month alone (2024-03, 2024.3, 202403, 2024年3月), which gives the first of the month and
// monthOnly. Anything else, and dates before 1900 or after 2100, are an EINVALID error whose
// message quotes the text.
func ParseRosterDate(s string) (d time.Time, monthOnly bool, err error) {
	orig := strings.TrimSpace(s)
	t := foldWidth(orig)
	if i := strings.IndexAny(t, " T"); i > 0 && strings.Contains(t[i:], ":") {
		t = strings.TrimSpace(t[:i]) // a time of day after the date
	}
	bad := func() (time.Time, bool, error) {
		return time.Time{}, false, Errorf(EINVALID, "日期“%s”无法识别，请写成 2024-03-05 的形式", orig)
	}
	if t == "" {
		return bad()
	}
	var parts []string
	switch {
	case allDigits(t) && len(t) == 8:
		parts = []string{t[:4], t[4:6], t[6:]}
	case allDigits(t) && len(t) == 6 && t[:2] >= "19" && t[:2] <= "21":
		parts = []string{t[:4], t[4:]}
	case allDigits(t) && len(t) == 4:
		return time.Time{}, false, Errorf(EINVALID, "日期“%s”只有年份，请写成 2024-03-05 的形式", orig)
	case strings.ContainsRune(t, '年'):
		u := strings.TrimSuffix(strings.TrimSuffix(t, "日"), "号")
		u = strings.NewReplacer("年", "-", "月", "-").Replace(u)
		parts = strings.Split(strings.TrimSuffix(u, "-"), "-")
	case strings.ContainsAny(t, "-/."):
		if f, err := strconv.ParseFloat(t, 64); err == nil && strings.Count(t, ".") == 1 && !strings.ContainsAny(t, "-/") {
			// 45356.5 is a serial with a time of day; 2024.3 a month
			if f >= 61 && f < 73051 && len(t) > 0 && !(len(strings.SplitN(t, ".", 2)[0]) == 4 && f >= 1900 && f < 2101) {
				return serialDate(f, orig)
			}
		}
		parts = strings.FieldsFunc(t, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
		if strings.Count(t, "-")+strings.Count(t, "/")+strings.Count(t, ".") != len(parts)-1 {
			return bad()
		}
	case allDigits(t):
		f, _ := strconv.ParseFloat(t, 64)
		return serialDate(f, orig)
	default:
		return bad()
	}
	if len(parts) < 2 || len(parts) > 3 || len(parts[0]) != 4 {
		return bad()
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		if !allDigits(p) || (i > 0 && len(p) > 2) {
			return bad()
		}
		nums[i], _ = strconv.Atoi(p)
	}
	if len(nums) == 2 {
		nums, monthOnly = append(nums, 1), true
	}
	d = time.Date(nums[0], time.Month(nums[1]), nums[2], 0, 0, 0, 0, time.UTC)
	if d.Year() != nums[0] || int(d.Month()) != nums[1] || d.Day() != nums[2] {
		return time.Time{}, false, Errorf(EINVALID, "日期“%s”不存在", orig)
	}
	if nums[0] < 1900 || nums[0] > 2100 {
		return time.Time{}, false, Errorf(EINVALID, "日期“%s”不在 1900–2100 年之间", orig)
	}
	return d, monthOnly, nil
}

// ExcelSerialDate converts an Excel serial day number (1900 date system, days since
// 1899-12-30 for serials from 61 on) to a UTC date; the time of day is dropped.
func ExcelSerialDate(serial float64) time.Time {
	return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(math.Floor(serial)))
}

func serialDate(f float64, orig string) (time.Time, bool, error) {
	if math.IsNaN(f) || f < 61 || f >= 73051 { // 1900-03-01 … 2099-12-31
		return time.Time{}, false, Errorf(EINVALID, "日期“%s”无法识别，请写成 2024-03-05 的形式", orig)
	}
	return ExcelSerialDate(f), false, nil
}

// foldWidth turns full-width ASCII (２０２４－０３) into half-width.
func foldWidth(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E || r == '\u3000' }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == '\u3000':
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}
