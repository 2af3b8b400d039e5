package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"occhealth/app"
)

// Env is what every screen gets: the services, the window for dialogs, the logged-in user
// and a context that carries them.
type Env struct {
	Services    app.Services
	Window      fyne.Window
	User        *app.User
	Institution *app.Institution
	// Ctx carries the user and the workstation name for every service call.
	Ctx context.Context
	// ArchivePath is the archive file (shown on the home screen); "" in 联网 mode.
	ArchivePath string
	// Server is the server's address in 联网 mode ("" in 单机 mode).
	Server string
	// Connector tests servers for 工作模式; nil where this program offers 单机 only.
	Connector app.ServerConnector
	// Reconnect ends the session and starts again as this PC's settings now say (a switch of
	// 工作模式 takes effect through it). Set by the starter; nil in screen tests.
	Reconnect func()
	// ScreenCtx ends when the screen on display is replaced or the user logs out: what a
	// screen starts for as long as it is shown (its subscription to change notices, Env.live)
	// stops with it. Set by the shell before each screen's New; nil outside the shell.
	ScreenCtx context.Context
	// liveSeen, when set (tests), gets a value after each live refresh has run.
	liveSeen chan struct{}
	// SetActions binds the 保存 (Ctrl+S) and 新建 (Ctrl+N) commands of the window's menu to
	// the screen on display; pass nil for a command the screen lacks. The shell clears them
	// whenever another screen is shown. Nil outside the shell.
	SetActions func(save, create func())
	// Logout ends the session and shows the login screen (set by the shell); a restore calls
	// it so that nobody keeps working on the state from before the restore.
	Logout func()
	// Open shows another screen (by ScreenDef.ID) with the record entityID on it where that
	// screen can show one (0: none), so that a case card's pre-flight finding leads to the
	// screen that fixes it. It returns false when the user may not open that screen. Set by
	// the shell; nil outside it.
	Open func(screenID string, entityID int64) bool
	// OpenID is the record a screen should show first; Open sets it while the screen's New
	// runs (0 otherwise).
	OpenID int64
	// Focus, when a screen's New sets it, gets the keyboard focus once the shell shows the
	// screen (the search box, so that the front desk can type at once).
	Focus fyne.Focusable
}

// setActions calls SetActions when the shell provides it.
func (e *Env) setActions(save, create func()) {
	if e.SetActions != nil {
		e.SetActions(save, create)
	}
}

// Now returns the services' clock reading.
func (e *Env) Now() time.Time {
	if e.Services.Now != nil {
		return e.Services.Now()
	}
	return time.Now()
}

// ScreenDef declares one screen of the left navigation. Screens are data, as in fyne_demo's
// tutorials/data.go: the shell shows a screen when the user holds one of Roles (empty means
// everyone) and the institution does one of Kinds (empty means any).
type ScreenDef struct {
	ID    string // stable identifier, used by tests
	Group string // navigation group title, e.g. 档案, 系统管理
	Title string
	Order int // position inside the group
	Roles []app.Role
	Kinds []app.InstitutionKind
	// Action is the permission-table action the screen needs (its primary list); the shell
	// hides the screen when the user may not call it.
	Action string
	New    func(env *Env) fyne.CanvasObject
}

var screenRegistry []ScreenDef

// registerScreen adds a screen; each screen file calls it from init.
func registerScreen(d ScreenDef) { screenRegistry = append(screenRegistry, d) }

// Screens returns the registered screens (for the shell and tests).
func Screens() []ScreenDef { return append([]ScreenDef(nil), screenRegistry...) }
