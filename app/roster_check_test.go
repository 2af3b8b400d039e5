package app_test

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/app/catalog"
)

// rosterNow is the clock of the roster tests.
var rosterNow = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)

var (
	rosterOnce sync.Once
	rosterSet  *catalog.Set
	rosterWarn app.IntakeWarnings
	rosterErr  error
)

// rosterRules loads the bundled catalogs and intake warnings once.
func rosterRules(tb testing.TB) (*catalog.Set, app.IntakeWarnings) {
	tb.Helper()
	rosterOnce.Do(func() {
		if rosterSet, rosterErr = catalog.Load(os.DirFS("../assets/catalog")); rosterErr != nil {
			return
		}
		var b []byte
		if b, rosterErr = os.ReadFile("../assets/rules/intake_warnings.json"); rosterErr != nil {
			return
		}
		rosterWarn, rosterErr = app.LoadIntakeWarnings(b)
	})
	if rosterErr != nil {
		tb.Fatal(rosterErr)
	}
	return rosterSet, rosterWarn
}

// rosterID completes 17 digits with their check character.
func rosterID(body string) string { return body + string(app.IDCheckChar(body)) }

var (
	idMale     = rosterID("42010219900307123") // 男, 1990-03-07
	idFemale   = rosterID("42010219920515122") // 女, 1992-05-15
	idMinor16  = rosterID("42010220100601101") // 男, 16 on rosterNow
	idChild15  = rosterID("42010220110601101") // 男, 15
	idFemale2  = rosterID("45010219850101002") // 女, 1985-01-01
	idLegacy15 = "420102900307123"             // 15 digits of idMale's person
)

func rosterRec(kv ...string) app.RosterRecord {
	rec := app.RosterRecord{Row: 5, Values: map[app.RosterColumn]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		rec.Values[app.RosterColumn(kv[i])] = kv[i+1]
	}
	return rec
}

func hasMessage(r app.RosterRow, level, column, part string) bool {
	for _, m := range r.Messages {
		if m.Level == level && (column == "" || m.Column == column) && strings.Contains(m.Message, part) {
			return true
		}
	}
	return false
}

func TestCheckRosterRecord(t *testing.T) {
	set, warn := rosterRules(t)
	const (
		N, ID, DT, SX, BD, PH, WS, JB, HZ, ES, EY, ET = "name", "id_number", "doc_type", "sex", "birth", "phone", "workshop", "job", "hazards", "exposure_start", "exposure_years", "exam_type"
	)
	type msg struct{ level, column, part string }
	for _, tc := range []struct {
		name    string
		rec     app.RosterRecord
		outcome string
		msgs    []msg
		check   func(t *testing.T, r app.RosterRow)
	}{
		{"accepted", rosterRec(N, " 张 三 ", ID, strings.ToLower(idMale), SX, "男", BD, "1990-03-07", PH, "13812345678", WS, "一车间", JB, "电焊工", HZ, "电焊烟尘、噪声", ES, "2015/6/1", ET, "在岗"),
			app.RowAccepted, nil, func(t *testing.T, r app.RosterRow) {
				w := r.Worker
				if w.Name != "张 三" || w.IDNumber != idMale || w.Sex != app.SexMale || w.BirthDate.Format("2006-01-02") != "1990-03-07" || w.Phone != "13812345678" || w.DocType != app.DocResidentID {
					t.Errorf("worker %+v", w)
				}
				if strings.Join(r.Hazards, ",") != "1006,3008" || len(r.OtherHazards) != 0 {
					t.Errorf("hazards %v other %v", r.Hazards, r.OtherHazards)
				}
				if r.JobCode != "09-033" || r.JobName != "" || r.Workshop != "一车间" || r.ExamType != app.ExamPeriodic {
					t.Errorf("job %q %q workshop %q type %q", r.JobCode, r.JobName, r.Workshop, r.ExamType)
				}
				if r.ExposureStart.Format("2006-01-02") != "2015-06-01" {
					t.Errorf("exposure start %v", r.ExposureStart)
				}
			}},
		{"sex disagrees with the ID", rosterRec(N, "李四", ID, idMale, SX, "女"), app.RowWarning,
			[]msg{{app.LevelWarning, "性别", "性别与身份证号不符（身份证显示为男），以身份证为准"}}, func(t *testing.T, r app.RosterRow) {
				if r.Worker.Sex != app.SexMale {
					t.Errorf("sex %q", r.Worker.Sex)
				}
			}},
		{"birth disagrees with the ID", rosterRec(N, "李四", ID, idMale, BD, "1990-03-08"), app.RowWarning,
			[]msg{{app.LevelWarning, "出生日期", "出生日期与身份证号不符（身份证显示为 1990-03-07），以身份证为准"}}, nil},
		{"birth month agrees", rosterRec(N, "李四", ID, idMale, BD, "1990.03"), app.RowAccepted, nil, nil},
		{"unreadable birth with an ID", rosterRec(N, "李四", ID, idMale, BD, "三月"), app.RowWarning,
			[]msg{{app.LevelWarning, "出生日期", "以身份证为准"}}, nil},
		{"unreadable sex with an ID", rosterRec(N, "李四", ID, idMale, SX, "?"), app.RowWarning,
			[]msg{{app.LevelWarning, "性别", "无法识别"}}, nil},
		{"bad check digit", rosterRec(N, "李四", ID, idMale[:17]+"0"), app.RowRejected,
			[]msg{{app.LevelError, "身份证号", "校验位错误"}}, nil},
		{"ID that Excel rounded", rosterRec(N, "李四", ID, "420102199003071000"), app.RowRejected,
			[]msg{{app.LevelError, "身份证号", "丢失了末几位"}}, nil},
		{"empty ID", rosterRec(N, "李四", ID, ""), app.RowRejected, []msg{{app.LevelError, "身份证号", "不能为空"}}, nil},
		{"no ID column", rosterRec(N, "李四"), app.RowRejected, []msg{{app.LevelError, "身份证号", "没有证件号码列"}}, nil},
		{"15-digit ID", rosterRec(N, "李四", ID, idLegacy15), app.RowAccepted, nil, func(t *testing.T, r app.RosterRow) {
			if r.Worker.IDNumber != idMale {
				t.Errorf("number %q, want %q", r.Worker.IDNumber, idMale)
			}
		}},
		{"bad name", rosterRec(N, "张三1", ID, idMale), app.RowRejected, []msg{{app.LevelError, "姓名", "不允许的字符"}}, nil},
		{"empty name", rosterRec(N, "", ID, idMale), app.RowRejected, []msg{{app.LevelError, "姓名", "不能为空"}}, nil},
		{"unknown doc type", rosterRec(N, "李四", DT, "学生证", ID, idMale), app.RowRejected,
			[]msg{{app.LevelError, "证件类型", "无法识别"}}, nil},
		{"residence permit", rosterRec(N, "陈大文", DT, "港澳台居民居住证", ID, rosterID("81000019900101003")), app.RowAccepted, nil,
			func(t *testing.T, r app.RosterRow) {
				if r.Worker.DocType != app.DocHMTResidence || r.Worker.Sex != app.SexMale {
					t.Errorf("worker %+v", r.Worker)
				}
			}},
		{"residence permit mismatch", rosterRec(N, "陈大文", DT, "居住证", ID, rosterID("81000019900101003"), SX, "女"), app.RowWarning,
			[]msg{{app.LevelWarning, "性别", "性别与证件号码不符（证件号码显示为男），以证件号码为准"}}, nil},
		{"passport", rosterRec(N, "John Smith", DT, "护照", ID, "e1234567", SX, "M", BD, "1980年2月3日"), app.RowAccepted, nil,
			func(t *testing.T, r app.RosterRow) {
				if r.Worker.IDNumber != "E1234567" || r.Worker.Sex != app.SexMale || r.Worker.BirthDate.Format("2006-01-02") != "1980-02-03" {
					t.Errorf("worker %+v", r.Worker)
				}
			}},
		{"passport without sex and birth", rosterRec(N, "John Smith", DT, "03", ID, "E1234567"), app.RowRejected,
			[]msg{{app.LevelError, "性别", "必须填写性别"}, {app.LevelError, "出生日期", "必须填写出生日期"}}, nil},
		{"passport with a bad number", rosterRec(N, "John Smith", DT, "护照", ID, "E-12/34", SX, "男", BD, "1980-02-03"), app.RowRejected,
			[]msg{{app.LevelError, "身份证号", "字母和数字"}}, nil},
		{"hazards by alias and code", rosterRec(N, "李四", ID, idMale, HZ, "游离二氧化硅粉尘；3008 / 矽尘"), app.RowAccepted, nil,
			func(t *testing.T, r app.RosterRow) {
				if strings.Join(r.Hazards, ",") != "1038,3008" {
					t.Errorf("hazards %v", r.Hazards)
				}
			}},
		{"hazard names with separators inside", rosterRec(N, "李四", ID, idMale, HZ, "氯，氯气、X 射线 1,2-二氯乙烷 噪声（85dB以上）"), app.RowAccepted, nil,
			func(t *testing.T, r app.RosterRow) {
				if strings.Join(r.Hazards, ",") != "2198,5001,2091,3008" || len(r.OtherHazards) != 0 {
					t.Errorf("hazards %v other %v", r.Hazards, r.OtherHazards)
				}
			}},
		{"unknown hazard", rosterRec(N, "李四", ID, idMale, HZ, "噪声、木屑粉"), app.RowWarning,
			[]msg{{app.LevelWarning, "危害因素", "危害因素“木屑粉”不在目录中，按“其他”登记"}}, func(t *testing.T, r app.RosterRow) {
				if strings.Join(r.Hazards, ",") != "3008" || strings.Join(r.OtherHazards, ",") != "木屑粉" {
					t.Errorf("hazards %v other %v", r.Hazards, r.OtherHazards)
				}
			}},
		{"category is not a factor", rosterRec(N, "李四", ID, idMale, HZ, "粉尘"), app.RowWarning,
			[]msg{{app.LevelWarning, "危害因素", "“粉尘”不在目录中"}}, nil},
		{"ambiguous hazard", rosterRec(N, "李四", ID, idMale, HZ, "铀及其化合物"), app.RowRejected,
			[]msg{{app.LevelError, "危害因素", "对应多个代码（2411 化学因素、5011 放射性因素），请填写代码"}}, nil},
		{"empty hazards", rosterRec(N, "李四", ID, idMale, HZ, ""), app.RowWarning, []msg{{app.LevelWarning, "危害因素", "未填写"}}, nil},
		{"exposure years", rosterRec(N, "李四", ID, idMale, EY, "2.5"), app.RowWarning,
			[]msg{{app.LevelWarning, "接害工龄", "开始接害日期按接害工龄 2.5 年推算为 2024-05-30"}}, func(t *testing.T, r app.RosterRow) {
				if r.ExposureStart.Format("2006-01-02") != "2024-05-30" {
					t.Errorf("start %v", r.ExposureStart)
				}
			}},
		{"exposure years with 年", rosterRec(N, "李四", ID, idMale, EY, "3年"), app.RowWarning,
			[]msg{{app.LevelWarning, "接害工龄", "推算为 2023-11-30"}}, nil},
		{"exposure years beyond age", rosterRec(N, "李四", ID, idMale, EY, "40"), app.RowRejected,
			[]msg{{app.LevelError, "接害工龄", "超过了年龄"}}, nil},
		{"exposure years not a number", rosterRec(N, "李四", ID, idMale, EY, "很久"), app.RowRejected,
			[]msg{{app.LevelError, "接害工龄", "不是年数"}}, nil},
		{"negative exposure years", rosterRec(N, "李四", ID, idMale, EY, "-1"), app.RowRejected,
			[]msg{{app.LevelError, "接害工龄", "0–70"}}, nil},
		{"start date and years disagree", rosterRec(N, "李四", ID, idMale, ES, "20100101", EY, "2"), app.RowWarning,
			[]msg{{app.LevelWarning, "接害工龄", "以开始接害日期为准"}}, func(t *testing.T, r app.RosterRow) {
				if r.ExposureStart.Format("2006-01-02") != "2010-01-01" {
					t.Errorf("start %v", r.ExposureStart)
				}
			}},
		{"start date as serial", rosterRec(N, "李四", ID, idMale, ES, "45356"), app.RowAccepted, nil, func(t *testing.T, r app.RosterRow) {
			if r.ExposureStart.Format("2006-01-02") != "2024-03-05" {
				t.Errorf("start %v", r.ExposureStart)
			}
		}},
		{"start date in the future", rosterRec(N, "李四", ID, idMale, ES, "2027-01-01"), app.RowRejected,
			[]msg{{app.LevelError, "开始接害日期", "晚于今天"}}, nil},
		{"start date before birth", rosterRec(N, "李四", ID, idMale, ES, "1989-01-01"), app.RowRejected,
			[]msg{{app.LevelError, "开始接害日期", "早于出生日期"}}, nil},
		{"start date unreadable", rosterRec(N, "李四", ID, idMale, ES, "05/03/2024"), app.RowRejected,
			[]msg{{app.LevelError, "开始接害日期", "日期“05/03/2024”无法识别"}}, nil},
		{"exam type", rosterRec(N, "李四", ID, idMale, ET, "上岗前职业健康检查"), app.RowAccepted, nil, func(t *testing.T, r app.RosterRow) {
			if r.ExamType != app.ExamPreEmployment {
				t.Errorf("type %q", r.ExamType)
			}
		}},
		{"unknown exam type", rosterRec(N, "李四", ID, idMale, ET, "年度体检"), app.RowRejected,
			[]msg{{app.LevelError, "体检类型", "无法识别"}}, nil},
		{"phone with full-width digits", rosterRec(N, "李四", ID, idMale, PH, "１３８１２３４５６７８"), app.RowAccepted, nil, func(t *testing.T, r app.RosterRow) {
			if r.Worker.Phone != "13812345678" {
				t.Errorf("phone %q", r.Worker.Phone)
			}
		}},
		{"bad phone", rosterRec(N, "李四", ID, idMale, PH, "138/139"), app.RowRejected, []msg{{app.LevelError, "联系电话", "不允许的字符"}}, nil},
		{"job shared by several codes", rosterRec(N, "李四", ID, idMale, JB, "包装工"), app.RowAccepted, nil, func(t *testing.T, r app.RosterRow) {
			if r.JobCode != "" || r.JobName != "包装工" {
				t.Errorf("job %q %q", r.JobCode, r.JobName)
			}
		}},
		{"job not in the catalog", rosterRec(N, "李四", ID, idMale, JB, "拧螺丝"), app.RowAccepted, nil, func(t *testing.T, r app.RosterRow) {
			if r.JobCode != "" || r.JobName != "拧螺丝" {
				t.Errorf("job %q %q", r.JobCode, r.JobName)
			}
		}},
		{"minor", rosterRec(N, "王小", ID, idMinor16, HZ, "噪声"), app.RowWarning,
			[]msg{{app.LevelWarning, "身份证号", "未成年人（16 岁）不得从事接触职业病危害的作业"}}, nil},
		{"under 16", rosterRec(N, "王小", ID, idChild15), app.RowWarning,
			[]msg{{app.LevelWarning, "身份证号", "未满 16 周岁（15 岁）"}}, func(t *testing.T, r app.RosterRow) {
				if len(r.Messages) != 1 {
					t.Errorf("messages %+v", r.Messages)
				}
			}},
		{"woman with benzene", rosterRec(N, "赵敏", ID, idFemale, HZ, "苯"), app.RowWarning,
			[]msg{{app.LevelWarning, "危害因素", "女职工：苯 属孕期、哺乳期禁忌作业（作业场所浓度超过国家职业卫生标准时），请核实是否怀孕或在哺乳期"}}, nil},
		{"woman with noise", rosterRec(N, "赵敏", ID, idFemale2, HZ, "噪音"), app.RowWarning,
			[]msg{{app.LevelWarning, "危害因素", "女职工：噪声 属孕期禁忌作业（第三级、第四级噪声作业），请核实是否怀孕"}}, nil},
		{"man with benzene", rosterRec(N, "李四", ID, idMale, HZ, "苯"), app.RowAccepted, nil, nil},
		{"reader problem", app.RosterRecord{Row: 7, Values: map[app.RosterColumn]string{"name": "李四", "id_number": "4.21022E+17"},
			Problems: []app.RowMessage{{Row: 7, Column: "身份证号", Level: app.LevelError, Message: "单元格是数字，身份证号已丢失末几位（4.21022E+17），请在 Excel 中把该列设为文本后重新填写"}}},
			app.RowRejected, []msg{{app.LevelError, "身份证号", "已丢失末几位"}}, func(t *testing.T, r app.RosterRow) {
				if len(r.Messages) != 1 {
					t.Errorf("the number was checked again: %+v", r.Messages)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := app.CheckRosterRecord(tc.rec, set, warn, rosterNow)
			if r.Outcome != tc.outcome {
				t.Errorf("outcome %s, want %s; messages %+v", r.Outcome, tc.outcome, r.Messages)
			}
			for _, m := range tc.msgs {
				if !hasMessage(r, m.level, m.column, m.part) {
					t.Errorf("no %s in %s containing %q; messages %+v", m.level, m.column, m.part, r.Messages)
				}
			}
			for _, m := range r.Messages {
				if m.Row != tc.rec.Row || m.Column == "" || (m.Level != app.LevelError && m.Level != app.LevelWarning) {
					t.Errorf("message without row, column or level: %+v", m)
				}
			}
			if tc.outcome != app.RowRejected {
				w := r.Worker
				if err := w.Validate(rosterNow); err != nil {
					t.Errorf("accepted worker fails Validate: %v", err)
				}
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

func TestCheckRoster_HeadersAndDuplicates(t *testing.T) {
	set, warn := rosterRules(t)
	f := app.RosterFile{
		Headers: map[app.RosterColumn]string{app.ColName: "*姓名", app.ColIDNumber: "身份证号码（必填）", app.ColSex: "性别"},
		Records: []app.RosterRecord{
			{Row: 3, Values: map[app.RosterColumn]string{"name": "李四", "id_number": idMale, "sex": "女"}},
			{Row: 4, Values: map[app.RosterColumn]string{"name": "赵敏", "id_number": idFemale}},
			{Row: 6, Values: map[app.RosterColumn]string{"name": "李四", "id_number": idLegacy15}},
			{Row: 7, Values: map[app.RosterColumn]string{"name": "王五", "id_number": "bad"}},
			{Row: 8, Values: map[app.RosterColumn]string{"name": "王五", "id_number": "bad"}},
		},
	}
	rows := app.CheckRoster(f, set, warn, rosterNow)
	if len(rows) != 5 {
		t.Fatalf("%d rows", len(rows))
	}
	if !hasMessage(rows[0], app.LevelWarning, "性别", "性别与身份证号不符") {
		t.Errorf("row 3: %+v", rows[0].Messages)
	}
	if rows[1].Outcome != app.RowAccepted {
		t.Errorf("row 4: %+v", rows[1])
	}
	if rows[2].Outcome != app.RowRejected || rows[2].DuplicateOfRow != 3 || !hasMessage(rows[2], app.LevelError, "身份证号码（必填）", "与第 3 行重复") {
		t.Errorf("row 6: %+v", rows[2])
	}
	if rows[4].DuplicateOfRow != 0 || hasMessage(rows[4], app.LevelError, "", "重复") {
		t.Errorf("row 8: an unreadable number is not a duplicate: %+v", rows[4])
	}
	if !hasMessage(rows[3], app.LevelError, "身份证号码（必填）", "应为 18 位") {
		t.Errorf("row 7: %+v", rows[3].Messages)
	}
}

func TestParseRosterDate(t *testing.T) {
	for _, tc := range []struct {
		in        string
		want      string
		monthOnly bool
		err       string
	}{
		{"2024-03-05", "2024-03-05", false, ""},
		{"2024/3/5", "2024-03-05", false, ""},
		{"2024.3.5", "2024-03-05", false, ""},
		{"20240305", "2024-03-05", false, ""},
		{"2024年3月5日", "2024-03-05", false, ""},
		{"2024年03月05号", "2024-03-05", false, ""},
		{" ２０２４－０３－０５ ", "2024-03-05", false, ""},
		{"2024-03-05 00:00:00", "2024-03-05", false, ""},
		{"2024/3/5 8:30", "2024-03-05", false, ""},
		{"2024-03-05T00:00:00Z", "2024-03-05", false, ""},
		{"45356", "2024-03-05", false, ""},
		{"45356.75", "2024-03-05", false, ""},
		{"1990.03", "1990-03-01", true, ""},
		{"1990-3", "1990-03-01", true, ""},
		{"199003", "1990-03-01", true, ""},
		{"1990年3月", "1990-03-01", true, ""},
		{"1990", "", false, "只有年份"},
		{"2024-02-30", "", false, "不存在"},
		{"2024-13-01", "", false, "不存在"},
		{"05/03/2024", "", false, "无法识别"},
		{"24-3-5", "", false, "无法识别"},
		{"2024--3-5", "", false, "无法识别"},
		{"1850-01-01", "", false, "1900–2100"},
		{"3", "", false, "无法识别"},
		{"9999999", "", false, "无法识别"},
		{"", "", false, "无法识别"},
		{"二〇二四年三月五日", "", false, "无法识别"},
		{"2024-03-05abc", "", false, "无法识别"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			d, mo, err := app.ParseRosterDate(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || app.ErrorCode(err) != app.EINVALID {
					t.Errorf("got %v, %v; want error containing %q", d, err, tc.err)
				}
				return
			}
			if err != nil || d.Format("2006-01-02") != tc.want || mo != tc.monthOnly {
				t.Errorf("got %v %v %v, want %s %v", d, mo, err, tc.want, tc.monthOnly)
			}
		})
	}
}

func TestLoadIntakeWarnings(t *testing.T) {
	set, warn := rosterRules(t)
	if len(warn.Ages) < 2 || warn.Ages[0].Below >= warn.Ages[1].Below {
		t.Errorf("age rules not sorted: %+v", warn.Ages)
	}
	for _, r := range warn.Female {
		e, ok := set.Lookup(catalog.Hazards, r.Hazard)
		if !ok || e.Level != 2 {
			t.Errorf("female rule %s (%s): not a hazard factor code", r.Hazard, r.Name)
		}
		if r.Status != "P" && r.Status != "U" && r.Status != "V" {
			t.Errorf("female rule %s: status %q", r.Hazard, r.Status)
		}
	}
	for name, in := range map[string]string{
		"unknown field":  `{"age":[{"below":18,"level":"warning","message":"x","colour":"red"}]}`,
		"bad level":      `{"age":[{"below":18,"level":"info","message":"x"}]}`,
		"no message":     `{"age":[{"below":18,"level":"warning","message":" "}]}`,
		"bad below":      `{"age":[{"below":0,"level":"warning","message":"x"}]}`,
		"unknown period": `{"female_message":"x","periods":[{"name":"孕期","verify":"怀孕"}],"female":[{"hazard":"2013","name":"苯","periods":["经期"]}]}`,
		"no template":    `{"periods":[{"name":"孕期","verify":"怀孕"}],"female":[{"hazard":"2013","name":"苯","periods":["孕期"]}]}`,
		"bad status":     `{"female_message":"x","periods":[{"name":"孕期","verify":"怀孕"}],"female":[{"hazard":"2013","name":"苯","periods":["孕期"],"status":"X"}]}`,
		"not json":       `[`,
	} {
		if _, err := app.LoadIntakeWarnings([]byte(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestCheckRosterRecord_NoRules: without catalogs or rules every hazard is 其他 and no
// data-driven warning appears, but nothing panics.
func TestCheckRosterRecord_NoRules(t *testing.T) {
	r := app.CheckRosterRecord(rosterRec("name", "王小", "id_number", idChild15, "hazards", "苯", "job", "电焊工"), nil, app.IntakeWarnings{}, rosterNow)
	if r.Outcome != app.RowWarning || len(r.OtherHazards) != 1 || r.JobCode != "" {
		t.Errorf("%+v", r)
	}
}

// FuzzCheckRosterRecord: whatever a roster cell holds, the check does not panic, names row,
// column and level on every message, derives the outcome from the levels, and never accepts
// a worker that Worker.Validate would refuse or an exposure start after today.
func FuzzCheckRosterRecord(f *testing.F) {
	seeds := [][9]string{
		{"张三", idMale, "", "男", "1990-03-07", "13812345678", "矽尘、噪声", "2015/6/1", "在岗"},
		{"赵敏", idFemale, "居民身份证", "男", "1992.5", "", "苯；木屑", "", "上岗前"},
		{"John Smith", "E1234567", "护照", "M", "1980年2月3日", "+44 20 1234 5678", "铀及其化合物", "45356", "3"},
		{"王小", idChild15, "", "", "", "", "氯，氯气 X 射线", "", ""},
		{"陈大文", rosterID("81000019900101003"), "港澳台居民居住证", "女", "19900101", "", "1038/3008", "2027-01-01", "复查"},
		{"", "4.21022E+17", "x", "?", "24-3-5", "abc", "", "很久", "体检"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], "2.5")
	}
	set, warn := rosterRules(f)
	f.Fuzz(func(t *testing.T, name, id, doc, sex, birth, phone, hazards, start, examType, years string) {
		rec := rosterRec("name", name, "id_number", id, "doc_type", doc, "sex", sex, "birth", birth, "phone", phone,
			"hazards", hazards, "exposure_start", start, "exam_type", examType, "exposure_years", years)
		r := app.CheckRosterRecord(rec, set, warn, rosterNow)
		errs, warns := 0, 0
		for _, m := range r.Messages {
			switch {
			case m.Row != rec.Row || m.Column == "":
				t.Fatalf("message without row or column: %+v", m)
			case m.Level == app.LevelError:
				errs++
			case m.Level == app.LevelWarning:
				warns++
			default:
				t.Fatalf("level %q", m.Level)
			}
		}
		want := app.RowAccepted
		if errs > 0 {
			want = app.RowRejected
		} else if warns > 0 {
			want = app.RowWarning
		}
		if r.Outcome != want {
			t.Fatalf("outcome %s with %d errors and %d warnings", r.Outcome, errs, warns)
		}
		if r.Outcome == app.RowRejected {
			return
		}
		w := r.Worker
		if err := w.Validate(rosterNow); err != nil {
			t.Fatalf("accepted %+v, which Validate refuses: %v", r.Worker, err)
		}
		if r.ExposureStart.After(rosterNow) || (!r.ExposureStart.IsZero() && r.ExposureStart.Before(w.BirthDate)) {
			t.Fatalf("exposure start %v (birth %v)", r.ExposureStart, w.BirthDate)
		}
		if !r.ExamType.Valid() && r.ExamType != "" {
			t.Fatalf("exam type %q", r.ExamType)
		}
	})
}
