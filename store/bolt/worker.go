package bolt

import (
	"context"
	"encoding/binary"
	"strconv"
	"strings"
	"time"

	"occhealth/app"
	"occhealth/store"
	"occhealth/store/kv"
)

// WorkerService implements app.WorkerService.
type WorkerService struct{ db *DB }

var _ app.WorkerService = (*WorkerService)(nil)

// NewWorkerService returns the worker service of db.
func NewWorkerService(db *DB) *WorkerService { return &WorkerService{db: db} }

// idNumberKey is the unique key of a worker's document: checked numbers (身份证, 居住证,
// 永久居留证) share one space; other documents are qualified by their type.
func idNumberKey(doc app.DocType, number string) []byte {
	if doc.Checked() {
		return []byte(number)
	}
	return []byte(string(doc) + ":" + number)
}

// workerIndex lists every index entry of a worker: (bucket, key, value).
func workerIndex(w *app.Worker) [][3][]byte {
	id := uint64(w.ID)
	var out [][3][]byte
	add := func(b, k, v []byte) { out = append(out, [3][]byte{b, k, v}) }
	add(bucketWIDNumber, idNumberKey(w.DocType, w.IDNumber), itob(id))
	if n := w.IDNumber; len(n) >= 6 {
		add(bucketWIDSuffix, compositeKey(n[len(n)-6:], id), nil)
	}
	add(bucketWName, compositeKey(w.Name, id), nil)
	for _, p := range store.NameInitials(w.Name) {
		add(bucketWPinyin, compositeKey(p, id), nil)
	}
	if p := digitsOnly(w.Phone); p != "" {
		add(bucketWPhone, compositeKey(p, id), nil)
	}
	emps := map[int64]bool{}
	for _, p := range w.WorkHistory {
		for _, e := range []int64{p.EmployerID, p.HostEmployerID} {
			if e != 0 && !emps[e] {
				emps[e] = true
				k := append(itob(uint64(e)), itob(id)...)
				add(bucketWEmployer, k, nil)
			}
		}
	}
	return out
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (t *txn) indexWorker(w *app.Worker, del bool) error {
	for _, e := range workerIndex(w) {
		b := t.tx.Bucket(e[0])
		var err error
		if del {
			err = b.Delete(e[1])
		} else {
			err = b.Put(e[1], e[2])
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (t *txn) validateWorker(w *app.Worker) error {
	if err := w.Validate(t.now); err != nil {
		return err
	}
	for i, p := range w.WorkHistory {
		for _, id := range []int64{p.EmployerID, p.HostEmployerID} {
			if id != 0 && t.tx.Bucket(bucketEmployers).Get(itob(uint64(id))) == nil {
				return app.FieldError("工作经历第 "+itoa(i+1)+" 行", "用人单位 %d 不存在", id)
			}
		}
	}
	if t.db.opts.Codes != nil {
		return w.ValidateCodes(t.db.opts.Codes)
	}
	return nil
}

func itoa(i int) string { return strconv.Itoa(i) }

func (t *txn) duplicateWorker(doc app.DocType, number string, self int64) error {
	v := t.tx.Bucket(bucketWIDNumber).Get(idNumberKey(doc, number))
	if v == nil || int64(btoi(v)) == self {
		return nil
	}
	var other app.Worker
	_, _, _ = get(t.tx, bucketWorkers, btoi(v), &other)
	return app.Errorf(app.ECONFLICT, "证件号码 %s 已在档案中（%s，档案号 %d），同一人只建一份档案", number, other.Name, other.ID)
}

// CreateWorker stores a new worker.
func (s *WorkerService) CreateWorker(ctx context.Context, w *app.Worker) error {
	return s.db.update(ctx, "WorkerService.CreateWorker", func(t *txn) error {
		return t.createWorker(w)
	})
}

func (t *txn) createWorker(w *app.Worker) error {
	if err := t.validateWorker(w); err != nil {
		return err
	}
	if err := t.duplicateWorker(w.DocType, w.IDNumber, 0); err != nil {
		return err
	}
	id, err := t.nextID(bucketWorkers)
	if err != nil {
		return err
	}
	w.ID, w.Version, w.CreatedAt, w.UpdatedAt, w.UpdatedBy = int64(id), 1, t.now, t.now, t.username()
	enc, err := t.put(bucketWorkers, id, w)
	if err != nil {
		return err
	}
	if err := t.indexWorker(w, false); err != nil {
		return err
	}
	return t.auditCreate("WorkerService.CreateWorker", "worker", id, enc, "DocType", string(w.DocType), "IDNumber", w.IDNumber, "Name", w.Name)
}

func (t *txn) loadWorker(id int64) (*app.Worker, []byte, error) {
	var w app.Worker
	raw, ok, err := get(t.tx, bucketWorkers, uint64(id), &w)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, app.Errorf(app.ENOTFOUND, "劳动者档案 %d 不存在", id)
	}
	return &w, raw, nil
}

// UpdateWorker changes a worker's editable fields.
func (s *WorkerService) UpdateWorker(ctx context.Context, id int64, upd app.WorkerUpdate) (*app.Worker, error) {
	var out *app.Worker
	err := s.db.update(ctx, "WorkerService.UpdateWorker", func(t *txn) error {
		cur, old, err := t.loadWorker(id)
		if err != nil {
			return err
		}
		if cur.Version != upd.Version {
			return conflict("劳动者“"+cur.Name+"”的档案", cur.UpdatedBy, cur.UpdatedAt)
		}
		w := *cur
		w.Name, w.Phone, w.Address, w.Photo, w.Note = upd.Name, upd.Phone, upd.Address, upd.Photo, upd.Note
		w.WorkHistory, w.Exposures = upd.WorkHistory, upd.Exposures
		if !w.DocType.Checked() {
			w.Sex, w.BirthDate = upd.Sex, upd.BirthDate
		}
		if err := t.validateWorker(&w); err != nil {
			return err
		}
		if err := t.indexWorker(cur, true); err != nil {
			return err
		}
		w.Version, w.UpdatedAt, w.UpdatedBy = cur.Version+1, t.now, t.username()
		enc, err := t.put(bucketWorkers, uint64(id), &w)
		if err != nil {
			return err
		}
		if err := t.indexWorker(&w, false); err != nil {
			return err
		}
		out = &w
		return t.audit("WorkerService.UpdateWorker", "worker", uint64(id), old, enc, "")
	})
	return out, err
}

// CorrectIDNumber changes the document of a worker, keeping the reason in the audit log.
func (s *WorkerService) CorrectIDNumber(ctx context.Context, id, version int64, doc app.DocType, number, reason string) (*app.Worker, error) {
	var out *app.Worker
	err := s.db.update(ctx, "WorkerService.CorrectIDNumber", func(t *txn) error {
		if strings.TrimSpace(reason) == "" {
			return app.FieldError("更正原因", "不能为空（审计日志需要记录原因）")
		}
		cur, old, err := t.loadWorker(id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return conflict("劳动者“"+cur.Name+"”的档案", cur.UpdatedBy, cur.UpdatedAt)
		}
		w := *cur
		w.DocType, w.IDNumber = doc, number
		if doc.Checked() {
			// Sex and birth date are derived again from the corrected number.
			w.Sex, w.BirthDate = "", time.Time{}
		}
		if err := t.validateWorker(&w); err != nil {
			return err
		}
		if w.IDNumber == cur.IDNumber && w.DocType == cur.DocType {
			return app.FieldError("证件号码", "与原号码相同，无需更正")
		}
		if err := t.duplicateWorker(w.DocType, w.IDNumber, id); err != nil {
			return err
		}
		if err := t.indexWorker(cur, true); err != nil {
			return err
		}
		w.Version, w.UpdatedAt, w.UpdatedBy = cur.Version+1, t.now, t.username()
		enc, err := t.put(bucketWorkers, uint64(id), &w)
		if err != nil {
			return err
		}
		if err := t.indexWorker(&w, false); err != nil {
			return err
		}
		out = &w
		return t.audit("WorkerService.CorrectIDNumber", "worker", uint64(id), old, enc, "证件号码更正："+reason)
	})
	return out, err
}

// FindWorkerByID returns one worker and queues a read-audit entry.
func (s *WorkerService) FindWorkerByID(ctx context.Context, id int64) (*app.Worker, error) {
	var w app.Worker
	err := s.db.view(ctx, "WorkerService.FindWorkerByID", func(tx kv.Tx, _ app.Scope) error {
		_, ok, err := get(tx, bucketWorkers, uint64(id), &w)
		if err == nil && !ok {
			return app.Errorf(app.ENOTFOUND, "劳动者档案 %d 不存在", id)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	s.db.reads.record(ctx, "WorkerService.FindWorkerByID", "worker", id)
	return &w, nil
}

// SearchWorkers returns matching IDs without decoding records. Users with a restricted scope
// (diagnosis physicians, follow-up nurses) may look up only a whole identity number.
func (s *WorkerService) SearchWorkers(ctx context.Context, q app.WorkerSearch) ([]int64, error) {
	var ids []int64
	err := s.db.view(ctx, "WorkerService.SearchWorkers", func(tx kv.Tx, scope app.Scope) error {
		pq := app.ParseWorkerQuery(q.Query)
		if scope.Restricted() && pq.Kind != app.QueryIDNumber {
			return app.Errorf(app.EFORBIDDEN, "您的角色只能按完整证件号码查找劳动者（%s）", scope.Name())
		}
		// Only pinyin initials index one worker under several keys (heteronyms); the other
		// indexes hold each worker once, so they skip the de-duplication map.
		var seen map[uint64]bool
		if pq.Kind == app.QueryPinyin {
			seen = map[uint64]bool{}
		}
		var empKey []byte
		if q.EmployerID != 0 {
			empKey = append(itob(uint64(q.EmployerID)), make([]byte, 8)...)
		}
		add := func(id uint64) bool {
			if seen != nil {
				if seen[id] {
					return true
				}
				seen[id] = true
			}
			if empKey != nil {
				binary.BigEndian.PutUint64(empKey[8:], id)
				if tx.Bucket(bucketWEmployer).Get(empKey) == nil {
					return true
				}
			}
			ids = append(ids, int64(id))
			return q.Limit == 0 || len(ids) < q.Limit
		}
		prefixScan := func(b []byte, prefix string) {
			c := tx.Bucket(b).Cursor()
			p := []byte(prefix)
			for k, _ := c.Seek(p); k != nil && strings.HasPrefix(string(k), prefix); k, _ = c.Next() {
				if !add(idOfComposite(k)) {
					return
				}
			}
		}
		switch pq.Kind {
		case app.QueryEmpty:
			if q.EmployerID != 0 {
				c := tx.Bucket(bucketWEmployer).Cursor()
				p := itob(uint64(q.EmployerID))
				for k, _ := c.Seek(p); k != nil && string(k[:8]) == string(p); k, _ = c.Next() {
					if !add(btoi(k[8:])) {
						break
					}
				}
				return nil
			}
			prefixScan(bucketWName, "")
		case app.QueryIDNumber:
			for _, doc := range []app.DocType{app.DocResidentID} {
				if v := tx.Bucket(bucketWIDNumber).Get(idNumberKey(doc, pq.Value)); v != nil {
					add(btoi(v))
				}
			}
		case app.QueryIDSuffix:
			prefixScan(bucketWIDSuffix, pq.Value+"\x00")
		case app.QueryPhone:
			prefixScan(bucketWPhone, pq.Value)
		case app.QueryPinyin:
			prefixScan(bucketWPinyin, pq.Value)
		case app.QueryName:
			prefixScan(bucketWName, pq.Value)
		}
		return nil
	})
	return ids, err
}

// WorkersByIDs decodes the given workers in order.
func (s *WorkerService) WorkersByIDs(ctx context.Context, ids []int64) ([]*app.Worker, error) {
	out := make([]*app.Worker, 0, len(ids))
	err := s.db.view(ctx, "WorkerService.WorkersByIDs", func(tx kv.Tx, _ app.Scope) error {
		prefetch(tx, bucketWorkers, ids)
		for _, id := range ids {
			var w app.Worker
			if _, ok, err := get(tx, bucketWorkers, uint64(id), &w); err != nil {
				return err
			} else if ok {
				out = append(out, &w)
			}
		}
		return nil
	})
	return out, err
}
