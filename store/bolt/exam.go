package bolt

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"occhealth/app"
	"occhealth/store/kv"
)

// ExamService implements app.ExamService.
type ExamService struct{ db *DB }

var _ app.ExamService = (*ExamService)(nil)

// NewExamService returns the exam service of db.
func NewExamService(db *DB) *ExamService { return &ExamService{db: db} }

// edition returns the GBZ 188 edition in force on day d, from the catalogs when they know
// the switch date, else the published one (exams from 2026-08-01 follow GBZ 188-2025).
func (db *DB) edition(d time.Time) string {
	if e, ok := db.opts.Codes.(interface{ GBZ188Edition(time.Time) string }); ok && e != nil {
		if s := e.GBZ188Edition(d); s != "" {
			return s
		}
	}
	if d.Before(time.Date(2026, 8, 1, 0, 0, 0, 0, d.Location())) {
		return "2014"
	}
	return "2025"
}

// nextExamNumber returns the next exam number: installation prefix, two-digit year, and a
// six-digit sequence per year. Digits only.
func (t *txn) nextExamNumber(d time.Time) (string, error) {
	inst, err := t.institution()
	if err != nil {
		return "", err
	}
	prefix := "1"
	if inst != nil && inst.InstallationPrefix != "" {
		prefix = inst.InstallationPrefix
	}
	key := []byte("exam_seq/" + prefix + d.Format("06"))
	m := t.tx.Bucket(bucketMeta)
	var n uint64 = 1
	if v := m.Get(key); len(v) == 8 {
		n = btoi(v) + 1
	}
	if err := m.Put(key, itob(n)); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%s%06d", prefix, d.Format("06"), n), nil
}

// planItems unites the rule table's required items with the packages' items.
func (t *txn) planItems(hazards []string, typ app.ExamType, edition string, packageIDs []int64) ([]app.ExamItem, []string, error) {
	var items []app.ExamItem
	var notes []string
	if pl := t.db.Planner(); pl != nil {
		items, notes = pl.PlanItems(hazards, typ, edition)
	} else {
		notes = append(notes, "未加载 GBZ 188 规则表，请手工添加体检项目")
	}
	have := map[string]bool{}
	for _, it := range items {
		have[it.GroupCode] = true
	}
	for _, pid := range packageIDs {
		var p app.ExamPackage
		_, ok, err := get(t.tx, bucketPackages, uint64(pid), &p)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			return nil, nil, app.FieldError("套餐", "套餐 %d 不存在", pid)
		}
		for _, g := range p.Groups {
			if have[g.GroupCode] {
				continue
			}
			have[g.GroupCode] = true
			it := app.ExamItem{GroupCode: g.GroupCode, Name: g.GroupCode, Source: "package"}
			if t.db.Planner() != nil {
				if gi, ok := t.db.Planner().Group(g.GroupCode); ok {
					it.Name, it.Department, it.Tube = gi.Name, gi.Department, gi.Tube
				}
			}
			items = append(items, it)
		}
	}
	slices.SortStableFunc(items, func(a, b app.ExamItem) int { return strings.Compare(a.Department, b.Department) })
	return items, notes, nil
}

// register creates one exam inside t.
func (t *txn) register(r app.Registration) (*app.Exam, error) { return t.registerWith(r, nil, nil) }

// registerWith creates one exam inside t; items, when not nil, replace the planned items (a
// 复查 exam carries the ordered groups only) and notes become its plan notes.
func (t *txn) registerWith(r app.Registration, items []app.ExamItem, notes []string) (*app.Exam, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if t.tx.Bucket(bucketWorkers).Get(itob(uint64(r.WorkerID))) == nil {
		return nil, app.FieldError("劳动者", "档案 %d 不存在", r.WorkerID)
	}
	for _, id := range []int64{r.EmployerID, r.HostEmployerID} {
		if id != 0 && t.tx.Bucket(bucketEmployers).Get(itob(uint64(id))) == nil {
			return nil, app.FieldError("用人单位", "用人单位 %d 不存在", id)
		}
	}
	if r.ContractID != 0 {
		var c app.Contract
		_, ok, err := get(t.tx, bucketContracts, uint64(r.ContractID), &c)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, app.FieldError("体检任务", "体检任务 %d 不存在", r.ContractID)
		}
		if c.State != app.ContractOpen {
			return nil, app.FieldError("体检任务", "体检任务“%s”已结束，不能再登记", c.Number)
		}
		if c.EmployerID != r.EmployerID && c.EmployerID != r.HostEmployerID {
			return nil, app.FieldError("用人单位", "与体检任务“%s”的单位不一致", c.Number)
		}
	}
	if t.db.opts.Codes != nil {
		for _, h := range r.Hazards {
			if _, ok := t.db.opts.Codes.CodeName(app.CatalogHazards, h); !ok {
				return nil, app.FieldError("危害因素", "“%s”不是危害因素代码", h)
			}
		}
	}
	if err := t.checkFiled(r.Hazards); err != nil {
		return nil, err
	}
	if r.Recheck {
		var prev app.Exam
		_, ok, err := get(t.tx, bucketExams, uint64(r.PreviousExamID), &prev)
		if err != nil {
			return nil, err
		}
		if !ok || prev.WorkerID != r.WorkerID {
			return nil, app.FieldError("复查", "被复查的体检 %d 不存在或不是同一劳动者", r.PreviousExamID)
		}
	}
	edition := t.db.edition(r.Date)
	if items == nil {
		var err error
		items, notes, err = t.planItems(r.Hazards, r.Type, edition, r.PackageIDs)
		if err != nil {
			return nil, err
		}
	}
	number, err := t.nextExamNumber(r.Date)
	if err != nil {
		return nil, err
	}
	id, err := t.nextID(bucketExams)
	if err != nil {
		return nil, err
	}
	e := &app.Exam{
		ID: int64(id), Version: 1, Number: number, WorkerID: r.WorkerID, EmployerID: r.EmployerID,
		HostEmployerID: r.HostEmployerID, ContractID: r.ContractID, Type: r.Type, Recheck: r.Recheck,
		PreviousExamID: r.PreviousExamID, Hazards: r.Hazards, Edition: edition, Date: r.Date,
		Workshop: r.Workshop, JobCode: r.JobCode, JobName: r.JobName, PackageIDs: r.PackageIDs,
		Items: items, PlanNotes: notes, State: app.ExamRegistered, CreatedAt: t.now, UpdatedAt: t.now, UpdatedBy: t.username(),
	}
	enc, err := t.putExam(e, "")
	if err != nil {
		return nil, err
	}
	if err := t.indexExam(e); err != nil {
		return nil, err
	}
	return e, t.auditCreate("ExamService.Register", "exam", id, enc, "Number", e.Number)
}

// stateKey is the key of an exam in the state index: state, 0x00, ID.
func stateKey(s app.ExamState, id int64) []byte { return compositeKey(string(s), uint64(id)) }

// putExam stores e and moves it in the state index from oldState ("" for a new exam).
func (t *txn) putExam(e *app.Exam, oldState app.ExamState) ([]byte, error) {
	enc, err := t.put(bucketExams, uint64(e.ID), e)
	if err != nil {
		return nil, err
	}
	if oldState == e.State {
		return enc, nil
	}
	ix := t.tx.Bucket(bucketExamState)
	if oldState != "" {
		if err := ix.Delete(stateKey(oldState, e.ID)); err != nil {
			return nil, err
		}
	}
	return enc, ix.Put(stateKey(e.State, e.ID), nil)
}

func (t *txn) indexExam(e *app.Exam) error {
	id := itob(uint64(e.ID))
	if err := t.tx.Bucket(bucketExamNumber).Put([]byte(e.Number), id); err != nil {
		return err
	}
	if err := t.tx.Bucket(bucketExamWorker).Put(append(itob(uint64(e.WorkerID)), id...), nil); err != nil {
		return err
	}
	if e.ContractID != 0 {
		return t.tx.Bucket(bucketExamContract).Put(append(itob(uint64(e.ContractID)), id...), nil)
	}
	return nil
}

// Register creates one exam.
func (s *ExamService) Register(ctx context.Context, r app.Registration) (*app.Exam, error) {
	var e *app.Exam
	err := s.db.update(ctx, "ExamService.Register", func(t *txn) error {
		var err error
		e, err = t.register(r)
		return err
	})
	return e, err
}

// FindExamByID returns one exam.
func (s *ExamService) FindExamByID(ctx context.Context, id int64) (*app.Exam, error) {
	var e app.Exam
	err := s.db.view(ctx, "ExamService.FindExamByID", func(tx kv.Tx, _ app.Scope) error {
		_, ok, err := get(tx, bucketExams, uint64(id), &e)
		if err == nil && !ok {
			return app.Errorf(app.ENOTFOUND, "体检 %d 不存在", id)
		}
		if err != nil {
			return err
		}
		return withRecord(tx, &e)
	})
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// FindExamByNumber returns the exam with that number (a scanner types it).
func (s *ExamService) FindExamByNumber(ctx context.Context, number string) (*app.Exam, error) {
	var e app.Exam
	err := s.db.view(ctx, "ExamService.FindExamByNumber", func(tx kv.Tx, _ app.Scope) error {
		v := tx.Bucket(bucketExamNumber).Get([]byte(strings.TrimSpace(number)))
		if v == nil {
			return app.Errorf(app.ENOTFOUND, "体检号 %s 不存在", number)
		}
		if _, _, err := get(tx, bucketExams, btoi(v), &e); err != nil {
			return err
		}
		return withRecord(tx, &e)
	})
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// FindExams lists exams of a contract or a worker (or all), newest first.
func (s *ExamService) FindExams(ctx context.Context, f app.ExamFilter) ([]*app.Exam, int, error) {
	var out []*app.Exam
	total := 0
	err := s.db.view(ctx, "ExamService.FindExams", func(tx kv.Tx, _ app.Scope) error {
		var ids []uint64
		switch {
		case f.Number != "":
			if v := tx.Bucket(bucketExamNumber).Get([]byte(f.Number)); v != nil {
				ids = append(ids, btoi(v))
			}
		case f.ContractID != 0 || f.WorkerID != 0:
			b, key := bucketExamContract, f.ContractID
			if f.ContractID == 0 {
				b, key = bucketExamWorker, f.WorkerID
			}
			p := itob(uint64(key))
			c := tx.Bucket(b).Cursor()
			for k, _ := c.Seek(p); k != nil && string(k[:8]) == string(p); k, _ = c.Next() {
				ids = append(ids, btoi(k[8:]))
			}
			slices.Reverse(ids)
		case f.State != "":
			// The state index: a worklist reads only the exams in that state.
			p := append([]byte(f.State), 0)
			c := tx.Bucket(bucketExamState).Cursor()
			for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
				ids = append(ids, idOfComposite(k))
			}
			slices.Reverse(ids)
		default:
			c := tx.Bucket(bucketExams).Cursor()
			for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
				ids = append(ids, btoi(k))
			}
		}
		prefetch(tx, bucketExams, ids)
		for _, id := range ids {
			var e app.Exam
			if _, ok, err := get(tx, bucketExams, id, &e); err != nil {
				return err
			} else if !ok {
				continue
			}
			if f.ContractID != 0 && f.WorkerID != 0 && e.WorkerID != f.WorkerID {
				continue
			}
			if f.State != "" && e.State != f.State {
				continue
			}
			total++
			if total > f.Offset && (f.Limit == 0 || len(out) < f.Limit) {
				out = append(out, &e)
			}
		}
		return nil
	})
	return out, total, err
}

func (t *txn) changeExamState(id, version int64, action string, fn func(e *app.Exam) error) (*app.Exam, error) {
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
	oldState := e.State
	if err := fn(&e); err != nil {
		return nil, err
	}
	e.Version, e.UpdatedAt, e.UpdatedBy = e.Version+1, t.now, t.username()
	enc, err := t.putExam(&e, oldState)
	if err != nil {
		return nil, err
	}
	return &e, t.audit(action, "exam", uint64(id), old, enc, e.StateNote)
}

// CancelExam marks an exam without results 已取消 or 未到检.
func (s *ExamService) CancelExam(ctx context.Context, id, version int64, noShow bool, reason string) (*app.Exam, error) {
	var out *app.Exam
	err := s.db.update(ctx, "ExamService.CancelExam", func(t *txn) error {
		var err error
		out, err = t.changeExamState(id, version, "ExamService.CancelExam", func(e *app.Exam) error {
			if e.State.HasResults() || e.State == app.ExamVoided {
				return app.Errorf(app.EINVALID, "体检 %s 已%s，已有结果的体检只能由管理员作废", e.Number, e.State.Name())
			}
			if e.State != app.ExamRegistered {
				return app.Errorf(app.EINVALID, "体检 %s 已是“%s”", e.Number, e.State.Name())
			}
			if noShow {
				e.State = app.ExamNoShow
				if strings.TrimSpace(reason) == "" {
					reason = "未到检"
				}
			} else {
				if strings.TrimSpace(reason) == "" {
					return app.FieldError("取消原因", "不能为空")
				}
				e.State = app.ExamCancelled
			}
			e.StateNote = reason
			return nil
		})
		return err
	})
	return out, err
}

// VoidExam voids an exam (administrators only) with a reason.
func (s *ExamService) VoidExam(ctx context.Context, id, version int64, reason string) (*app.Exam, error) {
	var out *app.Exam
	err := s.db.update(ctx, "ExamService.VoidExam", func(t *txn) error {
		var err error
		out, err = t.changeExamState(id, version, "ExamService.VoidExam", func(e *app.Exam) error {
			if strings.TrimSpace(reason) == "" {
				return app.FieldError("作废原因", "不能为空（审计日志需要记录原因）")
			}
			if e.State == app.ExamVoided {
				return app.Errorf(app.EINVALID, "体检 %s 已作废", e.Number)
			}
			e.State, e.StateNote = app.ExamVoided, reason
			return nil
		})
		return err
	})
	return out, err
}
