package bolt_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/app/criteria"
	"occhealth/app/results"
	"occhealth/assets"
	"occhealth/store"
	"occhealth/store/bolt"
	"occhealth/store/kv"
)

var (
	recordingOnce     sync.Once
	recordingRanges   *results.Ranges
	recordingCriteria *criteria.Set
)

func recordingData(tb testing.TB) (*results.Ranges, *criteria.Set) {
	recordingOnce.Do(func() {
		var err error
		if recordingRanges, err = results.LoadRanges(assets.Rules); err != nil {
			tb.Fatal(err)
		}
		if recordingCriteria, err = criteria.Load(assets.Rules); err != nil {
			tb.Fatal(err)
		}
	})
	return recordingRanges, recordingCriteria
}

// openRecordDB is MustOpenDB with the reference ranges and the GBZ 188 criteria.
func openRecordDB(tb testing.TB) *testDB {
	tb.Helper()
	dir := tb.TempDir()
	c := &clock{t: time.Date(2026, 11, 30, 9, 0, 0, 0, time.Local)}
	keys := store.NewMemoryKeyRing(c.Now())
	path := filepath.Join(dir, "archive.db")
	set := testCatalogs(tb)
	rng, crit := recordingData(tb)
	db := openTestArchive(tb, path, bolt.Options{Keys: keys, Codes: set, Now: c.Now, FastPasswords: true, Workstation: "测试机", CardSealer: testSealer,
		Planner: ruleTable, Ranges: rng, Criteria: crit, BackupDir: filepath.Join(dir, "backups")})
	svc := db.Services(set)
	admin, err := svc.Setup.Initialize(context.Background(), app.SetupInput{
		Institution: app.Institution{Name: "测试县人民医院", Code: "450102001", Kinds: []app.InstitutionKind{app.KindExam},
			HazardCategories: []app.HazardCategory{app.HazardDust, app.HazardPhysical}, AreaCode: "450102"},
		AdminUsername: "admin", AdminName: "管理员", AdminPassword: adminPassword,
	})
	if err != nil {
		tb.Fatal(err)
	}
	td := &testDB{DB: db, svc: svc, admin: app.NewContextWithUser(context.Background(), admin), clock: c, keys: keys, path: path}
	tb.Cleanup(func() {
		checkDB(tb, db)
		db.Close()
	})
	if serverMode() {
		serveTestDB(tb, td)
	}
	return td
}

// staff creates a user with roles; a chief examiner gets a 主检医师 qualification valid until
// validUntil (zero: 2030).
func (td *testDB) staff(tb testing.TB, login, name string, validUntil time.Time, roles ...app.Role) context.Context {
	tb.Helper()
	if validUntil.IsZero() {
		validUntil = time.Date(2030, 12, 31, 0, 0, 0, 0, time.Local)
	}
	u := &app.User{Username: login, Name: name, Roles: roles}
	for _, r := range roles {
		if r == app.RoleChiefExaminer {
			u.Qualifications = append(u.Qualifications, app.Qualification{Kind: app.QualificationChiefExaminer, Number: "ZJ-" + login, ValidUntil: validUntil})
		}
	}
	if err := td.svc.Users.CreateUser(td.admin, u, "Passw0rd1"); err != nil {
		tb.Fatal(err)
	}
	return td.login(tb, u, "Passw0rd1")
}

type recFixture struct {
	td                             *testDB
	doctor, chief, reviewer, clerk context.Context
	emp                            *app.Employer
	worker                         *app.Worker
	contract                       *app.Contract
	exam                           *app.Exam // 2025 edition, 矽尘 and 噪声, in service
}

func newRecFixture(tb testing.TB) *recFixture {
	tb.Helper()
	td := openRecordDB(tb)
	f := &recFixture{td: td}
	f.doctor = td.staff(tb, "tijian", "赵医生", time.Time{}, app.RoleExamDoctor)
	f.chief = td.staff(tb, "zhujian", "李主检", time.Time{}, app.RoleChiefExaminer)
	f.reviewer = td.staff(tb, "shenhe", "钱审核", time.Time{}, app.RoleReviewer)
	f.clerk = td.staff(tb, "dengji", "孙登记", time.Time{}, app.RoleRegistrar)
	f.emp = td.employer(tb, "红星水泥", creditCode("91450102MA5K00001"))
	c := &app.Contract{Number: "HT2026-001", EmployerID: f.emp.ID, Title: "2026年度在岗体检", Start: td.clock.Now(), End: td.clock.Now().AddDate(0, 1, 0),
		Place: app.PlaceOnSite, PlaceNote: "厂区医务室", Hazards: []string{"1038", "3008"}, ExamTypes: []string{"02"}}
	if err := td.svc.Contracts.CreateContract(td.admin, c); err != nil {
		tb.Fatal(err)
	}
	f.contract = c
	f.worker = &app.Worker{Name: "张三", IDNumber: idNumber("45010219800101001")}
	if err := td.svc.Workers.CreateWorker(td.admin, f.worker); err != nil {
		tb.Fatal(err)
	}
	f.exam = f.register(tb, td.clock.Now())
	return f
}

func (f *recFixture) register(tb testing.TB, date time.Time) *app.Exam {
	tb.Helper()
	e, err := f.td.svc.Exams.Register(f.td.admin, app.Registration{WorkerID: f.worker.ID, EmployerID: f.emp.ID, ContractID: f.contract.ID,
		Type: app.ExamPeriodic, Hazards: []string{"1038", "3008"}, Date: date})
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// Item groups of a 矽尘 + 噪声 in-service exam: 心电图 G0901, 胸片 G1101, 肺功能 G1201, 纯音听阈 G1301.
var audioItems = []string{"3040100", "3040200", "3040300", "3040400", "3040500", "3040600", "3040800", "3040900", "3041000", "3041100", "3041200", "3041300",
	"3050100", "3050200", "3050300", "3050400", "3050500", "3050600", "3050800", "3050900", "3051000", "3051100", "3051200", "3051300"}

// fullResults settles every required group of the fixture's exam (about 30 results).
func fullResults() []app.Result {
	rs := []app.Result{
		{GroupCode: "G0901", ItemCode: "3060100", Kind: app.ResultText, Value: "窦性心律，正常心电图"},
		{GroupCode: "G1101", ItemCode: "3080200", Value: "0"},
		{GroupCode: "G1201", ItemCode: "3020100", Kind: app.ResultNumeric, Value: "3.85", Unit: "L"},
		{GroupCode: "G1201", ItemCode: "3020200", Kind: app.ResultNumeric, Value: "3.10", Unit: "L"},
		{GroupCode: "G1201", ItemCode: "3020300", Kind: app.ResultNumeric, Value: "80.5", Unit: "%"},
	}
	for _, it := range audioItems {
		rs = append(rs, app.Result{GroupCode: "G1301", ItemCode: it, Value: "20"})
	}
	return rs
}

func wantCode(t *testing.T, err error, code string, contains ...string) {
	t.Helper()
	if app.ErrorCode(err) != code {
		t.Fatalf("want %s, got %v", code, err)
	}
	for _, c := range contains {
		if !strings.Contains(app.ErrorMessage(err), c) {
			t.Fatalf("error %q does not say %q", app.ErrorMessage(err), c)
		}
	}
}

func (f *recFixture) reload(t *testing.T, id int64) *app.Exam {
	t.Helper()
	e, err := f.td.svc.Exams.FindExamByID(f.td.admin, id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// conclude records every result and a normal conclusion for both hazards.
func (f *recFixture) conclude(t *testing.T, e *app.Exam, c app.ExamConclusion) *app.Exam {
	t.Helper()
	e, err := f.td.svc.Records.SaveResults(f.doctor, e.ID, e.Version, fullResults())
	if err != nil {
		t.Fatal(err)
	}
	e, err = f.td.svc.Records.SaveConclusion(f.chief, e.ID, e.Version, c)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func normalConclusion() app.ExamConclusion {
	return app.ExamConclusion{Hazards: []app.HazardConclusion{{Hazard: "1038", Code: "01"}, {Hazard: "3008", Code: "01"}}, Advice: "定期复查"}
}

func TestRecord_FindExamCarriesRecord(t *testing.T) {
	f := newRecFixture(t)
	got := f.reload(t, f.exam.ID)
	if got.Record == nil || got.Record.ExamID != f.exam.ID || len(got.Record.Results) != 0 {
		t.Fatalf("record %+v", got.Record)
	}
	e, err := f.td.svc.Records.SaveResults(f.doctor, f.exam.ID, f.exam.Version, fullResults()[:1])
	if err != nil {
		t.Fatal(err)
	}
	byNo, err := f.td.svc.Exams.FindExamByNumber(f.td.admin, e.Number)
	if err != nil || byNo.Record == nil || len(byNo.Record.Results) != 1 || byNo.Version != e.Version {
		t.Fatalf("by number %+v %v", byNo, err)
	}
	list, _, err := f.td.svc.Exams.FindExams(f.td.admin, app.ExamFilter{})
	if err != nil || len(list) != 1 || list[0].Record != nil {
		t.Fatalf("lists must not decode records: %+v %v", list, err)
	}
}

func TestRecord_InquiryResultsAndState(t *testing.T) {
	f := newRecFixture(t)
	rs := f.td.svc.Records
	e, err := rs.SaveInquiry(f.doctor, f.exam.ID, f.exam.Version, app.Inquiry{PastHistory: "无", Smoking: app.Habit{Status: app.HabitRegular, PerDay: 10, Years: 20}})
	if err != nil {
		t.Fatal(err)
	}
	if e.State != app.ExamInProgress || e.Version != f.exam.Version+1 || e.Record.Inquiry.Doctor != "tijian" || e.UpdatedBy != "tijian" {
		t.Fatalf("after inquiry: %s v%d %+v", e.State, e.Version, e.Record.Inquiry)
	}
	t.Run("stale version", func(t *testing.T) {
		_, err := rs.SaveResults(f.doctor, e.ID, e.Version-1, fullResults()[:1])
		wantCode(t, err, app.ECONFLICT)
	})
	t.Run("bad inquiry", func(t *testing.T) {
		_, err := rs.SaveInquiry(f.doctor, e.ID, e.Version, app.Inquiry{Smoking: app.Habit{Status: "9"}})
		wantCode(t, err, app.EINVALID, "吸烟史")
	})
	t.Run("a value that does not parse names the item and stores nothing", func(t *testing.T) {
		bad := []app.Result{{GroupCode: "G1301", ItemCode: "3040100", Value: "abc"}, {GroupCode: "G0901", ItemCode: "3060100", Kind: app.ResultText, Value: "正常"}}
		_, err := rs.SaveResults(f.doctor, e.ID, e.Version, bad)
		wantCode(t, err, app.EINVALID, "左耳 500Hz（气导）")
		if got := f.reload(t, e.ID); got.Version != e.Version || len(got.Record.Results) != 0 {
			t.Fatalf("half written: %+v", got.Record.Results)
		}
		_, err = rs.SaveResults(f.doctor, e.ID, e.Version, []app.Result{{GroupCode: "G0901", ItemCode: "3060100", Value: "正常"}})
		wantCode(t, err, app.EINVALID, "结果类别")
		_, err = rs.SaveResults(f.doctor, e.ID, e.Version, []app.Result{{GroupCode: "G1301", ItemCode: "3040100", Value: "20", Status: "maybe"}})
		wantCode(t, err, app.EINVALID, "状态")
		_, err = rs.SaveResults(f.doctor, e.ID, e.Version, []app.Result{{GroupCode: "G1301", Status: app.ResultDone, Value: "20"}})
		wantCode(t, err, app.EINVALID, "纯音听阈测试")
	})
	// Judged for the worker's sex, range kept, doctor and time filled.
	e, err = rs.SaveResults(f.doctor, e.ID, e.Version, []app.Result{{GroupCode: "G1301", ItemCode: "3040100", Value: "３５"}})
	if err != nil {
		t.Fatal(err)
	}
	r, ok := e.Record.ResultFor("G1301", "3040100")
	if !ok || r.Value != "35" || r.Flag != app.FlagHigh || r.Range.High == nil || *r.Range.High != 25 || r.Kind != app.ResultNumeric ||
		r.Doctor != "tijian" || r.Time.IsZero() || r.Unit != "dB HL" {
		t.Fatalf("judged %+v", r)
	}
	if e.State != app.ExamInProgress {
		t.Fatalf("state %s", e.State)
	}
	t.Run("sex-specific range", func(t *testing.T) {
		e2, err := rs.SaveResults(f.doctor, e.ID, e.Version, []app.Result{{GroupCode: "G0101", ItemCode: "4012000", Value: "120"}})
		if err != nil {
			t.Fatal(err)
		}
		hb, _ := e2.Record.ResultFor("G0101", "4012000")
		if f.worker.Sex == app.SexMale && (hb.Flag != app.FlagLow || *hb.Range.Low != 130) {
			t.Fatalf("male Hb 120: %+v", hb)
		}
		e = e2
	})
	// Upsert by (group, item); a refused group counts as settled.
	all := fullResults()
	all = append(all[:1], all[2:]...) // no chest film …
	all = append(all, app.Result{GroupCode: "G1101", Status: app.ResultRefused, Value: "x"})
	e, err = rs.SaveResults(f.doctor, e.ID, e.Version, all)
	if err != nil {
		t.Fatal(err)
	}
	n := len(e.Record.Results)
	if e.State != app.ExamAwaiting {
		t.Fatalf("all groups settled: %s, missing?", e.State)
	}
	if ref, _ := e.Record.ResultFor("G1101", ""); ref.Status != app.ResultRefused || ref.Value != "" {
		t.Fatalf("refused %+v", ref)
	}
	e, err = rs.SaveResults(f.doctor, e.ID, e.Version, []app.Result{{GroupCode: "G1301", ItemCode: "3040100", Value: "15"}})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := e.Record.ResultFor("G1301", "3040100"); len(e.Record.Results) != n || r.Flag != app.FlagNormal {
		t.Fatalf("upsert: %d results, %+v", len(e.Record.Results), r)
	}
	// 未检 of a required group sends the exam back to 检查中.
	e, err = rs.SaveResults(f.doctor, e.ID, e.Version, []app.Result{{GroupCode: "G1101", Status: app.ResultMissing}})
	if err != nil || e.State != app.ExamInProgress {
		t.Fatalf("missing group: %v %v", e.State, err)
	}
}

func TestRecord_CriticalCalls(t *testing.T) {
	f := newRecFixture(t)
	rs := f.td.svc.Records
	e, err := rs.SaveResults(f.doctor, f.exam.ID, f.exam.Version, []app.Result{{GroupCode: "G0101", ItemCode: "4010100", Value: "1.0"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Record.CriticalCalls) != 1 || e.Record.CriticalCalls[0].Done || e.Record.CriticalCalls[0].Flag != app.FlagCriticalLow {
		t.Fatalf("calls %+v", e.Record.CriticalCalls)
	}
	open, err := rs.OpenCriticals(f.reviewer)
	if err != nil || len(open) != 1 || open[0].ID != e.ID || open[0].Record == nil {
		t.Fatalf("open criticals %v %v", open, err)
	}
	// The same value saved again opens no second call.
	e, err = rs.SaveResults(f.doctor, e.ID, e.Version, []app.Result{{GroupCode: "G0101", ItemCode: "4010100", Value: "1.0"}})
	if err != nil || len(e.Record.CriticalCalls) != 1 {
		t.Fatalf("%v %+v", err, e.Record.CriticalCalls)
	}
	_, err = rs.LogCriticalCall(f.doctor, e.ID, e.Version, app.CriticalCall{GroupCode: "G0101", ItemCode: "4010100", Caller: "tijian"})
	wantCode(t, err, app.EINVALID, "接听人")
	_, err = rs.LogCriticalCall(f.doctor, e.ID, e.Version, app.CriticalCall{GroupCode: "G0101", ItemCode: "4012600", Caller: "tijian", Recipient: "张三"})
	wantCode(t, err, app.EINVALID, "没有待回访")
	e, err = rs.LogCriticalCall(f.doctor, e.ID, e.Version, app.CriticalCall{GroupCode: "G0101", ItemCode: "4010100", Caller: "tijian", Recipient: "张三", Phone: "13900000000", Advice: "立即到血液科就诊"})
	if err != nil {
		t.Fatal(err)
	}
	c := e.Record.CriticalCalls[0]
	if !c.Done || c.Recipient != "张三" || c.CalledAt.IsZero() || c.Advice == "" {
		t.Fatalf("call %+v", c)
	}
	if open, err := rs.OpenCriticals(f.reviewer); err != nil || len(open) != 0 {
		t.Fatalf("still open: %v %v", open, err)
	}
}

func TestRecord_SignRules(t *testing.T) {
	f := newRecFixture(t)
	rs := f.td.svc.Records
	e, err := rs.SaveResults(f.doctor, f.exam.ID, f.exam.Version, fullResults()[:5]) // no audiometry
	if err != nil {
		t.Fatal(err)
	}
	_, err = rs.Sign(f.chief, e.ID, e.Version)
	wantCode(t, err, app.EINVALID, "主检结论")
	t.Run("conclusion checks", func(t *testing.T) {
		_, err := rs.SaveConclusion(f.chief, e.ID, e.Version, app.ExamConclusion{Hazards: []app.HazardConclusion{{Hazard: "1038", Code: "03"}}})
		wantCode(t, err, app.EINVALID, "疑似的职业病")
		if strings.Contains(app.ErrorMessage(err), "噪声") {
			t.Errorf("a draft may leave 噪声 open: %v", err)
		}
		_, err = rs.SaveConclusion(f.chief, e.ID, e.Version, app.ExamConclusion{Hazards: []app.HazardConclusion{{Hazard: "1038", Code: "01"}, {Hazard: "1001", Code: "01"}}})
		wantCode(t, err, app.EINVALID, "不是本次体检的危害因素")
		// 2025 has no 复查 conclusion.
		_, err = rs.SaveConclusion(f.chief, e.ID, e.Version, app.ExamConclusion{Hazards: []app.HazardConclusion{{Hazard: "1038", Code: "02"}, {Hazard: "3008", Code: "01"}}})
		wantCode(t, err, app.EINVALID, "复查不是体检结论")
		_, err = rs.SaveConclusion(f.doctor, e.ID, e.Version, normalConclusion())
		wantCode(t, err, app.EFORBIDDEN)
	})
	// A draft may conclude one hazard and leave the other open; signing needs both.
	e, err = rs.SaveConclusion(f.chief, e.ID, e.Version, app.ExamConclusion{Hazards: []app.HazardConclusion{{Hazard: "1038", Code: "01"}, {Hazard: "3008"}},
		Recheck: &app.RecheckOrder{Reason: "待定"}})
	if err != nil {
		t.Fatalf("partial draft: %v", err)
	}
	_, err = rs.Sign(f.chief, e.ID, e.Version)
	wantCode(t, err, app.EINVALID, "噪声：请选择结论", "复查项目")
	e, err = rs.SaveConclusion(f.chief, e.ID, e.Version, normalConclusion())
	if err != nil || e.Record.Conclusion == nil {
		t.Fatal(err)
	}
	_, err = rs.Sign(f.chief, e.ID, e.Version)
	wantCode(t, err, app.EINVALID, "签名前缺少", "纯音听阈测试（听力室）")
	e, err = rs.SaveResults(f.doctor, e.ID, e.Version, fullResults()[5:])
	if err != nil || e.State != app.ExamAwaiting {
		t.Fatalf("%v %v", e.State, err)
	}
	t.Run("qualification expired yesterday", func(t *testing.T) {
		yesterday := f.td.clock.Now().AddDate(0, 0, -1)
		expired := f.td.staff(t, "zhujian2", "周主检", time.Date(yesterday.Year(), yesterday.Month(), yesterday.Day(), 0, 0, 0, 0, time.Local), app.RoleChiefExaminer)
		_, err := rs.Sign(expired, e.ID, e.Version)
		wantCode(t, err, app.EFORBIDDEN, "主检医师资格")
		none := f.td.as(t, "zhujian3", app.RoleChiefExaminer)
		_, err = rs.Sign(none, e.ID, e.Version)
		wantCode(t, err, app.EFORBIDDEN, "主检医师资格")
		_, err = rs.Sign(f.doctor, e.ID, e.Version)
		wantCode(t, err, app.EFORBIDDEN)
	})
	e, err = rs.Sign(f.chief, e.ID, e.Version)
	if err != nil {
		t.Fatal(err)
	}
	s := e.Record.Signature
	if e.State != app.ExamConcluded || e.Record.Edition != 1 || s == nil || s.Login != "zhujian" || s.Name != "李主检" ||
		s.Qualification != "主检医师 ZJ-zhujian" || !s.At.Equal(f.td.clock.Now()) {
		t.Fatalf("signed %s %+v", e.State, e.Record)
	}
	_, err = rs.Sign(f.chief, e.ID, e.Version)
	wantCode(t, err, app.EINVALID, "已签名")
	_, err = rs.SaveResults(f.doctor, e.ID, e.Version, fullResults()[:1])
	wantCode(t, err, app.EINVALID, "退回")
	_, err = rs.SaveConclusion(f.chief, e.ID, e.Version, normalConclusion())
	wantCode(t, err, app.EINVALID)
}

func TestRecord_ReturnAndResign(t *testing.T) {
	f := newRecFixture(t)
	rs := f.td.svc.Records
	both := f.td.staff(t, "zhuren", "吴主任", time.Time{}, app.RoleChiefExaminer, app.RoleReviewer)
	c := normalConclusion()
	c.Hazards[0] = app.HazardConclusion{Hazard: "1038", Code: "03", DiseaseCode: "0101", Disease: "矽肺", Basis: "胸片小阴影"}
	e := f.conclude(t, f.exam, c)
	e, err := rs.Sign(both, e.ID, e.Version)
	if err != nil {
		t.Fatal(err)
	}
	if refs, err := rs.Referrals(f.reviewer); err != nil || len(refs) != 1 || refs[0].Disease != "矽肺" || refs[0].WorkerName != "张三" || refs[0].ExamNumber != e.Number {
		t.Fatalf("referrals %+v %v", refs, err)
	}
	_, err = rs.Review(both, e.ID, e.Version, app.ReviewApprove, "")
	wantCode(t, err, app.EFORBIDDEN, "不能审核本人签名的体检")
	_, err = rs.Review(f.reviewer, e.ID, e.Version, app.ReviewReturn, " ")
	wantCode(t, err, app.EINVALID, "退回原因")
	_, err = rs.Review(f.reviewer, e.ID, e.Version, "maybe", "")
	wantCode(t, err, app.EINVALID)
	f.td.clock.Add(time.Hour)
	e, err = rs.Review(f.reviewer, e.ID, e.Version, app.ReviewReturn, "胸片结论依据不足")
	if err != nil {
		t.Fatal(err)
	}
	if e.State != app.ExamReturned || e.Record.Signature != nil || len(e.Record.Returns) != 1 || e.Record.Returns[0].Edition != 1 || e.Record.Edition != 1 {
		t.Fatalf("returned %s %+v", e.State, e.Record)
	}
	if refs, _ := rs.Referrals(f.reviewer); len(refs) != 0 {
		t.Fatalf("referral of a returned exam kept: %+v", refs)
	}
	h, err := rs.ExamHistory(f.clerk, e.ID)
	if err != nil || len(h) != 1 || h[0].Edition != 1 || h[0].Reason != "胸片结论依据不足" || h[0].ReturnedAt.IsZero() ||
		h[0].Record.Signature == nil || h[0].Record.Conclusion.Hazards[0].Code != "03" || h[0].Exam.State != app.ExamConcluded {
		t.Fatalf("history %+v %v", h, err)
	}
	// Corrected while returned: the state stays 退回 until signed again.
	e, err = rs.SaveResults(f.doctor, e.ID, e.Version, []app.Result{{GroupCode: "G1101", ItemCode: "3080200", Value: "1"}})
	if err != nil || e.State != app.ExamReturned {
		t.Fatalf("%v %v", e.State, err)
	}
	c.Hazards[0] = app.HazardConclusion{Hazard: "1038", Code: "05", Other: "胸片尘肺样改变，建议诊断机构进一步检查"}
	if e, err = rs.SaveConclusion(f.chief, e.ID, e.Version, c); err != nil {
		t.Fatal(err)
	}
	if e, err = rs.Sign(f.chief, e.ID, e.Version); err != nil {
		t.Fatal(err)
	}
	if e.Record.Edition != 2 || e.State != app.ExamConcluded {
		t.Fatalf("re-signed: edition %d %s", e.Record.Edition, e.State)
	}
	h, err = rs.ExamHistory(f.clerk, e.ID)
	if err != nil || len(h) != 2 || h[0].Edition != 1 || h[1].Edition != 2 || !h[1].ReturnedAt.IsZero() || h[1].Record.Conclusion.Hazards[0].Code != "05" {
		t.Fatalf("history %+v %v", h, err)
	}
	e, err = rs.Review(both, e.ID, e.Version, app.ReviewApprove, "")
	if err != nil || e.State != app.ExamReviewed || e.Record.Review == nil || e.Record.Review.Login != "zhuren" {
		t.Fatalf("approve %v %v", e.State, err)
	}
}

func TestRecord_ReleaseLocks(t *testing.T) {
	f := newRecFixture(t)
	rs := f.td.svc.Records
	e := f.conclude(t, f.exam, normalConclusion())
	_, err := rs.Release(f.clerk, e.ID, e.Version, app.Handover{Recipient: "张三", Documents: []string{"职业健康检查报告"}})
	wantCode(t, err, app.EINVALID, "审核通过后")
	_, err = rs.AddAddendum(f.chief, e.ID, e.Version, "补充")
	wantCode(t, err, app.EINVALID, "尚未发放")
	if e, err = rs.Sign(f.chief, e.ID, e.Version); err != nil {
		t.Fatal(err)
	}
	if e, err = rs.Review(f.reviewer, e.ID, e.Version, app.ReviewApprove, ""); err != nil {
		t.Fatal(err)
	}
	_, err = rs.Release(f.clerk, e.ID, e.Version, app.Handover{Documents: []string{"职业健康检查报告"}})
	wantCode(t, err, app.EINVALID, "领取人")
	_, err = rs.Release(f.clerk, e.ID, e.Version, app.Handover{Recipient: "张三", Documents: []string{" "}})
	wantCode(t, err, app.EINVALID, "文书")
	e, err = rs.Release(f.clerk, e.ID, e.Version, app.Handover{Recipient: "张三", RecipientKind: "本人", Documents: []string{"职业健康检查报告"}, Receipt: "签字"})
	if err != nil {
		t.Fatal(err)
	}
	if e.State != app.ExamReleased || len(e.Record.Releases) != 1 || e.Record.Releases[0].Login != "dengji" || e.Record.Releases[0].At.IsZero() {
		t.Fatalf("released %s %+v", e.State, e.Record.Releases)
	}
	const locked = "已发放的体检不能修改，请添加补充更正"
	_, err = rs.SaveResults(f.doctor, e.ID, e.Version, fullResults()[:1])
	wantCode(t, err, app.EINVALID, locked)
	_, err = rs.SaveInquiry(f.doctor, e.ID, e.Version, app.Inquiry{})
	wantCode(t, err, app.EINVALID, locked)
	_, err = rs.SaveConclusion(f.chief, e.ID, e.Version, normalConclusion())
	wantCode(t, err, app.EINVALID, locked)
	_, err = rs.Sign(f.chief, e.ID, e.Version)
	wantCode(t, err, app.EINVALID, locked)
	_, err = rs.Review(f.reviewer, e.ID, e.Version, app.ReviewReturn, "错了")
	wantCode(t, err, app.EINVALID, locked)
	_, err = rs.LogCriticalCall(f.doctor, e.ID, e.Version, app.CriticalCall{Caller: "a", Recipient: "b"})
	wantCode(t, err, app.EINVALID, locked)
	// A copy to the employer is only logged.
	e, err = rs.Release(f.clerk, e.ID, e.Version, app.Handover{Recipient: "王经理", RecipientKind: "用人单位", Documents: []string{"职业健康检查报告"}})
	if err != nil || e.State != app.ExamReleased || len(e.Record.Releases) != 2 {
		t.Fatalf("second handover %v %v", e.State, err)
	}
	e, err = rs.AddAddendum(f.chief, e.ID, e.Version, "  身高应为 172 cm  ")
	if err != nil || len(e.Record.Addenda) != 1 || e.Record.Addenda[0].Text != "身高应为 172 cm" || e.Record.Addenda[0].Name != "李主检" {
		t.Fatalf("addendum %+v %v", e.Record.Addenda, err)
	}
	_, err = rs.AddAddendum(f.chief, e.ID, e.Version, "")
	wantCode(t, err, app.EINVALID, "补充更正")
	rep, err := f.td.svc.Audit.VerifyAudit(f.td.admin)
	if err != nil || !rep.OK {
		t.Fatalf("audit %+v %v", rep, err)
	}
	entries, _, err := f.td.svc.Audit.FindAudit(f.td.admin, app.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, a := range entries {
		actions[a.Action] = true
	}
	for _, a := range []string{"RecordService.SaveResults", "RecordService.SaveConclusion", "RecordService.Sign", "RecordService.Review", "RecordService.Release", "RecordService.AddAddendum"} {
		if !actions[a] {
			t.Errorf("no audit entry %s", a)
		}
	}
}

func TestRecord_RecheckExam(t *testing.T) {
	f := newRecFixture(t)
	rs := f.td.svc.Records
	c := normalConclusion()
	c.Hazards[1] = app.HazardConclusion{Hazard: "3008", Code: "05", Other: "双耳高频听力下降"}
	due := f.td.clock.Now().AddDate(0, 0, 30)
	c.Recheck = &app.RecheckOrder{Groups: []string{"G1301"}, Date: due, Reason: "纯音听阈复查"}
	e := f.conclude(t, f.exam, c)
	e, err := rs.Sign(f.chief, e.ID, e.Version)
	if err != nil {
		t.Fatal(err)
	}
	if e.Record.RecheckExamID == 0 {
		t.Fatal("no recheck exam")
	}
	re := f.reload(t, e.Record.RecheckExamID)
	if !re.Recheck || re.PreviousExamID != e.ID || !re.Date.Equal(due) || len(re.Items) != 1 || re.Items[0].GroupCode != "G1301" ||
		!re.Items[0].Required || re.State != app.ExamRegistered || re.WorkerID != f.worker.ID {
		t.Fatalf("recheck exam %+v", re)
	}
	// Return and sign again: still one recheck exam.
	e, err = rs.Review(f.reviewer, e.ID, e.Version, app.ReviewReturn, "建议写明复查原因")
	if err != nil {
		t.Fatal(err)
	}
	if e, err = rs.Sign(f.chief, e.ID, e.Version); err != nil {
		t.Fatal(err)
	}
	if e.Record.RecheckExamID != re.ID {
		t.Fatalf("second recheck exam %d", e.Record.RecheckExamID)
	}
	if _, total, _ := f.td.svc.Exams.FindExams(f.td.admin, app.ExamFilter{WorkerID: f.worker.ID}); total != 2 {
		t.Fatalf("%d exams", total)
	}
	t.Run("2014: a 复查 conclusion needs its order", func(t *testing.T) {
		old := f.register(t, time.Date(2026, 3, 2, 0, 0, 0, 0, time.Local))
		if old.Edition != "2014" {
			t.Fatalf("edition %s", old.Edition)
		}
		c := normalConclusion()
		c.Hazards[1].Code = "02"
		e := f.conclude(t, old, c)
		_, err := rs.Sign(f.chief, e.ID, e.Version)
		wantCode(t, err, app.EINVALID, "复查医嘱")
		c.Recheck = &app.RecheckOrder{Groups: []string{"G1301"}, Date: f.td.clock.Now().AddDate(0, 0, 7)}
		e, err = rs.SaveConclusion(f.chief, e.ID, e.Version, c)
		if err != nil {
			t.Fatal(err)
		}
		e, err = rs.Sign(f.chief, e.ID, e.Version)
		if err != nil || e.Record.RecheckExamID == 0 {
			t.Fatalf("%v %d", err, e.Record.RecheckExamID)
		}
	})
}

// importFile builds a LIS file of 纯音 左耳 500Hz and WBC keyed by exam number.
func importFile(rows ...[3]string) app.ResultImportFile {
	f := app.ResultImportFile{Name: "lis.xlsx", Mapping: app.ResultMapping{Source: "检验科LIS", Columns: []app.ResultImportColumn{
		{Header: "条码", Key: app.ImportKeyExamNumber}, {Header: "左500", Key: app.ImportKeyItem, ItemCode: "3040100"},
		{Header: "WBC", Key: app.ImportKeyItem, ItemCode: "4010100"}, {Header: "姓名", Key: app.ImportKeyIgnore}}}}
	for i, r := range rows {
		vals := map[string]string{}
		if r[1] != "" {
			vals["3040100"] = r[1]
		}
		if r[2] != "" {
			vals["4010100"] = r[2]
		}
		f.Records = append(f.Records, app.ResultImportRecord{Row: i + 2, ExamNumber: r[0], Values: vals})
	}
	return f
}

func rowMessages(r app.ResultImportRow) string {
	var s []string
	for _, m := range r.Messages {
		s = append(s, m.Column+"|"+m.Level+"|"+m.Message)
	}
	return strings.Join(s, "\n")
}

func TestRecord_ResultImport(t *testing.T) {
	f := newRecFixture(t)
	rs := f.td.svc.Records
	e2 := f.register(t, f.td.clock.Now())
	signed := f.register(t, f.td.clock.Now())
	signed = f.conclude(t, signed, normalConclusion())
	if _, err := rs.Sign(f.chief, signed.ID, signed.Version); err != nil {
		t.Fatal(err)
	}
	file := importFile(
		[3]string{f.exam.Number, "20", ""},  // 2 accepted
		[3]string{e2.Number, "30", "1.2"},   // 3 warnings: WBC not in the plan, and critical
		[3]string{"999999999", "20", ""},    // 4 unknown number
		[3]string{f.exam.Number, "abc", ""}, // 5 value does not parse (and a repeated number)
		[3]string{signed.Number, "20", ""},  // 6 signed exam
	)
	p, err := rs.PreviewResultImport(f.doctor, file)
	if err != nil {
		t.Fatal(err)
	}
	if p.Accepted != 1 || p.Warned != 1 || p.Rejected != 3 || len(p.Rows) != 5 {
		for _, r := range p.Rows {
			t.Logf("row %d %s\n%s", r.Row, r.Outcome, rowMessages(r))
		}
		t.Fatalf("preview %d/%d/%d", p.Accepted, p.Warned, p.Rejected)
	}
	checks := []struct {
		row      int
		contains []string
	}{
		{3, []string{"WBC|warning|白细胞总数（WBC）：不在该体检的项目中", "WBC|warning|白细胞总数（WBC） 1.2×10⁹/L 为危急值"}},
		{4, []string{"条码|error|体检号“999999999”在档案中不存在"}},
		{5, []string{"左500|error|左耳 500Hz（气导）：", "条码|warning|体检号“" + f.exam.Number + "”在第 2 行也出现"}},
		{6, []string{"条码|error|", "已总检"}},
	}
	for _, c := range checks {
		r := p.Rows[c.row-2]
		for _, s := range c.contains {
			if !strings.Contains(rowMessages(r), s) {
				t.Errorf("row %d: want %q in\n%s", c.row, s, rowMessages(r))
			}
		}
	}
	if r := p.Rows[0]; r.Worker != "张三" || r.ExamID != f.exam.ID || len(r.Results) != 1 || r.Results[0].GroupCode != "G1301" || r.Results[0].Doctor != "tijian" {
		t.Fatalf("row 2 %+v", r)
	}
	// All or nothing.
	_, err = rs.CommitResultImport(f.doctor, file)
	wantCode(t, err, app.EINVALID, "3 行被拒绝", "第 4、5、6 行", "未导入任何结果")
	for _, id := range []int64{f.exam.ID, e2.ID} {
		if got := f.reload(t, id); len(got.Record.Results) != 0 || got.Version != 1 {
			t.Fatalf("exam %d written by a refused import: %+v", id, got.Record.Results)
		}
	}
	good := importFile([3]string{f.exam.Number, "20", ""}, [3]string{e2.Number, "30", "1.2"})
	n, err := rs.CommitResultImport(f.doctor, good)
	if err != nil || n != 2 {
		t.Fatalf("commit %d %v", n, err)
	}
	got := f.reload(t, e2.ID)
	wbc, ok := got.Record.ResultFor("", "4010100")
	if !ok || wbc.Flag != app.FlagCriticalLow || wbc.Doctor != "tijian" || got.State != app.ExamInProgress || len(got.Record.CriticalCalls) != 1 {
		t.Fatalf("imported %+v state %s calls %+v", got.Record.Results, got.State, got.Record.CriticalCalls)
	}
	if a, _ := got.Record.ResultFor("G1301", "3040100"); a.Flag != app.FlagHigh {
		t.Fatalf("audiometry %+v", a)
	}
	t.Run("mapping errors", func(t *testing.T) {
		bad := good
		bad.Mapping.Columns = bad.Mapping.Columns[1:]
		_, err := rs.PreviewResultImport(f.doctor, bad)
		wantCode(t, err, app.EINVALID, "体检号列")
	})
}

func TestRecord_ResultMappings(t *testing.T) {
	f := newRecFixture(t)
	rs := f.td.svc.Records
	m := importFile().Mapping
	err := rs.SaveResultMapping(f.doctor, app.ResultMapping{Source: "LIS", Columns: m.Columns[1:]})
	wantCode(t, err, app.EINVALID, "体检号")
	err = rs.SaveResultMapping(f.doctor, app.ResultMapping{Source: "LIS", Columns: []app.ResultImportColumn{{Header: "条码", Key: app.ImportKeyExamNumber}, {Header: "X", Key: app.ImportKeyItem, ItemCode: "123"}}})
	wantCode(t, err, app.EINVALID, "“123”不是健康指标代码")
	err = rs.SaveResultMapping(f.doctor, app.ResultMapping{Columns: m.Columns})
	wantCode(t, err, app.EINVALID, "来源名称")
	if err := rs.SaveResultMapping(f.doctor, m); err != nil {
		t.Fatal(err)
	}
	m.GroupCode = "G0101"
	if err := rs.SaveResultMapping(f.doctor, m); err != nil {
		t.Fatal(err)
	}
	list, err := rs.ResultMappings(f.doctor)
	if err != nil || len(list) != 1 || list[0].GroupCode != "G0101" || list[0].UpdatedAt.IsZero() || len(list[0].Columns) != 4 {
		t.Fatalf("%+v %v", list, err)
	}
}

func TestRecord_ReferralsNewestFirst(t *testing.T) {
	f := newRecFixture(t)
	rs := f.td.svc.Records
	var ids []int64
	for i := 0; i < 2; i++ {
		e := f.exam
		if i > 0 {
			e = f.register(t, f.td.clock.Now())
		}
		c := normalConclusion()
		c.Hazards[0] = app.HazardConclusion{Hazard: "1038", Code: "03", Disease: "矽肺"}
		e = f.conclude(t, e, c)
		f.td.clock.Add(time.Minute)
		if _, err := rs.Sign(f.chief, e.ID, e.Version); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	refs, err := rs.Referrals(f.reviewer)
	if err != nil || len(refs) != 2 || refs[0].ExamID != ids[1] || refs[1].ExamID != ids[0] {
		t.Fatalf("%+v %v", refs, err)
	}
}

func TestRecord_ExamHistoryUnsigned(t *testing.T) {
	f := newRecFixture(t)
	h, err := f.td.svc.Records.ExamHistory(f.clerk, f.exam.ID)
	if err != nil || len(h) != 0 {
		t.Fatalf("%+v %v", h, err)
	}
	_, err = f.td.svc.Records.ExamHistory(f.clerk, 999)
	wantCode(t, err, app.ENOTFOUND)
	_ = fmt.Sprint()
}

func TestRecord_StateRefusalsAndAudit(t *testing.T) {
	f := newRecFixture(t)
	rs := f.td.svc.Records
	e, err := rs.SaveResults(f.doctor, f.exam.ID, f.exam.Version, fullResults())
	if err != nil {
		t.Fatal(err)
	}
	e, err = rs.SaveResults(f.doctor, e.ID, e.Version, []app.Result{{GroupCode: "G1301", ItemCode: "3040100", Value: "45"}})
	if err != nil {
		t.Fatal(err)
	}
	// The audit entry of a save lists the changed result, not every result of the exam.
	entries, _, err := f.td.svc.Audit.FindAudit(f.td.admin, app.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var last app.AuditEntry
	for _, a := range entries {
		if a.Action == "RecordService.SaveResults" && a.Entity == "exam_record" && a.Seq > last.Seq {
			last = a
		}
	}
	if !strings.Contains(last.Diff, "结果 G1301/3040100") || strings.Contains(last.Diff, "3040200") || last.RecordHash == "" || last.User != "tijian" {
		t.Fatalf("audit entry %+v", last)
	}
	t.Run("cancelled and voided exams", func(t *testing.T) {
		c := f.register(t, f.td.clock.Now())
		c, err := f.td.svc.Exams.CancelExam(f.td.admin, c.ID, c.Version, false, "单位取消")
		if err != nil {
			t.Fatal(err)
		}
		_, err = rs.SaveResults(f.doctor, c.ID, c.Version, fullResults()[:1])
		wantCode(t, err, app.EINVALID, "为“已取消”，不能修改")
		v, err := f.td.svc.Exams.VoidExam(f.td.admin, e.ID, e.Version, "重复登记")
		if err != nil {
			t.Fatal(err)
		}
		_, err = rs.SaveInquiry(f.doctor, v.ID, v.Version, app.Inquiry{})
		wantCode(t, err, app.EINVALID, "已作废")
		_, err = rs.Sign(f.chief, v.ID, v.Version)
		wantCode(t, err, app.EINVALID, "已作废")
		if got := f.reload(t, v.ID); got.Record == nil || len(got.Record.Results) != len(fullResults()) {
			t.Fatalf("record lost by voiding: %+v", got.Record)
		}
	})
	t.Run("a record changed outside the program is caught", func(t *testing.T) {
		r := tamper(t, f.td, func(tx kv.Tx) error {
			b := tx.Bucket([]byte("records"))
			v := append([]byte(nil), b.Get(key(uint64(e.ID)))...)
			w := bytes.Replace(v, []byte(`"v":"45"`), []byte(`"v":"15"`), 1)
			if bytes.Equal(v, w) {
				t.Fatal("the stored record has no value 45 to change")
			}
			return b.Put(key(uint64(e.ID)), w)
		})
		if r.OK || !strings.Contains(r.Problem, "体检记录 记录") {
			t.Fatalf("report %+v", r)
		}
	})
}

// An archive of schema 2 (before recording) gains the record buckets on open and keeps its exams.
func TestRecord_MigrationFromSchema2(t *testing.T) {
	f := newRecFixture(t)
	if err := f.td.Close(); err != nil {
		t.Fatal(err)
	}
	rawUpdate(t, f.td.path, func(tx kv.Tx) error {
		for _, b := range []string{"records", "record_history", "idx_critical_open", "idx_referrals", "result_mappings"} {
			if err := tx.DeleteBucket([]byte(b)); err != nil {
				return fmt.Errorf("%s: %w", b, err)
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), key(2))
	})
	rng, crit := recordingData(t)
	backups := filepath.Join(t.TempDir(), "backups")
	db, err := reopenArchive(f.td.path, bolt.Options{Keys: f.td.keys, Codes: testCatalogs(t), Now: f.td.clock.Now, Planner: ruleTable, Ranges: rng, Criteria: crit,
		BackupDir: backups})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := db.Services(testCatalogs(t))
	e, err := svc.Exams.FindExamByID(f.td.admin, f.exam.ID)
	if err != nil || e.Record == nil {
		t.Fatalf("%+v %v", e, err)
	}
	if _, err := svc.Records.SaveResults(f.doctor, e.ID, e.Version, fullResults()); err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(filepath.Join(backups, "*.db*")); len(m) == 0 {
		t.Fatal("no backup before the migration")
	}
}

func TestRecord_WorklistByState(t *testing.T) {
	f := newRecFixture(t)
	second := f.register(t, f.td.clock.Now())
	third := f.register(t, f.td.clock.Now())
	if _, err := f.td.svc.Records.SaveInquiry(f.doctor, second.ID, second.Version, app.Inquiry{PastHistory: "无"}); err != nil {
		t.Fatal(err)
	}
	ids := func(state app.ExamState) []int64 {
		t.Helper()
		es, total, err := f.td.svc.Exams.FindExams(f.td.admin, app.ExamFilter{State: state})
		if err != nil || total != len(es) {
			t.Fatalf("%v total %d", err, total)
		}
		var out []int64
		for _, e := range es {
			if e.State != state {
				t.Fatalf("exam %d is %s in the %s list", e.ID, e.State, state)
			}
			out = append(out, e.ID)
		}
		return out
	}
	if got := ids(app.ExamRegistered); !slices.Equal(got, []int64{third.ID, f.exam.ID}) {
		t.Errorf("registered %v", got)
	}
	if got := ids(app.ExamInProgress); !slices.Equal(got, []int64{second.ID}) {
		t.Errorf("in progress %v", got)
	}
	if _, err := f.td.svc.Exams.CancelExam(f.td.admin, third.ID, third.Version, true, "未到"); err != nil {
		t.Fatal(err)
	}
	if got := ids(app.ExamRegistered); !slices.Equal(got, []int64{f.exam.ID}) {
		t.Errorf("registered after a no-show %v", got)
	}
	if got := ids(app.ExamNoShow); !slices.Equal(got, []int64{third.ID}) {
		t.Errorf("no-show %v", got)
	}
}

func TestRecord_SignCapturesParties(t *testing.T) {
	f := newRecFixture(t)
	rs := f.td.svc.Records
	e := f.conclude(t, f.exam, normalConclusion())
	e, err := rs.Sign(f.chief, e.ID, e.Version)
	if err != nil {
		t.Fatal(err)
	}
	p := e.Record.Parties
	if p == nil || p.Worker.Name != "张三" || p.Employer.Name != f.emp.Name || p.ContractNumber != "HT2026-001" ||
		p.HazardNames["1038"] == "" || p.HazardNames["3008"] == "" || p.ItemNames["3020100"] == "" || p.GroupNames["G1301"] == "" {
		t.Fatalf("parties %+v", p)
	}
	// A later correction of the worker's archive does not change what the signed exam prints.
	w, err := f.td.svc.Workers.FindWorkerByID(f.td.admin, f.worker.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.td.svc.Workers.UpdateWorker(f.td.admin, w.ID, app.WorkerUpdate{Version: w.Version, Name: w.Name, Sex: w.Sex,
		BirthDate: w.BirthDate, Phone: "13800000000", WorkHistory: w.WorkHistory, Exposures: w.Exposures}); err != nil {
		t.Fatal(err)
	}
	if got := f.reload(t, e.ID).Record.Parties.Worker.Phone; got == "13800000000" {
		t.Fatal("the signed exam follows the live archive")
	}
}
