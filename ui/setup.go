package ui

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

// setupScreen is the first-start dialog of an empty archive: the institution, its kinds,
// filed hazard categories and area, and the first administrator. It can also create a
// separate demo archive instead.
type setupScreen struct {
	s *starter

	name, code         *widget.Entry
	kinds, hazards     *widget.CheckGroup
	area               *areaPicker
	username, realName *widget.Entry
	pass, pass2        *widget.Entry

	nameMsg, codeMsg, kindsMsg, hazardsMsg  *widget.Label
	userMsg, realNameMsg, passMsg, pass2Msg *widget.Label

	create, demo *widget.Button

	// mode chooses 单机 (this form) or 联网 (panel: connect to a server); nil when the
	// program offers 单机 only or the window already works on a server.
	mode       *widget.RadioGroup
	panel      *connectPanel
	local, net fyne.CanvasObject
	intro      *widget.Label
}

// The choices of the set-up screen's 工作模式.
const (
	modeLocalName  = "单机：本机保存档案"
	modeServerName = "联网：连接服务器"
)

func kindNames() []string {
	var out []string
	for _, k := range app.InstitutionKinds {
		out = append(out, k.Name())
	}
	return out
}

func hazardCategoryNames() []string {
	var out []string
	for _, c := range app.HazardCategories {
		out = append(out, c.Name())
	}
	return out
}

func newSetupScreen(s *starter) *setupScreen {
	v := &setupScreen{s: s}
	v.name = widget.NewEntry()
	v.name.SetPlaceHolder("如：某某县人民医院")
	v.code = widget.NewEntry()
	v.code.SetPlaceHolder("9 位数字")
	v.kinds = widget.NewCheckGroup(kindNames(), func([]string) { v.checkKinds() })
	v.kinds.Horizontal = true
	v.hazards = widget.NewCheckGroup(hazardCategoryNames(), func([]string) { v.checkKinds() })
	v.hazards.Horizontal = true
	v.hazards.Disable() // until 职业健康检查机构 is chosen
	v.area = newAreaPicker(s.catalogs())
	v.username = widget.NewEntry()
	v.username.SetPlaceHolder("登录用的名字，字母或数字，如 admin")
	v.realName = widget.NewEntry()
	v.pass = widget.NewPasswordEntry()
	v.pass2 = widget.NewPasswordEntry()
	enterMovesOn(v.code, v.username)
	for _, l := range []**widget.Label{&v.nameMsg, &v.codeMsg, &v.kindsMsg, &v.hazardsMsg, &v.userMsg, &v.realNameMsg, &v.passMsg, &v.pass2Msg} {
		*l = newMsg()
	}
	v.name.OnChanged = func(string) { setMsg(v.nameMsg, v.nameProblem()) }
	v.code.OnChanged = func(string) { setMsg(v.codeMsg, v.codeProblem()) }
	v.username.OnChanged = func(string) { setMsg(v.userMsg, usernameProblem(v.username.Text)) }
	v.realName.OnChanged = func(string) { setMsg(v.realNameMsg, personNameProblem(v.realName.Text)) }
	v.pass.OnChanged = func(string) {
		setMsg(v.passMsg, fieldMessage(app.CheckPassword(v.pass.Text)))
		if v.pass2.Text != "" {
			setMsg(v.pass2Msg, v.pass2Problem())
		}
	}
	v.pass2.OnChanged = func(string) { setMsg(v.pass2Msg, v.pass2Problem()) }
	v.create = widget.NewButton("创建档案", v.submit)
	v.create.Importance = widget.HighImportance
	v.demo = widget.NewButton("创建演示档案（试用）", v.createDemo)
	if s.opts.CreateDemo == nil || s.server != "" {
		v.demo.Hide()
	}
	if s.opts.Connector != nil && s.server == "" {
		v.panel = newConnectPanel(s.win, s.opts.Connector, "")
		v.panel.OnConfirm = func(info app.ServerInfo) { s.pinAndConnect(info, v.panel) }
		v.mode = widget.NewRadioGroup([]string{modeLocalName, modeServerName}, func(string) { v.showMode() })
		v.mode.Horizontal = true
		v.mode.Required = true
	}
	return v
}

func (v *setupScreen) content() fyne.CanvasObject {
	title := widget.NewLabelWithStyle(AppTitle+" — 首次设置", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	intro := widget.NewLabel("这是一个空档案。请填写本机构的信息和第一个管理员账号；以后启动时直接登录。\n" +
		"只是想试用程序？点“创建演示档案（试用）”：演示档案是另一个文件，填有虚构的单位和劳动者，不影响这个档案。")
	if v.s.server != "" {
		intro.SetText("服务器 " + v.s.server + " 上的档案尚未设置。请填写本机构的信息和第一个管理员账号（保存在服务器上）；" +
			"以后各工作站连接服务器后直接登录。")
	}
	intro.Wrapping = fyne.TextWrapWord
	v.intro = intro
	form := container.NewVBox(
		heading("机构"),
		formGrid(
			formRow{"机构名称", v.name, v.nameMsg},
			formRow{"机构编码", v.code, v.codeMsg},
			formRow{"机构职能", v.kinds, v.kindsMsg},
			formRow{"备案危害因素类别", v.hazards, v.hazardsMsg},
			formRow{"所在地区", v.area.content(), nil},
		),
		heading("第一个管理员"),
		formGrid(
			formRow{"用户名", v.username, v.userMsg},
			formRow{"姓名", v.realName, v.realNameMsg},
			formRow{"密码", v.pass, v.passMsg},
			formRow{"再次输入密码", v.pass2, v.pass2Msg},
		),
		container.NewHBox(v.create, v.demo),
	)
	body := container.NewVScroll(container.NewPadded(form))
	if v.mode == nil {
		return container.NewBorder(container.NewVBox(title, intro), nil, nil, nil, body)
	}
	netIntro := widget.NewLabel("联网：本机不保存档案，所有数据在局域网里的服务器（occhealth serve）上，多台电脑同时工作。" +
		"请输入服务器地址，点“测试连接”，核对证书指纹后点“确认并连接”，然后以服务器上的用户登录。")
	netIntro.Wrapping = fyne.TextWrapWord
	v.local = body
	v.net = container.NewVScroll(container.NewPadded(container.NewVBox(netIntro, v.panel.content())))
	modeRow := container.NewHBox(widget.NewLabelWithStyle("工作模式", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.mode)
	v.mode.SetSelected(modeLocalName)
	return container.NewBorder(container.NewVBox(title, modeRow, intro), nil, nil, nil, container.NewStack(v.local, v.net))
}

// showMode shows the form of the 工作模式 chosen.
func (v *setupScreen) showMode() {
	if v.local == nil {
		return
	}
	if v.mode.Selected == modeServerName {
		v.local.Hide()
		v.intro.Hide()
		v.net.Show()
		v.s.win.Canvas().Focus(v.panel.address)
		return
	}
	v.net.Hide()
	v.intro.Show()
	v.local.Show()
}

func (v *setupScreen) nameProblem() string {
	n := strings.TrimSpace(v.name.Text)
	switch {
	case n == "":
		return "不能为空"
	case utf8.RuneCountInString(n) > 70:
		return "最多 70 个字"
	}
	return ""
}

func (v *setupScreen) codeProblem() string {
	c := strings.TrimSpace(v.code.Text)
	if len(c) != 9 || !isDigits(c) {
		return "应为 9 位数字（已输入 " + strconv.Itoa(utf8.RuneCountInString(c)) + " 位）"
	}
	return ""
}

func (v *setupScreen) checkKinds() {
	if len(v.kinds.Selected) == 0 {
		setMsg(v.kindsMsg, "至少选择一项")
	} else {
		setMsg(v.kindsMsg, "")
	}
	// Only an exam institution files hazard categories.
	if v.selectedKinds(app.KindExam) {
		v.hazards.Enable()
	} else {
		v.hazards.Disable()
	}
	if v.selectedKinds(app.KindExam) && len(v.hazards.Selected) == 0 {
		setMsg(v.hazardsMsg, "职业健康检查机构至少选择一类")
	} else {
		setMsg(v.hazardsMsg, "")
	}
}

func (v *setupScreen) selectedKinds(k app.InstitutionKind) bool {
	for _, s := range v.kinds.Selected {
		if s == k.Name() {
			return true
		}
	}
	return false
}

func (v *setupScreen) pass2Problem() string {
	if v.pass2.Text != v.pass.Text {
		return "两次输入的密码不一致"
	}
	return ""
}

// input collects the form.
func (v *setupScreen) input() app.SetupInput {
	in := app.Institution{
		Name:           strings.TrimSpace(v.name.Text),
		Code:           strings.TrimSpace(v.code.Text),
		AreaCode:       v.area.Code(),
		AreaName:       v.area.Name(),
		AreaUnverified: v.area.Unverified(),
	}
	for _, k := range app.InstitutionKinds {
		if v.selectedKinds(k) {
			in.Kinds = append(in.Kinds, k)
		}
	}
	for _, c := range app.HazardCategories {
		for _, s := range v.hazards.Selected {
			if s == c.Name() {
				in.HazardCategories = append(in.HazardCategories, c)
			}
		}
	}
	if !in.HasKind(app.KindExam) {
		in.HazardCategories = nil
	}
	return app.SetupInput{
		Institution:   in,
		AdminUsername: strings.TrimSpace(v.username.Text),
		AdminName:     strings.TrimSpace(v.realName.Text),
		AdminPassword: v.pass.Text,
	}
}

// submit checks everything, shows every problem beside its field, and sets the archive up.
func (v *setupScreen) submit() {
	setMsg(v.nameMsg, v.nameProblem())
	setMsg(v.codeMsg, v.codeProblem())
	v.checkKinds()
	v.area.check()
	setMsg(v.userMsg, usernameProblem(v.username.Text))
	setMsg(v.realNameMsg, personNameProblem(v.realName.Text))
	setMsg(v.passMsg, fieldMessage(app.CheckPassword(v.pass.Text)))
	setMsg(v.pass2Msg, v.pass2Problem())
	if v.pass2Problem() != "" {
		showError(v.s.win, app.FieldError("再次输入密码", "两次输入的密码不一致"))
		return
	}
	if err := app.CheckPassword(v.pass.Text); err != nil {
		showError(v.s.win, err)
		return
	}
	in := v.input()
	if _, err := v.s.opts.Services.Setup.Initialize(v.s.baseContext(), in); err != nil {
		showError(v.s.win, err)
		return
	}
	st, err := v.s.opts.Services.Setup.Status(v.s.baseContext())
	if err != nil {
		showError(v.s.win, err)
		return
	}
	v.s.status = st
	v.s.updateTitle()
	v.s.showLogin(in.AdminUsername)
}

// createDemo fills a demo archive in the background with a progress bar, then switches the
// window to it.
func (v *setupScreen) createDemo() {
	bar := widget.NewProgressBar()
	note := widget.NewLabel("正在创建演示档案，请稍候…")
	d := dialog.NewCustomWithoutButtons("创建演示档案", container.NewVBox(note, withWidth(360, bar)), v.s.win)
	d.Show()
	v.create.Disable()
	v.demo.Disable()
	create := v.s.opts.CreateDemo
	v.s.bg.Add(1)
	go func() {
		defer v.s.bg.Done()
		svc, path, err := create(func(done, total int) {
			fyne.Do(func() {
				if total > 0 {
					bar.Max = float64(total)
				}
				bar.SetValue(float64(done))
			})
		})
		fyne.Do(func() {
			d.Hide()
			v.create.Enable()
			v.demo.Enable()
			if err != nil {
				showError(v.s.win, err)
				return
			}
			v.s.opts.Services = svc
			v.s.opts.ArchivePath = path
			v.s.showEntry()
		})
	}()
}

// usernameProblem checks a login name as app.User.Validate does.
func usernameProblem(s string) string {
	u := app.User{Username: strings.TrimSpace(s), Name: "甲", Roles: []app.Role{app.RoleAdmin}}
	return fieldMessage(u.Validate())
}

// personNameProblem checks a person's name.
func personNameProblem(s string) string {
	_, err := app.CheckPersonName("姓名", s)
	return fieldMessage(err)
}
