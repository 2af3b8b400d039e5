package bolt

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"occhealth/app"
	"occhealth/app/criteria"
	"occhealth/app/results"
	"occhealth/store"
	"occhealth/store/kv"
)

// Schema 3: recording. The record of an exam lives in its own bucket keyed by exam ID, so that
// exam lists never decode results; the exam's Version guards both.
var (
	bucketRecords        = []byte("records")           // exam ID → ExamRecord
	bucketRecordHistory  = []byte("record_history")    // exam ID + edition → ExamSnapshot (returned editions)
	bucketCriticalOpen   = []byte("idx_critical_open") // exam ID → nil, while a critical value awaits its call-back
	bucketReferrals      = []byte("idx_referrals")     // exam ID + hazard → Referral
	bucketResultMappings = []byte("result_mappings")   // source name → ResultMapping
	recordBuckets        = [][]byte{bucketRecords, bucketRecordHistory, bucketCriticalOpen, bucketReferrals, bucketResultMappings}
)

// entityRecord is the audited entity of an exam record; VerifyAudit compares every record
// with its newest entry like the other entities.
const entityRecord = "exam_record"

func init() { entityBuckets[entityRecord] = bucketRecords }

// msgReleased refuses any change but a handover or an addendum on a released exam.
const msgReleased = "已发放的体检不能修改，请添加补充更正"

// RecordService implements app.RecordService.
type RecordService struct{ db *DB }

var _ app.RecordService = (*RecordService)(nil)

// NewRecordService returns the record service of db.
func NewRecordService(db *DB) *RecordService { return &RecordService{db: db} }

// loadRecord reads the record of an exam; an exam without one gets an empty record.
func loadRecord(tx kv.Tx, examID int64) (*app.ExamRecord, []byte, error) {
	d := recordDisk{ExamRecord: &app.ExamRecord{ExamID: examID}}
	raw, _, err := get(tx, bucketRecords, uint64(examID), &d)
	if err != nil {
		return nil, nil, fmt.Errorf("record of exam %d: %w", examID, err)
	}
	return fromDisk(&d), raw, nil
}

// withRecord fills e.Record from the archive.
func withRecord(tx kv.Tx, e *app.Exam) error {
	r, _, err := loadRecord(tx, e.ID)
	if err != nil {
		return err
	}
	e.Record = r
	return nil
}

// editErr refuses a change of results, inquiry or conclusion when the exam's state does not
// allow it.
func editErr(e *app.Exam) error {
	switch {
	case e.State == app.ExamReleased:
		return app.Errorf(app.EINVALID, "体检 %s：%s", e.Number, msgReleased)
	case e.State.Editable():
		return nil
	case e.State == app.ExamConcluded || e.State == app.ExamReviewed:
		return app.Errorf(app.EINVALID, "体检 %s 为“%s”（主检已签名），不能修改；如需修改请由审核医师退回", e.Number, e.State.Name())
	}
	return app.Errorf(app.EINVALID, "体检 %s 为“%s”，不能修改", e.Number, e.State.Name())
}

// lockedErr refuses anything but a handover or an addendum on a released or voided exam.
func lockedErr(e *app.Exam) error {
	switch e.State {
	case app.ExamReleased:
		return app.Errorf(app.EINVALID, "体检 %s：%s", e.Number, msgReleased)
	case app.ExamVoided:
		return app.Errorf(app.EINVALID, "体检 %s 已作废，不能修改", e.Number)
	}
	return nil
}

// recordWrite is one write of an exam and its record inside a transaction.
type recordWrite struct {
	exam   *app.Exam
	rec    *app.ExamRecord
	oldEx  []byte
	oldRec []byte
	// oldState is the exam's state before the write (for the state index).
	oldState app.ExamState
}

// openRecord loads an exam and its record for a write, checking the caller's version.
func (t *txn) openRecord(id, version int64) (*recordWrite, error) {
	var e app.Exam
	old, ok, err := get(t.tx, bucketExams, uint64(id), &e)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, app.Errorf(app.ENOTFOUND, "体检 %d 不存在", id)
	}
	if e.Version != version {
		return nil, conflict("体检 "+e.Number, e.UpdatedBy, e.UpdatedAt)
	}
	e.Record = nil
	r, oldRec, err := loadRecord(t.tx, id)
	if err != nil {
		return nil, err
	}
	return &recordWrite{exam: &e, rec: r, oldEx: old, oldRec: oldRec, oldState: e.State}, nil
}

// save stores the exam (version bumped) and its record, keeps the critical index, and audits
// both writes under action.
func (t *txn) saveRecord(w *recordWrite, action, note string) (*app.Exam, error) {
	e, r := w.exam, w.rec
	e.Record = nil
	e.Version, e.UpdatedAt, e.UpdatedBy = e.Version+1, t.now, t.username()
	r.ExamID = e.ID
	enc, err := t.putExam(e, w.oldState)
	if err != nil {
		return nil, err
	}
	recEnc, err := t.put(bucketRecords, uint64(e.ID), toDisk(r))
	if err != nil {
		return nil, err
	}
	open := slices.ContainsFunc(r.CriticalCalls, func(c app.CriticalCall) bool { return !c.Done })
	ix := t.tx.Bucket(bucketCriticalOpen)
	if open {
		err = ix.Put(itob(uint64(e.ID)), nil)
	} else {
		err = ix.Delete(itob(uint64(e.ID)))
	}
	if err != nil {
		return nil, err
	}
	if err := t.audit(action, "exam", uint64(e.ID), w.oldEx, enc, note); err != nil {
		return nil, err
	}
	if _, err := appendAudit(t.tx, t.db.opts.Keys, app.AuditEntry{
		Time: t.now, User: t.username(), Workstation: t.ws, Action: action, Entity: entityRecord,
		EntityID: e.ID, Diff: recordDiff(w.oldRec, recEnc), Note: note, RecordHash: store.HashRecord(recEnc),
	}); err != nil {
		return nil, err
	}
	out := *e
	rc := *r
	out.Record = &rc
	return &out, nil
}

// recordDiff is the audit diff of a record: changed fields as diffJSON writes them, except that
// results are listed one by one ("结果 G0101/3010101") so that saving one value does not copy
// every result of the exam into the log. It works on the stored JSON without decoding records.
func recordDiff(old, new []byte) string {
	var a, b map[string]json.RawMessage
	if len(old) > 1 {
		_ = json.Unmarshal(old[1:], &a)
	}
	if len(new) > 1 {
		_ = json.Unmarshal(new[1:], &b)
	}
	ra, rb := a["Results"], b["Results"]
	delete(a, "Results")
	delete(b, "Results")
	base := diffMaps(a, b)
	type key struct {
		Group string `json:"g"`
		Item  string `json:"i"`
	}
	split := func(raw json.RawMessage) ([]string, map[string]json.RawMessage) {
		var list []json.RawMessage
		_ = json.Unmarshal(raw, &list)
		keys := make([]string, 0, len(list))
		m := make(map[string]json.RawMessage, len(list))
		for _, x := range list {
			var k key
			_ = json.Unmarshal(x, &k)
			s := k.Group + "/" + k.Item
			keys = append(keys, s)
			m[s] = x
		}
		return keys, m
	}
	oldKeys, olds := split(ra)
	newKeys, news := split(rb)
	var parts []string
	// A result in the log says what was recorded; who and when are the entry's own, and the
	// range is in the record the entry's hash covers.
	slim := func(raw json.RawMessage) json.RawMessage {
		if raw == nil {
			return json.RawMessage("null")
		}
		var x resultDisk
		if json.Unmarshal(raw, &x) != nil {
			return raw
		}
		x.Range, x.Doctor, x.Time, x.Number = nil, "", 0, 0
		b, err := json.Marshal(x)
		if err != nil {
			return raw
		}
		return b
	}
	entry := func(k string, o, n json.RawMessage) {
		o, n = slim(o), slim(n)
		kj, _ := json.Marshal("结果 " + k)
		parts = append(parts, string(kj)+":["+string(o)+","+string(n)+"]")
	}
	for _, k := range newKeys {
		if o, ok := olds[k]; !ok || !bytes.Equal(o, news[k]) {
			entry(k, olds[k], news[k])
		}
	}
	for _, k := range oldKeys {
		if _, ok := news[k]; !ok {
			entry(k, olds[k], nil)
		}
	}
	if len(parts) == 0 {
		return base
	}
	if base == "" {
		return "{" + strings.Join(parts, ",") + "}"
	}
	return strings.TrimSuffix(base, "}") + "," + strings.Join(parts, ",") + "}"
}

// update runs one write of an exam record.
func (s *RecordService) write(ctx context.Context, action string, id, version int64, fn func(t *txn, w *recordWrite) (string, error)) (*app.Exam, error) {
	var out *app.Exam
	err := s.db.update(ctx, action, func(t *txn) error {
		w, err := t.openRecord(id, version)
		if err != nil {
			return err
		}
		note, err := fn(t, w)
		if err != nil {
			return err
		}
		out, err = t.saveRecord(w, action, note)
		return err
	})
	return out, err
}

// SaveInquiry records the 问诊.
func (s *RecordService) SaveInquiry(ctx context.Context, examID, version int64, in app.Inquiry) (*app.Exam, error) {
	return s.write(ctx, "RecordService.SaveInquiry", examID, version, func(t *txn, w *recordWrite) (string, error) {
		if err := editErr(w.exam); err != nil {
			return "", err
		}
		if err := validateInquiry(&in); err != nil {
			return "", err
		}
		if in.Doctor == "" {
			in.Doctor = t.username()
		}
		if in.Date.IsZero() {
			in.Date = t.now
		}
		w.rec.Inquiry = &in
		if w.exam.State == app.ExamRegistered {
			w.exam.State = app.ExamInProgress
		}
		return "", nil
	})
}

func validateInquiry(in *app.Inquiry) error {
	var es app.Errors
	for _, h := range []struct {
		name string
		h    app.Habit
	}{{"吸烟史", in.Smoking}, {"饮酒史", in.Drinking}} {
		if _, ok := app.HabitNames[h.h.Status]; h.h.Status != "" && !ok {
			es = append(es, app.FieldError(h.name, "状态“%s”不在代码表中", h.h.Status))
		}
		if h.h.PerDay < 0 || h.h.Years < 0 {
			es = append(es, app.FieldError(h.name, "数量和年数不能为负数"))
		}
	}
	for i, o := range in.History {
		if !o.To.IsZero() && !o.From.IsZero() && o.To.Before(o.From) {
			es = append(es, app.FieldError("职业史", "第 %d 行：结束日期早于开始日期", i+1))
		}
	}
	for _, n := range []struct {
		name string
		v    int
	}{{"初潮年龄", in.MenarcheAge}, {"绝经年龄", in.MenopauseAge}, {"子女数", in.Children}, {"流产次数", in.Abortions},
		{"死产次数", in.Stillbirths}, {"早产次数", in.Premature}, {"异常胎次数", in.AbnormalFetal}} {
		if n.v < 0 {
			es = append(es, app.FieldError(n.name, "不能为负数"))
		}
	}
	return es.Err()
}

// workerOf reads the worker of an exam.
func workerOf(tx kv.Tx, id int64) (*app.Worker, error) {
	var w app.Worker
	_, ok, err := get(tx, bucketWorkers, uint64(id), &w)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, app.Errorf(app.ENOTFOUND, "劳动者档案 %d 不存在", id)
	}
	return &w, nil
}

// itemName names an item for messages: the range table's name, the catalog's, or the code.
func (db *DB) itemName(r app.Result) string {
	if r.ItemCode == "" {
		if pl := db.Planner(); pl != nil {
			if g, ok := pl.Group(r.GroupCode); ok && g.Name != "" {
				return g.Name
			}
		}
		return r.GroupCode
	}
	if db.opts.Ranges != nil {
		if rng, ok := db.opts.Ranges.Lookup(r.ItemCode); ok && rng.Name != "" {
			return rng.Name
		}
	}
	if db.opts.Codes != nil {
		if n, ok := db.opts.Codes.CodeName(app.CatalogItems, r.ItemCode); ok {
			return n
		}
	}
	return r.ItemCode
}

// prepareResult validates and judges one result for a worker of sex. The error names the item.
func (t *txn) prepareResult(r *app.Result, sex app.Sex) *app.Error {
	name := t.db.itemName(*r)
	if r.GroupCode == "" && r.ItemCode == "" {
		return app.FieldError("结果", "有一条结果既没有项目代码也没有项目组")
	}
	if r.Status == "" {
		if strings.TrimSpace(r.Value) == "" {
			return app.FieldError(name, "请填写结果，或记为弃检、未检")
		}
		r.Status = app.ResultDone
	}
	switch r.Status {
	case app.ResultRefused:
		r.Refuse()
		r.Range = app.RefRange{}
	case app.ResultMissing:
		r.MarkMissing()
		r.Range = app.RefRange{}
	case app.ResultDone:
		if r.ItemCode == "" {
			return app.FieldError(name, "整组只能记为弃检或未检，结果请按项目填写")
		}
		var rng app.RefRange
		known := false
		if t.db.opts.Ranges != nil {
			rng, known = t.db.opts.Ranges.Lookup(r.ItemCode)
		}
		if r.Kind == "" && known {
			r.Kind = rng.Kind
		}
		if r.Kind == "" {
			return app.FieldError(name, "项目未设置结果类别（数值、文本或代码）")
		}
		if !r.Kind.Valid() {
			return app.FieldError(name, "结果类别“%s”无效", r.Kind)
		}
		if err := r.SetValue(r.Value); err != nil {
			msg := err.Error()
			var ae *app.Error
			if errors.As(err, &ae) {
				msg = ae.Message
			}
			return app.FieldError(name, "%s", msg)
		}
		if known {
			flag := r.Flag
			t.db.opts.Ranges.Judge(r, sex)
			if r.Flag == app.FlagNone && rng.Kind != r.Kind {
				r.Flag = flag // a kind the table does not judge: the doctor's flag stays
			}
		} else if _, ok := flagNames[r.Flag]; !ok {
			return app.FieldError(name, "判定“%s”无效", r.Flag)
		}
	default:
		return app.FieldError(name, "状态“%s”无效，应为已检、弃检或未检", r.Status)
	}
	// The result keeps the bounds it was judged against; the table's notes stay in the table.
	r.Range.Name, r.Range.Abbr, r.Range.Source, r.Range.CriticalSource, r.Range.Note = "", "", "", "", ""
	r.Range.Male, r.Range.Female = nil, nil
	if r.Doctor == "" {
		r.Doctor = t.username()
	}
	if r.Time.IsZero() {
		r.Time = t.now
	}
	return nil
}

var flagNames = map[app.ResultFlag]bool{app.FlagNone: true, app.FlagNormal: true, app.FlagHigh: true, app.FlagLow: true,
	app.FlagAbnormal: true, app.FlagCriticalHigh: true, app.FlagCriticalLow: true}

// groupIndex is the rule table as results.Missing wants it (nil when not loaded).
func (db *DB) groupIndex() results.GroupIndex {
	if g, ok := db.Planner().(results.GroupIndex); ok {
		return g
	}
	return nil
}

// missing lists the required groups of e without a result or 弃检.
func (db *DB) missing(e *app.Exam, r *app.ExamRecord) []string {
	return results.Missing(results.RequiredItems(e.Items), r.Results, db.groupIndex())
}

// applyResults upserts prepared results into w, opens critical calls and moves the state.
func (t *txn) applyResults(w *recordWrite, rs []app.Result) {
	r := w.rec
	for _, x := range rs {
		i := slices.IndexFunc(r.Results, func(y app.Result) bool { return y.GroupCode == x.GroupCode && y.ItemCode == x.ItemCode })
		if i >= 0 {
			r.Results[i] = x
		} else {
			r.Results = append(r.Results, x)
		}
		if x.Flag.Critical() && !slices.ContainsFunc(r.CriticalCalls, func(c app.CriticalCall) bool {
			return c.GroupCode == x.GroupCode && c.ItemCode == x.ItemCode && c.Value == x.Value+x.Unit
		}) {
			r.CriticalCalls = append(r.CriticalCalls, app.CriticalCall{GroupCode: x.GroupCode, ItemCode: x.ItemCode,
				Name: t.db.itemName(x), Value: x.Value + x.Unit, Flag: x.Flag, FlaggedAt: t.now})
		}
	}
	switch w.exam.State {
	case app.ExamRegistered, app.ExamInProgress, app.ExamAwaiting:
		if len(t.db.missing(w.exam, r)) == 0 {
			w.exam.State = app.ExamAwaiting
		} else {
			w.exam.State = app.ExamInProgress
		}
	}
}

// SaveResults records results.
func (s *RecordService) SaveResults(ctx context.Context, examID, version int64, rs []app.Result) (*app.Exam, error) {
	return s.write(ctx, "RecordService.SaveResults", examID, version, func(t *txn, w *recordWrite) (string, error) {
		if err := editErr(w.exam); err != nil {
			return "", err
		}
		if len(rs) == 0 {
			return "", app.FieldError("结果", "没有要保存的结果")
		}
		wk, err := workerOf(t.tx, w.exam.WorkerID)
		if err != nil {
			return "", err
		}
		prepared := slices.Clone(rs)
		var es app.Errors
		for i := range prepared {
			if err := t.prepareResult(&prepared[i], wk.Sex); err != nil {
				es = append(es, err)
			}
		}
		if err := es.Err(); err != nil {
			return "", err
		}
		t.applyResults(w, prepared)
		return fmt.Sprintf("%d 项结果", len(prepared)), nil
	})
}

// LogCriticalCall records the call-back of a critical value.
func (s *RecordService) LogCriticalCall(ctx context.Context, examID, version int64, c app.CriticalCall) (*app.Exam, error) {
	return s.write(ctx, "RecordService.LogCriticalCall", examID, version, func(t *txn, w *recordWrite) (string, error) {
		if err := lockedErr(w.exam); err != nil {
			return "", err
		}
		var es app.Errors
		if strings.TrimSpace(c.Recipient) == "" {
			es = append(es, app.FieldError("接听人", "请填写被告知的人（本人或单位联系人）"))
		}
		if strings.TrimSpace(c.Caller) == "" {
			es = append(es, app.FieldError("通知人", "请填写通知的医生"))
		}
		if err := es.Err(); err != nil {
			return "", err
		}
		found := false
		for i := range w.rec.CriticalCalls {
			x := &w.rec.CriticalCalls[i]
			if x.Done || x.GroupCode != c.GroupCode || x.ItemCode != c.ItemCode {
				continue
			}
			found = true
			x.Done, x.Caller, x.Recipient, x.Phone, x.Advice = true, strings.TrimSpace(c.Caller), strings.TrimSpace(c.Recipient), c.Phone, c.Advice
			x.CalledAt = c.CalledAt
			if x.CalledAt.IsZero() {
				x.CalledAt = t.now
			}
		}
		if !found {
			return "", app.Errorf(app.EINVALID, "体检 %s 没有待回访的危急值（%s）", w.exam.Number, t.db.itemName(app.Result{GroupCode: c.GroupCode, ItemCode: c.ItemCode}))
		}
		return "危急值回访：" + c.Recipient, nil
	})
}

// OpenCriticals lists exams with a critical value not yet called back, oldest exam first.
func (s *RecordService) OpenCriticals(ctx context.Context) ([]*app.Exam, error) {
	var out []*app.Exam
	err := s.db.view(ctx, "RecordService.OpenCriticals", func(tx kv.Tx, _ app.Scope) error {
		return tx.Bucket(bucketCriticalOpen).ForEach(func(k, _ []byte) error {
			var e app.Exam
			if _, ok, err := get(tx, bucketExams, btoi(k), &e); err != nil || !ok {
				return err
			}
			if err := withRecord(tx, &e); err != nil {
				return err
			}
			out = append(out, &e)
			return nil
		})
	})
	return out, err
}

// hazardName names a hazard code from the catalogs.
func (db *DB) hazardName(code string) string {
	if db.opts.Codes != nil {
		if n, ok := db.opts.Codes.CodeName(app.CatalogHazards, code); ok {
			return n
		}
	}
	return code
}

// checkConclusion validates c for e: Validate, and every code in the edition's list. A draft
// may leave hazards without a conclusion and the recheck order unfinished; what it does say
// must be right. Signing checks the whole.
func (t *txn) checkConclusion(e *app.Exam, c *app.ExamConclusion, draft bool) error {
	var es app.Errors
	hazards := e.Hazards
	if draft {
		d := *c
		d.Hazards, hazards = nil, nil
		for _, h := range c.Hazards {
			if h.Code == "" {
				continue
			}
			d.Hazards = append(d.Hazards, h)
			if slices.Contains(e.Hazards, h.Hazard) {
				hazards = append(hazards, h.Hazard)
			}
		}
		if d.Recheck != nil && (len(d.Recheck.Groups) == 0 || d.Recheck.Date.IsZero()) {
			d.Recheck = nil
		}
		c = &d
	}
	if err := c.Validate(hazards, t.db.hazardName); err != nil {
		var ae *app.Error
		if !errors.As(err, &ae) {
			return err
		}
		es = append(es, ae)
	}
	if t.db.opts.Criteria != nil {
		list, ok := t.db.opts.Criteria.Conclusions(e.Edition)
		if ok {
			for _, h := range c.Hazards {
				if h.Code == "" || slices.ContainsFunc(list.Items, func(x criteria.Conclusion) bool { return x.Code == h.Code }) {
					continue
				}
				if h.Code == app.ConclusionRecheck && list.RecheckAsAction {
					es = append(es, app.FieldError("体检结论", "%s：GBZ 188-%s 中复查不是体检结论，请给出结论并开具复查医嘱（复查项目和日期）", t.db.hazardName(h.Hazard), e.Edition))
				} else if !slices.Contains([]string{"01", "02", "03", "04", "05"}, h.Code) {
					continue // Validate named it already
				} else {
					es = append(es, app.FieldError("体检结论", "%s：结论代码“%s”不在 GBZ 188-%s 的结论表中", t.db.hazardName(h.Hazard), h.Code, e.Edition))
				}
			}
		}
	}
	if c.Recheck != nil {
		for _, g := range c.Recheck.Groups {
			if pl := t.db.Planner(); pl != nil {
				if _, ok := pl.Group(g); !ok {
					es = append(es, app.FieldError("复查项目", "项目组“%s”不存在", g))
				}
			}
		}
		if !c.Recheck.Date.IsZero() && c.Recheck.Date.Before(e.Date) {
			es = append(es, app.FieldError("复查日期", "不能早于本次体检日期 %s", e.Date.Format("2006-01-02")))
		}
	}
	return es.Err()
}

// SaveConclusion stores the draft conclusion.
func (s *RecordService) SaveConclusion(ctx context.Context, examID, version int64, c app.ExamConclusion) (*app.Exam, error) {
	return s.write(ctx, "RecordService.SaveConclusion", examID, version, func(t *txn, w *recordWrite) (string, error) {
		if err := editErr(w.exam); err != nil {
			return "", err
		}
		if err := t.checkConclusion(w.exam, &c, true); err != nil {
			return "", err
		}
		w.rec.Conclusion = &c
		if w.exam.State == app.ExamRegistered {
			w.exam.State = app.ExamInProgress
		}
		return "主检结论（草稿）", nil
	})
}

// currentUser reads the caller's user record (qualifications as stored now).
func (t *txn) currentUser() (*app.User, error) {
	if t.user == nil {
		return nil, app.Errorf(app.EUNAUTHORIZED, "请先登录")
	}
	var u app.User
	if _, ok, err := get(t.tx, bucketUsers, uint64(t.user.ID), &u); err != nil {
		return nil, err
	} else if !ok || u.Username != t.user.Username {
		return t.user, nil
	}
	return &u, nil
}

// Sign signs the conclusion.
func (s *RecordService) Sign(ctx context.Context, examID, version int64) (*app.Exam, error) {
	return s.write(ctx, "RecordService.Sign", examID, version, func(t *txn, w *recordWrite) (string, error) {
		e, r := w.exam, w.rec
		if err := lockedErr(e); err != nil {
			return "", err
		}
		switch e.State {
		case app.ExamInProgress, app.ExamAwaiting, app.ExamReturned:
		case app.ExamConcluded, app.ExamReviewed:
			return "", app.Errorf(app.EINVALID, "体检 %s 已签名（%s），不能重复签名", e.Number, e.State.Name())
		case app.ExamRegistered:
			return "", app.Errorf(app.EINVALID, "体检 %s 尚未录入任何结果，不能签名", e.Number)
		default:
			return "", app.Errorf(app.EINVALID, "体检 %s 为“%s”，不能签名", e.Number, e.State.Name())
		}
		u, err := t.currentUser()
		if err != nil {
			return "", err
		}
		var qual *app.Qualification
		for i, q := range u.Qualifications {
			if q.Kind == app.QualificationChiefExaminer && q.ValidOn(t.now) {
				qual = &u.Qualifications[i]
				break
			}
		}
		if qual == nil {
			return "", app.Errorf(app.EFORBIDDEN, "%s 没有在有效期内的主检医师资格（%s），不能签名。请管理员在用户管理中登记或更新资格证书。", u.Name, t.now.Format("2006-01-02"))
		}
		if r.Conclusion == nil {
			return "", app.Errorf(app.EINVALID, "体检 %s 还没有主检结论，请先填写并保存结论", e.Number)
		}
		if err := t.checkConclusion(e, r.Conclusion, false); err != nil {
			return "", err
		}
		if err := results.MissingError(t.db.missing(e, r)); err != nil {
			return "", err
		}
		order := r.Conclusion.Recheck
		for _, h := range r.Conclusion.Hazards {
			if h.Code == app.ConclusionRecheck && order == nil {
				return "", app.FieldError("复查项目", "%s 的结论为复查，请开具复查医嘱（复查项目和日期）", t.db.hazardName(h.Hazard))
			}
		}
		r.Edition++
		q := app.QualificationChiefExaminer
		if qual.Number != "" {
			q += " " + qual.Number
		}
		r.Signature = &app.Signature{Login: u.Username, Name: u.Name, At: t.now, Qualification: q}
		r.Review = nil
		e.State = app.ExamConcluded
		if err := t.putReferrals(e, r); err != nil {
			return "", err
		}
		parties, err := t.parties(e, r)
		if err != nil {
			return "", err
		}
		r.Parties = parties
		if order != nil && r.RecheckExamID == 0 {
			re, err := t.registerRecheck(e, order)
			if err != nil {
				return "", err
			}
			r.RecheckExamID = re.ID
		}
		return fmt.Sprintf("第 %d 版签名", r.Edition), nil
	})
}

// parties captures, at signing, who the exam concerned and the names its report prints.
func (t *txn) parties(e *app.Exam, r *app.ExamRecord) (*app.ExamParties, error) {
	p := &app.ExamParties{HazardNames: map[string]string{}, ItemNames: map[string]string{}, GroupNames: map[string]string{}}
	if _, ok, err := get(t.tx, bucketWorkers, uint64(e.WorkerID), &p.Worker); err != nil {
		return nil, err
	} else if !ok {
		return nil, app.Errorf(app.ENOTFOUND, "体检 %s 的劳动者档案不存在", e.Number)
	}
	p.Worker.Photo, p.Worker.Note = "", ""
	if _, ok, err := get(t.tx, bucketEmployers, uint64(e.EmployerID), &p.Employer); err != nil {
		return nil, err
	} else if !ok {
		return nil, app.Errorf(app.ENOTFOUND, "体检 %s 的用人单位不存在", e.Number)
	}
	if e.HostEmployerID != 0 && e.HostEmployerID != e.EmployerID {
		var h app.Employer
		if _, ok, err := get(t.tx, bucketEmployers, uint64(e.HostEmployerID), &h); err != nil {
			return nil, err
		} else if ok {
			p.HostEmployer = &h
		}
	}
	if e.ContractID != 0 {
		var c app.Contract
		if _, ok, err := get(t.tx, bucketContracts, uint64(e.ContractID), &c); err != nil {
			return nil, err
		} else if ok {
			p.ContractNumber, p.ContractTitle = c.Number, c.Title
		}
	}
	p.JobName = e.JobName
	if p.JobName == "" && e.JobCode != "" && t.db.opts.Codes != nil {
		if n, ok := t.db.opts.Codes.CodeName(app.CatalogJobs, e.JobCode); ok {
			p.JobName = n
		}
	}
	for _, h := range e.Hazards {
		p.HazardNames[h] = t.db.hazardName(h)
	}
	for _, x := range r.Results {
		if x.ItemCode != "" {
			p.ItemNames[x.ItemCode] = t.db.itemName(app.Result{ItemCode: x.ItemCode})
		}
	}
	for _, it := range e.Items {
		p.GroupNames[it.GroupCode] = it.Name
	}
	return p, nil
}

// registerRecheck registers the linked 复查 exam of a signed recheck order.
func (t *txn) registerRecheck(e *app.Exam, o *app.RecheckOrder) (*app.Exam, error) {
	var items []app.ExamItem
	for _, g := range o.Groups {
		it := app.ExamItem{GroupCode: g, Name: g, Required: true, Source: "manual", Hazards: e.Hazards}
		if pl := t.db.Planner(); pl != nil {
			if gi, ok := pl.Group(g); ok {
				it.Name, it.Department, it.Tube = gi.Name, gi.Department, gi.Tube
			}
		}
		items = append(items, it)
	}
	contract := e.ContractID
	if contract != 0 {
		var c app.Contract
		if _, ok, err := get(t.tx, bucketContracts, uint64(contract), &c); err != nil {
			return nil, err
		} else if !ok || c.State != app.ContractOpen {
			contract = 0
		}
	}
	reason := "复查：" + o.Reason
	re, err := t.registerWith(app.Registration{WorkerID: e.WorkerID, EmployerID: e.EmployerID, HostEmployerID: e.HostEmployerID,
		ContractID: contract, Type: e.Type, Recheck: true, PreviousExamID: e.ID, Hazards: e.Hazards, Date: o.Date,
		Workshop: e.Workshop, JobCode: e.JobCode, JobName: e.JobName}, items, []string{strings.TrimSuffix(reason, "：")})
	if err != nil {
		return nil, fmt.Errorf("登记复查体检：%w", err)
	}
	return re, nil
}

// referralKey is exam ID + hazard.
func referralKey(examID int64, hazard string) []byte {
	return append(itob(uint64(examID)), hazard...)
}

// putReferrals lists the signed 疑似职业病 conclusions of e.
func (t *txn) putReferrals(e *app.Exam, r *app.ExamRecord) error {
	if err := t.deleteReferrals(e.ID); err != nil {
		return err
	}
	var w *app.Worker
	for _, h := range r.Conclusion.Hazards {
		if h.Code != app.ConclusionSuspected {
			continue
		}
		if w == nil {
			var err error
			if w, err = workerOf(t.tx, e.WorkerID); err != nil {
				return err
			}
		}
		enc, err := encode(app.Referral{ExamID: e.ID, ExamNumber: e.Number, WorkerID: e.WorkerID, WorkerName: w.Name,
			EmployerID: e.EmployerID, Hazard: h.Hazard, DiseaseCode: h.DiseaseCode, Disease: h.Disease, SignedAt: t.now})
		if err != nil {
			return err
		}
		if err := t.tx.Bucket(bucketReferrals).Put(referralKey(e.ID, h.Hazard), enc); err != nil {
			return err
		}
	}
	return nil
}

func (t *txn) deleteReferrals(examID int64) error {
	c := t.tx.Bucket(bucketReferrals).Cursor()
	p := itob(uint64(examID))
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Seek(p) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// Review approves or returns a signed exam.
func (s *RecordService) Review(ctx context.Context, examID, version int64, decision, reason string) (*app.Exam, error) {
	return s.write(ctx, "RecordService.Review", examID, version, func(t *txn, w *recordWrite) (string, error) {
		e, r := w.exam, w.rec
		if err := lockedErr(e); err != nil {
			return "", err
		}
		if e.State != app.ExamConcluded || r.Signature == nil {
			return "", app.Errorf(app.EINVALID, "体检 %s 为“%s”，只有已总检签名的体检可以审核", e.Number, e.State.Name())
		}
		if r.Signature.Login == t.username() {
			return "", app.Errorf(app.EFORBIDDEN, "不能审核本人签名的体检")
		}
		u, err := t.currentUser()
		if err != nil {
			return "", err
		}
		switch decision {
		case app.ReviewApprove:
			r.Review = &app.Signature{Login: u.Username, Name: u.Name, At: t.now}
			for _, q := range u.Qualifications {
				if q.ValidOn(t.now) && q.Kind != "" {
					r.Review.Qualification = strings.TrimSpace(q.Kind + " " + q.Number)
					break
				}
			}
			e.State = app.ExamReviewed
			return "审核通过", nil
		case app.ReviewReturn:
			reason = strings.TrimSpace(reason)
			if reason == "" {
				return "", app.FieldError("退回原因", "请写明退回原因")
			}
			snapExam := *e
			snapExam.Record = nil
			snap := app.ExamSnapshot{Edition: r.Edition, Exam: snapExam, Record: *r, ReturnedAt: t.now, Reason: reason}
			enc, err := encode(snap)
			if err != nil {
				return "", err
			}
			if err := t.tx.Bucket(bucketRecordHistory).Put(append(itob(uint64(e.ID)), itob(uint64(r.Edition))...), enc); err != nil {
				return "", err
			}
			r.Returns = append(r.Returns, app.ReturnNote{Login: u.Username, Name: u.Name, At: t.now, Reason: reason, Edition: r.Edition})
			r.Signature, r.Review = nil, nil
			if err := t.deleteReferrals(e.ID); err != nil {
				return "", err
			}
			e.State = app.ExamReturned
			return "退回：" + reason, nil
		}
		return "", app.FieldError("审核", "请选择审核通过或退回")
	})
}

// Release hands reports over and locks the exam.
func (s *RecordService) Release(ctx context.Context, examID, version int64, h app.Handover) (*app.Exam, error) {
	return s.write(ctx, "RecordService.Release", examID, version, func(t *txn, w *recordWrite) (string, error) {
		e := w.exam
		switch e.State {
		case app.ExamReviewed, app.ExamReleased:
		default:
			return "", app.Errorf(app.EINVALID, "体检 %s 为“%s”，审核通过后才能发放", e.Number, e.State.Name())
		}
		var es app.Errors
		h.Recipient = strings.TrimSpace(h.Recipient)
		if h.Recipient == "" {
			es = append(es, app.FieldError("领取人", "请填写领取人"))
		}
		var docs []string
		for _, d := range h.Documents {
			if d = strings.TrimSpace(d); d != "" {
				docs = append(docs, d)
			}
		}
		if len(docs) == 0 {
			es = append(es, app.FieldError("发放文书", "至少选择一种文书"))
		}
		if err := es.Err(); err != nil {
			return "", err
		}
		h.Documents, h.At, h.Login = docs, t.now, t.username()
		w.rec.Releases = append(w.rec.Releases, h)
		e.State = app.ExamReleased
		return "发放给 " + h.Recipient + "：" + strings.Join(docs, "、"), nil
	})
}

// AddAddendum adds a correction to a locked exam.
func (s *RecordService) AddAddendum(ctx context.Context, examID, version int64, text string) (*app.Exam, error) {
	return s.write(ctx, "RecordService.AddAddendum", examID, version, func(t *txn, w *recordWrite) (string, error) {
		if !w.exam.State.Locked() {
			return "", app.Errorf(app.EINVALID, "体检 %s 为“%s”，尚未发放，可直接修改，不需要补充更正", w.exam.Number, w.exam.State.Name())
		}
		text = strings.TrimSpace(text)
		if text == "" {
			return "", app.FieldError("补充更正", "请填写内容")
		}
		u, err := t.currentUser()
		if err != nil {
			return "", err
		}
		w.rec.Addenda = append(w.rec.Addenda, app.Addendum{At: t.now, Login: u.Username, Name: u.Name, Text: text})
		return "补充更正", nil
	})
}

// ExamHistory returns the returned editions, then the current signed one.
func (s *RecordService) ExamHistory(ctx context.Context, examID int64) ([]app.ExamSnapshot, error) {
	var out []app.ExamSnapshot
	err := s.db.view(ctx, "RecordService.ExamHistory", func(tx kv.Tx, _ app.Scope) error {
		var e app.Exam
		if _, ok, err := get(tx, bucketExams, uint64(examID), &e); err != nil {
			return err
		} else if !ok {
			return app.Errorf(app.ENOTFOUND, "体检 %d 不存在", examID)
		}
		c := tx.Bucket(bucketRecordHistory).Cursor()
		p := itob(uint64(examID))
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			var snap app.ExamSnapshot
			if err := decode(v, &snap); err != nil {
				return err
			}
			out = append(out, snap)
		}
		r, _, err := loadRecord(tx, examID)
		if err != nil {
			return err
		}
		if r.Signature != nil {
			e.Record = nil
			out = append(out, app.ExamSnapshot{Edition: r.Edition, Exam: e, Record: *r})
		}
		return nil
	})
	return out, err
}

// Referrals lists signed 疑似职业病 conclusions, newest first.
func (s *RecordService) Referrals(ctx context.Context) ([]app.Referral, error) {
	var out []app.Referral
	err := s.db.view(ctx, "RecordService.Referrals", func(tx kv.Tx, _ app.Scope) error {
		return tx.Bucket(bucketReferrals).ForEach(func(_, v []byte) error {
			var r app.Referral
			if err := decode(v, &r); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].SignedAt.Equal(out[j].SignedAt) {
			return out[i].SignedAt.After(out[j].SignedAt)
		}
		return out[i].ExamID > out[j].ExamID
	})
	return out, err
}
