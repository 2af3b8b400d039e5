package ui

import (
	"log"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"occhealth/app"
)

// errorTitles maps each app error code to the title of its dialog. This is the one place the
// UI turns errors into what a user reads (STYLE.md habit 5); the message is always
// app.ErrorMessage, which is Chinese for *app.Error and generic otherwise.
var errorTitles = map[string]string{
	app.EINVALID:      "请检查输入",
	app.ECONFLICT:     "数据冲突",
	app.ENOTFOUND:     "未找到",
	app.EFORBIDDEN:    "无权操作",
	app.EUNAUTHORIZED: "无法登录",
	app.ELOCKED:       "档案已被打开",
	app.ECLOCK:        "系统时间有误",
	app.ESETUP:        "档案设置",
	app.EUNSAFE:       "安全检查未通过", // a network drive, a server certificate not pinned
	app.EINTERNAL:     "内部错误",
	app.EUNAVAILABLE:  "无法连接服务器",
	app.EVERSION:      "版本不一致",
}

// errorTitle returns the dialog title for err.
func errorTitle(err error) string {
	if t, ok := errorTitles[app.ErrorCode(err)]; ok {
		return t
	}
	return "错误"
}

// showError shows err in a dialog on win. Errors that are not *app.Error are logged with
// their details; the user reads a generic message. A nil err shows nothing.
func showError(win fyne.Window, err error) {
	if err == nil {
		return
	}
	if app.ErrorCode(err) == app.EINTERNAL {
		log.Printf("ui: %v", err)
	}
	msg := app.ErrorMessage(err)
	switch app.ErrorCode(err) {
	case app.ECONFLICT:
		msg += "\n\n您输入的内容仍保留在表单中；请核对后重新保存。"
	case app.EUNAVAILABLE:
		if !strings.Contains(msg, "输入的内容") {
			msg += "\n\n刚才的操作没有保存。您输入的内容仍保留在表单中；连接恢复后请再保存。"
		}
	case app.EVERSION:
		msg += upgradeHint(msg)
	}
	if win == nil {
		log.Printf("ui: %s: %s", errorTitle(err), msg)
		return
	}
	d := dialog.NewInformation(errorTitle(err), msg, win)
	d.Show()
}

// fieldMessage returns the message of err for display under a field (without the field
// name, which the form already shows), or "" for nil.
func fieldMessage(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := err.(*app.Error); ok {
		return e.Message
	}
	return app.ErrorMessage(err)
}
