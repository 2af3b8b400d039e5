package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

func screenIDs(defs []ScreenDef) string {
	var ids []string
	for _, d := range defs {
		ids = append(ids, d.ID)
	}
	return strings.Join(ids, ",")
}

func TestVisibleScreens(t *testing.T) {
	defs := []ScreenDef{
		{ID: "admin", Group: "系统管理", Order: 1, Roles: []app.Role{app.RoleAdmin}},
		{ID: "exam", Group: "体检", Order: 1, Kinds: []app.InstitutionKind{app.KindExam}},
		{ID: "home", Order: 0},
		{ID: "workers", Group: "档案", Order: 20, Action: "WorkerService.SearchWorkers"},
		{ID: "employers", Group: "档案", Order: 10, Action: "EmployerService.FindEmployers"},
		{ID: "other", Group: "其他", Order: 1},
	}
	exam := &app.Institution{Kinds: []app.InstitutionKind{app.KindExam}}
	followup := &app.Institution{Kinds: []app.InstitutionKind{app.KindFollowUp}}
	for _, tc := range []struct {
		roles []app.Role
		in    *app.Institution
		want  string
	}{
		{[]app.Role{app.RoleAdmin}, exam, "home,employers,workers,exam,other,admin"},
		{[]app.Role{app.RoleRegistrar}, exam, "home,employers,workers,exam,other"},
		{[]app.Role{app.RoleRegistrar}, followup, "home,employers,workers,other"},
		{[]app.Role{app.RoleAppraisalExpert}, followup, "home,other"},
		{[]app.Role{app.RoleFollowUpNurse}, followup, "home,employers,workers,other"},
	} {
		u := &app.User{Username: "u", Roles: tc.roles}
		if got := screenIDs(visibleScreens(defs, u, tc.in)); got != tc.want {
			t.Errorf("%v in %v: got %s, want %s", tc.roles, tc.in.Kinds, got, tc.want)
		}
	}
	if got := visibleScreens(defs, &app.User{Roles: []app.Role{app.RoleAdmin}, Disabled: true}, exam); len(got) != 0 {
		t.Errorf("disabled user sees %s", screenIDs(got))
	}
}

// loginAs starts the window on a set-up archive with an extra user and logs them in.
func loginAs(t *testing.T, roles ...app.Role) *starter {
	t.Helper()
	a := newTestApp(t)
	svc, path := newTestServices(t)
	ctx := context.Background()
	if _, err := svc.Setup.Initialize(ctx, testSetup()); err != nil {
		t.Fatal(err)
	}
	admin, _ := svc.Auth.Login(ctx, testAdmin, testPassword)
	u := &app.User{Username: "clerk", Name: "王登记", Roles: roles}
	if err := svc.Users.CreateUser(app.NewContextWithUser(ctx, admin), u, "clerk2026"); err != nil {
		t.Fatal(err)
	}
	s := start(a, StartOptions{Services: svc, ArchivePath: path, Workstation: "前台"})
	typeInto(s.login.username, "clerk")
	typeInto(s.login.password, "clerk2026")
	pressEnter(s.login.password)
	if s.shell == nil {
		t.Fatalf("login: %s", s.login.msg.Text)
	}
	return s
}

func TestShell_RegistrarTapsThrough(t *testing.T) {
	s := loginAs(t, app.RoleRegistrar)
	sh := s.shell
	if got := screenIDs(sh.defs); strings.Contains(got, "admin") || !strings.Contains(got, "employers") || !strings.Contains(got, "workers") {
		t.Fatalf("registrar screens: %s", got)
	}
	if sh.current != "home" || !markupHas(s.win, "王登记（登记员）") {
		t.Fatalf("first screen %q", sh.current)
	}
	if !sh.saveItem.Disabled {
		t.Error("保存 enabled on the home screen")
	}

	// 用人单位 through the navigation; 保存 (Ctrl+S in the menu) validates the empty form.
	sh.nav.Select("employers")
	if sh.current != "employers" || !markupHas(s.win, "新建用人单位") {
		t.Fatalf("employers not shown (current %q)", sh.current)
	}
	if sh.saveItem.Disabled || sh.saveItem.Shortcut == nil {
		t.Fatal("保存 not bound on the employer screen")
	}
	sh.saveItem.Action()
	if !markupHas(s.win, "请先改正上面标红的内容。") {
		t.Error("Ctrl+S on an empty employer form shows no problems")
	}

	// Tab moves from field to field.
	f := findEntryByPlaceholder(t, s.win, "营业执照上的全称")
	s.win.Canvas().Focus(f)
	test.FocusNext(s.win.Canvas())
	if e, ok := s.win.Canvas().Focused().(*widget.Entry); !ok || !strings.HasPrefix(e.PlaceHolder, "18 位") {
		t.Errorf("Tab from 单位名称 went to %T", s.win.Canvas().Focused())
	}

	if err := sh.env.Services.Workers.CreateWorker(sh.env.Ctx, &app.Worker{Name: "周五", DocType: app.DocResidentID, IDNumber: idNumber("35012419800101002")}); err != nil {
		t.Fatal(err)
	}
	sh.nav.Select("workers")
	if sh.current != "workers" || !markupHas(s.win, "新建劳动者档案") {
		t.Fatalf("workers not shown (current %q)", sh.current)
	}
	if e, ok := s.win.Canvas().Focused().(*searchEntry); !ok || !strings.Contains(e.PlaceHolder, "拼音首字母") {
		t.Errorf("the worker search box does not have the focus (%T)", s.win.Canvas().Focused())
	}
	// Keyboard only: Ctrl+F to the search box, ↓ into the list, Enter opens the row.
	s.win.Canvas().Focus(nil)
	sh.findItem.Action()
	search, ok := s.win.Canvas().Focused().(*searchEntry)
	if !ok {
		t.Fatalf("Ctrl+F focused %T", s.win.Canvas().Focused())
	}
	search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	list, ok := s.win.Canvas().Focused().(*keyList)
	if !ok {
		t.Fatalf("↓ in the search box focused %T", s.win.Canvas().Focused())
	}
	list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !markupHas(s.win, "劳动者：周五") {
		t.Error("Enter in the list did not open the worker")
	}
	sh.createItem.Action() // Ctrl+N on an untouched form clears it
	if !markupHas(s.win, "新建劳动者档案") {
		t.Error("Ctrl+N did not show a new form")
	}
}

func TestShell_NurseSearchesByFullNumberOnly(t *testing.T) {
	s := loginAs(t, app.RoleFollowUpNurse)
	if !strings.Contains(screenIDs(s.shell.defs), "workers") {
		t.Fatalf("nurse screens: %s", screenIDs(s.shell.defs))
	}
	s.shell.nav.Select("workers")
	if !strings.Contains(labelTexts(s.win), "只能按完整证件号码查找") {
		t.Errorf("restricted search not explained")
	}
	if findButton(t, s.win, "新建（Ctrl+N）").Visible() || !markupHas(s.win, "在左侧查找劳动者，再从列表中选择查看。") {
		t.Error("a nurse is offered a new-worker form although CreateWorker is not hers")
	}
}

func TestShell_ExpertSeesHomeOnly(t *testing.T) {
	s := loginAs(t, app.RoleAppraisalExpert)
	if got := screenIDs(s.shell.defs); got != "home" {
		t.Errorf("expert screens: %s", got)
	}
}

// findEntryByPlaceholder returns the entry with that placeholder in the window.
func findEntryByPlaceholder(t *testing.T, w fyne.Window, ph string) *widget.Entry {
	t.Helper()
	var found *widget.Entry
	walk(w.Content(), func(o fyne.CanvasObject) {
		if e, ok := o.(*widget.Entry); ok && e.PlaceHolder == ph && found == nil {
			found = e
		}
	})
	if found == nil {
		t.Fatalf("no entry with placeholder %q", ph)
	}
	return found
}

// labelTexts returns the texts of the window's visible and hidden labels.
func labelTexts(w fyne.Window) string {
	var b strings.Builder
	walk(w.Content(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
	})
	return b.String()
}
