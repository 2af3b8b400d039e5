package ui

import (
	"path/filepath"
	"strings"
	"testing"

	"occhealth/app"
	"occhealth/app/catalog"
)

func TestAdminBackup_SettingsBackupRestore(t *testing.T) {
	env := newAdminEnv(t) // a catalog set of its own: the restore resets catalogs
	w := env.Window
	v := newBackupScreen(env)
	show(env, v.content())
	if v.keepDaily.Text != "7" || v.keepWeek.Text != "4" || v.keepMonth.Text != "12" || !v.daily.Checked {
		t.Fatalf("default settings shown: %q %q %q %v", v.keepDaily.Text, v.keepWeek.Text, v.keepMonth.Text, v.daily.Checked)
	}
	if !strings.Contains(v.listMsg.Text, "还没有备份") || !v.restoreBtn.Disabled() {
		t.Fatalf("empty list: %q", v.listMsg.Text)
	}

	// Settings: a count out of range is refused with the field's Chinese message.
	v.keepDaily.SetText("")
	typeInto(v.keepDaily, "0")
	adminTapButton(t, w, "保存设置")
	if !adminDialogHas(w, "保留每日备份：应为 1–366") {
		t.Fatalf("bad count dialog = %q", dialogText(w))
	}
	closeDialogs(w)
	adminTapButton(t, w, "选择文件夹…")
	if w.Canvas().Overlays().Top() == nil {
		t.Error("选择文件夹… opened no dialog")
	}
	closeDialogs(w)
	second := filepath.Join(t.TempDir(), "U盘备份")
	v.keepDaily.SetText("")
	typeInto(v.keepDaily, "10")
	typeInto(v.secondDir, second)
	adminTapCheck(t, w, "登录后自动做每日备份（在后台进行，不影响使用）")
	adminTapButton(t, w, "保存设置")
	if v.settingsMsg.Text != "备份设置已保存" {
		t.Fatalf("save settings: %q %q", v.settingsMsg.Text, dialogText(w))
	}
	s, err := env.Services.Backup.BackupSettings(env.Ctx)
	if err != nil || s.KeepDaily != 10 || s.SecondDir != second || s.Daily {
		t.Fatalf("stored settings %+v %v", s, err)
	}

	// 立即备份 runs in the background, then shows the result and lists the backup.
	v.background = func(work func()) { work() } // see runInBackground
	adminTapButton(t, w, "立即备份")
	if !strings.HasPrefix(v.result.Text, "备份完成") || !strings.Contains(v.result.Text, "已重新打开校验") || !strings.Contains(v.result.Text, "已复制到第二位置") {
		t.Fatalf("backup result = %q", v.result.Text)
	}
	if len(v.backups) != 1 || v.backups[0].Kind != app.BackupManual || !v.backups[0].Verified {
		t.Fatalf("backups listed: %+v", v.backups)
	}
	if !strings.Contains(v.result.Text, app.ShortHash(v.backups[0].AuditHead)) {
		t.Errorf("result lacks the audit head: %q", v.result.Text)
	}
	if !markupHas(w, "手动") || !markupHas(w, filepath.Base(v.backups[0].Path)) || !markupHas(w, "已校验") {
		t.Error("the backup is not shown in the table")
	}

	// Something written after the backup, which the restore takes away: a user and a
	// catalog edit.
	u := &app.User{Username: "wangwu", Name: "王五", Roles: []app.Role{app.RoleRegistrar}}
	if err := env.Services.Users.CreateUser(env.Ctx, u, "abc12345x"); err != nil {
		t.Fatal(err)
	}
	sex, _ := env.Services.Catalogs.Catalog(catalog.Sex)
	sex = cloneCatalog(sex)
	sex.Entries[1].Name += "（改）"
	if err := env.Services.Catalog.SaveCatalog(env.Ctx, sex, "测试"); err != nil {
		t.Fatal(err)
	}

	// Restore: the institution's name must be typed.
	v.table.Select(widgetCell(0, 0))
	if v.restoreBtn.Disabled() {
		t.Fatal("restore not offered for a selected backup")
	}
	adminTapButton(t, w, "从备份恢复…")
	if !adminDialogHas(w, "恢复前会先自动备份当前档案") {
		t.Errorf("restore warning = %q", dialogText(w))
	}
	typeInto(v.restoreConfirm, "闽清县")
	adminTapButton(t, w, "恢复")
	if !strings.Contains(v.restoreDlg.msg.Text, "输入的机构名称与“闽清县职业病防治院”不一致") {
		t.Fatalf("wrong confirmation: %q", v.restoreDlg.msg.Text)
	}
	loggedOut := false
	env.Logout = func() { loggedOut = true }
	typeInto(v.restoreConfirm, "职业病防治院")
	adminTapButton(t, w, "恢复")
	if v.restoreDone.Text != "恢复完成" {
		t.Fatalf("restore: %q, dialog %q", v.restoreDone.Text, dialogText(w))
	}
	if !adminDialogHas(w, "点击“确定”后返回登录界面") {
		t.Errorf("after restore dialog = %q", dialogText(w))
	}
	adminTapButton(t, w, "确定")
	if !loggedOut {
		t.Error("closing the restore message did not end the session")
	}
	if e, _ := env.Services.Catalogs.Lookup(catalog.Sex, sex.Entries[1].Code); strings.Contains(e.Name, "（改）") {
		t.Errorf("the catalog edit made after the backup is still in force: %+v", e)
	}
	users, err := env.Services.Users.FindUsers(env.Ctx, app.UserFilter{IncludeDisabled: true})
	if err != nil || len(users) != 1 {
		t.Errorf("users after restore: %d %v", len(users), err)
	}
	// (The test clock stands still, so both backups have the same time.)
	if len(v.backups) != 2 || (v.backups[0].Kind != app.BackupPreRestore && v.backups[1].Kind != app.BackupPreRestore) {
		t.Errorf("after restore the list should show the pre-restore backup: %+v", v.backups)
	}
	if !markupHas(w, "恢复前") {
		t.Error("the pre-restore backup is not shown")
	}
}
