package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/catalog"
)

// areaPicker chooses a 行政区划代码: province → city → county from the bundled areas
// catalog, or a code typed into the entry. Codes change yearly, so a well-formed code the
// catalog lacks is accepted with a visible warning (Unverified).
type areaPicker struct {
	cats     *catalog.Set
	children map[string][]catalog.Entry // parent code → entries; "" for provinces
	prov     *widget.Select
	city     *widget.Select
	county   *widget.Select
	code     *widget.Entry
	msg      *widget.Label
	// OnChanged is called after every change of the code.
	OnChanged func()
	quiet     bool
}

func newAreaPicker(cats *catalog.Set) *areaPicker {
	a := &areaPicker{cats: cats, children: map[string][]catalog.Entry{}}
	if c, ok := cats.Catalog(app.CatalogAreas); ok {
		for _, e := range c.Entries {
			a.children[e.Parent] = append(a.children[e.Parent], e)
		}
	}
	a.prov = widget.NewSelect(a.names(""), func(s string) { a.selectLevel(0, s) })
	a.prov.PlaceHolder = "省"
	a.city = widget.NewSelect(nil, func(s string) { a.selectLevel(1, s) })
	a.city.PlaceHolder = "市"
	a.county = widget.NewSelect(nil, func(s string) { a.selectLevel(2, s) })
	a.county.PlaceHolder = "县（区）"
	a.code = widget.NewEntry()
	a.code.SetPlaceHolder("或输入 6 位代码")
	a.code.OnChanged = func(string) {
		if !a.quiet {
			a.codeTyped()
		}
	}
	enterMovesOn(a.code)
	a.msg = newMsg()
	return a
}

func (a *areaPicker) content() fyne.CanvasObject {
	return container.NewVBox(
		container.NewGridWithColumns(4, a.prov, a.city, a.county, a.code),
		a.msg,
	)
}

func (a *areaPicker) names(parent string) []string {
	var out []string
	for _, e := range a.children[parent] {
		out = append(out, e.Name)
	}
	return out
}

func (a *areaPicker) codeOf(parent, name string) string {
	for _, e := range a.children[parent] {
		if e.Name == name {
			return e.Code
		}
	}
	return ""
}

// selectLevel handles a choice in one of the three selects.
func (a *areaPicker) selectLevel(level int, name string) {
	if a.quiet {
		return
	}
	a.quiet = true
	defer func() { a.quiet = false }()
	var code string
	switch level {
	case 0:
		code = a.codeOf("", name)
		a.city.Options = a.names(code)
		a.city.ClearSelected()
		a.county.Options = nil
		a.county.ClearSelected()
	case 1:
		code = a.codeOf(a.codeOf("", a.prov.Selected), name)
		a.county.Options = a.names(code)
		a.county.ClearSelected()
	case 2:
		code = a.codeOf(a.codeOf(a.codeOf("", a.prov.Selected), a.city.Selected), name)
	}
	a.code.SetText(code)
	a.check()
	if a.OnChanged != nil {
		a.OnChanged()
	}
}

// codeTyped follows a typed code with the selects where the catalog knows it.
func (a *areaPicker) codeTyped() {
	a.quiet = true
	a.syncSelects(a.Code())
	a.quiet = false
	a.check()
	if a.OnChanged != nil {
		a.OnChanged()
	}
}

// syncSelects shows the catalog path of code in the selects (clearing them when unknown).
func (a *areaPicker) syncSelects(code string) {
	var path []catalog.Entry
	if len(code) >= 6 {
		c := code[:6]
		for i := 0; i < 3 && c != ""; i++ {
			e, ok := a.cats.Lookup(app.CatalogAreas, c)
			if !ok {
				break
			}
			path = append([]catalog.Entry{e}, path...)
			c = e.Parent
		}
	}
	sels := []*widget.Select{a.prov, a.city, a.county}
	parent := ""
	for i, s := range sels {
		s.Options = a.names(parent)
		if i < len(path) {
			s.SetSelected(path[i].Name)
			parent = path[i].Code
		} else {
			s.ClearSelected()
			parent = "\x00" // no options below an unselected level
		}
	}
}

// check shows what the code means, or what is wrong with it.
func (a *areaPicker) check() {
	code := a.Code()
	switch {
	case code == "":
		setMsg(a.msg, "")
	case !(len(code) == 6 || len(code) == 9) || !isDigits(code):
		setMsg(a.msg, "行政区划代码应为 6 位（县级）或 9 位（乡镇级）数字")
	case a.Unverified():
		setWarn(a.msg, "代码 "+code+" 不在内置行政区划表（2023）中。可以保存，但请核实（代码每年会有调整）。")
	default:
		setNote(a.msg, a.Name())
	}
}

// Code returns the code in the entry.
func (a *areaPicker) Code() string { return strings.TrimSpace(a.code.Text) }

// Unverified reports whether a well-formed code is missing from the catalog.
func (a *areaPicker) Unverified() bool {
	code := a.Code()
	if len(code) < 6 {
		return false
	}
	_, ok := a.cats.Lookup(app.CatalogAreas, code[:6])
	return !ok
}

// Name returns the full name of the code ("福建省 福州市 鼓楼区"), or "" when unknown.
func (a *areaPicker) Name() string { return areaName(a.cats, a.Code()) }

// SetCode shows a stored code.
func (a *areaPicker) SetCode(code string) {
	a.quiet = true
	a.code.SetText(code)
	a.syncSelects(code)
	a.quiet = false
	a.check()
}

// areaName returns the names of a code and its parents, joined by spaces, skipping the
// 市辖区/县 placeholders of municipalities.
func areaName(cats *catalog.Set, code string) string {
	if len(code) < 6 || cats == nil {
		return ""
	}
	var parts []string
	c := code[:6]
	for i := 0; i < 3 && c != ""; i++ {
		e, ok := cats.Lookup(app.CatalogAreas, c)
		if !ok {
			break
		}
		if e.Name != "市辖区" && e.Name != "县" {
			parts = append([]string{e.Name}, parts...)
		}
		c = e.Parent
	}
	return strings.Join(parts, " ")
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
