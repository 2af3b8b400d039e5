package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

func init() {
	registerScreen(ScreenDef{
		ID: "admin_institution", Group: "系统管理", Title: "机构设置", Order: 5,
		Roles:  []app.Role{app.RoleAdmin},
		Action: "InstitutionService.UpdateInstitution",
		New:    func(env *Env) fyne.CanvasObject { return newInstitutionScreen(env).content() },
	})
}

// institutionScreen edits what the set-up dialog recorded: name, code, kinds, the hazard
// categories filed for (备案), the area, and the installation number that keeps exam numbers
// unique when several PCs (or a laptop taken to a factory) keep their own archives.
type institutionScreen struct {
	env  *Env
	inst app.Institution

	name, code, address, phone, prefix *widget.Entry
	kinds, hazards                     *widget.CheckGroup
	area                               *areaPicker
	msg                                *widget.Label
	save                               *widget.Button
}

func newInstitutionScreen(env *Env) *institutionScreen {
	v := &institutionScreen{env: env}
	v.name, v.code, v.address, v.phone, v.prefix = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	v.code.SetPlaceHolder("9 位数字")
	v.prefix.SetPlaceHolder("1–4 位数字，如 1；外出体检的笔记本电脑用 2、3 …")
	v.kinds = widget.NewCheckGroup(kindNames(), func([]string) { v.syncHazards() })
	v.kinds.Horizontal = true
	v.hazards = widget.NewCheckGroup(hazardCategoryNames(), nil)
	v.hazards.Horizontal = true
	v.area = newAreaPicker(env.Services.Catalogs)
	v.msg = newMsg()
	v.save = widget.NewButton("保存（Ctrl+S）", v.saveNow)
	v.save.Importance = widget.HighImportance
	v.load()
	return v
}

func (v *institutionScreen) load() {
	in, err := v.env.Services.Institution.Institution(v.env.Ctx)
	if err != nil {
		setMsg(v.msg, app.ErrorMessage(err))
		return
	}
	v.inst = *in
	v.name.SetText(in.Name)
	v.code.SetText(in.Code)
	v.address.SetText(in.Address)
	v.phone.SetText(in.Phone)
	v.prefix.SetText(in.InstallationPrefix)
	var ks, hs []string
	for _, k := range in.Kinds {
		ks = append(ks, k.Name())
	}
	for _, c := range in.HazardCategories {
		hs = append(hs, c.Name())
	}
	v.kinds.SetSelected(ks)
	v.hazards.SetSelected(hs)
	v.area.SetCode(in.AreaCode)
	v.syncHazards()
}

// syncHazards enables the filed categories only for an exam institution.
func (v *institutionScreen) syncHazards() {
	if slices.Contains(v.kinds.Selected, app.KindExam.Name()) {
		v.hazards.Enable()
	} else {
		v.hazards.Disable()
	}
}

func (v *institutionScreen) saveNow() {
	in := v.inst
	in.Name = strings.TrimSpace(v.name.Text)
	in.Code = strings.TrimSpace(v.code.Text)
	in.Address = strings.TrimSpace(v.address.Text)
	in.Phone = strings.TrimSpace(v.phone.Text)
	in.InstallationPrefix = strings.TrimSpace(v.prefix.Text)
	in.AreaCode, in.AreaName = v.area.Code(), v.area.Name()
	in.Kinds, in.HazardCategories = nil, nil
	for _, k := range app.InstitutionKinds {
		if slices.Contains(v.kinds.Selected, k.Name()) {
			in.Kinds = append(in.Kinds, k)
		}
	}
	if in.HasKind(app.KindExam) {
		for _, c := range app.HazardCategories {
			if slices.Contains(v.hazards.Selected, c.Name()) {
				in.HazardCategories = append(in.HazardCategories, c)
			}
		}
	}
	out, err := v.env.Services.Institution.UpdateInstitution(v.env.Ctx, &in)
	if err != nil {
		setMsg(v.msg, app.ErrorMessage(err))
		showError(v.env.Window, err)
		return
	}
	v.inst = *out
	v.env.Institution = out
	note := "已保存。菜单和标题栏在重新登录后按新的设置显示。"
	if out.AreaUnverified {
		note += "（行政区划代码不在内置列表中，已按输入保存，请核实。）"
	}
	setNote(v.msg, note)
}

func (v *institutionScreen) content() fyne.CanvasObject {
	v.env.setActions(v.saveNow, nil)
	help := widget.NewLabel("安装编号写在每个体检号的最前面。本院有几台电脑各自保存档案（例如外出体检的笔记本电脑）时，请给每台设置不同的编号，以后合并档案时体检号才不会重复。")
	help.Wrapping = fyne.TextWrapWord
	form := formGrid(
		formRow{"机构名称", v.name, nil},
		formRow{"机构编码", v.code, nil},
		formRow{"机构职能", v.kinds, nil},
		formRow{"备案危害因素类别", v.hazards, nil},
		formRow{"所在地区", v.area.content(), nil},
		formRow{"地址", v.address, nil},
		formRow{"电话", v.phone, nil},
		formRow{"安装编号", v.prefix, nil},
	)
	top := container.NewBorder(nil, nil, heading("机构设置"), v.save)
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(container.NewVBox(form, help, v.msg)))
}
