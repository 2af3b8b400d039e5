package app

import (
	"context"
	"strings"
	"time"
)

// ExamPackage is a hospital's item set (套餐) with prices. It adds items to what the rule
// table requires; it can never remove a required item (registration unites both).
type ExamPackage struct {
	ID      int64
	Version int64
	Name    string
	// Hazards and Type say what the package is meant for (to offer it at registration);
	// empty means any.
	Hazards   []string
	Type      ExamType
	Groups    []PackageGroup
	Active    bool
	Note      string
	UpdatedAt time.Time
	UpdatedBy string
}

// PackageGroup is one item group of a package with its price.
type PackageGroup struct {
	GroupCode string
	PriceFen  int64
}

// TotalFen is the package's price: the sum of its groups.
func (p *ExamPackage) TotalFen() int64 {
	var t int64
	for _, g := range p.Groups {
		t += g.PriceFen
	}
	return t
}

// Validate checks the package's fields.
func (p *ExamPackage) Validate() error {
	var es Errors
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" {
		es = append(es, FieldError("套餐名称", "不能为空"))
	}
	checkLen(&es, "套餐名称", p.Name, 50)
	if len(p.Groups) == 0 {
		es = append(es, FieldError("项目", "至少选择一项"))
	}
	seen := map[string]bool{}
	for i, g := range p.Groups {
		if g.GroupCode == "" {
			es = append(es, FieldError("项目第 "+itoa(i+1)+" 行", "请选择项目"))
		} else if seen[g.GroupCode] {
			es = append(es, FieldError("项目第 "+itoa(i+1)+" 行", "项目重复"))
		}
		seen[g.GroupCode] = true
		if g.PriceFen < 0 {
			es = append(es, FieldError("项目第 "+itoa(i+1)+" 行价格", "不能为负数"))
		}
	}
	if p.Type != "" && !p.Type.Valid() {
		es = append(es, FieldError("体检类型", "未知代码“%s”", p.Type))
	}
	return es.Err()
}

// PackageService manages the hospital's item sets.
type PackageService interface {
	CreatePackage(ctx context.Context, p *ExamPackage) error
	UpdatePackage(ctx context.Context, p *ExamPackage) error
	FindPackages(ctx context.Context, includeInactive bool) ([]*ExamPackage, error)
}

// ItemPlanner derives an exam's items from the rule table (implemented by app/rules).
type ItemPlanner interface {
	// PlanItems returns the item groups the rules require for the hazards, exam type and
	// edition, united across hazards without duplicates and ordered by department, and notes
	// for hazards without a rule (the doctor adds items by hand; the notes say so).
	PlanItems(hazards []string, t ExamType, edition string) (items []ExamItem, notes []string)
	// Group returns an item group by code (for packages and manual additions).
	Group(code string) (ExamItem, bool)
}
