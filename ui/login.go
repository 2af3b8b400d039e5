package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

// loginTitleSize is the size of the program name on the login screen: large, so that the
// end-to-end check can read it back from a screenshot with OCR.
const loginTitleSize = 44

// loginScreen asks for username and password. Enter in the password field logs in: a
// password field takes no input-method composition, so Enter there is always meant.
type loginScreen struct {
	s        *starter
	username *widget.Entry
	password *widget.Entry
	msg      *widget.Label
	button   *widget.Button
}

func newLoginScreen(s *starter) *loginScreen {
	l := &loginScreen{s: s}
	l.username = widget.NewEntry()
	l.username.SetPlaceHolder("用户名")
	l.password = widget.NewPasswordEntry()
	l.password.SetPlaceHolder("密码")
	l.password.OnSubmitted = func(string) { l.submit() }
	// Enter in the username field only moves on (an input method may pass Enter through).
	l.username.OnSubmitted = func(string) { s.win.Canvas().Focus(l.password) }
	l.msg = newMsg()
	l.button = widget.NewButton("登录", l.submit)
	l.button.Importance = widget.HighImportance
	return l
}

func (l *loginScreen) content() fyne.CanvasObject {
	th := l.s.app.Settings().Theme()
	fg := th.Color(theme.ColorNameForeground, l.s.app.Settings().ThemeVariant())
	title := canvas.NewText(AppTitle, fg)
	title.TextSize = loginTitleSize
	title.Alignment = fyne.TextAlignCenter
	items := []fyne.CanvasObject{container.NewCenter(title)}
	if in := l.s.status.Institution; in != nil {
		items = append(items, widget.NewLabelWithStyle(in.Name, fyne.TextAlignCenter, fyne.TextStyle{}))
	}
	if l.s.status.Demo {
		demo := widget.NewLabelWithStyle("演示数据：本档案中的单位和人员均为虚构", fyne.TextAlignCenter, fyne.TextStyle{})
		demo.Importance = widget.WarningImportance
		items = append(items, demo)
		if l.s.status.DemoUsername != "" {
			items = append(items, widget.NewLabelWithStyle(
				"演示账号："+l.s.status.DemoUsername+"　密码："+l.s.status.DemoPassword,
				fyne.TextAlignCenter, fyne.TextStyle{Bold: true}))
		}
	}
	form := formGrid(
		formRow{"用户名", l.username, nil},
		formRow{"密码", l.password, nil},
	)
	if l.s.server != "" {
		mode := widget.NewLabelWithStyle("联网：服务器 "+l.s.server, fyne.TextAlignCenter, fyne.TextStyle{})
		items = append(items, mode)
	}
	if l.s.repin != nil {
		note := widget.NewLabelWithStyle("请以管理员身份登录，确认信任服务器的新证书", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		note.Importance = widget.WarningImportance
		items = append(items, note)
	}
	items = append(items, canvas.NewRectangle(color.Transparent), withWidth(380, form), l.msg, l.button)
	center := container.NewCenter(container.NewVBox(items...))
	if c := l.s.conn; c != nil {
		return container.NewBorder(c.banner, c.bottom(), nil, nil, center)
	}
	return center
}

func (l *loginScreen) submit() {
	name := strings.TrimSpace(l.username.Text)
	if name == "" {
		setMsg(l.msg, "请输入用户名")
		l.s.win.Canvas().Focus(l.username)
		return
	}
	u, err := l.s.opts.Services.Auth.Login(l.s.baseContext(), name, l.password.Text)
	if err != nil {
		setMsg(l.msg, app.ErrorMessage(err))
		l.password.SetText("")
		l.s.win.Canvas().Focus(l.password)
		return
	}
	setMsg(l.msg, "")
	if u.MustChangePassword {
		l.s.forced = newPasswordForm(l.s, u, l.password.Text)
		l.s.win.SetContent(l.s.forced.forcedContent())
		return
	}
	l.s.loggedIn(u)
}

// passwordForm changes the logged-in user's own password. After an administrator's reset it
// is a whole screen that must be completed before anything else (forced); otherwise a dialog
// opened from the top bar.
type passwordForm struct {
	s               *starter
	u               *app.User
	oldKnown        string
	old, new1, new2 *widget.Entry
	oldMsg, n1, n2  *widget.Label
	okBtn           *widget.Button
}

func newPasswordForm(s *starter, u *app.User, oldPassword string) *passwordForm {
	f := &passwordForm{s: s, u: u, oldKnown: oldPassword}
	f.old = widget.NewPasswordEntry()
	f.old.OnChanged = func(string) { setMsg(f.oldMsg, "") }
	f.new1 = widget.NewPasswordEntry()
	f.new2 = widget.NewPasswordEntry()
	f.oldMsg, f.n1, f.n2 = newMsg(), newMsg(), newMsg()
	f.new1.OnChanged = func(string) {
		setMsg(f.n1, f.new1Problem())
		if f.new2.Text != "" {
			setMsg(f.n2, f.new2Problem())
		}
	}
	f.new2.OnChanged = func(string) { setMsg(f.n2, f.new2Problem()) }
	return f
}

func (f *passwordForm) new1Problem() string {
	if err := app.CheckPassword(f.new1.Text); err != nil {
		return fieldMessage(err)
	}
	if f.new1.Text == f.oldPassword() {
		return "新密码不能与原密码相同"
	}
	return ""
}

func (f *passwordForm) new2Problem() string {
	if f.new2.Text != f.new1.Text {
		return "两次输入的密码不一致"
	}
	return ""
}

func (f *passwordForm) oldPassword() string {
	if f.oldKnown != "" {
		return f.oldKnown
	}
	return f.old.Text
}

// save changes the password; it returns false (with the problems shown) when it did not.
func (f *passwordForm) save() bool {
	setMsg(f.n1, f.new1Problem())
	setMsg(f.n2, f.new2Problem())
	if f.new1Problem() != "" || f.new2Problem() != "" {
		return false
	}
	ctx := app.NewContextWithUser(f.s.baseContext(), f.u)
	if err := f.s.opts.Services.Users.ChangePassword(ctx, f.oldPassword(), f.new1.Text); err != nil {
		if app.ErrorCode(err) == app.EUNAUTHORIZED && f.oldKnown == "" {
			setMsg(f.oldMsg, app.ErrorMessage(err))
		} else {
			showError(f.s.win, err)
		}
		return false
	}
	f.u.MustChangePassword = false
	return true
}

// forcedContent is the screen shown after a login that must change the password first.
func (f *passwordForm) forcedContent() fyne.CanvasObject {
	note := widget.NewLabel("管理员重置了您的密码。请先设置一个只有您知道的新密码（至少 8 位，包含字母和数字）。")
	note.Wrapping = fyne.TextWrapWord
	ok := widget.NewButton("设置新密码并继续", func() {
		if f.save() {
			f.s.loggedIn(f.u)
		}
	})
	ok.Importance = widget.HighImportance
	back := widget.NewButton("返回登录", func() { f.s.showLogin(f.u.Username) })
	form := formGrid(
		formRow{"新密码", f.new1, f.n1},
		formRow{"再次输入新密码", f.new2, f.n2},
	)
	h := heading("修改密码：" + f.u.Name)
	return container.NewCenter(withWidth(520, container.NewVBox(h, note, form, container.NewHBox(ok, back))))
}

// showDialog opens the form as a dialog (修改密码 in the top bar).
func (f *passwordForm) showDialog() {
	form := formGrid(
		formRow{"原密码", f.old, f.oldMsg},
		formRow{"新密码", f.new1, f.n1},
		formRow{"再次输入新密码", f.new2, f.n2},
	)
	var d *dialog.CustomDialog
	f.okBtn = widget.NewButton("保存", func() {
		if f.save() {
			d.Hide()
			dialog.ShowInformation("修改密码", "密码已修改。下次登录请使用新密码。", f.s.win)
		}
	})
	f.okBtn.Importance = widget.HighImportance
	cancel := widget.NewButton("取消", func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons("修改密码", withWidth(460, container.NewVBox(form, container.NewHBox(f.okBtn, cancel))), f.s.win)
	d.Show()
	f.s.win.Canvas().Focus(f.old)
}
