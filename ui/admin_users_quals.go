package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
)

// qualRow is one qualification in the form's table.
type qualRow struct {
	kind   *widget.Select
	cats   *widget.Entry
	pick   *widget.Button
	number *widget.Entry
	until  *widget.Entry
	remove *widget.Button
	row    *fyne.Container
}

// qualificationExpiryNotice is how many days ahead an expiring qualification is pointed out.
const qualificationExpiryNotice = 60

// qualificationWarnings lists the qualifications that have expired on day now or expire within
// qualificationExpiryNotice days, or "" when there are none.
func qualificationWarnings(qs []app.Qualification, now time.Time) string {
	var lines []string
	for _, q := range qs {
		if q.ValidUntil.IsZero() {
			continue
		}
		switch {
		case !q.ValidOn(now):
			lines = append(lines, fmt.Sprintf("“%s”已于 %s 过期", q.Kind, formatDate(q.ValidUntil)))
		case !q.ValidOn(now.AddDate(0, 0, qualificationExpiryNotice)):
			lines = append(lines, fmt.Sprintf("“%s”将于 %s 到期", q.Kind, formatDate(q.ValidUntil)))
		}
	}
	if len(lines) == 0 {
		return ""
	}
	return "注意：" + strings.Join(lines, "；") + "。过期的资格不能用于需要该资格的工作（如签发诊断证明）。"
}

// diseaseCategories returns the category names of the 2024 disease catalog (its top-level
// entries, 无职业病 left out), offered as qualification categories.
func diseaseCategories(set *catalog.Set) []string {
	if set == nil {
		return nil
	}
	c, ok := set.Catalog(catalog.Diseases2024)
	if !ok {
		return nil
	}
	var out []string
	for _, e := range c.Entries {
		if e.Parent == "" && e.Extra["kind"] == "category" {
			out = append(out, e.Name)
		}
	}
	return out
}

func (f *userForm) setQuals(qs []app.Qualification) {
	f.quals = nil
	f.qualBox.RemoveAll()
	for _, q := range qs {
		f.addQualRow(q)
	}
}

func (f *userForm) addQualRow(q app.Qualification) {
	r := &qualRow{}
	kinds := append([]string(nil), app.QualificationKinds...)
	if q.Kind != "" && !adminContains(kinds, q.Kind) {
		kinds = append(kinds, q.Kind)
	}
	r.kind = widget.NewSelect(kinds, func(string) { f.dirty = true })
	r.kind.PlaceHolder = "选择资格"
	if q.Kind != "" {
		r.kind.SetSelected(q.Kind)
	}
	r.cats = widget.NewEntry()
	r.cats.SetPlaceHolder("多个类别用、或逗号分隔")
	r.cats.SetText(strings.Join(q.Categories, "、"))
	r.cats.OnChanged = func(string) { f.dirty = true }
	r.pick = widget.NewButton("选择…", func() { f.pickCategories(r) })
	if len(f.categories) == 0 {
		r.pick.Disable()
	}
	r.number = widget.NewEntry()
	r.number.SetText(q.Number)
	r.number.OnChanged = func(string) { f.dirty = true }
	r.until = widget.NewEntry()
	r.until.SetPlaceHolder("如 2028-12-31，可空")
	r.until.SetText(formatDate(q.ValidUntil))
	r.until.OnChanged = func(string) { f.dirty = true }
	r.remove = widget.NewButton("删除", nil)
	r.row = container.NewGridWithColumns(5, r.kind, container.NewBorder(nil, nil, nil, r.pick, r.cats), r.number, r.until, adminRow(r.remove))
	r.remove.OnTapped = func() {
		for i, x := range f.quals {
			if x == r {
				f.quals = append(f.quals[:i], f.quals[i+1:]...)
				break
			}
		}
		f.qualBox.Remove(r.row)
		f.dirty = true
	}
	f.quals = append(f.quals, r)
	f.qualBox.Add(r.row)
}

func adminContains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// pickCategories offers the disease categories as a check list for one qualification row.
func (f *userForm) pickCategories(r *qualRow) {
	check := widget.NewCheckGroup(f.categories, nil)
	var keep []string
	for _, c := range adminSplitList(r.cats.Text) {
		if adminContains(f.categories, c) {
			check.Selected = append(check.Selected, c)
		} else {
			keep = append(keep, c) // typed categories outside the list stay
		}
	}
	d := newAdminDialog(f.env.Window, "选择职业病类别（2024 年目录）", "确定", check, func() error {
		r.cats.SetText(strings.Join(append(keep, check.Selected...), "、"))
		return nil
	})
	d.show(520)
}

// qualifications reads the table. Rows left completely empty are ignored.
func (f *userForm) qualifications() ([]app.Qualification, error) {
	var out []app.Qualification
	for i, r := range f.quals {
		q := app.Qualification{Kind: r.kind.Selected, Categories: adminSplitList(r.cats.Text), Number: strings.TrimSpace(r.number.Text)}
		until := strings.TrimSpace(r.until.Text)
		if q.Kind == "" && len(q.Categories) == 0 && q.Number == "" && until == "" {
			continue
		}
		if q.Kind == "" {
			return nil, app.FieldError("资格", "第 %d 项资格未选择资格类别", i+1)
		}
		d, err := parseDate(until)
		if err != nil {
			return nil, app.FieldError("资格", "第 %d 项资格的有效期：%s", i+1, app.ErrorMessage(err))
		}
		q.ValidUntil = d
		out = append(out, q)
	}
	return out, nil
}
