package app

import (
	"context"
	"time"
	"unicode/utf8"
)

// Employer is a 用人单位 (or, in a worker's history, the 用工单位 that dispatched labour works
// for).
type Employer struct {
	ID               int64
	Version          int64
	Name             string
	CreditCode       string // 统一社会信用代码, GB 32100
	AreaCode         string // 6- or 9-digit 行政区划代码
	IndustryCode     string // GB/T 4754-2017 小类 (4 digits)
	EconomicTypeCode string // GB/T 12402-2000 (3 digits)
	SizeCode         string // 01 大型 … 04 微型, 99 不详
	Address          string
	ZipCode          string
	ContactPerson    string
	ContactPhone     string
	Note             string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	UpdatedBy        string
}

func checkLen(es *Errors, field, v string, max int) {
	if n := utf8.RuneCountInString(v); n > max {
		*es = append(*es, FieldError(field, "最多 %d 个字（现为 %d 个）", max, n))
	}
}

// Validate checks the formats of the employer's fields and normalises the credit code.
// Code existence is checked by ValidateCodes.
func (e *Employer) Validate() error {
	var es Errors
	if e.Name == "" {
		es = append(es, FieldError("单位名称", "不能为空"))
	}
	checkLen(&es, "单位名称", e.Name, 70)
	if cc, err := CheckCreditCode(e.CreditCode); err != nil {
		es = append(es, err.(*Error))
	} else {
		e.CreditCode = cc
	}
	if !(len(e.AreaCode) == 6 || len(e.AreaCode) == 9) || !allDigits(e.AreaCode) {
		es = append(es, FieldError("所属地区", "应为 6 位或 9 位行政区划代码"))
	}
	if len(e.IndustryCode) != 4 || !allDigits(e.IndustryCode) {
		es = append(es, FieldError("行业类别", "应选择 GB/T 4754 的 4 位小类"))
	}
	if e.EconomicTypeCode != "" && (len(e.EconomicTypeCode) != 3 || !allDigits(e.EconomicTypeCode)) {
		es = append(es, FieldError("经济类型", "应为 3 位代码"))
	}
	if e.SizeCode != "" && (len(e.SizeCode) != 2 || !allDigits(e.SizeCode)) {
		es = append(es, FieldError("企业规模", "应为 2 位代码"))
	}
	if e.ZipCode != "" && (len(e.ZipCode) != 6 || !allDigits(e.ZipCode)) {
		es = append(es, FieldError("邮政编码", "应为 6 位数字"))
	}
	checkLen(&es, "详细地址", e.Address, 70)
	checkLen(&es, "联系人", e.ContactPerson, 50)
	if e.ContactPhone != "" {
		if err := checkPhone("联系电话", e.ContactPhone); err != nil {
			es = append(es, err.(*Error))
		}
	}
	checkLen(&es, "备注", e.Note, 500)
	return es.Err()
}

// ValidateCodes checks the codes against the catalogs. Unknown area codes are warnings (the
// bundled list is from 2023 and codes change yearly); everything else is an error.
func (e *Employer) ValidateCodes(c CodeLookup) (warnings []string, err error) {
	var es Errors
	if _, ok := c.CodeName(CatalogAreas, areaCounty(e.AreaCode)); !ok {
		warnings = append(warnings, "所属地区代码 "+e.AreaCode+" 不在内置行政区划表（2023）中，请核实")
	}
	if _, ok := c.CodeName(CatalogIndustry, e.IndustryCode); !ok {
		es = append(es, FieldError("行业类别", "“%s”不是 GB/T 4754-2017 的小类代码", e.IndustryCode))
	}
	optional := EconomicTypeOptional(c, e.IndustryCode)
	switch {
	case e.EconomicTypeCode == "" && !optional:
		es = append(es, FieldError("经济类型", "不能为空"))
	case e.EconomicTypeCode != "":
		if _, ok := c.CodeName(CatalogEconomicType, e.EconomicTypeCode); !ok {
			es = append(es, FieldError("经济类型", "“%s”不是 GB/T 12402 代码", e.EconomicTypeCode))
		}
	}
	switch {
	case e.SizeCode == "" && !optional:
		es = append(es, FieldError("企业规模", "不能为空"))
	case e.SizeCode != "":
		if _, ok := c.CodeName(CatalogEnterpriseSize, e.SizeCode); !ok {
			es = append(es, FieldError("企业规模", "“%s”不是企业规模代码", e.SizeCode))
		}
	}
	return warnings, es.Err()
}

func areaCounty(code string) string {
	if len(code) > 6 {
		return code[:6]
	}
	return code
}

func checkPhone(field, p string) error {
	if len(p) > 20 {
		return FieldError(field, "最多 20 位")
	}
	digits := 0
	for _, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '-' || r == '+' || r == ' ' || r == '(' || r == ')' || r == '（' || r == '）' || r == '转':
		default:
			return FieldError(field, "含有不允许的字符“%c”", r)
		}
	}
	if digits < 7 {
		return FieldError(field, "号码过短")
	}
	return nil
}

// EmployerFilter selects employers. Query matches name (contains), credit code (exact or
// prefix) and pinyin initials.
type EmployerFilter struct {
	Query  string
	Offset int
	Limit  int
}

// EmployerService manages employers.
type EmployerService interface {
	// CreateEmployer stores a new employer. EINVALID; ECONFLICT when the credit code exists.
	// The returned warnings (e.g. an unknown area code) do not stop the save.
	CreateEmployer(ctx context.Context, e *Employer) (warnings []string, err error)
	// UpdateEmployer replaces an employer's fields. ECONFLICT when e.Version is stale, naming
	// who changed it and when.
	UpdateEmployer(ctx context.Context, e *Employer) (warnings []string, err error)
	// FindEmployerByID returns one employer. ENOTFOUND.
	FindEmployerByID(ctx context.Context, id int64) (*Employer, error)
	// FindEmployers lists employers matching the filter, sorted by name, and the total count.
	FindEmployers(ctx context.Context, f EmployerFilter) ([]*Employer, int, error)
}
