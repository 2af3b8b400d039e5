package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
)

// The mapping table of the result import screen: one row per header of the file with what
// the column holds, built from a saved source's mapping or from the reader's guess.

// What a column of the file holds, as the mapping table's select says it.
const (
	useExamNumber = "体检号"
	useItem       = "检查项目"
	useIgnore     = "忽略"
)

// mappingRow is one header of the file with what it holds.
type mappingRow struct {
	header string
	use    *widget.Select
	item   *picker
	unit   string
	box    *fyne.Container
}

// sourceChanged applies a saved mapping when the source names one.
func (v *resultImportView) sourceChanged(src string) {
	if v.loadingSource || v.data == nil {
		return
	}
	m, ok := v.saved[src]
	if !ok {
		return
	}
	headers := make([]string, len(v.rows))
	for i, r := range v.rows {
		headers[i] = r.header
	}
	v.showMapping(headers, m, true)
	v.dropPreview()
	if v.mappingComplete() {
		v.runPreview()
	}
}

// foldHeader compares headers as the reader does: no spaces, half-width, upper case.
func foldHeader(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		switch r {
		case ' ', '\t', '\r', '\n', '\u3000', '\u00a0':
			continue
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}

// showMapping builds the mapping table for headers from m. For a saved mapping, headers it
// does not name are new columns (ignored until mapped) and its columns the file lacks are
// listed.
func (v *resultImportView) showMapping(headers []string, m app.ResultMapping, saved bool) {
	byHeader := map[string][]app.ResultImportColumn{}
	for _, c := range m.Columns {
		k := foldHeader(c.Header)
		byHeader[k] = append(byHeader[k], c)
	}
	consumed := map[string]int{}
	v.rows = nil
	v.mapBox.Objects = nil
	var fresh []string
	for _, h := range headers {
		k := foldHeader(h)
		c := app.ResultImportColumn{Header: h, Key: app.ImportKeyIgnore}
		if cs := byHeader[k]; len(cs) > 0 {
			c, byHeader[k] = cs[0], cs[1:]
			c.Header = h
			consumed[k]++
		} else if saved {
			fresh = append(fresh, h)
		}
		v.addMappingRow(h, c)
	}
	var missing []string
	seen := map[string]int{}
	for _, c := range m.Columns {
		k := foldHeader(c.Header)
		if seen[k]++; seen[k] > consumed[k] && c.Key != app.ImportKeyIgnore {
			missing = append(missing, c.Header)
		}
	}
	var info []string
	if saved {
		info = append(info, "使用已保存的列对应“"+m.Source+"”。")
	} else {
		info = append(info, "按表头自动识别的列对应，请逐列核对；核对后填写来源名称并“保存列对应”，以后同一来源的文件不必再设置。")
	}
	if len(fresh) > 0 {
		info = append(info, "文件中有列对应里没有的新列（暂不导入）："+strings.Join(fresh, "、")+"。")
	}
	if len(missing) > 0 {
		info = append(info, "列对应中的这些列在本文件中没有："+strings.Join(missing, "、")+"。")
	}
	v.mapInfo.SetText(strings.Join(info, ""))
	v.mapBox.Refresh()
}

// addMappingRow adds the row of one header: its use, and for an item the catalog picker.
func (v *resultImportView) addMappingRow(header string, c app.ResultImportColumn) {
	r := &mappingRow{header: header, unit: c.Unit}
	r.item = newPicker("项目名称、代码或拼音首字母", catalogSearch(v.cats, "items",
		func(e catalog.Entry) bool { return !strings.HasSuffix(e.Code, "0000") }, codeLabel))
	r.item.OnChanged = func() { v.dropPreview() }
	if c.ItemCode != "" {
		if it, ok := catalogItem(v.cats, "items", c.ItemCode, codeLabel); ok {
			r.item.setSelected(it)
		} else {
			r.item.setText(c.ItemCode)
		}
	}
	r.use = widget.NewSelect([]string{useExamNumber, useItem, useIgnore}, nil)
	switch c.Key {
	case app.ImportKeyExamNumber:
		r.use.SetSelected(useExamNumber)
	case app.ImportKeyItem:
		r.use.SetSelected(useItem)
	default:
		r.use.SetSelected(useIgnore)
	}
	r.use.OnChanged = func(s string) {
		if s == useExamNumber {
			for _, o := range v.rows {
				if o != r && o.use.Selected == useExamNumber {
					o.use.SetSelected(useIgnore) // one exam number column
				}
			}
		}
		v.showItem(r)
		v.dropPreview()
	}
	title := widget.NewLabel(header)
	title.Truncation = fyne.TextTruncateEllipsis
	r.box = container.NewBorder(nil, nil, withWidth(180, title), nil,
		container.NewBorder(nil, nil, withWidth(110, r.use), nil, r.item.content()))
	v.showItem(r)
	v.rows = append(v.rows, r)
	v.mapBox.Add(r.box)
}

func (v *resultImportView) showItem(r *mappingRow) {
	if r.use.Selected == useItem {
		r.item.entry.Show()
	} else {
		r.item.entry.Hide()
		r.item.box.Hide()
	}
}

// mapping is the mapping the table shows, under the source's name.
func (v *resultImportView) mapping() (app.ResultMapping, error) {
	m := app.ResultMapping{Source: strings.TrimSpace(v.source.Text)}
	if old, ok := v.saved[m.Source]; ok {
		m.GroupCode = old.GroupCode
	}
	var es app.Errors
	for _, r := range v.rows {
		c := app.ResultImportColumn{Header: r.header, Key: app.ImportKeyIgnore}
		switch r.use.Selected {
		case useExamNumber:
			c.Key = app.ImportKeyExamNumber
		case useItem:
			c.Key, c.Unit = app.ImportKeyItem, r.unit
			it, ok := r.item.Selected()
			if !ok {
				es = append(es, app.FieldError("列对应", "列“%s”：请选择对应的检查项目（输入名称、代码或拼音首字母后回车）", r.header))
				continue
			}
			c.ItemCode = it.Key
		}
		m.Columns = append(m.Columns, c)
	}
	return m, es.Err()
}

// mappingComplete reports whether the table names an exam number column and an item.
func (v *resultImportView) mappingComplete() bool {
	exam, item := false, false
	for _, r := range v.rows {
		switch r.use.Selected {
		case useExamNumber:
			exam = true
		case useItem:
			_, ok := r.item.Selected()
			item = item || ok
		}
	}
	return exam && item
}

// saveMapping saves the table's mapping under the source's name.
func (v *resultImportView) saveMapping() {
	m, err := v.mapping()
	if err == nil && m.Source == "" {
		err = app.FieldError("来源", "请填写来源名称（如 检验科LIS），列对应按来源保存")
	}
	if err == nil {
		err = v.env.Services.Records.SaveResultMapping(v.env.Ctx, m)
	}
	if err != nil {
		setMsg(v.result, app.ErrorMessage(err))
		return
	}
	v.loadingSource = true
	v.loadMappings()
	v.loadingSource = false
	setNote(v.result, "列对应“"+m.Source+"”已保存。")
}
