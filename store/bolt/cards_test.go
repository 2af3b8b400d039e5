package bolt_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/demo"
)

// seededReader is a deterministic random source for DocumentIds.
type seededReader struct{ r *rand.ChaCha8 }

func (s seededReader) Read(p []byte) (int, error) { return s.r.Read(p) }

func pinnedRandom(seed byte) seededReader {
	var k [32]byte
	k[0] = seed
	return seededReader{rand.NewChaCha8(k)}
}

// release signs, reviews and releases e.
func (f *recFixture) release(t *testing.T, e *app.Exam) *app.Exam {
	t.Helper()
	rs := f.td.svc.Records
	var err error
	if e, err = rs.Sign(f.chief, e.ID, e.Version); err != nil {
		t.Fatal(err)
	}
	if e, err = rs.Review(f.reviewer, e.ID, e.Version, app.ReviewApprove, ""); err != nil {
		t.Fatal(err)
	}
	if e, err = rs.Release(f.clerk, e.ID, e.Version, app.Handover{Recipient: "张三", RecipientKind: "本人", Documents: []string{"职业健康检查报告"}}); err != nil {
		t.Fatal(err)
	}
	return e
}

type cardFixture struct {
	*recFixture
	cards    app.CardService
	reporter context.Context
}

func newCardFixture(t *testing.T) *cardFixture {
	f := newRecFixture(t)
	c := &cardFixture{recFixture: f, cards: f.td.svc.Cards}
	f.td.storeCards().SetRandom(pinnedRandom(1))
	c.reporter = f.td.staff(t, "tongji", "周统计", time.Time{}, app.RoleReportingClerk)
	return c
}

// setEmployerPhone corrects the fixture employer's contact phone (a registry fact cards carry).
func (c *cardFixture) setEmployerPhone(t *testing.T, phone string) {
	t.Helper()
	emp, err := c.td.svc.Employers.FindEmployerByID(c.td.admin, c.emp.ID)
	if err != nil {
		t.Fatal(err)
	}
	emp.ContactPhone = phone
	if _, err := c.td.svc.Employers.UpdateEmployer(c.td.admin, emp); err != nil {
		t.Fatal(err)
	}
}

func goodSettings() app.CardSettings {
	return app.CardSettings{ReportZoneCode: "450102000", ReportOrgCode: "450102001", License: "LIC-0001",
		Writer: "周统计", WriterPhone: "0771-5550001", Reporter: "吴报告", ReporterPhone: "0771-5550002"}
}

func (c *cardFixture) rows(t *testing.T, f app.CardFilter) []app.CardRow {
	t.Helper()
	rows, n, err := c.cards.Cards(c.reporter, f)
	if err != nil {
		t.Fatal(err)
	}
	if f.Limit == 0 && n != len(rows) {
		t.Fatalf("total %d for %d rows", n, len(rows))
	}
	return rows
}

func (c *cardFixture) data(t *testing.T, ids ...int64) []app.CardData {
	t.Helper()
	ds, err := c.cards.CardData(c.reporter, time.Time{}, time.Time{}, ids)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func verifyAudit(t *testing.T, td *testDB) {
	t.Helper()
	rep, err := td.svc.Audit.VerifyAudit(td.admin)
	if err != nil || !rep.OK {
		t.Fatalf("audit %+v %v", rep, err)
	}
}

func TestCards_ReleasedExamIsPending(t *testing.T) {
	c := newCardFixture(t)
	if rows := c.rows(t, app.CardFilter{}); len(rows) != 0 {
		t.Fatalf("cards before any release: %+v", rows)
	}
	e := c.release(t, c.conclude(t, c.exam, normalConclusion()))
	c.register(t, c.td.clock.Now()) // registered only: no card
	rows := c.rows(t, app.CardFilter{})
	if len(rows) != 1 {
		t.Fatalf("rows %+v", rows)
	}
	r := rows[0]
	if r.Card.ExamID != e.ID || r.Card.ExamNumber != e.Number || r.Card.Status != app.CardPending || r.Card.Operate != app.CardAdd ||
		r.Card.DocumentID != "" || r.WorkerName != "张三" || r.Employer != "红星水泥" || r.ReleasedAt.IsZero() || !r.Due.IsZero() {
		t.Fatalf("row %+v", r)
	}
	// Without the reporting settings the card cannot leave: the settings are errors.
	if r.Errors == 0 {
		t.Fatalf("no pre-flight errors without settings: %+v", r)
	}
	before := r.Errors
	if err := c.cards.SaveCardSettings(c.td.admin, goodSettings()); err != nil {
		t.Fatal(err)
	}
	rows = c.rows(t, app.CardFilter{})
	if rows[0].Errors >= before {
		t.Fatalf("errors %d after saving settings, %d before", rows[0].Errors, before)
	}
	d := c.data(t, e.ID)
	issues, err := c.td.storeCards().Check(d[0])
	if err != nil {
		t.Fatal(err)
	}
	errs := 0
	for _, x := range issues {
		t.Logf("%s %s [%s %d] %s", x.Level, x.Field, x.Screen, x.EntityID, x.Message)
		if x.Screen == "card_settings" {
			t.Errorf("settings finding after saving them: %+v", x)
		}
		if x.Level == app.LevelError {
			errs++
		}
	}
	if errs != rows[0].Errors {
		t.Errorf("worklist counts %d errors, the check %d: %+v", rows[0].Errors, errs, issues)
	}
	// Filters: status, failing, date range, paging.
	if got := c.rows(t, app.CardFilter{Status: app.CardExported}); len(got) != 0 {
		t.Errorf("exported filter: %+v", got)
	}
	if got := c.rows(t, app.CardFilter{From: r.ReleasedAt.AddDate(0, 0, 1)}); len(got) != 0 {
		t.Errorf("from tomorrow: %+v", got)
	}
	if got := c.rows(t, app.CardFilter{From: r.ReleasedAt, To: r.ReleasedAt}); len(got) != 1 {
		t.Errorf("release day: %+v", got)
	}
	// Due date from the settings.
	s := goodSettings()
	s.DueDays = 15
	if err := c.cards.SaveCardSettings(c.td.admin, s); err != nil {
		t.Fatal(err)
	}
	rows = c.rows(t, app.CardFilter{})
	y, m, dd := r.ReleasedAt.Local().Date()
	if want := time.Date(y, m, dd, 0, 0, 0, 0, time.Local).AddDate(0, 0, 15); !rows[0].Due.Equal(want) {
		t.Errorf("due %v, want %v", rows[0].Due, want)
	}
	verifyAudit(t, c.td)
}

var docIDPattern = regexp.MustCompile(`^450102001-HEALTH_EXAM_RECORD-(\d{17})-(\d{5})$`)

func TestCards_ExportUpdateDelete(t *testing.T) {
	c := newCardFixture(t)
	if err := c.cards.SaveCardSettings(c.td.admin, goodSettings()); err != nil {
		t.Fatal(err)
	}
	e := c.release(t, c.conclude(t, c.exam, normalConclusion()))
	c.td.clock.Add(90 * time.Minute)
	ds := c.data(t)
	if len(ds) != 1 {
		t.Fatalf("card data %d", len(ds))
	}
	d := ds[0]
	m := docIDPattern.FindStringSubmatch(d.Card.DocumentID)
	if m == nil || m[1] != c.td.clock.Now().Format("20060102150405")+"000" {
		t.Fatalf("DocumentId %q (now %v)", d.Card.DocumentID, c.td.clock.Now())
	}
	if d.Card.Operate != app.CardAdd || d.Exam.Record == nil || d.Exam.Record.Parties == nil || d.Institution.Code != "450102001" || d.Settings.License != "LIC-0001" {
		t.Fatalf("card data %+v", d.Card)
	}
	// Minted once: a second read keeps it.
	c.td.clock.Add(time.Minute)
	again := c.data(t, e.ID)
	if again[0].Card.DocumentID != d.Card.DocumentID {
		t.Fatalf("DocumentId changed: %s then %s", d.Card.DocumentID, again[0].Card.DocumentID)
	}
	// Export marks it 已导出 with the batch.
	if err := c.cards.RecordExport(c.reporter, "B20261130-1", app.CardFormatNational, ds); err != nil {
		t.Fatal(err)
	}
	rows := c.rows(t, app.CardFilter{})
	got := rows[0].Card
	if got.Status != app.CardExported || got.Batch != "B20261130-1" || got.DocumentID != d.Card.DocumentID || got.ExportedHash == "" ||
		got.ExportedAt.IsZero() || got.Late || len(got.History) != 1 || got.History[0].Status != app.CardExported || got.History[0].User != "tongji" {
		t.Fatalf("after export %+v", got)
	}
	// Unchanged: the next export repeats Add with the same DocumentId.
	d2 := c.data(t)[0]
	if d2.Card.Operate != app.CardAdd || d2.Card.DocumentID != d.Card.DocumentID {
		t.Fatalf("unchanged card: %+v", d2.Card)
	}
	// A card changes after its export through what it carries besides the locked exam: the
	// writer and reporter of the settings, or the institution's own data (name, code, area).
	// It goes out again as Update with its DocumentId.
	s := goodSettings()
	s.WriterPhone = "0771-5559999"
	if err := c.cards.SaveCardSettings(c.td.admin, s); err != nil {
		t.Fatal(err)
	}
	d3 := c.data(t)[0]
	if d3.Card.Operate != app.CardUpdate || d3.Card.DocumentID != d.Card.DocumentID {
		t.Fatalf("changed card: %+v", d3.Card)
	}
	// Late: due 1 day after release, exported 3 days later.
	s.DueDays = 1
	if err := c.cards.SaveCardSettings(c.td.admin, s); err != nil {
		t.Fatal(err)
	}
	c.td.clock.Add(72 * time.Hour)
	if err := c.cards.RecordExport(c.reporter, "B2", app.CardFormatHubei, []app.CardData{d3}); err != nil {
		t.Fatal(err)
	}
	got = c.rows(t, app.CardFilter{})[0].Card
	if got.Status != app.CardExported || got.Operate != app.CardUpdate || got.Batch != "B2" || !got.Late || len(got.History) != 2 ||
		!strings.Contains(got.History[1].Note, "订正") || !strings.Contains(got.History[1].Note, "补报") {
		t.Fatalf("after Update export %+v", got)
	}
	if op := c.data(t)[0].Card.Operate; op != app.CardUpdate {
		t.Fatalf("after Update export the card repeats %s", op)
	}
	// Header codes alone are not content.
	s.License = "LIC-0002"
	if err := c.cards.SaveCardSettings(c.td.admin, s); err != nil {
		t.Fatal(err)
	}
	if op := c.data(t)[0].Card.Operate; op != app.CardUpdate {
		t.Fatalf("licence change made %s", op)
	}
	// A stale CardData (DocumentId not the archive's) is refused, nothing written.
	stale := c.data(t)
	stale[0].Card.DocumentID = "450102001-HEALTH_EXAM_RECORD-20260101000000000-00000"
	err := c.cards.RecordExport(c.reporter, "B3", app.CardFormatNational, stale)
	wantCode(t, err, app.EINVALID, "文档标识")
	// A voided exam that was exported goes out as Delete.
	cur := c.reload(t, e.ID)
	if _, err := c.td.svc.Exams.VoidExam(c.td.admin, cur.ID, cur.Version, "重复登记"); err != nil {
		t.Fatal(err)
	}
	rows = c.rows(t, app.CardFilter{})
	if len(rows) != 1 || rows[0].Card.ExamID != e.ID {
		t.Fatalf("voided exported exam left the worklist: %+v", rows)
	}
	dd := c.data(t)
	if len(dd) != 1 || dd[0].Card.Operate != app.CardDelete || dd[0].Card.DocumentID != d.Card.DocumentID {
		t.Fatalf("voided card %+v", dd)
	}
	if err := c.cards.RecordExport(c.reporter, "B4", app.CardFormatNational, dd); err != nil {
		t.Fatal(err)
	}
	if op := c.rows(t, app.CardFilter{})[0].Card.Operate; op != app.CardDelete {
		t.Fatalf("after Delete export: %s", op)
	}
	verifyAudit(t, c.td)
}

func TestCards_VoidedNeverExportedHasNoCard(t *testing.T) {
	c := newCardFixture(t)
	e := c.release(t, c.conclude(t, c.exam, normalConclusion()))
	if _, err := c.td.svc.Exams.VoidExam(c.td.admin, e.ID, e.Version, "误发"); err != nil {
		t.Fatal(err)
	}
	if rows := c.rows(t, app.CardFilter{}); len(rows) != 0 {
		t.Fatalf("rows %+v", rows)
	}
	_, err := c.cards.CardData(c.reporter, time.Time{}, time.Time{}, []int64{e.ID})
	wantCode(t, err, app.EINVALID, "已作废", "从未导出")
}

func TestCards_DocumentIDsUniqueAndPinned(t *testing.T) {
	// Two archives with the same clock and random source mint the same IDs; within one
	// archive every ID is different even in the same millisecond.
	mint := func() []string {
		c := newCardFixture(t)
		c.release(t, c.conclude(t, c.exam, normalConclusion()))
		for i := 0; i < 3; i++ {
			e := c.register(t, c.td.clock.Now())
			c.release(t, c.conclude(t, e, normalConclusion()))
		}
		var ids []string
		for _, d := range c.data(t) {
			ids = append(ids, d.Card.DocumentID)
		}
		return ids
	}
	a, b := mint(), mint()
	if len(a) != 4 || strings.Join(a, ",") != strings.Join(b, ",") {
		t.Fatalf("pinned mints differ:\n%v\n%v", a, b)
	}
	seen := map[string]bool{}
	for _, id := range a {
		if seen[id] || !docIDPattern.MatchString(id) {
			t.Fatalf("bad or repeated DocumentId %s in %v", id, a)
		}
		seen[id] = true
	}
}

func TestCards_FeedbackAndStatus(t *testing.T) {
	c := newCardFixture(t)
	e1 := c.release(t, c.conclude(t, c.exam, normalConclusion()))
	e2 := c.release(t, c.conclude(t, c.register(t, c.td.clock.Now()), normalConclusion()))
	// Never exported: no 已上报.
	err := c.cards.SetCardStatus(c.reporter, app.CardFeedback{ExamNumber: e1.Number, Status: app.CardReported})
	wantCode(t, err, app.EINVALID, "尚未导出", "不能登记为已上报")
	ds := c.data(t, e1.ID)
	if err := c.cards.RecordExport(c.reporter, "B1", app.CardFormatNational, ds); err != nil {
		t.Fatal(err)
	}
	// Unknown cards are named; nothing is applied.
	_, err = c.cards.ImportFeedback(c.reporter, []app.CardFeedback{
		{DocumentID: ds[0].Card.DocumentID, Status: app.CardReported},
		{DocumentID: "450102001-HEALTH_EXAM_RECORD-20260101000000000-99999", Status: app.CardReported},
		{ExamNumber: "999999", Status: app.CardReported},
	})
	wantCode(t, err, app.EINVALID, "第 2 行 450102001-HEALTH_EXAM_RECORD-20260101000000000-99999", "第 3 行 体检号 999999", "未导入任何反馈")
	if st := c.data(t, e1.ID)[0].Card.Status; st != app.CardExported {
		t.Fatalf("status after refused import: %s", st)
	}
	// A line that breaks a rule (e2 never exported) refuses the whole file too.
	_, err = c.cards.ImportFeedback(c.reporter, []app.CardFeedback{
		{DocumentID: ds[0].Card.DocumentID, Status: app.CardReported},
		{ExamNumber: e2.Number, Status: app.CardReported},
	})
	wantCode(t, err, app.EINVALID, "反馈第 2 行", "尚未导出")
	if st := c.data(t, e1.ID)[0].Card.Status; st != app.CardExported {
		t.Fatalf("status after refused import: %s", st)
	}
	n, err := c.cards.ImportFeedback(c.reporter, []app.CardFeedback{{DocumentID: ds[0].Card.DocumentID, Status: app.CardReported, At: c.td.clock.Now()}})
	if err != nil || n != 1 {
		t.Fatalf("import %d %v", n, err)
	}
	if got := c.rows(t, app.CardFilter{Status: app.CardReported}); len(got) != 1 || got[0].Card.ExamID != e1.ID {
		t.Fatalf("reported rows %+v", got)
	}
	// 退回 needs the platform's reason.
	err = c.cards.SetCardStatus(c.reporter, app.CardFeedback{ExamNumber: e1.Number, Status: app.CardReturned})
	wantCode(t, err, app.EINVALID, "退回原因")
	if err := c.cards.SetCardStatus(c.reporter, app.CardFeedback{ExamNumber: e1.Number, Status: app.CardReturned, Reason: "用人单位信用代码有误"}); err != nil {
		t.Fatal(err)
	}
	got := c.rows(t, app.CardFilter{Status: app.CardReturned})
	if len(got) != 1 || got[0].Card.Reason != "用人单位信用代码有误" || len(got[0].Card.History) != 3 {
		t.Fatalf("returned %+v", got)
	}
	err = c.cards.SetCardStatus(c.reporter, app.CardFeedback{ExamNumber: e1.Number, Status: app.CardExported})
	wantCode(t, err, app.EINVALID, "不能手工设置")
	err = c.cards.SetCardStatus(c.reporter, app.CardFeedback{ExamNumber: "000", Status: app.CardReported})
	wantCode(t, err, app.ENOTFOUND, "000")
	verifyAudit(t, c.td)
}

func TestCards_Settings(t *testing.T) {
	c := newCardFixture(t)
	s, err := c.cards.CardSettings(c.reporter)
	if err != nil || s.ReportZoneCode != "" {
		t.Fatalf("empty settings %+v %v", s, err)
	}
	bad := goodSettings()
	bad.ReportZoneCode, bad.WriterPhone, bad.DueDays = "4501", "12ab", -1
	err = c.cards.SaveCardSettings(c.td.admin, bad)
	wantCode(t, err, app.EINVALID, "上报地区代码", "填表人电话", "上报时限")
	err = c.cards.SaveCardSettings(c.reporter, goodSettings())
	wantCode(t, err, app.EFORBIDDEN)
	if err := c.cards.SaveCardSettings(c.td.admin, goodSettings()); err != nil {
		t.Fatal(err)
	}
	s, err = c.cards.CardSettings(c.reporter)
	if err != nil || s.License != "LIC-0001" || s.UpdatedBy != "admin" {
		t.Fatalf("settings %+v %v", s, err)
	}
	entries, _, err := c.td.svc.Audit.FindAudit(c.td.admin, app.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range entries {
		found = found || a.Action == "CardService.SaveCardSettings"
	}
	if !found {
		t.Error("no audit entry of the settings")
	}
	verifyAudit(t, c.td)
}

func TestCards_RecheckCarriesPrevious(t *testing.T) {
	c := newCardFixture(t)
	first := c.release(t, c.conclude(t, c.exam, normalConclusion()))
	e, err := c.td.svc.Exams.Register(c.td.admin, app.Registration{WorkerID: c.worker.ID, EmployerID: c.emp.ID, ContractID: c.contract.ID,
		Type: app.ExamPeriodic, Recheck: true, PreviousExamID: first.ID, Hazards: []string{"1038", "3008"}, Date: c.td.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	c.release(t, c.conclude(t, e, normalConclusion()))
	warnings := func() int {
		for _, r := range c.rows(t, app.CardFilter{}) {
			if r.Card.ExamID == e.ID {
				return r.Warnings
			}
		}
		t.Fatal("recheck card missing")
		return 0
	}
	before := warnings()
	ds := c.data(t, first.ID)
	if err := c.cards.RecordExport(c.reporter, "B1", app.CardFormatNational, ds); err != nil {
		t.Fatal(err)
	}
	if after := warnings(); after != before-1 {
		t.Errorf("recheck warnings %d before the earlier card's export, %d after", before, after)
	}
	d := c.data(t, e.ID)[0]
	if d.Previous == nil || d.Previous.ExamID != first.ID || d.Previous.DocumentID != ds[0].Card.DocumentID || d.Previous.Status != app.CardExported {
		t.Fatalf("previous %+v", d.Previous)
	}
}

// The card read from the projection is the card read from the exam's record: same content,
// same findings, same content hash (no spurious 订正).
func TestCards_ProjectionGivesTheSameCard(t *testing.T) {
	td := openRecordDB(t)
	td.setNoSync(true)
	if _, err := demo.Fill(td.admin, td.storeServices(), demo.Options{Workers: 40, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	cs := td.storeCards()
	first, err := cs.CardData(td.admin, time.Time{}, time.Time{}, nil) // from the records
	if err != nil || len(first) == 0 {
		t.Fatalf("%d cards, %v", len(first), err)
	}
	again, err := cs.CardData(td.admin, time.Time{}, time.Time{}, nil) // from the projections
	if err != nil || len(again) != len(first) {
		t.Fatalf("%d cards, %v", len(again), err)
	}
	for i := range first {
		a, _ := json.Marshal(first[i].Exam)
		b, _ := json.Marshal(again[i].Exam)
		if string(a) != string(b) {
			n := 0
			for n < len(a) && n < len(b) && a[n] == b[n] {
				n++
			}
			t.Fatalf("exam %d differs at byte %d:\n…%s\n…%s", first[i].Exam.ID, n, a[max(0, n-80):min(len(a), n+80)], b[max(0, n-80):min(len(b), n+80)])
		}
		ia, _ := cs.Check(first[i])
		ib, _ := cs.Check(again[i])
		if fmt.Sprint(ia) != fmt.Sprint(ib) {
			t.Fatalf("findings differ:\n%v\n%v", ia, ib)
		}
	}
	if err := cs.RecordExport(td.admin, "B1", app.CardFormatNational, first); err != nil {
		t.Fatal(err)
	}
	third, err := cs.CardData(td.admin, time.Time{}, time.Time{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range third {
		if d.Card.Operate != app.CardAdd {
			t.Fatalf("unchanged card %s goes out as %s", d.Exam.Number, d.Card.Operate)
		}
	}
}

// TestCards_RegistryCorrectionsGoOutAsUpdate: the worker's and the employer's registry facts
// are read live, so a clerk who fixes them after release (where the pre-flight check's links
// lead) sends the card again as 订正; an edit of something the card does not carry does not.
func TestCards_RegistryCorrectionsGoOutAsUpdate(t *testing.T) {
	c := newCardFixture(t)
	if err := c.cards.SaveCardSettings(c.td.admin, goodSettings()); err != nil {
		t.Fatal(err)
	}
	e := c.release(t, c.conclude(t, c.exam, normalConclusion()))
	d := c.data(t)[0]
	if d.Exam.Record.Parties.Employer.ContactPhone == "0771-5551234" {
		t.Fatal("fixture already has the new phone")
	}
	if err := c.cards.RecordExport(c.reporter, "B1", app.CardFormatNational, []app.CardData{d}); err != nil {
		t.Fatal(err)
	}
	// A note on the worker's archive is not on the card: still Add.
	w, err := c.td.svc.Workers.FindWorkerByID(c.td.admin, c.worker.ID)
	if err != nil {
		t.Fatal(err)
	}
	up := app.WorkerUpdate{Version: w.Version, Name: w.Name, Sex: w.Sex, BirthDate: w.BirthDate, Phone: w.Phone, Address: w.Address,
		WorkHistory: w.WorkHistory, Exposures: w.Exposures, Note: "已电话通知"}
	if w, err = c.td.svc.Workers.UpdateWorker(c.td.admin, w.ID, up); err != nil {
		t.Fatal(err)
	}
	if op := c.data(t, e.ID)[0].Card.Operate; op != app.CardAdd {
		t.Fatalf("an unrelated edit sends %s", op)
	}
	// The employer's contact phone corrected: the card carries it and goes out as Update.
	c.setEmployerPhone(t, "0771-5551234")
	d2 := c.data(t, e.ID)[0]
	if d2.Card.Operate != app.CardUpdate || d2.Card.DocumentID != d.Card.DocumentID || d2.Exam.Record.Parties.Employer.ContactPhone != "0771-5551234" {
		t.Fatalf("after the employer's correction: %s %s phone %q", d2.Card.Operate, d2.Card.DocumentID, d2.Exam.Record.Parties.Employer.ContactPhone)
	}
	// The signed exam itself is untouched: its report still prints the parties as signed.
	if got := c.reload(t, e.ID).Record.Parties.Employer.ContactPhone; got == "0771-5551234" {
		t.Fatal("the correction wrote through to the signed exam")
	}
	if err := c.cards.RecordExport(c.reporter, "B2", app.CardFormatNational, []app.CardData{d2}); err != nil {
		t.Fatal(err)
	}
	verifyAudit(t, c.td)
}

// TestCards_WorklistRechecksACorrectedEmployer: a finding fixed at the employer leaves the
// worklist's counts (cached per card) at once.
func TestCards_WorklistRechecksACorrectedEmployer(t *testing.T) {
	c := newCardFixture(t)
	if err := c.cards.SaveCardSettings(c.td.admin, goodSettings()); err != nil {
		t.Fatal(err)
	}
	c.setEmployerPhone(t, "")
	c.release(t, c.conclude(t, c.exam, normalConclusion()))
	before := c.rows(t, app.CardFilter{})[0]
	if before.Errors == 0 {
		t.Fatal("an employer without a contact phone passes the check")
	}
	c.setEmployerPhone(t, "0771-5551234")
	if after := c.rows(t, app.CardFilter{})[0]; after.Errors >= before.Errors {
		t.Fatalf("errors %d before the correction, %d after", before.Errors, after.Errors)
	}
}
