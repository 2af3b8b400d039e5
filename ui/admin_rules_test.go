package ui

import (
	"bytes"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"occhealth/app/rules"
)

func TestRules_TableFilterAndDetail(t *testing.T) {
	env := newIntakeEnv(t)
	v := newRuleScreen(env)
	show(env, v.content())
	if len(v.all) == 0 {
		t.Fatal("no rules")
	}
	typeInto(v.query, "矽尘")
	v.edition.SetSelected("2025")
	v.typ.SetSelected(examTypeLabel("02"))
	if len(v.shown) == 0 {
		t.Fatalf("矽尘 2025 在岗: %d rules", len(v.shown))
	}
	v.grid.Select(widgetCell(0, 0))
	if !strings.Contains(v.detail.Text, "目标疾病") || !strings.Contains(v.detail.Text, "GBZ 188-2025") {
		t.Errorf("detail %q", v.detail.Text)
	}
	unverified := false
	for _, r := range v.all {
		unverified = unverified || r.Unverified()
	}
	if unverified && !strings.Contains(countLine(v), "待核实") {
		t.Error("unverified rules not marked 待核实")
	}
}

// countLine returns the screen's count line, which names the 待核实 rules.
func countLine(v *ruleScreen) string {
	v.query.SetText("")
	v.edition.SetSelected(allOption)
	v.typ.SetSelected(allOption)
	return v.count.Text
}

func TestRules_ExportImportRoundTrip(t *testing.T) {
	env := newIntakeEnv(t)
	v := newRuleScreen(env)
	show(env, v.content())
	b, err := v.exportBytes()
	if err != nil {
		t.Fatal(err)
	}
	// The same workbook back: nothing to save.
	v.importBytes(b)
	if !strings.Contains(v.status.Text, "相同") {
		t.Fatalf("unchanged import: %q", v.status.Text)
	}

	// One rule's notes changed in Excel.
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	header, err := f.GetRows("规则")
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range header[0] {
		if h == "备注" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("no 备注 column in %v", header[0])
	}
	cell, _ := excelize.CoordinatesToCellName(col+1, 2)
	if err := f.SetCellStr("规则", cell, "已与标准原文核对（测试）"); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	v.importBytes(buf.Bytes())
	if !adminDialogHas(env.Window, "1 条规则") {
		t.Fatalf("import summary: %q", dialogText(env.Window))
	}
	typeInto(v.reason, "按 GBZ 188-2025 原文核实")
	adminTapButton(t, env.Window, "保存")
	over, err := env.Services.Rules.RuleTableOverride(env.Ctx)
	if err != nil || over == nil {
		t.Fatalf("override not saved: %v", err)
	}
	tb, err := rules.Unmarshal(over)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range tb.Rules() {
		found = found || r.Notes == "已与标准原文核对（测试）"
	}
	if !found {
		t.Error("edited notes not in the saved table")
	}
	if !strings.Contains(v.status.Text, "已保存") {
		t.Errorf("status %q", v.status.Text)
	}

	// A status correction in the GUI, then 恢复出厂.
	v.choose(0)
	v.ruleStatus.SetSelected(ruleStatusLabel(rules.StatusVerified))
	if v.all[0].Status == rules.StatusVerified {
		v.ruleStatus.SetSelected(ruleStatusLabel(rules.StatusPartial))
	}
	want := v.ruleStatus.Selected[:1]
	test.Tap(v.saveRuleBtn)
	typeInto(v.reason, "核实")
	adminTapButton(t, env.Window, "保存")
	if v.all[0].Status != want || v.sel != 0 {
		t.Errorf("status after save %q (want %q), selected %d", v.all[0].Status, want, v.sel)
	}
	v.confirmReset()
	adminTapButton(t, env.Window, "恢复出厂")
	if over, _ := env.Services.Rules.RuleTableOverride(env.Ctx); over != nil || !strings.Contains(v.status.Text, "已恢复出厂") {
		t.Errorf("reset: status %q", v.status.Text)
	}
}

func TestRules_EditOneRule(t *testing.T) {
	env := newIntakeEnv(t)
	v := newRuleScreen(env)
	show(env, v.content())
	typeInto(v.query, "1038")
	v.edition.SetSelected("2025")
	v.typ.SetSelected(examTypeLabel("02"))
	v.grid.Select(widgetCell(0, 0))
	r := v.all[v.sel]
	test.Tap(v.editBtn)
	ed := v.editor
	if ed == nil || len(ed.required.codes) != len(r.Required) {
		t.Fatal("editor does not show the rule's required groups")
	}
	pick(t, ed.optional.pick, "G0101")
	ed.contra.SetText("活动性肺结核病\n慢性阻塞性肺病\n\n")
	ed.interval.SetText("1 年 1 次（测试）")
	adminTapButton(t, env.Window, "保存")
	if !adminDialogHas(env.Window, "修改原因") {
		t.Fatal("saved without a reason")
	}
	typeInto(ed.reason, "测试修改")
	adminTapButton(t, env.Window, "保存")
	over, _ := env.Services.Rules.RuleTableOverride(env.Ctx)
	tb, err := rules.Unmarshal(over)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := tb.Rule(r.Hazard, r.ExamType, r.Edition)
	if got.Interval != "1 年 1 次（测试）" || len(got.Contraindications) != 2 || got.Optional[len(got.Optional)-1] != "G0101" {
		t.Errorf("saved rule %+v", got)
	}
	if v.all[v.sel].Interval != got.Interval || !strings.Contains(v.detail.Text, "1 年 1 次（测试）") {
		t.Error("the screen does not show the saved rule")
	}
}
