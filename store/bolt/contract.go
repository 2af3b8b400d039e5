package bolt

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"occhealth/app"
	"occhealth/store/kv"
)

// ContractService implements app.ContractService.
type ContractService struct{ db *DB }

var _ app.ContractService = (*ContractService)(nil)

// NewContractService returns the contract service of db.
func NewContractService(db *DB) *ContractService { return &ContractService{db: db} }

// checkFiled refuses hazards of categories the institution has not filed for (备案).
func (t *txn) checkFiled(hazards []string) error {
	inst, err := t.institution()
	if err != nil || inst == nil || !inst.HasKind(app.KindExam) {
		return err
	}
	for _, h := range hazards {
		c, ok := app.HazardCategoryOf(h)
		if !ok {
			continue // 其他因素 and local codes
		}
		if !inst.HasHazardCategory(c) {
			name := h
			if t.db.opts.Codes != nil {
				if n, ok := t.db.opts.Codes.CodeName(app.CatalogHazards, h); ok {
					name = n + "（" + h + "）"
				}
			}
			return app.FieldError("危害因素", "%s属于“%s”类，本机构未备案该类别的职业健康检查，不能登记。请在系统管理中核对备案类别。", name, c.Name())
		}
	}
	return nil
}

func (t *txn) validateContract(c *app.Contract) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if t.tx.Bucket(bucketEmployers).Get(itob(uint64(c.EmployerID))) == nil {
		return app.FieldError("用人单位", "用人单位 %d 不存在", c.EmployerID)
	}
	if t.db.opts.Codes != nil {
		for _, h := range c.Hazards {
			if _, ok := t.db.opts.Codes.CodeName(app.CatalogHazards, h); !ok {
				return app.FieldError("危害因素", "“%s”不是危害因素代码", h)
			}
		}
	}
	return t.checkFiled(c.Hazards)
}

// CreateContract stores a new contract.
func (s *ContractService) CreateContract(ctx context.Context, c *app.Contract) error {
	return s.db.update(ctx, "ContractService.CreateContract", func(t *txn) error {
		if err := t.validateContract(c); err != nil {
			return err
		}
		if t.tx.Bucket(bucketContractNo).Get([]byte(c.Number)) != nil {
			return app.Errorf(app.ECONFLICT, "合同编号 %s 已存在", c.Number)
		}
		id, err := t.nextID(bucketContracts)
		if err != nil {
			return err
		}
		c.ID, c.Version, c.CreatedAt, c.UpdatedAt, c.UpdatedBy = int64(id), 1, t.now, t.now, t.username()
		enc, err := t.put(bucketContracts, id, c)
		if err != nil {
			return err
		}
		if err := t.tx.Bucket(bucketContractNo).Put([]byte(c.Number), itob(id)); err != nil {
			return err
		}
		if err := t.tx.Bucket(bucketContractEmp).Put(append(itob(uint64(c.EmployerID)), itob(id)...), nil); err != nil {
			return err
		}
		return t.auditCreate("ContractService.CreateContract", "contract", id, enc, "Number", c.Number)
	})
}

// UpdateContract replaces a contract's fields.
func (s *ContractService) UpdateContract(ctx context.Context, c *app.Contract) error {
	return s.db.update(ctx, "ContractService.UpdateContract", func(t *txn) error {
		var cur app.Contract
		old, ok, err := get(t.tx, bucketContracts, uint64(c.ID), &cur)
		if err != nil {
			return err
		}
		if !ok {
			return app.Errorf(app.ENOTFOUND, "体检任务 %d 不存在", c.ID)
		}
		if cur.Version != c.Version {
			return conflict("体检任务“"+cur.Number+"”", cur.UpdatedBy, cur.UpdatedAt)
		}
		if err := t.validateContract(c); err != nil {
			return err
		}
		if c.Number != cur.Number {
			if t.tx.Bucket(bucketContractNo).Get([]byte(c.Number)) != nil {
				return app.Errorf(app.ECONFLICT, "合同编号 %s 已存在", c.Number)
			}
			if err := t.tx.Bucket(bucketContractNo).Delete([]byte(cur.Number)); err != nil {
				return err
			}
			if err := t.tx.Bucket(bucketContractNo).Put([]byte(c.Number), itob(uint64(c.ID))); err != nil {
				return err
			}
		}
		if c.EmployerID != cur.EmployerID {
			if err := t.tx.Bucket(bucketContractEmp).Delete(append(itob(uint64(cur.EmployerID)), itob(uint64(c.ID))...)); err != nil {
				return err
			}
			if err := t.tx.Bucket(bucketContractEmp).Put(append(itob(uint64(c.EmployerID)), itob(uint64(c.ID))...), nil); err != nil {
				return err
			}
		}
		c.Attachments = cur.Attachments // attachments change only through AddAttachment
		c.Version, c.CreatedAt, c.UpdatedAt, c.UpdatedBy = cur.Version+1, cur.CreatedAt, t.now, t.username()
		enc, err := t.put(bucketContracts, uint64(c.ID), c)
		if err != nil {
			return err
		}
		return t.audit("ContractService.UpdateContract", "contract", uint64(c.ID), old, enc, "")
	})
}

// FindContractByID returns one contract.
func (s *ContractService) FindContractByID(ctx context.Context, id int64) (*app.Contract, error) {
	var c app.Contract
	err := s.db.view(ctx, "ContractService.FindContractByID", func(tx kv.Tx, _ app.Scope) error {
		_, ok, err := get(tx, bucketContracts, uint64(id), &c)
		if err == nil && !ok {
			return app.Errorf(app.ENOTFOUND, "体检任务 %d 不存在", id)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// FindContracts lists contracts, newest first.
func (s *ContractService) FindContracts(ctx context.Context, f app.ContractFilter) ([]*app.Contract, int, error) {
	var out []*app.Contract
	total := 0
	err := s.db.view(ctx, "ContractService.FindContracts", func(tx kv.Tx, _ app.Scope) error {
		q := strings.TrimSpace(f.Query)
		c := tx.Bucket(bucketContracts).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var ct app.Contract
			if err := decode(v, &ct); err != nil {
				return err
			}
			if (f.EmployerID != 0 && ct.EmployerID != f.EmployerID) || (f.OpenOnly && ct.State != app.ContractOpen) {
				continue
			}
			if q != "" && !strings.Contains(ct.Number, q) && !strings.Contains(ct.Title, q) {
				var e app.Employer
				if _, ok, _ := get(tx, bucketEmployers, uint64(ct.EmployerID), &e); !ok || !strings.Contains(e.Name, q) {
					continue
				}
			}
			total++
			if total > f.Offset && (f.Limit == 0 || len(out) < f.Limit) {
				out = append(out, &ct)
			}
		}
		return nil
	})
	return out, total, err
}

// AttachmentDir is the content-addressed folder for scanned documents and other files,
// beside the archive (never blobs in bbolt).
func (db *DB) AttachmentDir() string { return filepath.Join(filepath.Dir(db.path), "attachments") }

func (db *DB) attachmentPath(sum string) string {
	return filepath.Join(db.AttachmentDir(), sum[:2], sum)
}

// AddAttachment stores a file content-addressed and records it on the contract.
func (s *ContractService) AddAttachment(ctx context.Context, contractID int64, name, kind string, data []byte) (app.Attachment, error) {
	var att app.Attachment
	if _, err := app.Authorize(ctx, "ContractService.AddAttachment"); err != nil {
		return att, err
	}
	if len(data) == 0 {
		return att, app.FieldError("附件", "文件为空")
	}
	if len(data) > 50<<20 {
		return att, app.FieldError("附件", "文件超过 50 MB")
	}
	hexsum, err := s.db.writeAttachment(data)
	if err != nil {
		return att, err
	}
	err = s.db.update(ctx, "ContractService.AddAttachment", func(t *txn) error {
		var c app.Contract
		old, ok, err := get(t.tx, bucketContracts, uint64(contractID), &c)
		if err != nil {
			return err
		}
		if !ok {
			return app.Errorf(app.ENOTFOUND, "体检任务 %d 不存在", contractID)
		}
		att = app.Attachment{Name: filepath.Base(name), Kind: kind, SHA256: hexsum, Size: int64(len(data)), Added: t.now}
		c.Attachments = append(c.Attachments, att)
		c.Version, c.UpdatedAt, c.UpdatedBy = c.Version+1, t.now, t.username()
		enc, err := t.put(bucketContracts, uint64(contractID), &c)
		if err != nil {
			return err
		}
		return t.audit("ContractService.AddAttachment", "contract", uint64(contractID), old, enc, "附件 "+att.Name)
	})
	return att, err
}

// Attachment returns a stored file, checking its hash.
func (s *ContractService) Attachment(ctx context.Context, sum string) ([]byte, error) {
	if _, err := app.Authorize(ctx, "ContractService.Attachment"); err != nil {
		return nil, err
	}
	return s.db.readAttachment(sum)
}

// writeAttachment stores data content-addressed (once) and returns its sha256 in hex.
func (db *DB) writeAttachment(data []byte) (string, error) {
	sum := sha256.Sum256(data)
	hexsum := hex.EncodeToString(sum[:])
	p := db.attachmentPath(hexsum)
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			return "", err
		}
		if err := os.WriteFile(p+".tmp", data, 0o600); err != nil {
			return "", err
		}
		if err := os.Rename(p+".tmp", p); err != nil {
			return "", err
		}
	}
	return hexsum, nil
}

// readAttachment returns a stored file, checking its hash.
func (db *DB) readAttachment(sum string) ([]byte, error) {
	if len(sum) != 64 {
		return nil, app.Errorf(app.ENOTFOUND, "附件不存在")
	}
	b, err := os.ReadFile(db.attachmentPath(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, app.Errorf(app.ENOTFOUND, "附件文件缺失（%s…），请从备份中恢复附件文件夹", sum[:12])
	} else if err != nil {
		return nil, err
	}
	got := sha256.Sum256(b)
	if hex.EncodeToString(got[:]) != sum {
		return nil, app.Errorf(app.EINTERNAL, "附件文件已损坏或被修改（%s…）", sum[:12])
	}
	return b, nil
}
