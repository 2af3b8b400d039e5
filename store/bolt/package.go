package bolt

import (
	"context"
	"sort"

	"occhealth/app"
	"occhealth/store/kv"
)

// PackageService implements app.PackageService.
type PackageService struct{ db *DB }

var _ app.PackageService = (*PackageService)(nil)

// NewPackageService returns the package service of db.
func NewPackageService(db *DB) *PackageService { return &PackageService{db: db} }

func (t *txn) validatePackage(p *app.ExamPackage) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if pl := t.db.Planner(); pl != nil {
		for i, g := range p.Groups {
			if _, ok := pl.Group(g.GroupCode); !ok {
				return app.FieldError("项目第 "+itoa(i+1)+" 行", "“%s”不是项目组合代码", g.GroupCode)
			}
		}
	}
	return nil
}

// CreatePackage stores a new item set.
func (s *PackageService) CreatePackage(ctx context.Context, p *app.ExamPackage) error {
	return s.db.update(ctx, "PackageService.CreatePackage", func(t *txn) error {
		if err := t.validatePackage(p); err != nil {
			return err
		}
		id, err := t.nextID(bucketPackages)
		if err != nil {
			return err
		}
		p.ID, p.Version, p.UpdatedAt, p.UpdatedBy = int64(id), 1, t.now, t.username()
		enc, err := t.put(bucketPackages, id, p)
		if err != nil {
			return err
		}
		return t.auditCreate("PackageService.CreatePackage", "package", id, enc, "Name", p.Name)
	})
}

// UpdatePackage replaces an item set.
func (s *PackageService) UpdatePackage(ctx context.Context, p *app.ExamPackage) error {
	return s.db.update(ctx, "PackageService.UpdatePackage", func(t *txn) error {
		var cur app.ExamPackage
		old, ok, err := get(t.tx, bucketPackages, uint64(p.ID), &cur)
		if err != nil {
			return err
		}
		if !ok {
			return app.Errorf(app.ENOTFOUND, "套餐 %d 不存在", p.ID)
		}
		if cur.Version != p.Version {
			return conflict("套餐“"+cur.Name+"”", cur.UpdatedBy, cur.UpdatedAt)
		}
		if err := t.validatePackage(p); err != nil {
			return err
		}
		p.Version, p.UpdatedAt, p.UpdatedBy = cur.Version+1, t.now, t.username()
		enc, err := t.put(bucketPackages, uint64(p.ID), p)
		if err != nil {
			return err
		}
		return t.audit("PackageService.UpdatePackage", "package", uint64(p.ID), old, enc, "")
	})
}

// FindPackages lists item sets by name.
func (s *PackageService) FindPackages(ctx context.Context, includeInactive bool) ([]*app.ExamPackage, error) {
	var out []*app.ExamPackage
	err := s.db.view(ctx, "PackageService.FindPackages", func(tx kv.Tx, _ app.Scope) error {
		return tx.Bucket(bucketPackages).ForEach(func(k, v []byte) error {
			var p app.ExamPackage
			if err := decode(v, &p); err != nil {
				return err
			}
			if p.Active || includeInactive {
				out = append(out, &p)
			}
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}
