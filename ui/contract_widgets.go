package ui

import (
	"fmt"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
)

// hazardMulti picks several hazard factors from the hazards catalog: a picker to find one
// and the list of those picked, each with a button to take it off again.
type hazardMulti struct {
	cats     *catalog.Set
	pick     *picker
	codes    []string
	box      *fyne.Container
	editable bool
	// OnChanged is called after a factor is added or removed.
	OnChanged func()
}

func newHazardMulti(cats *catalog.Set) *hazardMulti {
	h := &hazardMulti{cats: cats, box: container.NewVBox(), editable: true}
	h.pick = newPicker("添加危害因素：名称、别名或代码，如 矽尘、噪声", catalogSearch(cats, app.CatalogHazards,
		func(e catalog.Entry) bool { return e.Level >= 2 }, codeLabel))
	h.pick.OnChanged = func() {
		if it, ok := h.pick.Selected(); ok {
			h.pick.setText("")
			h.add(it.Key)
		}
	}
	h.rebuild()
	return h
}

func (h *hazardMulti) content() fyne.CanvasObject { return container.NewVBox(h.box, h.pick.content()) }

// add puts a code on the list (once).
func (h *hazardMulti) add(code string) {
	for _, c := range h.codes {
		if c == code {
			return
		}
	}
	h.codes = append(h.codes, code)
	h.rebuild()
	if h.OnChanged != nil {
		h.OnChanged()
	}
}

func (h *hazardMulti) remove(code string) {
	for i, c := range h.codes {
		if c == code {
			h.codes = append(h.codes[:i:i], h.codes[i+1:]...)
			break
		}
	}
	h.rebuild()
	if h.OnChanged != nil {
		h.OnChanged()
	}
}

// set shows codes without calling OnChanged.
func (h *hazardMulti) set(codes []string) {
	h.codes = append([]string(nil), codes...)
	h.rebuild()
}

// Codes returns the picked national hazard codes in the order they were picked.
func (h *hazardMulti) Codes() []string { return append([]string(nil), h.codes...) }

func (h *hazardMulti) setEditable(ok bool) {
	h.editable = ok
	if ok {
		h.pick.entry.Enable()
	} else {
		h.pick.entry.Disable()
	}
	h.rebuild()
}

func (h *hazardMulti) rebuild() {
	var objs []fyne.CanvasObject
	if len(h.codes) == 0 {
		none := widget.NewLabel("（未选择）")
		none.Importance = widget.LowImportance
		objs = append(objs, none)
	}
	for _, c := range h.codes {
		code := c
		l := widget.NewLabel(hazardLabel(h.cats, code))
		l.Truncation = fyne.TextTruncateEllipsis
		var right fyne.CanvasObject
		if h.editable {
			right = widget.NewButton("移除", func() { h.remove(code) })
		}
		objs = append(objs, container.NewBorder(nil, nil, nil, right, l))
	}
	h.box.Objects = objs
	h.box.Refresh()
}

// hazardLabel is "code name" of a hazard, or the code alone when the catalog lacks it.
func hazardLabel(cats *catalog.Set, code string) string {
	if e, ok := cats.Lookup(app.CatalogHazards, code); ok {
		return codeLabel(e)
	}
	return code
}

// hazardNames returns the names of hazard codes (the code where the catalog lacks one).
func hazardNames(cats *catalog.Set, codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if n, ok := cats.CodeName(app.CatalogHazards, c); ok {
			out = append(out, n)
		} else {
			out = append(out, c)
		}
	}
	return out
}

// examTypeLabels returns "01 上岗前" … for the national exam types.
func examTypeLabels() []string {
	out := make([]string, 0, len(app.ExamTypes))
	for _, t := range app.ExamTypes {
		out = append(out, examTypeLabel(t))
	}
	return out
}

func examTypeLabel(t app.ExamType) string { return string(t) + " " + t.Name() }

// examTypeOf reads a label of examTypeLabels.
func examTypeOf(label string) app.ExamType {
	code, _, _ := strings.Cut(label, " ")
	return app.ExamType(code)
}

// formatFen shows an amount in fen as yuan with two decimals.
func formatFen(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

// parseYuan reads an amount in yuan (at most two decimals, e.g. 120, 85.5, ¥85.50) as fen.
// An empty text is 0.
func parseYuan(s string) (int64, error) {
	s = strings.TrimSpace(strings.NewReplacer("¥", "", "￥", "", "元", "", ",", "", "，", "").Replace(s))
	if s == "" {
		return 0, nil
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if !isDigits(whole) || (hasFrac && (len(frac) > 2 || (frac != "" && !isDigits(frac)))) || len(whole) > 9 {
		return 0, app.Errorf(app.EINVALID, "“%s”不是金额，请输入元，最多两位小数，如 85.50", s)
	}
	y, _ := strconv.ParseInt(whole, 10, 64)
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
	}
	return y*100 + f, nil
}

// saveAndOpen asks where to save a file (name suggested), writes data there and opens it with
// the system's viewer. done, when not nil, gets the path written.
func saveAndOpen(env *Env, name string, data []byte, open bool, done func(path string)) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			showError(env.Window, err)
			return
		}
		if wc == nil {
			return // cancelled
		}
		_, werr := wc.Write(data)
		if cerr := wc.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			showError(env.Window, app.Errorf(app.EINTERNAL, "写入 %s 失败：%v", wc.URI().Path(), werr))
			return
		}
		if open {
			openPath(env, wc.URI().Path())
		}
		if done != nil {
			done(wc.URI().Path())
		}
	}, env.Window)
	d.SetFileName(name)
	if ext := filepath.Ext(name); ext != "" {
		d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	}
	showFileDialog(d, env.Window)
}

// openPath opens a file with the system's viewer (a PDF reader, Excel …).
func openPath(env *Env, path string) {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	u := &url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path // Windows: file:///C:/…
	}
	if a := fyne.CurrentApp(); a != nil {
		if err := a.OpenURL(u); err != nil {
			log.Printf("ui: open %s: %v", path, err)
			dialog.ShowInformation("无法自动打开", "文件已保存到：\n"+path+"\n\n本机没有能自动打开它的程序，请在文件夹中找到它再打开。", env.Window)
		}
	}
}

// openCopy writes data to a file in a temporary folder and opens it with the system's viewer
// (an attachment to look at, not to keep).
func openCopy(env *Env, name string, data []byte) {
	dir, err := os.MkdirTemp("", "occhealth-")
	if err != nil {
		showError(env.Window, app.Errorf(app.EINTERNAL, "无法建立临时文件夹：%v", err))
		return
	}
	p := filepath.Join(dir, filepath.Base(name))
	if err := os.WriteFile(p, data, 0o600); err != nil {
		showError(env.Window, app.Errorf(app.EINTERNAL, "无法写入临时文件：%v", err))
		return
	}
	openPath(env, p)
}

// reasonDialog asks for a reason and runs do with it; do's error keeps the dialog open with
// its message. required says whether an empty reason is refused here already.
func reasonDialog(env *Env, title, prompt, confirm string, required bool, do func(reason string) error) *widget.Entry {
	e := widget.NewMultiLineEntry()
	e.SetMinRowsVisible(2)
	d := newAdminDialog(env.Window, title, confirm, container.NewVBox(widget.NewLabel(prompt), e), func() error {
		r := strings.TrimSpace(e.Text)
		if required && r == "" {
			return app.FieldError("原因", "请填写原因")
		}
		return do(r)
	})
	d.show(480)
	env.Window.Canvas().Focus(e)
	return e
}
