package ui

import (
	"strings"
	"testing"
	"time"

	"occhealth/app"
)

func TestAdminUsers_CreateEditDisableReset(t *testing.T) {
	env := newTestEnv(t)
	v := newUserScreen(env)
	show(env, v.content())
	f := v.form
	w := env.Window
	if len(v.users) != 1 || !strings.Contains(v.count.Text, "共 1 个用户") {
		t.Fatalf("initial list: %d users, %q", len(v.users), v.count.Text)
	}

	// Create 张三 with two roles and a qualification, by typing and tapping.
	adminTapButton(t, w, "新建用户")
	typeInto(f.username, "zhangsan")
	typeInto(f.name, "张三")
	typeInto(f.password, "abc12345x")
	typeInto(f.confirm, "abc12345y")
	adminTapCheck(t, w, "体检医生")
	adminTapCheck(t, w, "诊断医师")
	adminTapButton(t, w, "添加资格")
	if len(f.quals) != 1 {
		t.Fatalf("qualification rows = %d", len(f.quals))
	}
	q := f.quals[0]
	q.kind.SetSelected("职业病诊断医师资格")
	adminTapButton(t, w, "选择…")
	adminTapCheck(t, w, "职业性尘肺病及其他呼吸系统疾病")
	adminTapCheck(t, w, "职业性化学中毒")
	adminTapButton(t, w, "确定")
	if q.cats.Text != "职业性尘肺病及其他呼吸系统疾病、职业性化学中毒" {
		t.Fatalf("categories picked = %q", q.cats.Text)
	}
	typeInto(q.number, "ZD-2024-0018")
	typeInto(q.until, "2028/6/30")

	// Mismatched passwords are refused with a Chinese message, the form kept.
	adminTapButton(t, w, "保存（Ctrl+S）")
	if !adminDialogHas(w, "两次输入的密码不一致") {
		t.Fatalf("password mismatch dialog = %q", dialogText(w))
	}
	closeDialogs(w)
	f.confirm.SetText("")
	typeInto(f.confirm, "abc12345x")
	adminTapButton(t, w, "保存（Ctrl+S）")
	if !strings.HasPrefix(f.status.Text, "已新建用户") {
		t.Fatalf("create: status %q, dialog %q", f.status.Text, dialogText(w))
	}
	if len(v.users) != 2 {
		t.Fatalf("list after create: %d users", len(v.users))
	}
	u := f.current
	if u == nil || u.ID == 0 {
		t.Fatal("the created user is not loaded in the form")
	}
	stored, err := env.Services.Users.FindUserByID(env.Ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored.Roles) != 2 || stored.Roles[0] != app.RoleExamDoctor || stored.Roles[1] != app.RoleDiagnosisPhysician {
		t.Errorf("stored roles = %v", stored.Roles)
	}
	if len(stored.Qualifications) != 1 {
		t.Fatalf("stored qualifications = %+v", stored.Qualifications)
	}
	sq := stored.Qualifications[0]
	if sq.Kind != "职业病诊断医师资格" || len(sq.Categories) != 2 || sq.Number != "ZD-2024-0018" || !sq.ValidUntil.Equal(time.Date(2028, 6, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("stored qualification = %+v", sq)
	}
	// A second user with the same login name: ECONFLICT shown in Chinese.
	adminTapButton(t, w, "新建用户")
	typeInto(f.username, "zhangsan")
	typeInto(f.name, "张三二")
	typeInto(f.password, "abc12345x")
	typeInto(f.confirm, "abc12345x")
	adminTapCheck(t, w, "登记员")
	adminTapButton(t, w, "保存（Ctrl+S）")
	if !adminDialogHas(w, "用户名“zhangsan”已存在") {
		t.Fatalf("duplicate username dialog = %q", dialogText(w))
	}
	closeDialogs(w)

	// Edit: load 张三 from the list, add a role; another administrator's change first gives
	// ECONFLICT with the typed values kept.
	f.dirty = false
	v.list.Select(1)
	if f.current == nil || f.current.Username != "zhangsan" || f.username.Disabled() == false {
		t.Fatalf("selecting the list row did not load zhangsan: %+v", f.current)
	}
	if _, err := env.Services.Users.UpdateUser(env.Ctx, u.ID, f.current.Version, app.UserUpdate{}); err != nil {
		t.Fatal(err)
	}
	adminTapCheck(t, w, "主检医师")
	adminTapButton(t, w, "保存（Ctrl+S）")
	if !adminDialogHas(w, "数据冲突") && !strings.Contains(dialogText(w), "已被") {
		t.Errorf("conflict dialog = %q", dialogText(w))
	}
	if !f.roles[2].Checked {
		t.Error("typed roles lost after the conflict")
	}
	if !strings.Contains(f.status.Text, "另一位管理员已修改该用户") {
		t.Errorf("status after the conflict = %q", f.status.Text)
	}
	closeDialogs(w)
	// Saving again after checking writes the form.
	adminTapButton(t, w, "保存（Ctrl+S）")
	if f.status.Text != "已保存" || len(f.current.Roles) != 3 {
		t.Fatalf("edit: status %q roles %v dialog %q", f.status.Text, f.current.Roles, dialogText(w))
	}

	// Disable (after a confirmation); the list shows 已停用.
	adminTapButton(t, w, "停用用户")
	adminTapButton(t, w, "停用")
	if !f.current.Disabled || f.state.Text != "已停用" {
		t.Fatalf("disable: %+v, status %q", f.current, f.status.Text)
	}
	if !strings.Contains(v.count.Text, "已停用 1 个") || !markupHas(w, "已停用") {
		t.Errorf("list after disable: %q", v.count.Text)
	}
	if _, err := env.Services.Auth.Login(env.Ctx, "zhangsan", "abc12345x"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("a disabled user logged in: %v", err)
	}
	// The administrator cannot disable themself: the store's Chinese message is shown.
	f.dirty = false
	v.list.Select(0)
	adminTapButton(t, w, "停用用户")
	adminTapButton(t, w, "停用")
	if !adminDialogHas(w, "不能停用自己") {
		t.Errorf("self-disable dialog = %q", dialogText(w))
	}
	closeDialogs(w)

	// Nor take away their own 管理员 role.
	f.dirty = false
	v.list.Select(0)
	adminTapCheck(t, w, "登记员")
	adminTapCheck(t, w, "管理员")
	adminTapButton(t, w, "保存（Ctrl+S）")
	if !adminDialogHas(w, "不能取消自己的管理员角色") {
		t.Errorf("own admin role dialog = %q", dialogText(w))
	}
	closeDialogs(w)
	f.dirty = false

	// Re-enable and reset the password: the dialog needs the new password twice.
	v.list.Select(1)
	adminTapButton(t, w, "启用用户")
	if f.current.Disabled {
		t.Fatal("enable did not take")
	}
	adminTapButton(t, w, "重置密码")
	typeInto(f.resetPw1, "newpass2026")
	typeInto(f.resetPw2, "newpass2027")
	adminTapButton(t, w, "重置密码") // the dialog's button, on top
	if !strings.Contains(f.resetDlg.msg.Text, "两次输入的密码不一致") {
		t.Fatalf("reset mismatch message = %q", f.resetDlg.msg.Text)
	}
	f.resetPw2.SetText("")
	typeInto(f.resetPw2, "newpass2026")
	adminTapButton(t, w, "重置密码")
	if !strings.Contains(f.status.Text, "已重置“zhangsan”的密码") {
		t.Fatalf("reset: status %q, message %q", f.status.Text, f.resetDlg.msg.Text)
	}
	got, err := env.Services.Auth.Login(env.Ctx, "zhangsan", "newpass2026")
	if err != nil {
		t.Fatalf("login with the reset password: %v", err)
	}
	if !got.MustChangePassword {
		t.Error("a reset password must be changed at the next login")
	}
}

func TestAdminUsers_QualificationWarnings(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		q    []app.Qualification
		want string
	}{
		{nil, ""},
		{[]app.Qualification{{Kind: "执业医师"}}, ""}, // no expiry date
		{[]app.Qualification{{Kind: "主检医师", ValidUntil: day(2027, 6, 1)}}, ""},
		{[]app.Qualification{{Kind: "主检医师", ValidUntil: day(2026, 11, 30)}}, "将于 2026-11-30 到期"}, // valid through the day
		{[]app.Qualification{{Kind: "主检医师", ValidUntil: day(2026, 11, 28)}}, "“主检医师”已于 2026-11-28 过期"},
		{[]app.Qualification{{Kind: "执业护士", ValidUntil: day(2027, 1, 15)}}, "“执业护士”将于 2027-01-15 到期"},
	} {
		got := qualificationWarnings(tc.q, now)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%+v: %q, want %q", tc.q, got, tc.want)
		}
	}
}
