package ui

import (
	"fmt"
	"reflect"

	"occhealth/app"
	"occhealth/app/rules"
)

// exportBytes returns the table in force as a workbook.
func (v *ruleScreen) exportBytes() ([]byte, error) {
	docs, err := documentsOf(v.env)
	if err != nil {
		return nil, err
	}
	if v.env.Services.RuleTable == nil {
		return nil, app.Errorf(app.ENOTFOUND, "未加载 GBZ 188 规则表")
	}
	cur, err := v.env.Services.RuleTable()
	if err != nil {
		return nil, err
	}
	return docs.ExportRules(cur)
}

func (v *ruleScreen) exportFile() {
	b, err := v.exportBytes()
	if err != nil {
		showError(v.env.Window, err)
		return
	}
	saveAndOpen(v.env, "GBZ188规则表.xlsx", b, false, func(p string) { setNote(v.status, "已导出到 "+p) })
}

func (v *ruleScreen) importFile() {
	pickFile(v.env.Window, []string{".xlsx"}, catalogMaxImport, "规则表工作簿", func(_ string, b []byte) { v.importBytes(b) })
}

// importBytes reads an edited workbook against the table in force, says how many rules and
// groups it changes, and saves it after the administrator gives a reason.
func (v *ruleScreen) importBytes(xlsx []byte) {
	docs, err := documentsOf(v.env)
	if err != nil {
		showError(v.env.Window, err)
		return
	}
	if v.env.Services.RuleTable == nil || v.table == nil {
		showError(v.env.Window, app.Errorf(app.ENOTFOUND, "未加载 GBZ 188 规则表"))
		return
	}
	cur, err := v.env.Services.RuleTable()
	if err != nil {
		showError(v.env.Window, err)
		return
	}
	b, err := docs.ImportRules(xlsx, cur)
	if err != nil {
		showError(v.env.Window, err)
		return
	}
	t, err := rules.Unmarshal(b)
	if err != nil {
		showError(v.env.Window, app.Errorf(app.EINVALID, "导入的规则表有误：%v", err))
		return
	}
	rc, gc := diffRules(v.table, t)
	if rc == 0 && gc == 0 {
		setNote(v.status, "导入的文件与现行规则表相同，没有需要保存的修改。")
		return
	}
	v.askReasonAndSave("导入规则表", fmt.Sprintf("导入文件与现行规则表相比：%d 条规则、%d 个项目组合有新增、修改或删除。", rc, gc), b, nil)
}

// diffRules counts the rules and groups added, changed or removed from a to b.
func diffRules(a, b *rules.Table) (ruleChanges, groupChanges int) {
	key := func(r rules.Rule) string { return r.Hazard + "/" + string(r.ExamType) + "/" + r.Edition }
	old := map[string]rules.Rule{}
	for _, r := range a.Rules() {
		old[key(r)] = r
	}
	for _, r := range b.Rules() {
		o, ok := old[key(r)]
		if !ok || !reflect.DeepEqual(o, r) {
			ruleChanges++
		}
		delete(old, key(r))
	}
	ruleChanges += len(old)
	og := map[string]rules.Group{}
	for _, g := range a.Groups() {
		og[g.Code] = g
	}
	for _, g := range b.Groups() {
		o, ok := og[g.Code]
		if !ok || !reflect.DeepEqual(o, g) {
			groupChanges++
		}
		delete(og, g.Code)
	}
	groupChanges += len(og)
	return ruleChanges, groupChanges
}
