package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/criteria"
)

// hazardForm is the conclusion of one hazard: the conclusion of the edition's list and what it
// names (the disease of 疑似职业病, the contraindication, the other disease or abnormality), and
// the basis.
type hazardForm struct {
	hazard, name string
	codes        []criteria.Conclusion
	diseases     []diseaseOption

	code     *widget.Select
	disease  *widget.Select
	contra   *widget.SelectEntry
	other    *widget.Entry
	basis    *widget.Entry
	diseaseR *fyne.Container
	contraR  *fyne.Container
	otherR   *fyne.Container
	msg      *widget.Label
	// onChange is called when the conclusion changes (the recheck order follows 复查 in 2014).
	onChange func()
}

func newHazardForm(hazard, name string, list criteria.ConclusionList, diseases []diseaseOption, contras []string) *hazardForm {
	f := &hazardForm{hazard: hazard, name: name, codes: list.Items, diseases: diseases}
	var opts []string
	for _, c := range list.Items {
		opts = append(opts, c.Name)
	}
	f.code = widget.NewSelect(opts, func(string) { f.showFields(); f.changed() })
	f.code.PlaceHolder = "请选择结论"
	var dn []string
	for _, d := range diseases {
		dn = append(dn, diseaseLabel(d))
	}
	f.disease = widget.NewSelect(dn, func(string) { f.changed() })
	f.disease.PlaceHolder = "请选择疑似的职业病"
	f.contra = widget.NewSelectEntry(contras)
	f.contra.SetPlaceHolder("职业禁忌证名称（可从列表选择后修改）")
	f.contra.OnChanged = func(string) { f.changed() }
	f.other = widget.NewEntry()
	f.other.SetPlaceHolder("写明何种疾病或异常，如 高血压、肝功能异常")
	f.other.OnChanged = func(string) { f.changed() }
	f.basis = widget.NewMultiLineEntry()
	f.basis.SetMinRowsVisible(2)
	f.basis.Wrapping = fyne.TextWrapWord
	f.basis.SetPlaceHolder("结论依据：异常结果、所引标准条款")
	f.msg = newMsg()
	f.diseaseR = container.NewBorder(nil, nil, widget.NewLabel("疑似职业病"), nil, f.disease)
	f.contraR = container.NewBorder(nil, nil, widget.NewLabel("职业禁忌证"), nil, f.contra)
	f.otherR = container.NewBorder(nil, nil, widget.NewLabel("疾病或异常"), nil, f.other)
	f.showFields()
	return f
}

func diseaseLabel(d diseaseOption) string {
	s := d.Name
	if d.Code != "" {
		s += "（" + d.Code + "）"
	}
	if d.Target {
		s = "★ " + s
	}
	return s
}

func (f *hazardForm) changed() {
	setMsg(f.msg, "")
	if f.onChange != nil {
		f.onChange()
	}
}

// content lays the form out under the hazard's name, with the suggestions between the name
// and the fields.
func (f *hazardForm) content(suggestions fyne.CanvasObject) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(f.name+"（"+f.hazard+"）", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	return container.NewVBox(title, suggestions,
		container.NewBorder(nil, nil, widget.NewLabel("结论"), nil, f.code),
		f.diseaseR, f.contraR, f.otherR,
		container.NewBorder(nil, nil, widget.NewLabel("依据"), nil, f.basis),
		f.msg)
}

// selectedCode returns the code of the chosen conclusion ("" for none).
func (f *hazardForm) selectedCode() string {
	for _, c := range f.codes {
		if c.Name == f.code.Selected {
			return c.Code
		}
	}
	return ""
}

// setCode chooses the conclusion of code (clears it for "").
func (f *hazardForm) setCode(code string) {
	for _, c := range f.codes {
		if c.Code == code {
			f.code.SetSelected(c.Name)
			return
		}
	}
	f.code.ClearSelected()
}

func (f *hazardForm) showFields() {
	code := f.selectedCode()
	show := func(o fyne.CanvasObject, on bool) {
		if on {
			o.Show()
		} else {
			o.Hide()
		}
	}
	show(f.diseaseR, code == app.ConclusionSuspected)
	show(f.contraR, code == app.ConclusionContraindication)
	show(f.otherR, code == app.ConclusionOther)
}

// setDisease chooses a disease by code or name.
func (f *hazardForm) setDisease(code, name string) {
	for _, d := range f.diseases {
		if (code != "" && d.Code == code) || (code == "" && d.Name == name) {
			f.disease.SetSelected(diseaseLabel(d))
			return
		}
	}
	if name != "" {
		// A disease outside today's list (an older catalogue): keep it selectable.
		d := diseaseOption{Code: code, Name: name}
		f.diseases = append(f.diseases, d)
		f.disease.Options = append(f.disease.Options, diseaseLabel(d))
		f.disease.SetSelected(diseaseLabel(d))
	}
}

// selectedDisease returns the chosen disease.
func (f *hazardForm) selectedDisease() (diseaseOption, bool) {
	for _, d := range f.diseases {
		if diseaseLabel(d) == f.disease.Selected {
			return d, true
		}
	}
	return diseaseOption{}, false
}

// set fills the form from a stored conclusion.
func (f *hazardForm) set(h app.HazardConclusion) {
	f.setCode(h.Code)
	f.disease.ClearSelected()
	if h.Disease != "" || h.DiseaseCode != "" {
		f.setDisease(h.DiseaseCode, h.Disease)
	}
	f.contra.SetText(h.Contraindication)
	f.other.SetText(h.Other)
	f.basis.SetText(h.Basis)
	f.showFields()
	setMsg(f.msg, "")
}

// value reads the form. Only what the chosen conclusion names is kept.
func (f *hazardForm) value() app.HazardConclusion {
	h := app.HazardConclusion{Hazard: f.hazard, Code: f.selectedCode(), Basis: strings.TrimSpace(f.basis.Text)}
	switch h.Code {
	case app.ConclusionSuspected:
		if d, ok := f.selectedDisease(); ok {
			h.DiseaseCode, h.Disease = d.Code, d.Name
		}
	case app.ConclusionContraindication:
		h.Contraindication = strings.TrimSpace(f.contra.Text)
	case app.ConclusionOther:
		h.Other = strings.TrimSpace(f.other.Text)
	}
	return h
}

// appendBasis adds a line to the basis unless it is there already.
func (f *hazardForm) appendBasis(line string) {
	cur := strings.TrimSpace(f.basis.Text)
	if strings.Contains(cur, line) {
		return
	}
	if cur != "" {
		cur += "\n"
	}
	f.basis.SetText(cur + line)
}

// setEditable enables or disables every field.
func (f *hazardForm) setEditable(on bool) {
	for _, w := range []fyne.Disableable{f.code, f.disease, f.contra, f.other, f.basis} {
		if on {
			w.Enable()
		} else {
			w.Disable()
		}
	}
}

// advicePhrases are common 主检建议 the doctor adds with one click; the text stays editable.
var advicePhrases = []string{
	"目前未见异常，可继续从事原工作，按期进行在岗期间职业健康检查。",
	"建议到职业病诊断机构进一步明确诊断。",
	"建议调离原岗位，不宜从事接触该危害因素的作业。",
	"建议脱离噪声环境 48 小时后复查纯音听阈。",
	"建议到相关专科进一步检查和治疗。",
	"加强个人防护，正确佩戴防护用品。",
	"建议戒烟，定期复查胸片。",
}

// recheckForm is the recheck order: which item groups, by when, and why.
type recheckForm struct {
	on     *widget.Check
	groups *widget.CheckGroup
	codes  map[string]string // label → group code
	date   *widget.Entry
	reason *widget.Entry
	body   *fyne.Container
	msg    *widget.Label
}

func newRecheckForm(e *app.Exam) *recheckForm {
	f := &recheckForm{codes: map[string]string{}}
	var labels []string
	seen := map[string]bool{}
	for _, it := range e.Items {
		if seen[it.GroupCode] {
			continue
		}
		seen[it.GroupCode] = true
		l := it.Name
		if it.Department != "" {
			l += "（" + it.Department + "）"
		}
		f.codes[l] = it.GroupCode
		labels = append(labels, l)
	}
	f.groups = widget.NewCheckGroup(labels, nil)
	f.groups.Horizontal = true
	f.date = widget.NewEntry()
	f.date.SetPlaceHolder("年-月-日")
	enterMovesOn(f.date)
	f.reason = widget.NewEntry()
	f.reason.SetPlaceHolder("复查原因，如 高频听阈升高，脱离噪声 48 小时后复查")
	f.msg = newMsg()
	f.body = container.NewVBox(widget.NewLabel("复查项目"), f.groups,
		container.NewBorder(nil, nil, widget.NewLabel("复查日期"), nil, withWidth(140, f.date)),
		container.NewBorder(nil, nil, widget.NewLabel("复查原因"), nil, f.reason), f.msg)
	f.on = widget.NewCheck("安排复查", func(on bool) {
		if on {
			f.body.Show()
		} else {
			f.body.Hide()
		}
	})
	f.body.Hide()
	return f
}

func (f *recheckForm) content() fyne.CanvasObject { return container.NewVBox(f.on, f.body) }

func (f *recheckForm) set(r *app.RecheckOrder) {
	f.on.SetChecked(r != nil)
	if r == nil {
		f.groups.SetSelected(nil)
		f.date.SetText("")
		f.reason.SetText("")
		return
	}
	var sel []string
	for l, c := range f.codes {
		if slices.Contains(r.Groups, c) {
			sel = append(sel, l)
		}
	}
	// Keep the option order.
	slices.SortFunc(sel, func(a, b string) int {
		return slices.Index(f.groups.Options, a) - slices.Index(f.groups.Options, b)
	})
	f.groups.SetSelected(sel)
	f.date.SetText(formatDate(r.Date))
	f.reason.SetText(r.Reason)
}

// value reads the order (nil when no recheck is ordered); a date that cannot be read is an
// error for the date field.
func (f *recheckForm) value() (*app.RecheckOrder, error) {
	if !f.on.Checked {
		return nil, nil
	}
	r := &app.RecheckOrder{Reason: strings.TrimSpace(f.reason.Text)}
	for _, l := range f.groups.Options {
		if slices.Contains(f.groups.Selected, l) {
			r.Groups = append(r.Groups, f.codes[l])
		}
	}
	d, err := parseDate(f.date.Text)
	if err != nil {
		return nil, app.FieldError("复查日期", "%s", fieldMessage(err))
	}
	r.Date = d
	return r, nil
}

func (f *recheckForm) setEditable(on bool) {
	for _, w := range []fyne.Disableable{f.on, f.groups, f.date, f.reason} {
		if on {
			w.Enable()
		} else {
			w.Disable()
		}
	}
}
