package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

// signaturePart is the 签名图片 part of 文书设置: the administrator picks a chief examiner or a
// reviewer and uploads (or removes) the PNG of that doctor's signature. A report prints the
// signing doctor's image only where 打印签名图片 is ticked for it; the store checks the image
// and audits every change.
type signaturePart struct {
	env *Env
	msg *widget.Label // the screen's message line

	users  []*app.User // chief examiners and reviewers, by login
	pick   *widget.Select
	login  string
	png    []byte
	img    *canvas.Image
	info   *widget.Label
	upload *widget.Button
	remove *widget.Button
}

func newSignaturePart(env *Env, msg *widget.Label) *signaturePart {
	p := &signaturePart{env: env, msg: msg}
	p.pick = widget.NewSelect(nil, p.selectLabel)
	p.pick.PlaceHolder = "选择医师"
	p.img = canvas.NewImageFromResource(nil)
	p.img.FillMode = canvas.ImageFillContain
	p.img.SetMinSize(fyne.NewSize(200, 80))
	p.info = widget.NewLabel("")
	p.info.Wrapping = fyne.TextWrapWord
	p.upload = widget.NewButton("上传签名图片…", p.choose)
	p.remove = widget.NewButton("删除签名图片", func() {
		u := p.user()
		if u == nil {
			return
		}
		adminConfirm(env.Window, "删除签名图片", fmt.Sprintf("删除后%s签发的报告在签名处留空白，由医师手写签名。确定删除吗？", u.Name), "删除",
			func() { p.save(nil) })
	})
	p.load()
	return p
}

// userLabel is how a user is offered: 郑主检（zhujian）· 主检医师、审核医师.
func userLabel(u *app.User) string {
	var roles []string
	for _, r := range []app.Role{app.RoleChiefExaminer, app.RoleReviewer} {
		if slices.Contains(u.Roles, r) {
			roles = append(roles, r.Name())
		}
	}
	return fmt.Sprintf("%s（%s）· %s", u.Name, u.Username, strings.Join(roles, "、"))
}

// load reads the chief examiners and reviewers (enabled ones) and shows the picked one's image.
func (p *signaturePart) load() {
	p.users = nil
	for _, r := range []app.Role{app.RoleChiefExaminer, app.RoleReviewer} {
		us, err := p.env.Services.Users.FindUsers(p.env.Ctx, app.UserFilter{Role: r})
		if err != nil {
			setMsg(p.msg, "签名图片："+app.ErrorMessage(err))
			return
		}
		for _, u := range us {
			if !slices.ContainsFunc(p.users, func(x *app.User) bool { return x.ID == u.ID }) {
				p.users = append(p.users, u)
			}
		}
	}
	slices.SortFunc(p.users, func(a, b *app.User) int { return strings.Compare(a.Username, b.Username) })
	opts := make([]string, len(p.users))
	for i, u := range p.users {
		opts[i] = userLabel(u)
	}
	p.pick.SetOptions(opts)
	if u := p.user(); u != nil {
		p.pick.SetSelected(userLabel(u))
	} else {
		p.login = ""
		p.pick.ClearSelected()
		p.show(nil)
	}
}

func (p *signaturePart) user() *app.User {
	for _, u := range p.users {
		if u.Username == p.login {
			return u
		}
	}
	return nil
}

func (p *signaturePart) selectLabel(label string) {
	i := slices.IndexFunc(p.users, func(u *app.User) bool { return userLabel(u) == label })
	if i < 0 {
		return
	}
	p.selectUser(p.users[i].Username)
}

// selectUser shows the uploaded signature of login.
func (p *signaturePart) selectUser(login string) {
	p.login = login
	png, err := p.env.Services.DocumentSettings.SignatureImage(p.env.Ctx, login)
	if err != nil {
		setMsg(p.msg, "签名图片："+app.ErrorMessage(err))
	}
	p.show(png)
}

func (p *signaturePart) show(png []byte) {
	p.png = png
	u := p.user()
	switch {
	case u == nil:
		p.img.Resource = nil
		p.upload.Disable()
		p.remove.Disable()
		if len(p.users) == 0 {
			setNote(p.info, "还没有主检医师或审核医师账号：请先在“用户管理”中添加。")
		} else {
			setNote(p.info, "选择一位医师，上传其签名图片（透明背景的 PNG，不超过 2 MB）。")
		}
	case len(png) == 0:
		p.img.Resource = nil
		p.upload.Enable()
		p.remove.Disable()
		setNote(p.info, fmt.Sprintf("%s尚未上传签名图片：其签发的报告在签名处留空白，由医师手写签名。", u.Name))
	default:
		p.img.Resource = fyne.NewStaticResource("signature-"+u.Username+".png", png)
		p.upload.Enable()
		p.remove.Enable()
		setNote(p.info, fmt.Sprintf("已上传%s的签名图片（%d KB）。只有在上方勾选了“打印签名图片”的文书，才在其签名处打印此图片。", u.Name, (len(png)+1023)/1024))
	}
	p.img.Refresh()
}

func (p *signaturePart) choose() {
	if p.user() == nil {
		setMsg(p.msg, "签名图片：请先选择医师")
		return
	}
	pickFile(p.env.Window, []string{".png", ".PNG"}, imageMax, "签名图片", func(_ string, b []byte) { p.save(b) })
}

// save stores the picked user's signature image (nil removes it).
func (p *signaturePart) save(png []byte) {
	u := p.user()
	if u == nil {
		setMsg(p.msg, "签名图片：请先选择医师")
		return
	}
	if err := p.env.Services.DocumentSettings.SaveSignatureImage(p.env.Ctx, u.Username, png); err != nil {
		setMsg(p.msg, app.ErrorMessage(err))
		return
	}
	p.show(png)
	if len(png) == 0 {
		setNote(p.msg, u.Name+"的签名图片已删除。")
	} else {
		setNote(p.msg, u.Name+"的签名图片已上传。")
	}
}

func (p *signaturePart) content() fyne.CanvasObject {
	return container.NewVBox(
		widget.NewLabelWithStyle("签名图片", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		adminRow(withWidth(360, p.pick)),
		container.NewBorder(nil, nil, container.NewPadded(p.img), nil,
			container.NewVBox(p.info, adminRow(p.upload, p.remove))))
}
