package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

func init() {
	registerScreen(ScreenDef{
		ID: "admin_permissions", Group: "系统管理", Title: "权限表", Order: 50,
		Roles:  []app.Role{app.RoleAdmin},
		Action: "UserService.FindUsers", // the table is for those who assign roles
		New:    func(env *Env) fyne.CanvasObject { return newPermissionScreen(env).content() },
	})
}

// permissionScreen shows app.PermissionTable read-only: one row per action, one column per
// role, the scope's Chinese name where the role may call the action.
type permissionScreen struct {
	env    *Env
	table  *widget.Table
	copyBt *widget.Button
	status *widget.Label
}

func newPermissionScreen(env *Env) *permissionScreen {
	v := &permissionScreen{env: env, status: widget.NewLabel("")}
	cols := []adminColumn{{permissionHeader(0), 200}}
	for c := range app.Roles {
		cols = append(cols, adminColumn{permissionHeader(c + 1), 110})
	}
	v.table = newAdminTable(cols, func() int { return len(app.PermissionTable) }, func(id widget.TableCellID, l *widget.Label) {
		l.SetText(permissionCell(id.Row, id.Col))
	})
	v.copyBt = widget.NewButton("复制整张表（可粘贴到 Excel 打印）", func() {
		fyne.CurrentApp().Clipboard().SetContent(permissionText())
		v.status.SetText("已复制权限表：共 " + strconv.Itoa(len(app.PermissionTable)) + " 项操作 × " + strconv.Itoa(len(app.Roles)) + " 个角色")
	})
	return v
}

func (v *permissionScreen) content() fyne.CanvasObject {
	note := widget.NewLabel("每一行是一项操作，每一列是一个角色；格中写明该角色可操作的范围，空白表示无权操作。" +
		"此表就是程序检查权限所依据的数据，图形界面和命令行按同一张表执行。一个用户有多个角色时取其中最宽的范围。")
	note.Wrapping = fyne.TextWrapBreak
	top := container.NewVBox(heading("权限表"), note, adminRow(v.copyBt, v.status))
	return container.NewBorder(top, nil, nil, nil, v.table)
}

func permissionHeader(col int) string {
	if col == 0 {
		return "操作"
	}
	if col-1 < len(app.Roles) {
		return app.Roles[col-1].Name()
	}
	return ""
}

func permissionCell(row, col int) string {
	if row < 0 || row >= len(app.PermissionTable) {
		return ""
	}
	p := app.PermissionTable[row]
	if col == 0 {
		return p.Title
	}
	if col-1 >= len(app.Roles) {
		return ""
	}
	if s, ok := p.Roles[app.Roles[col-1]]; ok {
		return s.Name()
	}
	return ""
}

// permissionText is the table as tab-separated text with a header line; the last column
// names the service method, for whoever checks the table against the code.
func permissionText() string {
	var b strings.Builder
	cols := len(app.Roles) + 1
	for c := 0; c < cols; c++ {
		b.WriteString(permissionHeader(c) + "\t")
	}
	b.WriteString("程序方法\n")
	for r, p := range app.PermissionTable {
		for c := 0; c < cols; c++ {
			b.WriteString(permissionCell(r, c) + "\t")
		}
		b.WriteString(p.Action + "\n")
	}
	return b.String()
}
