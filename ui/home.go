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
		ID: "home", Title: "首页", Order: 0,
		New: func(env *Env) fyne.CanvasObject { return newHomeScreen(env).content() },
	})
}

// homeScreen states the facts of the session: institution, user, date, archive, and the
// size of the archive where the user may see it.
type homeScreen struct{ env *Env }

func newHomeScreen(env *Env) *homeScreen { return &homeScreen{env: env} }

var weekdays = [...]string{"日", "一", "二", "三", "四", "五", "六"}

func (h *homeScreen) content() fyne.CanvasObject {
	env := h.env
	now := env.Now()
	var rows []formRow
	fact := func(label, value string) {
		l := widget.NewLabel(value)
		l.Wrapping = fyne.TextWrapWord
		rows = append(rows, formRow{label, l, nil})
	}
	if in := env.Institution; in != nil {
		fact("机构", in.Name+"（"+in.Code+"）")
		var kinds []string
		for _, k := range in.Kinds {
			kinds = append(kinds, k.Name())
		}
		fact("机构职能", strings.Join(kinds, "、"))
		if len(in.HazardCategories) > 0 {
			var cats []string
			for _, c := range in.HazardCategories {
				cats = append(cats, c.Name())
			}
			fact("备案危害因素类别", strings.Join(cats, "、"))
		}
		area := in.AreaCode + " " + in.AreaName
		if in.AreaUnverified {
			area += "（代码不在内置行政区划表中，待核实）"
		}
		fact("所在地区", area)
		if in.Demo {
			fact("档案类型", "演示档案（数据均为虚构）")
		}
	}
	var roles []string
	for _, r := range env.User.Roles {
		roles = append(roles, r.Name())
	}
	fact("当前用户", env.User.Name+"（"+env.User.Username+"）："+strings.Join(roles, "、"))
	fact("今天", now.Format("2006年1月2日")+" 星期"+weekdays[now.Weekday()])
	if env.Server != "" {
		fact("工作模式", "联网，服务器 "+env.Server)
	} else if env.ArchivePath != "" {
		fact("档案文件", env.ArchivePath)
	}
	if _, ok := app.ScopeOf(env.User, "EmployerService.FindEmployers"); ok {
		if _, n, err := env.Services.Employers.FindEmployers(env.Ctx, app.EmployerFilter{Limit: 1}); err == nil {
			fact("用人单位", strconv.Itoa(n)+" 家")
		}
	}
	if s, ok := app.ScopeOf(env.User, "WorkerService.SearchWorkers"); ok && !s.Restricted() {
		if ids, err := env.Services.Workers.SearchWorkers(env.Ctx, app.WorkerSearch{}); err == nil {
			fact("劳动者", strconv.Itoa(len(ids))+" 人")
		}
	}
	hint := widget.NewLabel("从左侧选择要做的工作。Tab 键在输入框之间移动；Ctrl+S 保存，Ctrl+N 新建。")
	hint.Wrapping = fyne.TextWrapWord
	return container.NewVScroll(container.NewPadded(container.NewVBox(heading("首页"), formGrid(rows...), widget.NewSeparator(), hint)))
}
