package ui

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
)

// groupOrder is the order of the navigation groups; screens without a group stand at the
// top, unknown groups come before 系统管理 in the order they were registered.
var groupOrder = []string{"", "档案", "体检", "诊断", "鉴定", "随访", "上报", "系统管理"}

func groupRank(g string) int {
	if g == "系统管理" {
		return 1000
	}
	for i, x := range groupOrder {
		if x == g {
			return i
		}
	}
	return 999
}

// visibleScreens returns the screens the user may open in this institution, in navigation
// order: a screen shows when one of the user's roles is among its Roles (empty: everyone),
// the institution does one of its Kinds (empty: any) and the permission table lets the user
// call its Action (empty: no check).
func visibleScreens(defs []ScreenDef, u *app.User, in *app.Institution) []ScreenDef {
	var out []ScreenDef
	if u == nil || u.Disabled {
		return nil
	}
	for _, d := range defs {
		if len(d.Roles) > 0 {
			ok := false
			for _, r := range d.Roles {
				ok = ok || u.HasRole(r)
			}
			if !ok {
				continue
			}
		}
		if len(d.Kinds) > 0 && in != nil {
			ok := false
			for _, k := range d.Kinds {
				ok = ok || in.HasKind(k)
			}
			if !ok {
				continue
			}
		}
		if d.Action != "" {
			if _, ok := app.ScopeOf(u, d.Action); !ok {
				continue
			}
		}
		out = append(out, d)
	}
	sort.SliceStable(out, func(i, j int) bool {
		gi, gj := groupRank(out[i].Group), groupRank(out[j].Group)
		if gi != gj {
			return gi < gj
		}
		return out[i].Order < out[j].Order
	})
	return out
}

// shell is the main window after login: a top bar, the navigation on the left and the
// current screen on the right.
type shell struct {
	s       *starter
	env     *Env
	defs    []ScreenDef
	byID    map[string]ScreenDef
	groups  []string
	nav     *navTree
	body    *fyne.Container
	current string
	save    func()
	create  func()
	// the menu items of save and create, disabled while the screen has no such command
	saveItem, createItem *fyne.MenuItem
	mainMenu             *fyne.MainMenu
	// pwForm is the last 修改密码 dialog opened (for tests).
	pwForm *passwordForm
	// search is the screen's search box, focused by 查找 (Ctrl+F).
	search   fyne.Focusable
	findItem *fyne.MenuItem
	// session ends at logout; screen ends when the screen on display is replaced (Env.ScreenCtx).
	session, screen       context.Context
	endSession, endScreen context.CancelFunc
}

const groupPrefix = "group:"

// navTree is the navigation. A click on an item selects it and then focuses the tree; when
// the screen opened wants the focus in its search box, the tree hands it over once.
type navTree struct {
	widget.Tree
	redirect fyne.Focusable
	inKey    bool // a key event is being handled (Space selects without a later focus)
}

func (t *navTree) TypedKey(k *fyne.KeyEvent) {
	t.inKey = true
	defer func() { t.inKey = false }()
	t.Tree.TypedKey(k)
}

func (t *navTree) FocusGained() {
	t.Tree.FocusGained()
	if r := t.redirect; r != nil {
		t.redirect = nil
		if c := fyne.CurrentApp().Driver().CanvasForObject(t); c != nil {
			c.Focus(r)
		}
	}
}

func newShell(s *starter, env *Env) *shell {
	sh := &shell{s: s, env: env, byID: map[string]ScreenDef{}}
	sh.session, sh.endSession = context.WithCancel(context.Background())
	env.SetActions = sh.setActions
	env.Logout = sh.logout
	env.Open = sh.openRecord
	sh.defs = visibleScreens(Screens(), env.User, env.Institution)
	for _, d := range sh.defs {
		sh.byID[d.ID] = d
		if d.Group != "" && (len(sh.groups) == 0 || sh.groups[len(sh.groups)-1] != d.Group) {
			sh.groups = append(sh.groups, d.Group)
		}
	}
	sh.nav = &navTree{}
	sh.nav.ChildUIDs = sh.childIDs
	sh.nav.IsBranch = func(id string) bool { return id == "" || strings.HasPrefix(id, groupPrefix) }
	sh.nav.CreateNode = func(branch bool) fyne.CanvasObject { return widget.NewLabel("") }
	sh.nav.UpdateNode = func(id string, branch bool, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		if branch {
			l.TextStyle.Bold = true
			l.SetText(strings.TrimPrefix(id, groupPrefix))
		} else {
			l.TextStyle.Bold = false
			l.SetText(sh.byID[id].Title)
		}
	}
	sh.nav.ExtendBaseWidget(sh.nav)
	sh.nav.OnSelected = func(id string) {
		if strings.HasPrefix(id, groupPrefix) {
			sh.nav.ToggleBranch(id)
			sh.nav.UnselectAll()
			return
		}
		sh.open(id)
	}
	sh.body = container.NewStack()
	return sh
}

func (sh *shell) childIDs(id string) []string {
	var out []string
	if id == "" {
		for _, d := range sh.defs {
			if d.Group == "" {
				out = append(out, d.ID)
			}
		}
		for _, g := range sh.groups {
			out = append(out, groupPrefix+g)
		}
		return out
	}
	g := strings.TrimPrefix(id, groupPrefix)
	for _, d := range sh.defs {
		if d.Group == g {
			out = append(out, d.ID)
		}
	}
	return out
}

// show puts the shell into the window and opens the first screen.
func (sh *shell) show() {
	w := sh.s.win
	sh.nav.OpenAllBranches()
	w.SetMainMenu(sh.menu())
	var top, bottom fyne.CanvasObject = sh.topBar(), nil
	if c := sh.s.conn; c != nil { // 联网: the link's state
		top, bottom = container.NewVBox(top, c.banner), c.bottom()
	}
	w.SetContent(container.NewBorder(top, bottom, nil, nil,
		container.NewHSplit(sh.nav, sh.body)))
	if split, ok := w.Content().(*fyne.Container).Objects[0].(*container.Split); ok {
		split.Offset = 0.17
	}
	if len(sh.defs) > 0 {
		sh.nav.Select(sh.defs[0].ID)
	} else {
		sh.body.Objects = []fyne.CanvasObject{container.NewCenter(widget.NewLabel("您的角色在本机构没有可用的功能。请联系管理员。"))}
		sh.body.Refresh()
	}
}

// open shows the screen with id, building it afresh.
func (sh *shell) open(id string) {
	d, ok := sh.byID[id]
	if !ok {
		return
	}
	sh.setActions(nil, nil)
	sh.current = id
	sh.env.Focus = nil
	if sh.endScreen != nil {
		sh.endScreen()
	}
	sh.screen, sh.endScreen = context.WithCancel(sh.session)
	sh.env.ScreenCtx = sh.screen
	sh.body.Objects = []fyne.CanvasObject{d.New(sh.env)}
	sh.body.Refresh()
	sh.search = sh.env.Focus
	if f := sh.env.Focus; f != nil {
		sh.s.win.Canvas().Focus(f)
		if !sh.nav.inKey {
			// A click in the tree selects first and focuses the tree afterwards.
			sh.nav.redirect = f
		}
		sh.env.Focus = nil
	}
	if sh.findItem != nil {
		sh.findItem.Disabled = sh.search == nil
		sh.mainMenu.Refresh()
	}
}

// openRecord shows screen id with the record entityID (Env.Open).
func (sh *shell) openRecord(id string, entityID int64) bool {
	if _, ok := sh.byID[id]; !ok {
		return false
	}
	sh.env.OpenID = entityID
	defer func() { sh.env.OpenID = 0 }()
	if sh.current == id {
		sh.open(id)
	} else {
		sh.nav.Select(id)
	}
	return true
}

func (sh *shell) topBar() fyne.CanvasObject {
	u := sh.env.User
	var roles []string
	for _, r := range u.Roles {
		roles = append(roles, r.Name())
	}
	inst := ""
	if sh.env.Institution != nil {
		inst = sh.env.Institution.Name
	}
	// A user with many roles (the demo administrator holds all ten) must not push the
	// buttons off a 1024-pixel screen: name three roles, count the rest, and let the label
	// shrink with an ellipsis.
	roleText := strings.Join(roles, "、")
	if len(roles) > 3 {
		roleText = strings.Join(roles[:3], "、") + fmt.Sprintf("等 %d 个角色", len(roles))
	}
	who := widget.NewLabel(u.Name + "（" + roleText + "）")
	who.Truncation = fyne.TextTruncateEllipsis
	who.Alignment = fyne.TextAlignTrailing
	change := widget.NewButton("修改密码", func() { sh.changePassword() })
	logout := widget.NewButton("退出登录", sh.logout)
	left := widget.NewLabelWithStyle(inst, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	if sh.s.status.Demo {
		left.SetText(inst + " [演示数据]")
	}
	return container.NewVBox(container.NewBorder(nil, nil, left, container.NewHBox(lisDropBadge(sh.env), change, logout), who), widget.NewSeparator())
}

func (sh *shell) menu() *fyne.MainMenu {
	mod := fyne.KeyModifierShortcutDefault
	save := fyne.NewMenuItem("保存", func() {
		if sh.save != nil {
			sh.save()
		}
	})
	save.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: mod}
	create := fyne.NewMenuItem("新建", func() {
		if sh.create != nil {
			sh.create()
		}
	})
	create.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: mod}
	sh.saveItem, sh.createItem = save, create
	sh.findItem = fyne.NewMenuItem("查找", func() {
		if sh.search != nil {
			sh.s.win.Canvas().Focus(sh.search)
		}
	})
	sh.findItem.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: mod}
	sh.findItem.Disabled = sh.search == nil
	save.Disabled, create.Disabled = sh.save == nil, sh.create == nil
	pw := fyne.NewMenuItem("修改密码", func() { sh.changePassword() })
	out := fyne.NewMenuItem("退出登录", sh.logout)
	sh.mainMenu = fyne.NewMainMenu(
		fyne.NewMenu("操作", create, save, sh.findItem),
		fyne.NewMenu("用户", pw, out),
	)
	return sh.mainMenu
}

// setActions binds 保存 and 新建 to the screen on display (Env.SetActions).
func (sh *shell) setActions(save, create func()) {
	sh.save, sh.create = save, create
	if sh.mainMenu != nil {
		sh.saveItem.Disabled, sh.createItem.Disabled = save == nil, create == nil
		sh.mainMenu.Refresh()
	}
}

// changePassword opens the 修改密码 dialog.
func (sh *shell) changePassword() {
	sh.pwForm = newPasswordForm(sh.s, sh.env.User, "")
	sh.pwForm.showDialog()
}

func (sh *shell) logout() {
	sh.env.SetActions = nil
	sh.s.showLogin("")
}

// end stops what the session's screens started (their subscriptions to change notices).
func (sh *shell) end() {
	sh.endSession()
}
