package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/rules"
)

// groupMulti picks item groups of the rule table: the picked ones in order, each with a
// button to take it off, and a picker to add one.
type groupMulti struct {
	table *rules.Table
	codes []string
	box   *fyne.Container
	pick  *picker
}

func newGroupMulti(t *rules.Table, codes []string) *groupMulti {
	g := &groupMulti{table: t, codes: append([]string(nil), codes...), box: container.NewVBox()}
	g.pick = newPicker("添加项目组合：名称、代码或科室", func(q string) []pickItem {
		q = strings.ToUpper(strings.TrimSpace(q))
		var out []pickItem
		for _, gr := range t.Groups() {
			if strings.HasPrefix(gr.Code, q) || strings.Contains(gr.Name, q) || strings.Contains(gr.Department, q) {
				out = append(out, pickItem{Key: gr.Code, Label: groupLabel(gr), Text: gr.Name})
			}
		}
		return out
	})
	g.pick.OnChanged = func() {
		if it, ok := g.pick.Selected(); ok {
			g.pick.setText("")
			for _, c := range g.codes {
				if c == it.Key {
					return
				}
			}
			g.codes = append(g.codes, it.Key)
			g.rebuild()
		}
	}
	g.rebuild()
	return g
}

func (g *groupMulti) content() fyne.CanvasObject { return container.NewVBox(g.box, g.pick.content()) }

func (g *groupMulti) rebuild() {
	var objs []fyne.CanvasObject
	if len(g.codes) == 0 {
		l := widget.NewLabel("（无）")
		l.Importance = widget.LowImportance
		objs = append(objs, l)
	}
	for i, c := range g.codes {
		idx := i
		text := c
		if gr, ok := g.table.GroupByCode(c); ok {
			text = groupLabel(gr)
		}
		l := widget.NewLabel(text)
		l.Truncation = fyne.TextTruncateEllipsis
		del := widget.NewButton("移除", func() {
			g.codes = append(g.codes[:idx:idx], g.codes[idx+1:]...)
			g.rebuild()
		})
		objs = append(objs, container.NewBorder(nil, nil, nil, del, l))
	}
	g.box.Objects = objs
	g.box.Refresh()
}

// ruleEditor is the dialog that edits one rule: its status, item groups and texts.
type ruleEditor struct {
	status                        *widget.Select
	required, optional            *groupMulti
	diseases, contra, conditional *widget.Entry
	itemNotes                     *widget.Entry
	symptoms, physical, interval  *widget.Entry
	source, notes, reason         *widget.Entry
	dialog                        *adminDialog
}

// lines splits a multi-line entry into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func multiEntry(text string, rows int) *widget.Entry {
	e := widget.NewMultiLineEntry()
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(rows)
	e.SetText(text)
	return e
}

func lineEntry(text string) *widget.Entry {
	e := widget.NewEntry()
	e.SetText(text)
	return e
}

// editRule opens the editor of the selected rule. Saving builds a new table with the rule
// replaced, validates it and stores it with the reason.
func (v *ruleScreen) editRule() {
	if v.sel < 0 || v.table == nil {
		return
	}
	r := v.all[v.sel]
	ed := &ruleEditor{
		status:      widget.NewSelect([]string{ruleStatusLabel(rules.StatusVerified), ruleStatusLabel(rules.StatusPartial), ruleStatusLabel(rules.StatusUnverified)}, nil),
		required:    newGroupMulti(v.table, r.Required),
		optional:    newGroupMulti(v.table, r.Optional),
		diseases:    multiEntry(strings.Join(r.TargetDiseases, "\n"), 2),
		contra:      multiEntry(strings.Join(r.Contraindications, "\n"), 2),
		conditional: multiEntry(strings.Join(r.Conditional, "\n"), 2),
		itemNotes:   multiEntry(strings.Join(r.ItemNotes, "\n"), 2),
		symptoms:    multiEntry(r.SymptomFocus, 2),
		physical:    multiEntry(r.PhysicalExam, 2),
		interval:    lineEntry(r.Interval),
		source:      lineEntry(r.Source),
		notes:       multiEntry(r.Notes, 2),
		reason:      widget.NewEntry(),
	}
	ed.status.SetSelected(ruleStatusLabel(r.Status))
	ed.reason.SetPlaceHolder("如：据 GBZ 188-2025 原文第 6.1 节核实")
	hint := widget.NewLabel("目标疾病、职业禁忌证、补充检查和项目说明每行一项。")
	hint.Importance = widget.LowImportance
	form := formGrid(
		formRow{"核实状态", ed.status, nil},
		formRow{"必检项目", ed.required.content(), nil},
		formRow{"选检项目", ed.optional.content(), nil},
		formRow{"补充检查", ed.conditional, nil},
		formRow{"项目说明", ed.itemNotes, nil},
		formRow{"目标疾病", ed.diseases, nil},
		formRow{"职业禁忌证", ed.contra, nil},
		formRow{"症状询问重点", ed.symptoms, nil},
		formRow{"体格检查", ed.physical, nil},
		formRow{"体检周期", ed.interval, nil},
		formRow{"来源", ed.source, nil},
		formRow{"说明", ed.notes, nil},
	)
	// The dialog puts its content in a box that gives it only its minimum height: the
	// scrolled form needs a minimum of its own.
	scroll := container.NewVScroll(form)
	ws := v.env.Window.Canvas().Size()
	scroll.SetMinSize(fyne.NewSize(min(680, ws.Width*0.85), max(240, ws.Height*0.6)))
	body := container.NewBorder(container.NewVBox(hint), formGrid(formRow{"修改原因", ed.reason, nil}), nil, nil, scroll)
	key := r.Hazard + "/" + string(r.ExamType) + "/" + r.Edition
	title := "编辑规则：" + r.Hazard + " " + r.HazardName + "（" + r.ExamType.Name() + "，GBZ 188-" + r.Edition + "）"
	ed.dialog = newAdminDialog(v.env.Window, title, "保存", body, func() error {
		reason := strings.TrimSpace(ed.reason.Text)
		if reason == "" {
			return app.FieldError("修改原因", "请填写修改原因（记入审计日志）")
		}
		d := v.table.Data()
		for i := range d.RuleList {
			x := &d.RuleList[i]
			if x.Hazard != r.Hazard || x.ExamType != r.ExamType || x.Edition != r.Edition {
				continue
			}
			x.Status, _, _ = strings.Cut(ed.status.Selected, " ")
			x.Required = append([]string(nil), ed.required.codes...)
			x.Optional = append([]string(nil), ed.optional.codes...)
			x.Conditional = lines(ed.conditional.Text)
			x.ItemNotes = lines(ed.itemNotes.Text)
			x.TargetDiseases = lines(ed.diseases.Text)
			x.Contraindications = lines(ed.contra.Text)
			x.SymptomFocus = strings.TrimSpace(ed.symptoms.Text)
			x.PhysicalExam = strings.TrimSpace(ed.physical.Text)
			x.Interval = strings.TrimSpace(ed.interval.Text)
			x.Source = strings.TrimSpace(ed.source.Text)
			x.Notes = strings.TrimSpace(ed.notes.Text)
		}
		t, err := rules.New(d)
		if err != nil {
			return app.Errorf(app.EINVALID, "规则表有误：%v", err)
		}
		b, err := rules.Marshal(t)
		if err != nil {
			return app.Errorf(app.EINTERNAL, "规则表编码失败：%v", err)
		}
		if err := v.env.Services.Rules.SaveRuleTable(v.env.Ctx, b, reason); err != nil {
			return err
		}
		v.reload()
		v.reselect(key)
		setNote(v.status, "规则已保存，原因："+reason)
		return nil
	})
	v.editor = ed
	ed.dialog.show(min(760, ws.Width*0.95))
}
