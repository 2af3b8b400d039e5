package bolt

import (
	"context"
	"strings"

	"occhealth/app"
	"occhealth/store"
	"occhealth/store/kv"
)

// EmployerService implements app.EmployerService.
type EmployerService struct{ db *DB }

var _ app.EmployerService = (*EmployerService)(nil)

// NewEmployerService returns the employer service of db.
func NewEmployerService(db *DB) *EmployerService { return &EmployerService{db: db} }

func (t *txn) validateEmployer(e *app.Employer) ([]string, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	if t.db.opts.Codes == nil {
		return nil, nil
	}
	return e.ValidateCodes(t.db.opts.Codes)
}

func employerIndexKeys(e *app.Employer) (name []byte, pinyin [][]byte) {
	id := uint64(e.ID)
	name = compositeKey(e.Name, id)
	for _, p := range store.NameInitials(e.Name) {
		pinyin = append(pinyin, compositeKey(p, id))
	}
	return name, pinyin
}

func (t *txn) indexEmployer(e *app.Employer, del bool) error {
	name, pys := employerIndexKeys(e)
	op := func(b []byte, k, v []byte) error {
		if del {
			return t.tx.Bucket(b).Delete(k)
		}
		return t.tx.Bucket(b).Put(k, v)
	}
	if err := op(bucketEmpCredit, []byte(e.CreditCode), itob(uint64(e.ID))); err != nil {
		return err
	}
	if err := op(bucketEmpName, name, nil); err != nil {
		return err
	}
	for _, k := range pys {
		if err := op(bucketEmpPinyin, k, nil); err != nil {
			return err
		}
	}
	return nil
}

// CreateEmployer stores a new employer.
func (s *EmployerService) CreateEmployer(ctx context.Context, e *app.Employer) ([]string, error) {
	var warnings []string
	err := s.db.update(ctx, "EmployerService.CreateEmployer", func(t *txn) error {
		var err error
		if warnings, err = t.validateEmployer(e); err != nil {
			return err
		}
		if v := t.tx.Bucket(bucketEmpCredit).Get([]byte(e.CreditCode)); v != nil {
			var other app.Employer
			_, _, _ = get(t.tx, bucketEmployers, btoi(v), &other)
			return app.Errorf(app.ECONFLICT, "统一社会信用代码 %s 已登记为“%s”", e.CreditCode, other.Name)
		}
		id, err := t.nextID(bucketEmployers)
		if err != nil {
			return err
		}
		e.ID, e.Version, e.CreatedAt, e.UpdatedAt, e.UpdatedBy = int64(id), 1, t.now, t.now, t.username()
		enc, err := t.put(bucketEmployers, id, e)
		if err != nil {
			return err
		}
		if err := t.indexEmployer(e, false); err != nil {
			return err
		}
		return t.auditCreate("EmployerService.CreateEmployer", "employer", id, enc, "CreditCode", e.CreditCode, "Name", e.Name)
	})
	return warnings, err
}

// UpdateEmployer replaces an employer's fields.
func (s *EmployerService) UpdateEmployer(ctx context.Context, e *app.Employer) ([]string, error) {
	var warnings []string
	err := s.db.update(ctx, "EmployerService.UpdateEmployer", func(t *txn) error {
		var cur app.Employer
		old, ok, err := get(t.tx, bucketEmployers, uint64(e.ID), &cur)
		if err != nil {
			return err
		}
		if !ok {
			return app.Errorf(app.ENOTFOUND, "用人单位 %d 不存在", e.ID)
		}
		if cur.Version != e.Version {
			return conflict("用人单位“"+cur.Name+"”", cur.UpdatedBy, cur.UpdatedAt)
		}
		if warnings, err = t.validateEmployer(e); err != nil {
			return err
		}
		if e.CreditCode != cur.CreditCode {
			if v := t.tx.Bucket(bucketEmpCredit).Get([]byte(e.CreditCode)); v != nil {
				return app.Errorf(app.ECONFLICT, "统一社会信用代码 %s 已属于另一家单位", e.CreditCode)
			}
		}
		if err := t.indexEmployer(&cur, true); err != nil {
			return err
		}
		e.Version, e.CreatedAt, e.UpdatedAt, e.UpdatedBy = cur.Version+1, cur.CreatedAt, t.now, t.username()
		enc, err := t.put(bucketEmployers, uint64(e.ID), e)
		if err != nil {
			return err
		}
		if err := t.indexEmployer(e, false); err != nil {
			return err
		}
		return t.audit("EmployerService.UpdateEmployer", "employer", uint64(e.ID), old, enc, "")
	})
	return warnings, err
}

// FindEmployerByID returns one employer.
func (s *EmployerService) FindEmployerByID(ctx context.Context, id int64) (*app.Employer, error) {
	var e app.Employer
	err := s.db.view(ctx, "EmployerService.FindEmployerByID", func(tx kv.Tx, _ app.Scope) error {
		_, ok, err := get(tx, bucketEmployers, uint64(id), &e)
		if err == nil && !ok {
			return app.Errorf(app.ENOTFOUND, "用人单位 %d 不存在", id)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// FindEmployers lists employers by name order. The query matches a credit code (prefix),
// pinyin initials (prefix) or a part of the name.
func (s *EmployerService) FindEmployers(ctx context.Context, f app.EmployerFilter) ([]*app.Employer, int, error) {
	var out []*app.Employer
	total := 0
	err := s.db.view(ctx, "EmployerService.FindEmployers", func(tx kv.Tx, _ app.Scope) error {
		q := strings.TrimSpace(f.Query)
		var ids []uint64
		seen := map[uint64]bool{}
		add := func(id uint64) {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		switch {
		case q == "":
			c := tx.Bucket(bucketEmpName).Cursor()
			for k, _ := c.First(); k != nil; k, _ = c.Next() {
				add(idOfComposite(k))
			}
		case isASCIIAlnum(q) && len(q) >= 2 && (q[0] >= '0' && q[0] <= '9' || len(q) > 10):
			cc := app.NormalizeCreditCode(q)
			c := tx.Bucket(bucketEmpCredit).Cursor()
			for k, v := c.Seek([]byte(cc)); k != nil && strings.HasPrefix(string(k), cc); k, v = c.Next() {
				add(btoi(v))
			}
		case isASCIILetters(q):
			p := strings.ToLower(q)
			c := tx.Bucket(bucketEmpPinyin).Cursor()
			for k, _ := c.Seek([]byte(p)); k != nil && strings.HasPrefix(string(k), p); k, _ = c.Next() {
				add(idOfComposite(k))
			}
		default:
			c := tx.Bucket(bucketEmpName).Cursor()
			for k, _ := c.First(); k != nil; k, _ = c.Next() {
				if strings.Contains(string(k[:len(k)-9]), q) {
					add(idOfComposite(k))
				}
			}
		}
		total = len(ids)
		if f.Offset < len(ids) {
			ids = ids[f.Offset:]
		} else {
			ids = nil
		}
		if f.Limit > 0 && len(ids) > f.Limit {
			ids = ids[:f.Limit]
		}
		for _, id := range ids {
			var e app.Employer
			if _, ok, err := get(tx, bucketEmployers, id, &e); err != nil {
				return err
			} else if ok {
				out = append(out, &e)
			}
		}
		return nil
	})
	return out, total, err
}

func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}

func isASCIIAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z') {
			return false
		}
	}
	return s != ""
}
