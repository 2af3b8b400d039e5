package bolt

import (
	"context"
	"strings"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/store/kv"
)

// CatalogService implements app.CatalogService: an administrator's edited catalogs, stored
// whole, replacing the bundled ones.
type CatalogService struct {
	db  *DB
	set *catalog.Set
}

var _ app.CatalogService = (*CatalogService)(nil)

// NewCatalogService returns the catalog service of db; saves and resets are applied to set
// too, so the running program sees them at once.
func NewCatalogService(db *DB, set *catalog.Set) *CatalogService {
	return &CatalogService{db: db, set: set}
}

// CatalogOverrides returns the edited catalogs.
func (s *CatalogService) CatalogOverrides(ctx context.Context) (map[string]catalog.Catalog, error) {
	out := map[string]catalog.Catalog{}
	err := s.db.view(ctx, "CatalogService.CatalogOverrides", func(tx kv.Tx, _ app.Scope) error {
		var err error
		out, err = loadOverrides(tx)
		return err
	})
	return out, err
}

func loadOverrides(tx kv.Tx) (map[string]catalog.Catalog, error) {
	out := map[string]catalog.Catalog{}
	err := tx.Bucket(bucketCatalogs).ForEach(func(k, v []byte) error {
		c, err := catalog.Unmarshal(v)
		if err != nil {
			return err
		}
		out[string(k)] = c
		return nil
	})
	return out, err
}

// ApplyOverrides replaces the bundled catalogs in set by the archive's edited ones. Called at
// start-up, before any login.
func (db *DB) ApplyOverrides(set *catalog.Set) error {
	return db.kv.View(func(tx kv.Tx) error {
		m, err := loadOverrides(tx)
		if err != nil {
			return err
		}
		for name, c := range m {
			if err := set.Replace(name, c); err != nil {
				return err
			}
		}
		return nil
	})
}

// SaveCatalog stores an edited catalog.
func (s *CatalogService) SaveCatalog(ctx context.Context, c catalog.Catalog, reason string) error {
	err := s.db.update(ctx, "CatalogService.SaveCatalog", func(t *txn) error {
		if strings.TrimSpace(reason) == "" {
			return app.FieldError("修改原因", "不能为空")
		}
		if _, ok := s.set.Catalog(c.Name); !ok {
			return app.Errorf(app.ENOTFOUND, "字典“%s”不存在", c.Name)
		}
		if err := c.Validate(); err != nil {
			return app.Errorf(app.EINVALID, "字典“%s”有误：%v", c.Name, err)
		}
		b, err := catalog.Marshal(c)
		if err != nil {
			return err
		}
		old := t.tx.Bucket(bucketCatalogs).Get([]byte(c.Name))
		if err := t.tx.Bucket(bucketCatalogs).Put([]byte(c.Name), b); err != nil {
			return err
		}
		_, err = appendAudit(t.tx, t.db.opts.Keys, app.AuditEntry{Time: t.now, User: t.username(), Workstation: t.ws,
			Action: "CatalogService.SaveCatalog", Entity: "catalog:" + c.Name, Note: reason,
			RecordHash: hashOf(b), Diff: catalogDiff(old, b)})
		return err
	})
	if err != nil {
		return err
	}
	return s.set.Replace(c.Name, c)
}

// ResetCatalog drops the edits of one catalog. The bundled version comes back at the next
// start; the running set keeps the edited entries until then only if the bundled copy is not
// at hand, so the caller reloads the bundled catalog (main wires a reload).
func (s *CatalogService) ResetCatalog(ctx context.Context, name string) error {
	return s.db.update(ctx, "CatalogService.ResetCatalog", func(t *txn) error {
		if t.tx.Bucket(bucketCatalogs).Get([]byte(name)) == nil {
			return app.Errorf(app.ENOTFOUND, "字典“%s”没有修改过", name)
		}
		if err := t.tx.Bucket(bucketCatalogs).Delete([]byte(name)); err != nil {
			return err
		}
		_, err := appendAudit(t.tx, t.db.opts.Keys, app.AuditEntry{Time: t.now, User: t.username(), Workstation: t.ws,
			Action: "CatalogService.ResetCatalog", Entity: "catalog:" + name, Note: "恢复出厂字典"})
		return err
	})
}

func hashOf(b []byte) string { return storeHash(b) }

// catalogDiff summarises a catalog change as entry counts, not a full copy.
func catalogDiff(old, new []byte) string {
	o, n := 0, 0
	if old != nil {
		if c, err := catalog.Unmarshal(old); err == nil {
			o = len(c.Entries)
		}
	}
	if c, err := catalog.Unmarshal(new); err == nil {
		n = len(c.Entries)
	}
	return `{"条目数":[` + strings.TrimSpace(itoa(o)) + `,` + itoa(n) + `]}`
}
