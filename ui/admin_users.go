package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

func init() {
	registerScreen(ScreenDef{
		ID: "admin_users", Group: "系统管理", Title: "用户管理", Order: 10,
		Roles:  []app.Role{app.RoleAdmin},
		Action: "UserService.FindUsers",
		New:    func(env *Env) fyne.CanvasObject { return newUserScreen(env).content() },
	})
}

// userScreen lists every user, disabled ones included, beside the form of one of them.
type userScreen struct {
	env   *Env
	users []*app.User
	list  *widget.List
	count *widget.Label
	form  *userForm
}

func newUserScreen(env *Env) *userScreen {
	v := &userScreen{env: env, count: widget.NewLabel("")}
	v.count.Wrapping = fyne.TextWrapBreak
	v.list = widget.NewList(
		func() int { return len(v.users) },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			name.Truncation = fyne.TextTruncateEllipsis
			state := widget.NewLabel("")
			state.Importance = widget.DangerImportance
			sub := widget.NewLabel("")
			sub.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(container.NewBorder(nil, nil, nil, state, name), sub)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			u := v.users[i]
			c := o.(*fyne.Container)
			top := c.Objects[0].(*fyne.Container)
			top.Objects[0].(*widget.Label).SetText(u.Name + "（" + u.Username + "）")
			state := top.Objects[1].(*widget.Label)
			if u.Disabled {
				state.SetText("已停用")
			} else {
				state.SetText("")
			}
			c.Objects[1].(*widget.Label).SetText(adminRoleNames(u.Roles))
		})
	v.form = newUserForm(env, v.reload)
	v.list.OnSelected = func(i widget.ListItemID) {
		u := v.users[i]
		v.form.confirmDiscard(func() { v.form.load(u) })
	}
	v.reload()
	env.setActions(v.form.save, func() { v.form.confirmDiscard(v.form.clear) })
	return v
}

func (v *userScreen) content() fyne.CanvasObject {
	newBtn := widget.NewButton("新建用户", func() { v.form.confirmDiscard(v.form.clear) })
	left := container.NewBorder(container.NewVBox(heading("用户管理"), adminRow(newBtn), v.count), nil, nil, nil, v.list)
	split := container.NewHSplit(left, v.form.content())
	split.Offset = 0.3
	return split
}

// reload reads the user list again (after a save, a disable or a reset).
func (v *userScreen) reload() {
	users, err := v.env.Services.Users.FindUsers(v.env.Ctx, app.UserFilter{IncludeDisabled: true})
	if err != nil {
		v.users = nil
		v.count.SetText(app.ErrorMessage(err))
	} else {
		v.users = users
		disabled := 0
		for _, u := range users {
			if u.Disabled {
				disabled++
			}
		}
		v.count.SetText(fmt.Sprintf("共 %d 个用户，其中已停用 %d 个", len(users), disabled))
	}
	v.list.UnselectAll()
	v.list.Refresh()
}

// userForm creates a user or edits the one loaded.
type userForm struct {
	env     *Env
	changed func() // after every successful write
	current *app.User
	dirty   bool

	title              *widget.Label
	state              *widget.Label
	username, name     *widget.Entry
	password, confirm  *widget.Entry
	passwordRows       *fyne.Container
	roles              []*widget.Check // one per app.Roles, in that order
	rolesBox           *fyne.Container
	quals              []*qualRow
	qualBox            *fyne.Container
	addQual            *widget.Button
	saveBtn, disable   *widget.Button
	resetPw            *widget.Button
	status             *widget.Label
	qualWarn           *widget.Label // expired or soon-expiring qualifications of the loaded user
	categories         []string      // the 2024 disease catalog's categories, for the check list
	resetDlg           *adminDialog
	resetPw1, resetPw2 *widget.Entry
}

func newUserForm(env *Env, changed func()) *userForm {
	f := &userForm{env: env, changed: changed, categories: diseaseCategories(env.Services.Catalogs)}
	f.title = heading("新建用户")
	f.state = widget.NewLabel("")
	f.state.Importance = widget.DangerImportance
	f.username = widget.NewEntry()
	f.username.SetPlaceHolder("登录名：字母、数字或 . _ -")
	f.name = widget.NewEntry()
	f.name.SetPlaceHolder("真实姓名，打印在签名文书上")
	f.password = widget.NewPasswordEntry()
	f.password.SetPlaceHolder(fmt.Sprintf("至少 %d 位，含字母和数字", app.MinPasswordLength))
	f.confirm = widget.NewPasswordEntry()
	f.confirm.SetPlaceHolder("再输入一次")
	// The roles as a check list in a grid of four columns: ten in one row do not fit a
	// 1024-pixel screen.
	f.rolesBox = container.NewGridWithColumns(4)
	for _, r := range app.Roles {
		c := widget.NewCheck(r.Name(), func(bool) { f.dirty = true })
		f.roles = append(f.roles, c)
		f.rolesBox.Add(c)
	}
	for _, e := range []*widget.Entry{f.username, f.name, f.password, f.confirm} {
		e.OnChanged = func(string) { f.dirty = true }
	}
	f.qualBox = container.NewVBox()
	f.addQual = widget.NewButton("添加资格", func() { f.addQualRow(app.Qualification{}); f.dirty = true })
	f.saveBtn = widget.NewButton("保存（Ctrl+S）", f.save)
	f.saveBtn.Importance = widget.HighImportance
	f.disable = widget.NewButton("停用用户", f.toggleDisabled)
	f.resetPw = widget.NewButton("重置密码", f.showResetPassword)
	f.status = widget.NewLabel("")
	f.status.Wrapping = fyne.TextWrapBreak
	f.qualWarn = newMsg()
	f.passwordRows = formGrid(formRow{label: "初始密码", field: f.password}, formRow{label: "确认密码", field: f.confirm})
	f.clear()
	return f
}

func (f *userForm) content() fyne.CanvasObject {
	head := container.NewGridWithColumns(5,
		widget.NewLabelWithStyle("资格类别", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle("职业病类别", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle("证书编号", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle("有效期至", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabel(""))
	form := container.NewVBox(
		container.NewBorder(nil, nil, nil, f.state, f.title),
		formGrid(formRow{label: "用户名", field: f.username}, formRow{label: "姓名", field: f.name}),
		f.passwordRows,
		formGrid(formRow{label: "角色", field: f.rolesBox}),
		heading("资格"),
		head, f.qualBox, f.qualWarn, adminRow(f.addQual),
		widget.NewSeparator(),
		adminRow(f.saveBtn, f.disable, f.resetPw),
		f.status,
	)
	return container.NewVScroll(container.NewPadded(form))
}

// clear empties the form for a new user.
func (f *userForm) clear() {
	f.current = nil
	f.title.SetText("新建用户")
	f.state.SetText("")
	f.username.SetText("")
	f.username.Enable()
	f.name.SetText("")
	f.password.SetText("")
	f.confirm.SetText("")
	f.passwordRows.Show()
	f.setRoles(nil)
	f.setQuals(nil)
	setWarn(f.qualWarn, "")
	f.disable.Hide()
	f.resetPw.Hide()
	f.status.SetText("")
	f.dirty = false
}

// load shows u for editing. The version read is kept for UpdateUser.
func (f *userForm) load(u *app.User) {
	f.current = u
	f.title.SetText("用户：" + u.Name + "（" + u.Username + "）")
	if u.Disabled {
		f.state.SetText("已停用")
		f.disable.SetText("启用用户")
	} else {
		f.state.SetText("")
		f.disable.SetText("停用用户")
	}
	f.username.SetText(u.Username)
	f.username.Disable() // the login name is the key of the audit log; it does not change
	f.name.SetText(u.Name)
	f.password.SetText("")
	f.confirm.SetText("")
	f.passwordRows.Hide()
	f.setRoles(u.Roles)
	f.setQuals(u.Qualifications)
	setWarn(f.qualWarn, qualificationWarnings(u.Qualifications, f.env.Now()))
	f.disable.Show()
	f.resetPw.Show()
	f.status.SetText("")
	f.dirty = false
}

// confirmDiscard runs next at once when nothing was typed, else after the user agrees to
// discard the typed changes.
func (f *userForm) confirmDiscard(next func()) {
	if !f.dirty {
		next()
		return
	}
	adminConfirm(f.env.Window, "放弃修改", "表单中有未保存的修改，放弃这些修改吗？", "放弃修改", next)
}

// selectedRoles returns the ticked roles in display order, whatever order they were ticked in.
func (f *userForm) selectedRoles() []app.Role {
	var out []app.Role
	for i, r := range app.Roles {
		if f.roles[i].Checked {
			out = append(out, r)
		}
	}
	return out
}

func (f *userForm) setRoles(roles []app.Role) {
	for i, r := range app.Roles {
		f.roles[i].SetChecked(false)
		for _, x := range roles {
			if x == r {
				f.roles[i].SetChecked(true)
			}
		}
	}
}

// save creates the user or saves the edits with the version read; ECONFLICT and every other
// error is shown with its Chinese message and the typed values stay in the form.
func (f *userForm) save() {
	quals, err := f.qualifications()
	if err != nil {
		showError(f.env.Window, err)
		return
	}
	name := strings.TrimSpace(f.name.Text)
	roles := f.selectedRoles()
	if f.current == nil {
		if f.password.Text != f.confirm.Text {
			showError(f.env.Window, app.FieldError("确认密码", "两次输入的密码不一致"))
			return
		}
		if err := app.CheckPassword(f.password.Text); err != nil {
			showError(f.env.Window, err)
			return
		}
		u := &app.User{Username: strings.TrimSpace(f.username.Text), Name: name, Roles: roles, Qualifications: quals}
		if err := f.env.Services.Users.CreateUser(f.env.Ctx, u, f.password.Text); err != nil {
			showError(f.env.Window, err)
			return
		}
		f.changed()
		f.load(u)
		f.status.SetText("已新建用户“" + u.Username + "”")
		return
	}
	u, err := f.env.Services.Users.UpdateUser(f.env.Ctx, f.current.ID, f.current.Version, app.UserUpdate{Name: &name, Roles: &roles, Qualifications: &quals})
	if app.ErrorCode(err) == app.ECONFLICT {
		// Keep what was typed, show what the other change left, and take its version: the
		// next save, after checking, writes the form over it on purpose.
		if fresh, ferr := f.env.Services.Users.FindUserByID(f.env.Ctx, f.current.ID); ferr == nil {
			f.current = fresh
			f.status.SetText(fmt.Sprintf("另一位管理员已修改该用户，现在是：姓名 %s；角色 %s；资格 %d 项%s。核对后再次保存，将以表单中的内容为准。",
				fresh.Name, adminRoleNames(fresh.Roles), len(fresh.Qualifications), map[bool]string{true: "；已停用", false: ""}[fresh.Disabled]))
			f.changed()
		}
		showError(f.env.Window, err)
		return
	}
	if err != nil {
		showError(f.env.Window, err)
		return
	}
	f.changed()
	f.load(u)
	f.status.SetText("已保存")
}

// toggleDisabled disables (after a confirmation) or re-enables the loaded user.
func (f *userForm) toggleDisabled() {
	u := f.current
	if u == nil {
		return
	}
	apply := func() {
		if err := f.env.Services.Users.SetUserDisabled(f.env.Ctx, u.ID, !u.Disabled); err != nil {
			showError(f.env.Window, err)
			return
		}
		fresh, err := f.env.Services.Users.FindUserByID(f.env.Ctx, u.ID)
		if err != nil {
			showError(f.env.Window, err)
			return
		}
		f.changed()
		f.load(fresh)
		if fresh.Disabled {
			f.status.SetText("已停用“" + fresh.Username + "”：该用户不能再登录，其历史记录保留")
		} else {
			f.status.SetText("已启用“" + fresh.Username + "”")
		}
	}
	if u.Disabled {
		apply()
		return
	}
	adminConfirm(f.env.Window, "停用用户", "停用“"+u.Name+"（"+u.Username+"）”？\n停用后该用户不能登录；其签名和历史记录保留，可随时重新启用。", "停用", apply)
}

// showResetPassword asks for the new password twice and sets it; the user must change it at
// the next login.
func (f *userForm) showResetPassword() {
	u := f.current
	if u == nil {
		return
	}
	f.resetPw1 = widget.NewPasswordEntry()
	f.resetPw1.SetPlaceHolder(fmt.Sprintf("至少 %d 位，含字母和数字", app.MinPasswordLength))
	f.resetPw2 = widget.NewPasswordEntry()
	f.resetPw2.SetPlaceHolder("再输入一次")
	body := container.NewVBox(
		widget.NewLabel("为“"+u.Name+"（"+u.Username+"）”设置新密码。该用户下次登录时须修改密码。"),
		formGrid(formRow{label: "新密码", field: f.resetPw1}, formRow{label: "确认新密码", field: f.resetPw2}),
	)
	f.resetDlg = newAdminDialog(f.env.Window, "重置密码", "重置密码", body, func() error {
		if f.resetPw1.Text != f.resetPw2.Text {
			return app.FieldError("确认新密码", "两次输入的密码不一致")
		}
		if err := app.CheckPassword(f.resetPw1.Text); err != nil {
			return err
		}
		if err := f.env.Services.Users.ResetPassword(f.env.Ctx, u.ID, f.resetPw1.Text); err != nil {
			return err
		}
		if fresh, err := f.env.Services.Users.FindUserByID(f.env.Ctx, u.ID); err == nil {
			f.changed()
			f.load(fresh)
		}
		if f.env.User != nil && u.ID == f.env.User.ID {
			f.status.SetText("已重置您本人的密码")
		} else {
			f.status.SetText("已重置“" + u.Username + "”的密码；该用户下次登录时须修改密码")
		}
		return nil
	})
	f.resetDlg.show(480)
	f.env.Window.Canvas().Focus(f.resetPw1)
}
