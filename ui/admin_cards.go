package ui

import (
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

func init() {
	registerScreen(ScreenDef{
		ID: "admin_cards", Group: "系统管理", Title: "上报设置", Order: 90,
		Roles:  []app.Role{app.RoleAdmin},
		Action: "CardService.SaveCardSettings",
		New:    func(env *Env) fyne.CanvasObject { return newCardSettingsScreen(env).content() },
	})
}

// cardSettingsScreen edits what the reporting platform issues to the institution (zone and
// organisation codes, the licence) and who writes and reports the case cards.
type cardSettingsScreen struct {
	env *Env
	s   app.CardSettings

	zone, org, license            *widget.Entry
	writer, writerPhone           *widget.Entry
	reporter, reporterPhone, due  *widget.Entry
	zoneMsg, orgMsg, licenseMsg   *widget.Label
	writerMsg, writerPhoneMsg     *widget.Label
	reporterMsg, reporterPhoneMsg *widget.Label
	dueMsg, msg, updated          *widget.Label
	save                          *widget.Button
	fields                        map[string]*widget.Label // field name → its message
}

func newCardSettingsScreen(env *Env) *cardSettingsScreen {
	v := &cardSettingsScreen{env: env}
	v.zone, v.org, v.license = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	v.writer, v.writerPhone = widget.NewEntry(), widget.NewEntry()
	v.reporter, v.reporterPhone, v.due = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	v.zone.SetPlaceHolder("平台分配的地区代码（行政区划代码，6 或 9 位数字）")
	v.org.SetPlaceHolder("平台分配的机构代码")
	v.license.SetPlaceHolder("平台分配的授权码")
	v.writerPhone.SetPlaceHolder("手机或固定电话，如 0591-22334455")
	v.reporterPhone.SetPlaceHolder("手机或固定电话")
	v.due.SetPlaceHolder("发放后几天内上报；0 表示不设期限")
	enterMovesOn(v.zone, v.org, v.license, v.writerPhone, v.reporterPhone, v.due)
	v.zoneMsg, v.orgMsg, v.licenseMsg = newMsg(), newMsg(), newMsg()
	v.writerMsg, v.writerPhoneMsg = newMsg(), newMsg()
	v.reporterMsg, v.reporterPhoneMsg, v.dueMsg = newMsg(), newMsg(), newMsg()
	v.msg, v.updated = newMsg(), widget.NewLabel("")
	v.fields = map[string]*widget.Label{
		"上报地区代码": v.zoneMsg, "上报机构代码": v.orgMsg, "上报机构授权": v.licenseMsg,
		"上报机构授权码": v.licenseMsg, "填表人": v.writerMsg, "填表人电话": v.writerPhoneMsg, "报告人": v.reporterMsg,
		"报告人电话": v.reporterPhoneMsg, "上报期限": v.dueMsg, "上报时限": v.dueMsg,
	}
	v.save = widget.NewButton("保存（Ctrl+S）", v.saveNow)
	v.save.Importance = widget.HighImportance
	v.load()
	env.Focus = v.zone
	return v
}

func (v *cardSettingsScreen) load() {
	s, err := v.env.Services.Cards.CardSettings(v.env.Ctx)
	if err != nil {
		setMsg(v.msg, app.ErrorMessage(err))
		return
	}
	v.s = *s
	v.zone.SetText(s.ReportZoneCode)
	v.org.SetText(s.ReportOrgCode)
	v.license.SetText(s.License)
	v.writer.SetText(s.Writer)
	v.writerPhone.SetText(s.WriterPhone)
	v.reporter.SetText(s.Reporter)
	v.reporterPhone.SetText(s.ReporterPhone)
	v.due.SetText(strconv.Itoa(s.DueDays))
	if s.UpdatedAt.IsZero() {
		v.updated.SetText("尚未设置。")
	} else {
		v.updated.SetText("最后修改：" + formatDateTime(s.UpdatedAt) + "　" + s.UpdatedBy)
	}
}

func (v *cardSettingsScreen) content() fyne.CanvasObject {
	v.env.setActions(v.saveNow, nil)
	help := wrapLabel("上报地区代码、上报机构代码和授权码由上报平台分配，写在每份导出文件的文件头中；填表人、报告人及其电话写在每张个案卡上。" +
		"上报期限从报告发放之日算起，超过期限导出的个案卡标为“补报”，工作清单中逾期的应报日期显示为红色。" +
		"修改这些设置后，已导出的个案卡内容随之改变，下次导出时以“订正”发送。")
	form := formGrid(
		formRow{"上报地区代码", v.zone, v.zoneMsg},
		formRow{"上报机构代码", v.org, v.orgMsg},
		formRow{"上报机构授权", v.license, v.licenseMsg},
		formRow{"填表人", v.writer, v.writerMsg},
		formRow{"填表人电话", v.writerPhone, v.writerPhoneMsg},
		formRow{"报告人", v.reporter, v.reporterMsg},
		formRow{"报告人电话", v.reporterPhone, v.reporterPhoneMsg},
		formRow{"上报期限（天）", withWidth(160, v.due), v.dueMsg},
	)
	top := container.NewBorder(nil, nil, heading("上报设置"), v.save)
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(container.NewVBox(form, v.msg, v.updated, help)))
}

// read takes the form's values; the store checks their formats (its messages name the
// fields). Only the number of days is parsed here.
func (v *cardSettingsScreen) read() (app.CardSettings, bool) {
	for _, l := range v.fields {
		setMsg(l, "")
	}
	s := v.s
	s.ReportZoneCode = strings.TrimSpace(v.zone.Text)
	s.ReportOrgCode = strings.TrimSpace(v.org.Text)
	s.License = strings.TrimSpace(v.license.Text)
	s.Writer = strings.TrimSpace(v.writer.Text)
	s.WriterPhone = strings.TrimSpace(v.writerPhone.Text)
	s.Reporter = strings.TrimSpace(v.reporter.Text)
	s.ReporterPhone = strings.TrimSpace(v.reporterPhone.Text)
	due := strings.TrimSpace(v.due.Text)
	if due == "" {
		due = "0"
	}
	n, err := strconv.Atoi(due)
	if err != nil {
		setMsg(v.dueMsg, "应为整数天数（0 表示不设期限），现为“"+v.due.Text+"”")
		return s, false
	}
	s.DueDays = n
	return s, true
}

func (v *cardSettingsScreen) saveNow() {
	setMsg(v.msg, "")
	s, ok := v.read()
	if !ok {
		setMsg(v.msg, "未保存：请按红字修改。")
		return
	}
	if err := v.env.Services.Cards.SaveCardSettings(v.env.Ctx, s); err != nil {
		// The store's messages name the field ("上报地区代码：…"): each goes beside its field,
		// anything else into the message line.
		var rest []string
		for field, m := range fieldProblems(err) {
			if l, ok := v.fields[field]; ok {
				setMsg(l, m)
			} else if field != "" {
				rest = append(rest, field+"："+m)
			} else {
				rest = append(rest, m)
			}
		}
		sort.Strings(rest)
		setMsg(v.msg, "未保存："+strings.Join(append(rest, "请按红字修改。"), "；"))
		return
	}
	v.load()
	setNote(v.msg, "上报设置已保存。")
}
