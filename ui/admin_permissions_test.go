package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"occhealth/app"
)

func TestAdminPermissions_Table(t *testing.T) {
	env := newTestEnv(t)
	w := env.Window
	v := newPermissionScreen(env)
	show(env, v.content())
	for _, s := range []string{"操作", "管理员", "登记员", "查看用户列表", "全部"} {
		if !markupHas(w, s) {
			t.Errorf("%q not on screen", s)
		}
	}
	// Cells follow the table: a restore is the administrator's alone; changing one's own
	// password is everyone's, on their own record.
	row := func(action string) int {
		for i, p := range app.PermissionTable {
			if p.Action == action {
				return i
			}
		}
		t.Fatalf("no row %s", action)
		return -1
	}
	col := func(r app.Role) int {
		for i, x := range app.Roles {
			if x == r {
				return i + 1
			}
		}
		return -1
	}
	if got := permissionCell(row("BackupService.Restore"), col(app.RoleAdmin)); got != "全部" {
		t.Errorf("restore × admin = %q", got)
	}
	if got := permissionCell(row("BackupService.Restore"), col(app.RoleRegistrar)); got != "" {
		t.Errorf("restore × registrar = %q", got)
	}
	if got := permissionCell(row("UserService.ChangePassword"), col(app.RoleFollowUpNurse)); got != "本人" {
		t.Errorf("change password × nurse = %q", got)
	}

	adminTapButton(t, w, "复制整张表（可粘贴到 Excel 打印）")
	text := fyne.CurrentApp().Clipboard().Content()
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) != len(app.PermissionTable)+1 || !strings.HasPrefix(lines[0], "操作\t登记员\t") || !strings.HasSuffix(lines[0], "程序方法") {
		t.Fatalf("copied %d lines, header %q", len(lines), lines[0])
	}
	if !strings.Contains(text, "\tBackupService.Restore\n") || !strings.Contains(v.status.Text, "已复制权限表") {
		t.Errorf("copied text or status wrong: %q", v.status.Text)
	}
}
