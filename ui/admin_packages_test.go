package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"occhealth/app"
)

func TestPackages_CreateAndEdit(t *testing.T) {
	env := newIntakeEnv(t)
	v := newPackageScreen(env)
	show(env, v.content())
	if len(v.groups) == 0 {
		t.Fatal("no item groups from the rule table")
	}
	typeInto(v.name, "粉尘作业在岗套餐")
	pick(t, v.hazards.pick, "矽尘")
	v.examType.SetSelected(examTypeLabel(app.ExamPeriodic))
	pick(t, v.add, "血常规")
	if env.Window.Canvas().Focused() != v.items[0].price {
		t.Error("the cursor does not go to the price of the group just added")
	}
	pick(t, v.add, "胸部")
	if len(v.items) != 2 {
		t.Fatalf("%d groups added", len(v.items))
	}
	typeInto(v.items[0].price, "12.5")
	typeInto(v.items[1].price, "80")
	if v.total.Text != "合计：92.50 元" {
		t.Errorf("total %q", v.total.Text)
	}
	typeInto(v.items[1].price, "x")
	if !strings.Contains(v.total.Text, "不是金额") {
		t.Errorf("bad price: %q", v.total.Text)
	}
	v.items[1].price.SetText("80")
	v.save()
	ps, err := env.Services.Packages.FindPackages(env.Ctx, true)
	if err != nil || len(ps) != 1 {
		t.Fatalf("packages %v %v", ps, err)
	}
	p := ps[0]
	if p.Name != "粉尘作业在岗套餐" || p.TotalFen() != 9250 || p.Type != app.ExamPeriodic || strings.Join(p.Hazards, ",") != "1038" || !p.Active {
		t.Errorf("saved %+v", p)
	}
	if !markupHas(env.Window, "粉尘作业在岗套餐　92.50 元") {
		t.Error("list does not show the package")
	}

	// Deactivate it: it stays in the list, marked, and is no longer offered.
	v.list.Select(0)
	v.active.SetChecked(false)
	v.save()
	if ps, _ := env.Services.Packages.FindPackages(env.Ctx, false); len(ps) != 0 {
		t.Errorf("inactive package offered: %v", ps)
	}
	if !markupHas(env.Window, "（已停用）") {
		t.Error("deactivated package not marked")
	}

	// A package without groups is refused with the field named.
	v.clear()
	typeInto(v.name, "空套餐")
	v.save()
	if !strings.Contains(v.msg.Text, "项目") {
		t.Errorf("empty package: %q", v.msg.Text)
	}
}

// TestIntakeScreens_FitSmallScreens checks that the screens of this issue fit a 1024×768
// screen beside the navigation.
func TestIntakeScreens_FitSmallScreens(t *testing.T) {
	env := newIntakeEnv(t)
	for _, id := range []string{"contracts", "register", "admin_packages", "admin_rules"} {
		var def *ScreenDef
		for _, d := range Screens() {
			if d.ID == id {
				def = &d
			}
		}
		if def == nil {
			t.Fatalf("screen %s not registered", id)
		}
		o := def.New(env)
		show(env, o)
		if w := o.MinSize().Width; w > 1024*0.85 {
			t.Errorf("%s: minimum width %.0f does not fit 1024 beside the navigation", id, w)
		}
		if !markupHas(env.Window, def.Title) {
			t.Errorf("%s: title %q not shown", id, def.Title)
		}
		env.Window.Resize(fyne.NewSize(1280, 760))
	}
}

func TestPackages_ConflictKeepsTypedValues(t *testing.T) {
	env := newIntakeEnv(t)
	p := &app.ExamPackage{Name: "噪声套餐", Active: true, Groups: []app.PackageGroup{{GroupCode: "G0101", PriceFen: 1500}}}
	if err := env.Services.Packages.CreatePackage(env.Ctx, p); err != nil {
		t.Fatal(err)
	}
	v := newPackageScreen(env)
	show(env, v.content())
	v.list.Select(0)
	other := *p
	other.Note = "别处修改"
	if err := env.Services.Packages.UpdatePackage(env.Ctx, &other); err != nil {
		t.Fatal(err)
	}
	v.name.SetText("噪声作业套餐")
	v.save()
	if !strings.Contains(dialogText(env.Window), "仍保留在表单中") || v.name.Text != "噪声作业套餐" {
		t.Errorf("conflict: %q, name %q", dialogText(env.Window), v.name.Text)
	}
}
