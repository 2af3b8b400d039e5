package ui

import (
	"errors"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
)

// adminDialog is a dialog with a form, a message line and 取消 / confirm buttons. Unlike
// dialog.NewForm it stays open when the confirm callback reports a problem, so that what the
// administrator typed is not lost; the problem is shown in the message line in Chinese.
type adminDialog struct {
	d       *dialog.CustomDialog
	msg     *widget.Label
	confirm *widget.Button
	cancel  *widget.Button
}

// errKeepOpen, returned by an adminDialog's confirm callback, keeps the dialog open without a
// message (the callback started work that closes the dialog when it ends).
var errKeepOpen = errors.New("keep the dialog open")

// newAdminDialog builds (but does not show) a form dialog on win. onConfirm returns nil to
// close the dialog, errKeepOpen to leave it open, or an error whose Chinese message is shown
// while the dialog stays open.
func newAdminDialog(win fyne.Window, title, confirmText string, content fyne.CanvasObject, onConfirm func() error) *adminDialog {
	fd := &adminDialog{msg: newMsg()}
	fd.d = dialog.NewCustomWithoutButtons(title, container.NewVBox(content, fd.msg), win)
	fd.cancel = widget.NewButton("取消", func() { fd.d.Hide() })
	fd.confirm = widget.NewButton(confirmText, func() {
		err := onConfirm()
		if errors.Is(err, errKeepOpen) {
			setMsg(fd.msg, "")
			return
		}
		if err != nil {
			setMsg(fd.msg, app.ErrorMessage(err))
			return
		}
		fd.d.Hide()
	})
	fd.confirm.Importance = widget.HighImportance
	fd.d.SetButtons([]fyne.CanvasObject{fd.cancel, fd.confirm})
	return fd
}

// show shows the dialog at a width that fits a form.
func (fd *adminDialog) show(width float32) {
	fd.d.Show()
	if width > 0 {
		fd.d.Resize(fyne.NewSize(width, fd.d.MinSize().Height))
	}
}

// adminSplitList reads a list typed with commas, 、 or semicolons (full- or half-width), trimming
// each item and dropping empty ones and repeats.
func adminSplitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case ',', '，', '、', ';', '；', '\n':
			return true
		}
		return false
	})
	var out []string
	seen := map[string]bool{}
	for _, x := range f {
		x = strings.TrimSpace(x)
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// adminRoleNames returns the Chinese names of roles joined by 、.
func adminRoleNames(roles []app.Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = r.Name()
	}
	return strings.Join(names, "、")
}

// auditOnlyActions names the audit actions that need no permission and so have no row in
// the permission table.
var auditOnlyActions = map[string]string{
	"AuthService.Login":       "登录",
	"SetupService.Initialize": "首次设置",
}

// adminActionTitle returns the permission table's Chinese title of an audit action, or the
// action itself when neither the table nor auditOnlyActions knows it.
func adminActionTitle(action string) string {
	if p, ok := app.PermissionFor(action); ok {
		return p.Title
	}
	if t, ok := auditOnlyActions[action]; ok {
		return t
	}
	return action
}

// adminRow lays objects out in a row, left-aligned.
func adminRow(objs ...fyne.CanvasObject) *fyne.Container {
	return container.NewHBox(append(objs, layout.NewSpacer())...)
}

// adminConfirm asks a yes/no question with explicit button texts (取消 and confirmText) and
// runs fn only on confirmation.
func adminConfirm(win fyne.Window, title, message, confirmText string, fn func()) {
	d := dialog.NewConfirm(title, message, func(ok bool) {
		if ok {
			fn()
		}
	}, win)
	d.SetConfirmText(confirmText)
	d.SetDismissText("取消")
	d.Show()
}

// runInBackground starts work on a goroutine of its own. Screens keep it in a field
// (background) so that headless tests can run the work synchronously instead: Fyne's test
// driver runs fyne.Do on the calling goroutine, so real concurrency there races inside
// Fyne's caches, which the GLFW driver never does (it queues fyne.Do to the UI thread).
func runInBackground(work func()) { go work() }

// adminInfo shows a message with an 确定 button. The message is not wrapped (a wrapped label
// makes a dialog as tall as its narrowest layout): break its lines with \n.
func adminInfo(win fyne.Window, title, message string) {
	dialog.NewCustom(title, "确定", widget.NewLabel(message), win).Show()
}

// showFileDialog shows a file or folder dialog at a size where paths and names can be read
// (Fyne's default is small), within the window.
func showFileDialog(d *dialog.FileDialog, win fyne.Window) {
	d.Show()
	ws := win.Canvas().Size()
	d.Resize(fyne.NewSize(min(900, ws.Width*0.9), min(600, ws.Height*0.9)))
}

// adminColumn is one column of a read-only table.
type adminColumn struct {
	title string
	width float32
}

// newAdminTable returns a virtual table with a bold header row over cols and truncating label
// cells. rows counts the rows; cell fills one label, whose importance starts as medium.
func newAdminTable(cols []adminColumn, rows func() int, cell func(id widget.TableCellID, l *widget.Label)) *widget.Table {
	t := widget.NewTableWithHeaders(
		func() (int, int) { return rows(), len(cols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.Importance = widget.MediumImportance
			cell(id, l)
		})
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(cols) {
			o.(*widget.Label).SetText(cols[id.Col].title)
		}
	}
	for i, c := range cols {
		t.SetColumnWidth(i, c.width)
	}
	return t
}

// adminJoinAliases writes aliases the way the catalog workbook does (catalog.JoinAliases).
func adminJoinAliases(aliases []string) string { return catalog.JoinAliases(aliases) }

// adminSplitAliases reads what adminJoinAliases writes (or an administrator types).
func adminSplitAliases(s string) ([]string, error) {
	out, err := catalog.SplitAliases(s)
	if err != nil {
		return nil, app.FieldError("别名", "%v", err)
	}
	return out, nil
}

// imageMax is the largest seal or signature image read (the store refuses more than 2 MB and
// says so; a larger file is not read whole).
const imageMax = 4 << 20

// pickFile lets the user choose a file (of the extensions given; none means any), reads at most
// max bytes of it and hands over its name and contents. A file larger than max is refused with
// "文件太大（超过 N MB），不像是<what>" and never read whole; read errors are shown.
func pickFile(win fyne.Window, exts []string, max int64, what string, then func(name string, data []byte)) {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			showError(win, err)
			return
		}
		if rc == nil {
			return
		}
		b, err := io.ReadAll(io.LimitReader(rc, max+1))
		rc.Close()
		if err != nil {
			showError(win, app.Errorf(app.EINTERNAL, "读取 %s 失败：%v", rc.URI().Path(), err))
			return
		}
		if int64(len(b)) > max {
			showError(win, app.Errorf(app.EINVALID, "文件太大（超过 %d MB），不像是%s", max>>20, what))
			return
		}
		then(rc.URI().Name(), b)
	}, win)
	if len(exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(exts))
	}
	showFileDialog(d, win)
}
