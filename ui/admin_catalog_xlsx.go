package ui

import (
	"fmt"
	"reflect"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"occhealth/app"
	"occhealth/app/catalog"
)

// catalogMaxImport bounds the size of a workbook read for import.
const catalogMaxImport = 64 << 20

// exportBytes returns the working copy as a workbook.
func (v *catalogScreen) exportBytes() ([]byte, error) {
	if v.env.Services.Exchange == nil {
		return nil, app.Errorf(app.EINTERNAL, "本程序未接入 .xlsx 转换")
	}
	return v.env.Services.Exchange.ExportCatalog(v.work)
}

func (v *catalogScreen) exportFile() {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			showError(v.env.Window, err)
			return
		}
		if wc == nil {
			return // cancelled
		}
		b, err := v.exportBytes()
		if err != nil {
			wc.Close()
			showError(v.env.Window, err)
			return
		}
		_, werr := wc.Write(b)
		if cerr := wc.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			showError(v.env.Window, app.Errorf(app.EINTERNAL, "写入 %s 失败：%v", wc.URI().Path(), werr))
			return
		}
		note := ""
		if v.changes > 0 {
			note = "（含尚未保存的修改）"
		}
		v.status.SetText("已导出到 " + wc.URI().Path() + note)
	}, v.env.Window)
	d.SetFileName(v.name + ".xlsx")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx"}))
	showFileDialog(d, v.env.Window)
}

func (v *catalogScreen) importFile() {
	pickFile(v.env.Window, []string{".xlsx"}, catalogMaxImport, "字典工作簿", func(_ string, b []byte) { v.importBytes(b) })
}

// importBytes reads a workbook, shows how it differs from the catalog in force and saves it
// after the administrator confirms with a reason.
func (v *catalogScreen) importBytes(b []byte) {
	if v.env.Services.Exchange == nil {
		showError(v.env.Window, app.Errorf(app.EINTERNAL, "本程序未接入 .xlsx 转换"))
		return
	}
	c, err := v.env.Services.Exchange.ImportCatalog(v.name, b)
	if err != nil {
		showError(v.env.Window, err)
		return
	}
	inForce, _ := v.set.Catalog(v.name)
	d := diffCatalogs(inForce, c)
	if d.total() == 0 {
		v.status.SetText("导入的文件与现行字典相同，没有需要保存的修改")
		return
	}
	summary := fmt.Sprintf("导入文件与现行“%s”相比：新增 %d 条，修改 %d 条，删除 %d 条%s。\n保存后将替换现行字典%s。",
		inForce.Title, d.added, d.changed, d.removed, d.headerNote(), map[bool]string{true: "，本页未保存的修改将被放弃", false: ""}[v.changes > 0])
	if d.removed > 0 {
		summary += fmt.Sprintf("\n注意：被删除的 %d 个代码如已在档案中使用，这些记录将查不到代码的名称；一般只删除误加的本地条目。", d.removed)
	}
	v.askReasonAndSave("导入字典", summary, c)
}

// catalogDiff counts the differences between two versions of a catalog.
type catalogDiff struct {
	added, changed, removed int
	header                  bool // title, version, source or effective period changed
}

func (d catalogDiff) total() int {
	n := d.added + d.changed + d.removed
	if d.header {
		n++
	}
	return n
}

func (d catalogDiff) headerNote() string {
	if d.header {
		return "，字典信息（标题、版本、来源或适用期）有改动"
	}
	return ""
}

func diffCatalogs(old, new catalog.Catalog) catalogDiff {
	var d catalogDiff
	byCode := make(map[string]catalog.Entry, len(old.Entries))
	for _, e := range old.Entries {
		byCode[e.Code] = e
	}
	seen := make(map[string]bool, len(new.Entries))
	for _, e := range new.Entries {
		seen[e.Code] = true
		o, ok := byCode[e.Code]
		switch {
		case !ok:
			d.added++
		case !entryEqual(o, e):
			d.changed++
		}
	}
	for _, e := range old.Entries {
		if !seen[e.Code] {
			d.removed++
		}
	}
	d.header = old.Title != new.Title || old.Version != new.Version || old.Source != new.Source ||
		old.EffectiveFrom != new.EffectiveFrom || old.EffectiveTo != new.EffectiveTo || old.Notes != new.Notes
	return d
}

// entryEqual compares entries, treating nil and empty aliases or extras (and empty extra
// values, which a workbook cannot tell from missing ones) alike.
func entryEqual(a, b catalog.Entry) bool {
	norm := func(e catalog.Entry) catalog.Entry {
		if len(e.Aliases) == 0 {
			e.Aliases = nil
		}
		m := map[string]string{}
		for k, v := range e.Extra {
			if v != "" {
				m[k] = v
			}
		}
		e.Extra = m
		return e
	}
	return reflect.DeepEqual(norm(a), norm(b))
}
