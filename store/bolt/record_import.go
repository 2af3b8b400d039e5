package bolt

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"occhealth/app"
	"occhealth/app/rules"
	"occhealth/store/kv"
)

// Result import: a LIS or device file, read with a column mapping, is checked row by row
// against the archive and written in one transaction only when no row is rejected.

// importColumns returns, for the file's mapping, the header of the exam-number column and the
// item columns in file order (item code → header).
func importColumns(m app.ResultMapping) (examHeader string, items []app.ResultImportColumn) {
	examHeader = "体检号"
	for _, c := range m.Columns {
		switch c.Key {
		case app.ImportKeyExamNumber:
			examHeader = c.Header
		case app.ImportKeyItem:
			items = append(items, c)
		}
	}
	return examHeader, items
}

// importCache keeps what the rows of one file share.
type importCache struct {
	groups map[string]rules.Group
	index  interface {
		GroupByCode(string) (rules.Group, bool)
	}
}

func (db *DB) newImportCache() *importCache {
	c := &importCache{groups: map[string]rules.Group{}}
	if g, ok := db.Planner().(interface {
		GroupByCode(string) (rules.Group, bool)
	}); ok {
		c.index = g
	}
	return c
}

func (c *importCache) group(code string) (rules.Group, bool) {
	if g, ok := c.groups[code]; ok {
		return g, true
	}
	if c.index == nil {
		return rules.Group{}, false
	}
	g, ok := c.index.GroupByCode(code)
	if ok {
		c.groups[code] = g
	}
	return g, ok
}

// groupFor finds the group of the exam's plan that reports item; "" when none does.
func (c *importCache) groupFor(e *app.Exam, item string) string {
	for _, it := range e.Items {
		if g, ok := c.group(it.GroupCode); ok && slices.Contains(g.Items, item) {
			return it.GroupCode
		}
	}
	return ""
}

// previewImport checks every row of f; it writes nothing. user is the importing login.
func (db *DB) previewImport(tx kv.Tx, f app.ResultImportFile, user string, now time.Time) *app.ResultImportPreview {
	p := &app.ResultImportPreview{File: f}
	examHeader, cols := importColumns(f.Mapping)
	cache := db.newImportCache()
	seen := map[string]int{}
	workers := map[int64]*app.Worker{}
	for _, rec := range f.Records {
		row := app.ResultImportRow{Row: rec.Row, Exam: strings.TrimSpace(app.HalfWidth(rec.ExamNumber))}
		msgs := slices.Clone(rec.Problems)
		add := func(col, level, format string, args ...any) {
			msgs = append(msgs, app.RowMessage{Row: rec.Row, Column: col, Level: level, Message: fmt.Sprintf(format, args...)})
		}
		var e app.Exam
		found := false
		switch {
		case row.Exam == "":
			add(examHeader, app.LevelError, "体检号为空")
		default:
			if v := tx.Bucket(bucketExamNumber).Get([]byte(row.Exam)); v == nil {
				add(examHeader, app.LevelError, "体检号“%s”在档案中不存在", row.Exam)
			} else if _, ok, err := get(tx, bucketExams, btoi(v), &e); err != nil || !ok {
				add(examHeader, app.LevelError, "体检号“%s”的记录无法读取", row.Exam)
			} else {
				found = true
			}
		}
		if found {
			row.ExamID = e.ID
			if first, dup := seen[row.Exam]; dup {
				add(examHeader, app.LevelWarning, "体检号“%s”在第 %d 行也出现，本行的结果将覆盖相同项目", row.Exam, first)
			} else {
				seen[row.Exam] = rec.Row
			}
			if err := editErr(&e); err != nil {
				var ae *app.Error
				msg := err.Error()
				if errors.As(err, &ae) {
					msg = ae.Message
				}
				add(examHeader, app.LevelError, "%s", msg)
				found = false
			}
		}
		var w *app.Worker
		if found {
			w = workers[e.WorkerID]
			if w == nil {
				var err error
				if w, err = workerOf(tx, e.WorkerID); err != nil {
					add(examHeader, app.LevelError, "体检 %s 的劳动者档案无法读取", e.Number)
					found = false
				} else {
					workers[e.WorkerID] = w
				}
			}
		}
		if w != nil {
			row.Worker = w.Name
		}
		anyValue := false
		for _, col := range cols {
			raw, ok := rec.Values[col.ItemCode]
			if !ok || strings.TrimSpace(raw) == "" {
				continue
			}
			anyValue = true
			if !found {
				continue
			}
			r := app.Result{ItemCode: col.ItemCode, Unit: col.Unit, Doctor: user, Time: now}
			if db.opts.Ranges != nil {
				if rng, ok := db.opts.Ranges.Lookup(col.ItemCode); ok {
					r.Kind = rng.Kind
					if r.Unit == "" {
						r.Unit = rng.Unit
					}
				}
			}
			if r.Kind == "" {
				if _, err := app.ParseNumeric(raw); err == nil {
					r.Kind = app.ResultNumeric
				} else {
					r.Kind = app.ResultText
				}
			}
			r.Value = raw
			name := db.itemName(r)
			group := f.Mapping.GroupCode
			if group != "" {
				if !slices.ContainsFunc(e.Items, func(it app.ExamItem) bool { return it.GroupCode == group }) {
					add(col.Header, app.LevelWarning, "%s：项目组不在该体检的项目中，仍将导入", name)
				}
			} else if group = cache.groupFor(&e, col.ItemCode); group == "" {
				add(col.Header, app.LevelWarning, "%s：不在该体检的项目中，仍将导入", name)
			}
			r.GroupCode = group // "" outside the plan: Missing matches such a result by item code
			if err := db.prepareImportResult(&r, w.Sex); err != nil {
				add(col.Header, app.LevelError, "%s：%s", name, err.Message)
				continue
			}
			if r.Flag.Critical() {
				add(col.Header, app.LevelWarning, "%s %s%s 为危急值（%s），导入后请立即回访登记", name, r.Value, r.Unit, r.Flag.Name())
			}
			row.Results = append(row.Results, r)
		}
		if !anyValue && len(msgs) == 0 {
			add("", app.LevelWarning, "本行没有结果")
		}
		row.Messages = msgs
		row.Outcome = outcomeOf(msgs)
		switch row.Outcome {
		case app.RowAccepted:
			p.Accepted++
		case app.RowWarning:
			p.Warned++
		default:
			p.Rejected++
		}
		p.Rows = append(p.Rows, row)
	}
	return p
}

// prepareImportResult normalises and judges an imported cell (Doctor and Time already set).
func (db *DB) prepareImportResult(r *app.Result, sex app.Sex) *app.Error {
	t := &txn{db: db}
	return t.prepareResult(r, sex)
}

// PreviewResultImport checks an import file; it writes nothing.
func (s *RecordService) PreviewResultImport(ctx context.Context, f app.ResultImportFile) (*app.ResultImportPreview, error) {
	var p *app.ResultImportPreview
	err := s.db.view(ctx, "RecordService.PreviewResultImport", func(tx kv.Tx, _ app.Scope) error {
		f.Mapping.Columns = slices.Clone(f.Mapping.Columns)
		if err := validateMapping(s.db, &f.Mapping, false); err != nil {
			return err
		}
		user := ""
		if u := app.UserFromContext(ctx); u != nil {
			user = u.Username
		}
		p = s.db.previewImport(tx, f, user, s.db.now())
		return nil
	})
	return p, err
}

// CommitResultImport checks again and records every row in one transaction, or nothing.
func (s *RecordService) CommitResultImport(ctx context.Context, f app.ResultImportFile) (int, error) {
	n := 0
	err := s.db.update(ctx, "RecordService.CommitResultImport", func(t *txn) error {
		f.Mapping.Columns = slices.Clone(f.Mapping.Columns)
		if err := validateMapping(s.db, &f.Mapping, false); err != nil {
			return err
		}
		p := t.db.previewImport(t.tx, f, t.username(), t.now)
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
			return app.Errorf(app.EINVALID, "结果文件中有 %d 行被拒绝（第 %s 行%s），未导入任何结果。请修改后重新导入。", p.Rejected, strings.Join(rows, "、"), more)
		}
		for _, r := range p.Rows {
			if len(r.Results) == 0 {
				continue
			}
			var e app.Exam
			if _, _, err := get(t.tx, bucketExams, uint64(r.ExamID), &e); err != nil {
				return err
			}
			w, err := t.openRecord(e.ID, e.Version)
			if err != nil {
				return err
			}
			t.applyResults(w, r.Results)
			if _, err := t.saveRecord(w, "RecordService.CommitResultImport", fmt.Sprintf("导入 %s 第 %d 行：%d 项结果", f.Name, r.Row, len(r.Results))); err != nil {
				return fmt.Errorf("第 %d 行：%w", r.Row, err)
			}
			n++
		}
		return t.auditEvent("RecordService.CommitResultImport", "result_import", 0, fmt.Sprintf("导入结果文件 %s（%s）：%d 行", f.Name, f.Mapping.Source, n))
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// validateMapping checks a column mapping: one exam-number column, item columns with an item
// code, known keys; named requires a source name (saving).
func validateMapping(db *DB, m *app.ResultMapping, named bool) error {
	var es app.Errors
	m.Source = strings.TrimSpace(m.Source)
	if named && m.Source == "" {
		es = append(es, app.FieldError("来源名称", "请填写来源名称（如 检验科LIS）"))
	}
	examCols, itemCols := 0, 0
	items := map[string]string{}
	for i, c := range m.Columns {
		where := c.Header
		if where == "" {
			where = fmt.Sprintf("第 %d 列", i+1)
		}
		switch c.Key {
		case app.ImportKeyExamNumber:
			examCols++
		case app.ImportKeyItem:
			itemCols++
			code := strings.TrimSpace(c.ItemCode)
			m.Columns[i].ItemCode = code
			switch {
			case code == "":
				es = append(es, app.FieldError(where, "请选择该列对应的检查项目"))
			case items[code] != "":
				es = append(es, app.FieldError(where, "与“%s”列对应同一项目", items[code]))
			default:
				items[code] = where
				if db.opts.Codes != nil && !strings.HasPrefix(code, "L") {
					if _, ok := db.opts.Codes.CodeName(app.CatalogItems, code); !ok {
						es = append(es, app.FieldError(where, "“%s”不是健康指标代码", code))
					}
				}
			}
		case app.ImportKeyIgnore, "":
		default:
			es = append(es, app.FieldError(where, "列用途“%s”无效", c.Key))
		}
	}
	if examCols != 1 {
		es = append(es, app.FieldError("体检号列", "请指定一列（且只能一列）为体检号或条码"))
	}
	if itemCols == 0 {
		es = append(es, app.FieldError("项目列", "至少指定一列检查项目"))
	}
	if m.GroupCode != "" {
		if pl := db.Planner(); pl != nil {
			if _, ok := pl.Group(m.GroupCode); !ok {
				es = append(es, app.FieldError("项目组", "项目组“%s”不存在", m.GroupCode))
			}
		}
	}
	return es.Err()
}

// ResultMappings lists the saved column mappings by source name.
func (s *RecordService) ResultMappings(ctx context.Context) ([]app.ResultMapping, error) {
	var out []app.ResultMapping
	err := s.db.view(ctx, "RecordService.ResultMappings", func(tx kv.Tx, _ app.Scope) error {
		return tx.Bucket(bucketResultMappings).ForEach(func(_, v []byte) error {
			var m app.ResultMapping
			if err := decode(v, &m); err != nil {
				return err
			}
			out = append(out, m)
			return nil
		})
	})
	return out, err
}

// SaveResultMapping adds or replaces a mapping by source name.
func (s *RecordService) SaveResultMapping(ctx context.Context, m app.ResultMapping) error {
	return s.db.update(ctx, "RecordService.SaveResultMapping", func(t *txn) error {
		m.Columns = slices.Clone(m.Columns)
		if err := validateMapping(t.db, &m, true); err != nil {
			return err
		}
		m.UpdatedAt = t.now
		enc, err := encode(m)
		if err != nil {
			return err
		}
		b := t.tx.Bucket(bucketResultMappings)
		old := b.Get([]byte(m.Source))
		note := "新建结果导入列对应：" + m.Source
		if old != nil {
			note = "修改结果导入列对应：" + m.Source + " " + diffJSON(old, enc)
		}
		if err := b.Put([]byte(m.Source), enc); err != nil {
			return err
		}
		return t.auditEvent("RecordService.SaveResultMapping", "result_mapping", 0, note)
	})
}
