package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

const validCreditCode = "91350100M000100Y43"

// fillEmployer types a complete employer into the form.
func fillEmployer(t *testing.T, f *employerForm, name, credit string) {
	t.Helper()
	typeInto(f.name, name)
	typeInto(f.credit, credit)
	typeInto(f.industry.entry, "水泥制造")
	if !f.industry.box.Visible() {
		t.Fatal("industry matches not shown")
	}
	f.industry.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if it, ok := f.industry.Selected(); !ok || it.Key != "3011" {
		t.Fatalf("industry pick = %+v", it)
	}
	selectCode(f.econ, "173")
	selectCode(f.size, "03")
	typeInto(f.address, "闽清县梅城镇工业路 8 号")
	typeInto(f.zip, "350800")
	typeInto(f.contact, "陈经理")
	typeInto(f.phone, "0591-22334455")
}

func TestEmployer_CreateSearchEdit(t *testing.T) {
	env := newTestEnv(t)
	v := newEmployerScreen(env)
	show(env, v.content())
	f := v.form
	if v.total != 0 || !strings.Contains(v.count.Text, "共 0 家") {
		t.Fatalf("empty archive count %q", v.count.Text)
	}

	// An invalid credit code shows the rule under the field as it is typed.
	typeInto(f.name, "闽清示例水泥有限公司")
	typeInto(f.credit, "91350100M000100Y44")
	if m := f.msgs[fEmpCredit]; !m.Visible() || !strings.Contains(m.Text, "校验位错误") {
		t.Fatalf("wrong check character: message %q", m.Text)
	}
	typeInto(f.credit, "1")
	if m := f.msgs[fEmpCredit]; !strings.Contains(m.Text, "应为 18 位") {
		t.Errorf("19 characters: message %q", m.Text)
	}
	f.credit.SetText("")
	f.name.SetText("")
	fillEmployer(t, f, "闽清示例水泥有限公司", validCreditCode)
	if m := f.msgs[fEmpCredit]; m.Text != "校验通过" {
		t.Errorf("valid code: message %q", m.Text)
	}
	// The area defaults to the registering authority's (3rd–8th characters).
	if f.area.Code() != "350100" {
		t.Errorf("area from credit code = %q", f.area.Code())
	}
	f.area.SetCode("350124")
	test.Tap(f.saveBtn)
	if !strings.HasPrefix(f.status.Text, "已保存") {
		t.Fatalf("save: status %q, dialog %q", f.status.Text, dialogText(env.Window))
	}
	if f.current == nil || f.current.ID == 0 || f.title.Text != "用人单位：闽清示例水泥有限公司" {
		t.Fatalf("after save: current %+v, title %q", f.current, f.title.Text)
	}
	if v.total != 1 {
		t.Errorf("list count after save = %d", v.total)
	}

	// A second employer with the same code: ECONFLICT, typed values kept.
	test.Tap(findButton(t, env.Window, "新建（Ctrl+N）"))
	if f.current != nil || f.name.Text != "" {
		t.Fatal("新建 did not clear the form")
	}
	fillEmployer(t, f, "另一家水泥厂", validCreditCode)
	test.Tap(f.saveBtn)
	if d := dialogText(env.Window); !strings.Contains(d, "已登记为“闽清示例水泥有限公司”") {
		t.Errorf("conflict dialog = %q", d)
	}
	if f.name.Text != "另一家水泥厂" || f.credit.Text != validCreditCode {
		t.Errorf("typed values lost after conflict: %q %q", f.name.Text, f.credit.Text)
	}
	closeDialogs(env.Window)

	// Search by pinyin initials, by credit code prefix and by part of the name.
	for _, q := range []string{"mqsl", "91350100", "示例水泥"} {
		v.search.SetText("")
		typeInto(v.search, q)
		if v.total != 1 || v.at(0) == nil || v.at(0).Name != "闽清示例水泥有限公司" {
			t.Errorf("search %q: %d hits", q, v.total)
		}
	}
	v.search.SetText("zzzz")
	if v.total != 0 {
		t.Errorf("search zzzz: %d hits", v.total)
	}

	// Select the employer (discarding the unsaved form) and edit it.
	v.search.SetText("")
	f.dirty = false
	v.list.Select(0)
	if f.current == nil || f.name.Text != "闽清示例水泥有限公司" {
		t.Fatalf("selecting the list row did not load it: %q", f.name.Text)
	}
	if it, _ := f.industry.Selected(); it.Key != "3011" || optionCode(f.econ.Selected) != "173" {
		t.Errorf("loaded codes: industry %q econ %q", it.Key, f.econ.Selected)
	}
	typeInto(f.zip, "9")
	if m := f.msgs[fEmpZip]; !strings.Contains(m.Text, "6 位数字") {
		t.Errorf("7-digit zip: message %q", m.Text)
	}
	f.zip.SetText("350801")
	test.Tap(f.saveBtn)
	if !strings.HasPrefix(f.status.Text, "已保存") || f.current.Version != 2 {
		t.Errorf("update: status %q version %d", f.status.Text, f.current.Version)
	}
}

func TestEmployer_UnknownAreaWarning(t *testing.T) {
	env := newTestEnv(t)
	v := newEmployerScreen(env)
	show(env, v.content())
	f := v.form
	fillEmployer(t, f, "新设区示例厂", validCreditCode)
	f.area.SetCode("350199") // not in the 2023 list
	if !strings.Contains(f.area.msg.Text, "不在内置行政区划表") {
		t.Errorf("area message %q", f.area.msg.Text)
	}
	test.Tap(f.saveBtn)
	if !strings.Contains(f.status.Text, "请核实") {
		t.Errorf("save with unknown area: status %q; dialog %q", f.status.Text, dialogText(env.Window))
	}
}

// findButton returns the button labelled text in the window.
func findButton(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	walk(w.Content(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && found == nil {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}

func TestEmployer_StaleVersionKeepsTypedValues(t *testing.T) {
	env := newTestEnv(t)
	e := addEmployer(t, env, "闽清示例水泥有限公司", validCreditCode)
	v := newEmployerScreen(env)
	show(env, v.content())
	v.list.Select(0)
	f := v.form
	// Someone else changes the employer meanwhile.
	other := *e
	other.ContactPerson = "林主任"
	if _, err := env.Services.Employers.UpdateEmployer(env.Ctx, &other); err != nil {
		t.Fatal(err)
	}
	typeInto(f.contact, "陈经理")
	test.Tap(f.saveBtn)
	if d := dialogText(env.Window); !strings.Contains(d, "请核对后重新保存") {
		t.Errorf("stale save: dialog %q", d)
	}
	if f.contact.Text != "陈经理" || !f.dirty {
		t.Errorf("typed value lost: %q", f.contact.Text)
	}
}

func TestEmployer_ReadOnlyForExamDoctor(t *testing.T) {
	admin := newTestEnv(t)
	addEmployer(t, admin, "闽清示例水泥有限公司", validCreditCode)
	env := envAs(t, admin, app.RoleExamDoctor)
	v := newEmployerScreen(env)
	show(env, v.content())
	f := v.form
	if f.body.Visible() || !f.hint.Visible() || f.saveBtn.Visible() {
		t.Fatal("an exam doctor is offered a new-employer form")
	}
	v.list.Select(0)
	if !f.body.Visible() || !f.name.Disabled() || f.saveBtn.Visible() {
		t.Error("the chosen employer is not shown read-only")
	}
	f.save() // Ctrl+S does nothing without the right
	if f.status.Visible() {
		t.Errorf("save by an exam doctor: %q", f.status.Text)
	}
}

func TestEmployer_DiscardAsks(t *testing.T) {
	env := newTestEnv(t)
	addEmployer(t, env, "闽清示例水泥有限公司", validCreditCode)
	v := newEmployerScreen(env)
	show(env, v.content())
	f := v.form
	typeInto(f.name, "半填的单位")
	v.list.Select(0)
	tapDialogButton(t, env.Window, "继续编辑")
	if f.name.Text != "半填的单位" || f.current != nil {
		t.Fatalf("继续编辑 lost the typed name: %q", f.name.Text)
	}
	v.list.Select(0)
	tapDialogButton(t, env.Window, "放弃修改")
	if f.current == nil || f.name.Text != "闽清示例水泥有限公司" {
		t.Fatalf("放弃修改 did not load the employer: %q", f.name.Text)
	}
}

// tapDialogButton taps the button labelled text in the top dialog.
func tapDialogButton(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog (looking for %q)", text)
	}
	var found *widget.Button
	walk(top, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("dialog has no button %q: %s", text, dialogText(w))
	}
	test.Tap(found)
}

func TestEmployer_EnterMovesOnFromCodes(t *testing.T) {
	env := newTestEnv(t)
	v := newEmployerScreen(env)
	show(env, v.content())
	f := v.form
	c := env.Window.Canvas()
	c.Focus(f.credit)
	f.credit.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if c.Focused() == f.credit || c.Focused() == nil {
		t.Errorf("Enter in 统一社会信用代码 left the focus on %T", c.Focused())
	}
	// The name is typed with an input method: Enter there does not move on.
	c.Focus(f.name)
	f.name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if c.Focused() != f.name {
		t.Errorf("Enter in 单位名称 moved the focus to %T", c.Focused())
	}
}
