package ui

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// fyneChinese translates the words Fyne's own widgets and dialogs show (buttons of dialogs,
// the entry's context menu, the Quit item). Fyne picks its translation by the system locale,
// and falls back to English under C/POSIX or an English Windows; the program is Chinese
// throughout, so these replace the English fallback.
const fyneChinese = `{
  "OK": "确定", "Cancel": "取消", "Yes": "是", "No": "否", "Confirm": "确认",
  "Error": "错误", "Copy": "复制", "Cut": "剪切", "Paste": "粘贴", "Select all": "全选",
  "Undo": "撤消", "Redo": "重做", "Quit": "退出", "Save": "保存", "Open": "打开",
  "File": "文件", "Folder": "文件夹", "Create Folder": "新建文件夹", "New Folder": "新文件夹",
  "Enter filename": "输入文件名", "Show Hidden Files": "显示隐藏的文件", "Favourites": "收藏"
}`

var langOnce sync.Once

// useChinese installs fyneChinese as the English fallback, once per process.
func useChinese() {
	langOnce.Do(func() {
		if err := lang.AddTranslationsForLocale([]byte(fyneChinese), fyne.Locale("en")); err != nil {
			fyne.LogError("add Chinese translations", err)
		}
	})
}
