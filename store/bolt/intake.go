package bolt

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/store/kv"
)

// IntakeService implements app.IntakeService: roster preview and all-or-nothing import.
type IntakeService struct {
	db  *DB
	set *catalog.Set
}

var _ app.IntakeService = (*IntakeService)(nil)

// NewIntakeService returns the intake service of db with the catalogs in force.
func NewIntakeService(db *DB, set *catalog.Set) *IntakeService {
	return &IntakeService{db: db, set: set}
}

func loadContract(tx kv.Tx, id int64) (*app.Contract, error) {
	var c app.Contract
	_, ok, err := get(tx, bucketContracts, uint64(id), &c)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, app.Errorf(app.ENOTFOUND, "体检任务 %d 不存在", id)
	}
	return &c, nil
}

// preview checks the rows against the rules (app.CheckRoster) and the archive: people
// already filed are linked (a different name under the same number is an error), hazards
// outside the filed categories are errors, hazards outside the contract are warnings.
func (s *IntakeService) preview(tx kv.Tx, c *app.Contract, f app.RosterFile, now time.Time) *app.RosterPreview {
	rows := app.CheckRoster(f, s.set, s.db.opts.IntakeWarnings, now)
	inst, _, _ := loadInstitution(tx)
	hazardHeader := f.Headers[app.ColHazards]
	msg := func(r *app.RosterRow, col, level, format string, args ...any) {
		r.Messages = append(r.Messages, app.RowMessage{Row: r.Row, Column: col, Level: level, Message: fmt.Sprintf(format, args...)})
	}
	for i := range rows {
		r := &rows[i]
		if r.Worker.IDNumber != "" && r.DuplicateOfRow == 0 {
			if v := tx.Bucket(bucketWIDNumber).Get(idNumberKey(r.Worker.DocType, r.Worker.IDNumber)); v != nil {
				var w app.Worker
				if _, ok, _ := get(tx, bucketWorkers, btoi(v), &w); ok {
					if w.Name != r.Worker.Name {
						msg(r, f.Headers[app.ColName], app.LevelError, "证件号码 %s 在档案中属于“%s”（档案号 %d），与名单姓名“%s”不符，请核对姓名或证件号码", w.IDNumber, w.Name, w.ID, r.Worker.Name)
					} else {
						r.ExistingWorkerID = w.ID
					}
				}
			}
		}
		for _, h := range r.Hazards {
			name := h
			if n, ok := s.set.CodeName(app.CatalogHazards, h); ok {
				name = n
			}
			if cat, ok := app.HazardCategoryOf(h); ok && inst != nil && inst.HasKind(app.KindExam) && !inst.HasHazardCategory(cat) {
				msg(r, hazardHeader, app.LevelError, "%s属于“%s”类，本机构未备案该类别的职业健康检查", name, cat.Name())
			} else if !slices.Contains(c.Hazards, h) {
				msg(r, hazardHeader, app.LevelWarning, "%s不在本体检任务的危害因素中", name)
			}
		}
		r.Outcome = outcomeOf(r.Messages)
	}
	p := &app.RosterPreview{ContractID: c.ID, File: f, Rows: rows}
	for _, r := range rows {
		switch r.Outcome {
		case app.RowAccepted:
			p.Accepted++
		case app.RowWarning:
			p.Warned++
		default:
			p.Rejected++
		}
		if r.ExistingWorkerID != 0 {
			p.Linked++
		}
	}
	return p
}

func outcomeOf(ms []app.RowMessage) string {
	out := app.RowAccepted
	for _, m := range ms {
		if m.Level == app.LevelError {
			return app.RowRejected
		}
		out = app.RowWarning
	}
	return out
}

// PreviewRoster checks a roster; it writes nothing.
func (s *IntakeService) PreviewRoster(ctx context.Context, contractID int64, f app.RosterFile) (*app.RosterPreview, error) {
	var p *app.RosterPreview
	err := s.db.view(ctx, "IntakeService.PreviewRoster", func(tx kv.Tx, _ app.Scope) error {
		c, err := loadContract(tx, contractID)
		if err != nil {
			return err
		}
		p = s.preview(tx, c, f, s.db.now())
		return nil
	})
	return p, err
}

// CommitRoster files every row in one transaction, or nothing when a row is rejected.
func (s *IntakeService) CommitRoster(ctx context.Context, contractID int64, f app.RosterFile, opts app.RosterOptions) (*app.RosterCommit, error) {
	out := &app.RosterCommit{}
	err := s.db.update(ctx, "IntakeService.CommitRoster", func(t *txn) error {
		c, err := loadContract(t.tx, contractID)
		if err != nil {
			return err
		}
		if c.State != app.ContractOpen {
			return app.Errorf(app.EINVALID, "体检任务“%s”已结束，不能导入名单", c.Number)
		}
		p := s.preview(t.tx, c, f, t.now)
		if p.Rejected > 0 {
			var rows []string
			for _, r := range p.Rows {
				if r.Outcome == app.RowRejected && len(rows) < 10 {
					rows = append(rows, fmt.Sprint(r.Row))
				}
			}
			more := ""
			if p.Rejected > len(rows) {
				more = " 等"
			}
			return app.Errorf(app.EINVALID, "名单中有 %d 行被拒绝（第 %s 行%s），未导入任何数据。请修改后重新导入。", p.Rejected, strings.Join(rows, "、"), more)
		}
		if opts.Register {
			if opts.Date.IsZero() {
				return app.FieldError("体检日期", "登记体检需要体检日期")
			}
			for _, r := range p.Rows {
				if len(r.Hazards) == 0 {
					return app.Errorf(app.EINVALID, "第 %d 行没有可登记的危害因素（只有目录外的“其他”），请先改正名单或只建档不登记", r.Row)
				}
			}
		}
		for _, r := range p.Rows {
			start := r.ExposureStart
			if start.IsZero() {
				start = c.Start
			}
			if start.After(t.now) {
				start = t.now
			}
			var wid int64
			if r.ExistingWorkerID != 0 {
				changed, err := t.extendWorker(r.ExistingWorkerID, c, r, start)
				if err != nil {
					return fmt.Errorf("第 %d 行：%w", r.Row, err)
				}
				if changed {
					out.Updated++
				}
				wid = r.ExistingWorkerID
			} else {
				w := r.Worker
				w.WorkHistory = []app.WorkPeriod{{EmployerID: c.EmployerID, Workshop: r.Workshop, JobCode: r.JobCode, JobName: jobNameOr(r), Start: start}}
				for _, h := range r.Hazards {
					w.Exposures = append(w.Exposures, app.Exposure{HazardCode: h, Start: start})
				}
				for _, h := range r.OtherHazards {
					w.Exposures = append(w.Exposures, app.Exposure{HazardName: h, Start: start})
				}
				if err := t.createWorker(&w); err != nil {
					return rowError(r.Row, err)
				}
				out.Created++
				wid = w.ID
			}
			if opts.Register {
				typ := r.ExamType
				if typ == "" {
					typ = opts.Type
				}
				e, err := t.register(app.Registration{WorkerID: wid, EmployerID: c.EmployerID, ContractID: c.ID, Type: typ,
					Hazards: r.Hazards, Date: opts.Date, Workshop: r.Workshop, JobCode: r.JobCode, JobName: r.JobName})
				if err != nil {
					return rowError(r.Row, err)
				}
				out.Registered++
				out.ExamIDs = append(out.ExamIDs, e.ID)
			}
		}
		return t.auditEvent("IntakeService.CommitRoster", "roster", c.ID, fmt.Sprintf("导入名单 %s：新建 %d 人，更新 %d 人，登记 %d 人次", f.Name, out.Created, out.Updated, out.Registered))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func jobNameOr(r app.RosterRow) string {
	if r.JobCode == "" && r.JobName == "" {
		return "未填写"
	}
	return r.JobName
}

// rowError prefixes an error with the roster row it came from.
func rowError(row int, err error) error {
	if ae, ok := err.(*app.Error); ok {
		return &app.Error{Code: ae.Code, Field: fmt.Sprintf("第 %d 行 %s", row, ae.Field), Message: ae.Message}
	}
	return fmt.Errorf("第 %d 行：%w", row, err)
}

// extendWorker adds the contract's employer to the work history and the row's hazards to the
// exposures of a person already in the archive, where they are missing.
func (t *txn) extendWorker(id int64, c *app.Contract, r app.RosterRow, start time.Time) (bool, error) {
	cur, old, err := t.loadWorker(id)
	if err != nil {
		return false, err
	}
	w := *cur
	w.WorkHistory = slices.Clone(cur.WorkHistory)
	w.Exposures = slices.Clone(cur.Exposures)
	changed := false
	current := false
	for _, p := range w.WorkHistory {
		if (p.EmployerID == c.EmployerID || p.HostEmployerID == c.EmployerID) && p.End.IsZero() {
			current = true
		}
	}
	if !current {
		w.WorkHistory = append(w.WorkHistory, app.WorkPeriod{EmployerID: c.EmployerID, Workshop: r.Workshop, JobCode: r.JobCode, JobName: jobNameOr(r), Start: start})
		changed = true
	}
	for _, h := range r.Hazards {
		if !slices.ContainsFunc(w.Exposures, func(x app.Exposure) bool { return x.HazardCode == h && x.End.IsZero() }) {
			w.Exposures = append(w.Exposures, app.Exposure{HazardCode: h, Start: start})
			changed = true
		}
	}
	if r.Worker.Phone != "" && w.Phone == "" {
		w.Phone, changed = r.Worker.Phone, true
	}
	if !changed {
		return false, nil
	}
	if err := t.validateWorker(&w); err != nil {
		return false, err
	}
	if err := t.indexWorker(cur, true); err != nil {
		return false, err
	}
	w.Version, w.UpdatedAt, w.UpdatedBy = cur.Version+1, t.now, t.username()
	enc, err := t.put(bucketWorkers, uint64(id), &w)
	if err != nil {
		return false, err
	}
	if err := t.indexWorker(&w, false); err != nil {
		return false, err
	}
	return true, t.audit("IntakeService.CommitRoster", "worker", uint64(id), old, enc, "团检名单导入："+c.Number)
}
