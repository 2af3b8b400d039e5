package cardcheck_test

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/app/cardcheck"
	"occhealth/app/catalog"
)

var (
	once  sync.Once
	set   *catalog.Set
	th    cardcheck.Thresholds
	setup error
)

// rules loads the bundled catalogs and card thresholds once.
func rules(tb testing.TB) (*catalog.Set, cardcheck.Thresholds) {
	tb.Helper()
	once.Do(func() {
		if set, setup = catalog.Load(os.DirFS("../../assets/catalog")); setup != nil {
			return
		}
		var b []byte
		if b, setup = os.ReadFile("../../assets/rules/card_checks.json"); setup != nil {
			return
		}
		th, setup = cardcheck.Load(b)
	})
	if setup != nil {
		tb.Fatal(setup)
	}
	return set, th
}

func date(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, time.Local)
	if err != nil {
		panic(err)
	}
	return t
}

func f(x float64) *float64 { return &x }

// idNumber makes a resident ID with a valid check character.
func idNumber(body17 string) string { return body17 + string(app.IDCheckChar(body17)) }

// good is a released periodic exam of a silica-dust worker whose card passes every rule.
func good() app.CardData {
	worker := app.Worker{
		ID: 7, Name: "张三", DocType: app.DocResidentID, IDNumber: idNumber("45010219800101001"), Sex: app.SexMale,
		BirthDate: date("1980-01-01"), Phone: "13800138000",
		Exposures: []app.Exposure{{HazardCode: "1038", Start: date("2005-03-01")}, {HazardCode: "3008", Start: date("2010-06-01")}},
	}
	emp := app.Employer{
		ID: 3, Name: "红星矿业有限公司", CreditCode: "91350100M000100Y43", AreaCode: "450102", IndustryCode: "3240",
		EconomicTypeCode: "173", SizeCode: "03", Address: "某县某路 1 号", ContactPerson: "李四", ContactPhone: "0771-5551234",
	}
	exam := &app.Exam{
		ID: 11, Number: "1260000011", WorkerID: 7, EmployerID: 3, Type: app.ExamPeriodic, Hazards: []string{"1038", "3008"},
		Date: date("2026-10-10"), JobCode: "09-033", State: app.ExamReleased,
		Record: &app.ExamRecord{
			ExamID: 11,
			Results: []app.Result{
				{ItemCode: "4012000", GroupCode: "G0101", Kind: app.ResultNumeric, Value: "150", Number: 150, Unit: "g/L", Status: app.ResultDone,
					Flag: app.FlagNormal, Range: app.RefRange{Low: f(130), High: f(175), Unit: "g/L"}},
			},
			Conclusion: &app.ExamConclusion{Hazards: []app.HazardConclusion{
				{Hazard: "1038", Code: app.ConclusionNormal},
				{Hazard: "3008", Code: app.ConclusionNormal},
			}},
			Signature: &app.Signature{Login: "zhujian", Name: "王医生", At: date("2026-10-12")},
			Review:    &app.Signature{Login: "shenhe", Name: "赵医生", At: date("2026-10-13")},
			Releases:  []app.Handover{{At: date("2026-10-14"), Recipient: "张三", Documents: []string{"职业健康检查报告"}}},
			Parties: &app.ExamParties{Worker: worker, Employer: emp,
				HazardNames: map[string]string{"1038": "矽尘", "3008": "噪声"}, ItemNames: map[string]string{"4012000": "血红蛋白"}},
		},
	}
	return app.CardData{
		Card:        app.Card{ExamID: 11, ExamNumber: exam.Number, Status: app.CardPending, Operate: app.CardAdd},
		Exam:        exam,
		Institution: &app.Institution{Name: "某县人民医院", Code: "450102001", AreaCode: "450102"},
		Settings: app.CardSettings{ReportZoneCode: "450102000", ReportOrgCode: "450102001", License: "LIC-123",
			Writer: "钱填表", WriterPhone: "0771-5550001", Reporter: "孙报告", ReporterPhone: "0771-5550002"},
	}
}

// expect runs Check on the card changed by change and wants exactly one finding of level
// on field (prefix) whose message contains every word; screen and entity as given.
func expect(t *testing.T, change func(d *app.CardData), level, field, screen string, entity int64, words ...string) {
	t.Helper()
	codes, th := rules(t)
	d := good()
	change(&d)
	got := cardcheck.Check(d, codes, th)
	var hits []app.CardIssue
	for _, x := range got {
		if strings.HasPrefix(x.Field, field) {
			hits = append(hits, x)
		}
	}
	if len(hits) != 1 || len(got) != 1 {
		t.Fatalf("want one finding on %s, got %+v", field, got)
	}
	x := hits[0]
	if x.Level != level || x.Screen != screen || x.EntityID != entity {
		t.Errorf("finding %+v: want level %s, screen %s, entity %d", x, level, screen, entity)
	}
	for _, w := range words {
		if !strings.Contains(x.Message, w) {
			t.Errorf("message %q lacks %q", x.Message, w)
		}
	}
}

func TestGoodCardPasses(t *testing.T) {
	codes, th := rules(t)
	if got := cardcheck.Check(good(), codes, th); len(got) != 0 {
		t.Fatalf("good card has findings: %+v", got)
	}
}

func TestRuleParties(t *testing.T) {
	codes, th := rules(t)
	d := good()
	d.Exam.Record.Parties = nil
	got := cardcheck.Check(d, codes, th)
	if len(got) == 0 || got[0].Level != app.LevelError || got[0].Screen != cardcheck.ScreenConclude || !strings.Contains(got[0].Message, "尚未签名") {
		t.Fatalf("got %+v", got)
	}
}

func TestRuleEmployer(t *testing.T) {
	t.Run("credit code", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Parties.Employer.CreditCode = "91350100M000100Y44" },
			app.LevelError, "CREDIT_CODE", cardcheck.ScreenEmployer, 3, "红星矿业", "校验位")
	})
	t.Run("industry not a class", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Parties.Employer.IndustryCode = "3299" },
			app.LevelError, "INDUSTRY_CATEGORY_CODE", cardcheck.ScreenEmployer, 3, "3299", "小类")
	})
	t.Run("economic type missing", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Parties.Employer.EconomicTypeCode = "" },
			app.LevelError, "ECONOMIC_TYPE_CODE", cardcheck.ScreenEmployer, 3, "经济类型未填写")
	})
	t.Run("economic type optional for S", func(t *testing.T) {
		codes, th := rules(t)
		d := good()
		e := &d.Exam.Record.Parties.Employer
		e.IndustryCode, e.EconomicTypeCode, e.SizeCode = "9221", "", ""
		if got := cardcheck.Check(d, codes, th); len(got) != 0 {
			t.Fatalf("门类 S: %+v", got)
		}
	})
	t.Run("size unknown", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Parties.Employer.SizeCode = "05" },
			app.LevelError, "BUSINESS_SCALE_CODE", cardcheck.ScreenEmployer, 3, "05")
	})
	t.Run("area format", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Parties.Employer.AreaCode = "4501" },
			app.LevelError, "ADDRESS_CODE", cardcheck.ScreenEmployer, 3, "6 位或 9 位")
	})
	t.Run("area unknown is a warning", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Parties.Employer.AreaCode = "459999001" },
			app.LevelWarning, "ADDRESS_CODE", cardcheck.ScreenEmployer, 3, "行政区划表")
	})
	t.Run("name too long", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Parties.Employer.Name = strings.Repeat("红", 71) },
			app.LevelError, "ENTERPRISE_NAME", cardcheck.ScreenEmployer, 3, "70")
	})
	t.Run("contact missing", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Parties.Employer.ContactPerson = "" },
			app.LevelError, "ENTERPRISE_CONTACT", cardcheck.ScreenEmployer, 3, "联系人未填写")
	})
	t.Run("phone", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Parties.Employer.ContactPhone = "5551" },
			app.LevelError, "CONTACT_TELPHONE", cardcheck.ScreenEmployer, 3, "过短")
	})
	t.Run("address", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Parties.Employer.Address = "" },
			app.LevelError, "ADDRESS_DETAIL", cardcheck.ScreenEmployer, 3, "详细地址未填写")
	})
}

func TestRuleHostEmployer(t *testing.T) {
	expect(t, func(d *app.CardData) {
		h := d.Exam.Record.Parties.Employer
		h.Name, h.CreditCode = "派遣用工单位", "123"
		d.Exam.HostEmployerID = 4
		d.Exam.Record.Parties.HostEmployer = &h
	}, app.LevelError, "CREDIT_CODE_EMPLOYER", cardcheck.ScreenEmployer, 4, "用工单位“派遣用工单位”", "18 位")
}

func TestRuleWorker(t *testing.T) {
	t.Run("id check digit", func(t *testing.T) {
		expect(t, func(d *app.CardData) {
			w := &d.Exam.Record.Parties.Worker
			w.IDNumber = w.IDNumber[:17] + map[bool]string{true: "1", false: "2"}[w.IDNumber[17] != '1']
		}, app.LevelError, "ID_CARD", cardcheck.ScreenWorker, 7, "张三")
	})
	t.Run("doc type", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Parties.Worker.DocType = "X9" },
			app.LevelError, "ID_CARD_TYPE_CODE", cardcheck.ScreenWorker, 7, "X9")
	})
	t.Run("phone missing", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Parties.Worker.Phone = "" },
			app.LevelError, "WORKER_TELPHONE", cardcheck.ScreenWorker, 7, "联系电话未填写")
	})
	t.Run("sex", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Parties.Worker.Sex = "" },
			app.LevelError, "GENDER_CODE", cardcheck.ScreenWorker, 7, "性别")
	})
}

func TestRuleExposure(t *testing.T) {
	t.Run("start date missing", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Parties.Worker.Exposures[1].Start = time.Time{} },
			app.LevelError, "HARM_START_DATE", cardcheck.ScreenWorker, 7, "在岗期间", "噪声")
	})
	t.Run("not needed before employment", func(t *testing.T) {
		codes, th := rules(t)
		d := good()
		d.Exam.Type = app.ExamPreEmployment
		d.Exam.Record.Parties.Worker.Exposures = nil
		if got := cardcheck.Check(d, codes, th); len(got) != 0 {
			t.Fatalf("上岗前: %+v", got)
		}
	})
	t.Run("unknown examined hazard", func(t *testing.T) {
		codes, th := rules(t)
		d := good()
		d.Exam.Hazards = append(d.Exam.Hazards, "1234")
		got := cardcheck.Check(d, codes, th)
		found := false
		for _, x := range got {
			found = found || (strings.HasPrefix(x.Field, "FACTOR_CODE") && strings.Contains(x.Message, "1234"))
		}
		if !found {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("other hazard needs its name", func(t *testing.T) {
		expect(t, func(d *app.CardData) {
			d.Exam.Record.Parties.Worker.Exposures = append(d.Exam.Record.Parties.Worker.Exposures, app.Exposure{HazardCode: "1099", Start: date("2010-01-01")})
		}, app.LevelError, "CONTACT_FACTOR_OTHER", cardcheck.ScreenWorker, 7, "接害史第 3 行")
	})
}

func TestRuleExam(t *testing.T) {
	t.Run("job", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.JobCode = "99-999" },
			app.LevelError, "WORK_TYPE_CODE", cardcheck.ScreenRecording, 11, "99-999")
	})
	t.Run("not released", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Releases = nil },
			app.LevelError, "报告日期", cardcheck.ScreenRecording, 11, "尚未发放")
	})
	t.Run("type", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Type = "09" },
			app.LevelError, "EXAM_TYPE_CODE", cardcheck.ScreenRecording, 11, "09")
	})
}

func TestRuleRecheck(t *testing.T) {
	t.Run("no earlier exam", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Recheck = true },
			app.LevelError, "IS_REVIEW", cardcheck.ScreenRecording, 11, "没有关联")
	})
	t.Run("earlier card not reported", func(t *testing.T) {
		expect(t, func(d *app.CardData) {
			d.Exam.Recheck, d.Exam.PreviousExamID = true, 5
			d.Previous = &app.Card{ExamID: 5, ExamNumber: "1260000005", Status: app.CardPending}
		}, app.LevelWarning, "IS_REVIEW", cardcheck.ScreenRecording, 5, "1260000005", "尚未上报")
	})
	t.Run("earlier card exported", func(t *testing.T) {
		codes, th := rules(t)
		d := good()
		d.Exam.Recheck, d.Exam.PreviousExamID = true, 5
		d.Previous = &app.Card{ExamID: 5, ExamNumber: "1260000005", DocumentID: "450102001-HEALTH_EXAM_RECORD-20261001080000000-12345", Status: app.CardExported}
		if got := cardcheck.Check(d, codes, th); len(got) != 0 {
			t.Fatalf("recheck with exported card: %+v", got)
		}
	})
}

func TestRuleItems(t *testing.T) {
	t.Run("unknown item code", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Results[0].ItemCode = "4012999" },
			app.LevelError, "EXAM_ITEM_CODE", cardcheck.ScreenRecording, 11, "4012999")
	})
	t.Run("numeric without unit nor range", func(t *testing.T) {
		codes, th := rules(t)
		d := good()
		r := &d.Exam.Record.Results[0]
		r.Unit, r.Range = "", app.RefRange{}
		var fields []string
		for _, x := range cardcheck.Check(d, codes, th) {
			fields = append(fields, x.Field)
		}
		if len(fields) != 2 || !strings.HasPrefix(fields[0], "EXAM_ITEM_UNIT_CODE") || !strings.HasPrefix(fields[1], "REFERENCE_RANGE") {
			t.Fatalf("findings %v", fields)
		}
	})
	t.Run("dimensionless with a range", func(t *testing.T) {
		codes, th := rules(t)
		d := good()
		r := &d.Exam.Record.Results[0]
		r.Unit, r.Range.Unit = "", ""
		if got := cardcheck.Check(d, codes, th); len(got) != 0 {
			t.Fatalf("dimensionless: %+v", got)
		}
	})
	t.Run("numeric without range", func(t *testing.T) {
		// A warning: the range is conditional, and the spec's sample (spec.txt 1621–1626) says
		// 没有时可不填写; the adapters leave it out.
		expect(t, func(d *app.CardData) { d.Exam.Record.Results[0].Range = app.RefRange{} },
			app.LevelWarning, "REFERENCE_RANGE", cardcheck.ScreenRecording, 11, "参考值范围")
	})
	t.Run("not judged", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Results[0].Flag = app.FlagNone },
			app.LevelWarning, "ABNORMAL", cardcheck.ScreenRecording, 11, "未判定")
	})
	t.Run("no results", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Results[0].Status = app.ResultRefused },
			app.LevelError, "EXAM_ITEM_RESULT", cardcheck.ScreenRecording, 11, "没有任何检查结果")
	})
}

func TestRuleConclusions(t *testing.T) {
	t.Run("hazard without conclusion", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Conclusion.Hazards = d.Exam.Record.Conclusion.Hazards[:1] },
			app.LevelError, "EXAM_CONCLUSION", cardcheck.ScreenConclude, 11, "噪声", "没有体检结论")
	})
	t.Run("suspected without disease", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Conclusion.Hazards[0].Code = app.ConclusionSuspected },
			app.LevelError, "YSZYB_CODE", cardcheck.ScreenConclude, 11, "矽尘", "须选择")
	})
	t.Run("contraindication named", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Conclusion.Hazards[1].Code = app.ConclusionContraindication },
			app.LevelError, "ZYJJZ_NAME", cardcheck.ScreenConclude, 11, "噪声", "职业禁忌证名称未填写")
	})
	t.Run("other described", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Conclusion.Hazards[1].Code = app.ConclusionOther },
			app.LevelError, "QTJB_NAME", cardcheck.ScreenConclude, 11, "其他疾病或异常描述未填写")
	})
	t.Run("unknown code", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Conclusion.Hazards[1].Code = "07" },
			app.LevelError, "EXAM_CONCLUSION_CODE", cardcheck.ScreenConclude, 11, "07")
	})
}

func TestRuleSuspectedDisease(t *testing.T) {
	suspect := func(code, name string) func(d *app.CardData) {
		return func(d *app.CardData) {
			h := &d.Exam.Record.Conclusion.Hazards[1] // 噪声
			h.Code, h.DiseaseCode, h.Disease = app.ConclusionSuspected, code, name
		}
	}
	t.Run("belongs", func(t *testing.T) {
		codes, th := rules(t)
		d := good()
		suspect("4001", "噪声聋")(&d)
		if got := cardcheck.Check(d, codes, th); len(got) != 0 {
			t.Fatalf("噪声聋 for 噪声: %+v", got)
		}
	})
	t.Run("not its hazard", func(t *testing.T) {
		expect(t, suspect("1101", "矽肺"), app.LevelWarning, "YSZYB_CODE", cardcheck.ScreenConclude, 11, "矽肺", "噪声", "待核实")
	})
	t.Run("not in the catalog of the exam date", func(t *testing.T) {
		// L10 diseases exist only in the 2024 catalog: an exam before 2025-08-01 uses 2013's.
		codes, _ := rules(t)
		var code string
		for _, c := range []string{"L1001", "L101", "L10001"} {
			if _, ok := codes.CodeName(app.CatalogDiseases2024, c); ok {
				code = c
				break
			}
		}
		if code == "" {
			t.Skip("no L10 disease code found in the 2024 catalog")
		}
		expect(t, func(d *app.CardData) {
			suspect(code, "")(d)
			d.Exam.Date = date("2025-03-01")
			d.Exam.Record.Signature.At, d.Exam.Record.Releases[0].At = date("2025-03-02"), date("2025-03-03")
		}, app.LevelError, "YSZYB_CODE", cardcheck.ScreenConclude, 11, "2013 版")
	})
}

func TestRuleInstitution(t *testing.T) {
	expect(t, func(d *app.CardData) { d.Institution.Code = "4501020" },
		app.LevelError, "ORG_CODE", cardcheck.ScreenInstitution, 0, "9 位")
}

func TestRuleSettings(t *testing.T) {
	t.Run("zone code", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Settings.ReportZoneCode = "45010" },
			app.LevelError, "ReportZoneCode", cardcheck.ScreenCardSettings, 0, "6 位或 9 位")
	})
	t.Run("license", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Settings.License = "" },
			app.LevelError, "License", cardcheck.ScreenCardSettings, 0, "授权码")
	})
	t.Run("writer", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Settings.Writer = "" },
			app.LevelError, "WRITE_PERSON", cardcheck.ScreenCardSettings, 0, "填表人未填写")
	})
}

func TestRuleDates(t *testing.T) {
	t.Run("exposure after exam", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Parties.Worker.Exposures[0].Start = date("2026-11-01") },
			app.LevelError, "HARM_START_DATE", cardcheck.ScreenWorker, 7, "晚于体检日期")
	})
	t.Run("exposure before birth", func(t *testing.T) {
		codes, th := rules(t)
		d := good()
		d.Exam.Record.Parties.Worker.Exposures[0].Start = date("1979-01-01")
		got := cardcheck.Check(d, codes, th)
		found := false
		for _, x := range got {
			found = found || strings.Contains(x.Message, "不晚于出生日期")
		}
		if !found {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("release before exam", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Releases[0].At = date("2026-10-09") },
			app.LevelError, "REPORT_DATE", cardcheck.ScreenRecording, 11, "早于体检日期")
	})
}

func TestRuleAge(t *testing.T) {
	minor := func(birth string) func(d *app.CardData) {
		return func(d *app.CardData) {
			w := &d.Exam.Record.Parties.Worker
			w.BirthDate, w.IDNumber = date(birth), idNumber("450102"+strings.ReplaceAll(birth, "-", "")+"001")
			d.Exam.Type = app.ExamPreEmployment
			w.Exposures = nil
		}
	}
	t.Run("minor", func(t *testing.T) {
		expect(t, minor("2009-05-01"), app.LevelWarning, "BIRTH_DATE", cardcheck.ScreenWorker, 7, "17 岁", "未成年工")
	})
	t.Run("under working age", func(t *testing.T) {
		expect(t, minor("2011-05-01"), app.LevelWarning, "BIRTH_DATE", cardcheck.ScreenWorker, 7, "15 岁", "未满 16 周岁")
	})
}

func TestRuleExposureYears(t *testing.T) {
	t.Run("longer than the age allows", func(t *testing.T) {
		expect(t, func(d *app.CardData) { d.Exam.Record.Parties.Worker.Exposures[0].Start = date("1990-01-01") },
			app.LevelWarning, "HARM_START_DATE", cardcheck.ScreenWorker, 7, "36 年", "只有 10 岁")
	})
	t.Run("beyond the maximum", func(t *testing.T) {
		expect(t, func(d *app.CardData) {
			w := &d.Exam.Record.Parties.Worker
			w.BirthDate, w.IDNumber = date("1950-01-01"), idNumber("45010219500101001")
			w.Exposures[0].Start = date("1970-01-01")
		}, app.LevelWarning, "HARM_AGE_YEAR", cardcheck.ScreenWorker, 7, "56 年", "超过 50 年")
	})
	if y, m := cardcheck.ExposureYears(date("2005-03-01"), date("2026-10-10")); y != 21 || m != 7 {
		t.Errorf("ExposureYears = %d, %d; want 21, 7", y, m)
	}
}

func TestRuleReleaseDelay(t *testing.T) {
	expect(t, func(d *app.CardData) { d.Exam.Record.Releases[0].At = date("2026-12-31") },
		app.LevelWarning, "REPORT_DATE", cardcheck.ScreenRecording, 11, "82 天", "超过 45 天")
}

func TestLoadRejects(t *testing.T) {
	b, err := os.ReadFile("../../assets/rules/card_checks.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string][2]string{
		"unknown field": {`"minor_age"`, `"minor_agee"`},
		"bad status":    {`"value": 18, "level": "warning", "status": "V"`, `"value": 18, "level": "warning", "status": "X"`},
		"zero value":    {`"value": 50`, `"value": 0`},
		"bad level":     {`"value": 16, "level": "warning"`, `"value": 16, "level": "info"`},
	} {
		s := strings.Replace(string(b), edit[0], edit[1], 1)
		if s == string(b) {
			t.Fatalf("%s: edit did not apply", name)
		}
		if _, err := cardcheck.Load([]byte(s)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
