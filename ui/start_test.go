package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"occhealth/app"
)

func pressEnter(e fyne.Focusable) { e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

func TestStart_SetupThenLogin(t *testing.T) {
	a := newTestApp(t)
	svc, path := newTestServices(t)
	s := start(a, StartOptions{Services: svc, ArchivePath: path, Workstation: "测试机"})
	if got := s.win.Title(); got != "职业健康工作站 — 首次设置" {
		t.Fatalf("title = %q", got)
	}
	v := s.setup
	if v == nil {
		t.Fatal("an empty archive did not show the set-up screen")
	}
	if !v.demo.Hidden {
		t.Error("demo button shown without CreateDemo")
	}

	typeInto(v.name, "闽清县职业病防治院")
	typeInto(v.code, "35012400")
	if !v.codeMsg.Visible() || !strings.Contains(v.codeMsg.Text, "应为 9 位数字") {
		t.Errorf("8-digit code: message %q", v.codeMsg.Text)
	}
	typeInto(v.code, "1")
	if v.codeMsg.Visible() {
		t.Errorf("9-digit code still has message %q", v.codeMsg.Text)
	}
	if !v.hazards.Disabled() {
		t.Error("hazard categories offered before 职业健康检查机构 is chosen")
	}
	v.kinds.SetSelected([]string{app.KindExam.Name()})
	if v.hazards.Disabled() {
		t.Error("hazard categories disabled for an exam institution")
	}
	if !strings.Contains(v.hazardsMsg.Text, "至少选择一类") {
		t.Errorf("exam institution without hazards: message %q", v.hazardsMsg.Text)
	}
	v.hazards.SetSelected([]string{"粉尘", "化学因素"})
	if v.hazardsMsg.Visible() {
		t.Errorf("hazards chosen, message %q remains", v.hazardsMsg.Text)
	}

	// An unknown typed area code is allowed with a warning; the selects find known ones.
	typeInto(v.area.code, "359999")
	if !strings.Contains(v.area.msg.Text, "不在内置行政区划表") {
		t.Errorf("unknown area: message %q", v.area.msg.Text)
	}
	v.area.code.SetText("")
	v.area.prov.SetSelected("福建省")
	v.area.city.SetSelected("福州市")
	v.area.county.SetSelected("闽清县")
	if v.area.Code() != "350124" || v.area.Name() != "福建省 福州市 闽清县" {
		t.Fatalf("area = %s %s", v.area.Code(), v.area.Name())
	}

	typeInto(v.username, "admin")
	typeInto(v.realName, "阿依古丽·买买提")
	if v.realNameMsg.Visible() {
		t.Errorf("name with middle dot rejected: %q", v.realNameMsg.Text)
	}
	typeInto(v.pass, "short")
	if !strings.Contains(v.passMsg.Text, "至少 8 位") {
		t.Errorf("short password: message %q", v.passMsg.Text)
	}
	v.pass.SetText("")
	typeInto(v.pass, "pass2026")
	typeInto(v.pass2, "shortpass2026")
	if !strings.Contains(v.pass2Msg.Text, "不一致") {
		t.Errorf("mismatched passwords: message %q", v.pass2Msg.Text)
	}
	test.Tap(v.create)
	if s.login != nil {
		t.Fatal("set up with mismatched passwords")
	}
	closeDialogs(s.win)
	v.pass2.SetText("")
	typeInto(v.pass2, "pass2026")
	test.Tap(v.create)
	if s.login == nil {
		t.Fatalf("set-up did not reach the login; dialog: %s", dialogText(s.win))
	}
	if got := s.win.Title(); got != "职业健康工作站 — 闽清县职业病防治院" {
		t.Errorf("title after set-up = %q", got)
	}
	st, _ := svc.Setup.Status(context.Background())
	if in := st.Institution; in == nil || in.Code != "350124001" || in.AreaCode != "350124" || len(in.HazardCategories) != 2 {
		t.Fatalf("stored institution = %+v", in)
	}

	// The login: the username is filled in; a wrong password shows a message.
	l := s.login
	if l.username.Text != "admin" {
		t.Errorf("username = %q", l.username.Text)
	}
	typeInto(l.password, "wrong-password1")
	pressEnter(l.password)
	if s.shell != nil || !l.msg.Visible() {
		t.Fatal("wrong password logged in or showed nothing")
	}
	typeInto(l.password, "pass2026")
	pressEnter(l.password)
	if s.shell == nil {
		t.Fatalf("login failed: %s", l.msg.Text)
	}
	if !markupHas(s.win, "阿依古丽·买买提（管理员）") || !markupHas(s.win, "首页") {
		t.Errorf("shell does not show the user or the home screen:\n%s", test.RenderToMarkup(s.win.Canvas()))
	}

	// 退出登录 returns to the login.
	s.shell.logout()
	if s.login == nil || s.shell != nil {
		t.Error("logout did not show the login")
	}
}

func TestLogin_Golden(t *testing.T) {
	a := newTestApp(t)
	svc, path := newTestServices(t)
	if _, err := svc.Setup.Initialize(context.Background(), testSetup()); err != nil {
		t.Fatal(err)
	}
	s := start(a, StartOptions{Services: svc, ArchivePath: path})
	if s.login == nil {
		t.Fatal("a set-up archive did not show the login")
	}
	assertMarkup(t, "login.xml", s.win)
}

func TestLogin_Demo(t *testing.T) {
	a := newTestApp(t)
	svc, path := newTestServices(t)
	in := testSetup()
	in.Institution.Demo = true
	in.AdminUsername, in.AdminPassword = "demo", "demo2026"
	if _, err := svc.Setup.Initialize(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	s := start(a, StartOptions{Services: svc, ArchivePath: path})
	if got := s.win.Title(); got != "职业健康工作站 — 闽清县职业病防治院 [演示数据]" {
		t.Errorf("title = %q", got)
	}
	if !markupHas(s.win, "演示账号：demo　密码：demo2026") {
		t.Errorf("demo login not on screen:\n%s", test.RenderToMarkup(s.win.Canvas()))
	}
}

func TestSetup_CreateDemo(t *testing.T) {
	a := newTestApp(t)
	svc, path := newTestServices(t)
	demoSvc, demoPath := newTestServices(t)
	var progressed int
	s := start(a, StartOptions{Services: svc, ArchivePath: path,
		CreateDemo: func(progress func(done, total int)) (app.Services, string, error) {
			in := testSetup()
			in.Institution.Name, in.Institution.Demo = "演示县人民医院", true
			in.AdminUsername, in.AdminPassword = "demo", "demo2026"
			for i := 0; i <= 3; i++ {
				progress(i, 3)
				progressed++
			}
			_, err := demoSvc.Setup.Initialize(context.Background(), in)
			return demoSvc, demoPath, err
		}})
	if s.setup.demo.Hidden {
		t.Fatal("demo button hidden although CreateDemo is set")
	}
	test.Tap(s.setup.demo)
	s.bg.Wait()
	if progressed != 4 {
		t.Errorf("progress called %d times", progressed)
	}
	if s.login == nil {
		t.Fatalf("demo did not switch to the login; dialog: %s", dialogText(s.win))
	}
	if got := s.win.Title(); got != "职业健康工作站 — 演示县人民医院 [演示数据]" {
		t.Errorf("title = %q", got)
	}
	if s.opts.ArchivePath != demoPath {
		t.Errorf("archive path = %q", s.opts.ArchivePath)
	}
	typeInto(s.login.username, "demo")
	typeInto(s.login.password, "demo2026")
	test.Tap(s.login.button)
	if s.shell == nil {
		t.Fatalf("demo login failed: %s", s.login.msg.Text)
	}
}

func TestLogin_MustChangePassword(t *testing.T) {
	a := newTestApp(t)
	svc, path := newTestServices(t)
	ctx := context.Background()
	if _, err := svc.Setup.Initialize(ctx, testSetup()); err != nil {
		t.Fatal(err)
	}
	admin, _ := svc.Auth.Login(ctx, testAdmin, testPassword)
	actx := app.NewContextWithUser(ctx, admin)
	clerk := &app.User{Username: "wang", Name: "王登记", Roles: []app.Role{app.RoleRegistrar}}
	if err := svc.Users.CreateUser(actx, clerk, "first2026"); err != nil {
		t.Fatal(err)
	}
	if err := svc.Users.ResetPassword(actx, clerk.ID, "reset2026"); err != nil {
		t.Fatal(err)
	}
	s := start(a, StartOptions{Services: svc, ArchivePath: path})
	typeInto(s.login.username, "wang")
	typeInto(s.login.password, "reset2026")
	pressEnter(s.login.password)
	if s.shell != nil {
		t.Fatal("a reset password went straight to the shell")
	}
	if !markupHas(s.win, "设置新密码并继续") {
		t.Fatalf("no forced password change:\n%s", test.RenderToMarkup(s.win.Canvas()))
	}
	pf := s.forced
	typeInto(pf.new1, "reset2026")
	if !strings.Contains(pf.n1.Text, "不能与原密码相同") {
		t.Errorf("same password: message %q", pf.n1.Text)
	}
	pf.new1.SetText("")
	typeInto(pf.new1, "mine2026x")
	typeInto(pf.new2, "mine2026x")
	test.Tap(findButton(t, s.win, "设置新密码并继续"))
	if s.shell == nil {
		t.Fatalf("forced change did not continue: %q %q", pf.n1.Text, dialogText(s.win))
	}
	if u, err := svc.Auth.Login(ctx, "wang", "mine2026x"); err != nil || u.MustChangePassword {
		t.Errorf("new password: %v %+v", err, u)
	}
}

func TestShell_ChangePasswordDialog(t *testing.T) {
	s := loginAs(t, app.RoleRegistrar)
	test.Tap(findButton(t, s.win, "修改密码"))
	pf := s.shell.pwForm
	typeInto(pf.old, "wrong2026")
	typeInto(pf.new1, "next2026a")
	typeInto(pf.new2, "next2026a")
	test.Tap(pf.okBtn)
	if !strings.Contains(pf.oldMsg.Text, "") || pf.oldMsg.Text == "" {
		t.Fatalf("wrong old password: no message; dialog %q", dialogText(s.win))
	}
	pf.old.SetText("clerk2026")
	test.Tap(pf.okBtn)
	if !strings.Contains(dialogText(s.win), "密码已修改") {
		t.Fatalf("no confirmation: %q", dialogText(s.win))
	}
	if _, err := s.opts.Services.Auth.Login(context.Background(), "clerk", "next2026a"); err != nil {
		t.Errorf("login with the new password: %v", err)
	}
}
