package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/app/criteria"
)

// statusName words the V/P/U status of a criterion's source.
func statusName(s string) string {
	switch s {
	case criteria.StatusVerified:
		return "V 已核实"
	case criteria.StatusPartial:
		return "P 部分核实"
	case criteria.StatusUnverified:
		return "U 待核实"
	}
	return s
}

// suggestion is one finding shown to the chief examiner, with its adopt button when met.
type suggestion struct {
	hazard  string
	finding criteria.Finding
	adopt   *widget.Button // nil unless the finding is met
}

// suggestionsFor evaluates the criteria of one hazard of the exam and lists the findings:
// outcome, text with the clause, the source's status, what to confirm, and for a met finding
// a button that copies it into the form. Met findings stand out; the others (不符合, 无法判断)
// fold into one line the doctor opens when needed. Nothing is concluded by itself: the doctor
// decides.
func (v *concludeScreen) suggestionsFor(hz string) fyne.CanvasObject {
	box := container.NewVBox()
	set := v.env.Criteria()
	if set == nil {
		box.Add(wrapLabel("未能读取判定标准数据。"))
		return box
	}
	fs := set.Evaluate(criteriaInput(set, v.b, hz))
	if len(fs) == 0 {
		l := wrapLabel("判定提示：本版本标准中没有可由程序判断的数值标准，请按检查结果判断。")
		l.Importance = widget.LowImportance
		box.Add(l)
		return box
	}
	rest := container.NewVBox()
	notMet, unknown := 0, 0
	for _, f := range fs {
		s := &suggestion{hazard: hz, finding: f}
		text := "【" + f.Outcome.Name() + "】" + f.Kind.Name() + "　" + f.Text + "　〔" + statusName(f.Status) + "〕"
		if f.Outcome == criteria.Met && f.Confirm != "" {
			text += "\n需确认：" + f.Confirm
		}
		if f.Outcome == criteria.Met && f.Action != "" {
			text += "\n处理：" + f.Action
		}
		l := wrapLabel(text)
		switch f.Outcome {
		case criteria.Met:
			l.Importance = widget.DangerImportance
			if v.editable() {
				s.adopt = widget.NewButton("采纳", func() { v.adopt(s) })
				box.Add(container.NewBorder(nil, nil, nil, s.adopt, l))
			} else {
				box.Add(l)
			}
		case criteria.Unknown:
			l.Importance = widget.WarningImportance
			rest.Add(l)
			unknown++
		default:
			l.Importance = widget.LowImportance
			rest.Add(l)
			notMet++
		}
		v.suggestions = append(v.suggestions, s)
	}
	if notMet+unknown > 0 {
		title := "其他判定提示："
		if notMet > 0 {
			title += "不符合 " + strconv.Itoa(notMet) + " 条"
		}
		if unknown > 0 {
			if notMet > 0 {
				title += "，"
			}
			title += "无法判断 " + strconv.Itoa(unknown) + " 条"
		}
		acc := widget.NewAccordion(widget.NewAccordionItem(title, rest))
		box.Add(acc)
	}
	return box
}

// adopt copies a met finding into the hazard's conclusion (and the recheck order or the
// advice); the doctor can still change everything before signing.
func (v *concludeScreen) adopt(s *suggestion) {
	hf := v.hazardForm(s.hazard)
	if hf == nil {
		return
	}
	f := s.finding
	e := v.b.exam
	list, _ := v.env.Criteria().Conclusions(e.Edition)
	switch f.Kind {
	case criteria.KindSuspected:
		hf.setCode(app.ConclusionSuspected)
		for _, d := range hf.diseases {
			if d.Target {
				hf.setDisease(d.Code, d.Name)
				break
			}
		}
		hf.appendBasis(f.Text)
	case criteria.KindContraindication:
		hf.setCode(app.ConclusionContraindication)
		text := ""
		for _, c := range v.env.Criteria().Criteria(s.hazard, e.Type, e.Edition) {
			if c.ID == f.Criterion {
				text = c.Text
			}
		}
		if strings.TrimSpace(hf.contra.Text) == "" {
			hf.contra.SetText(text)
		}
		hf.appendBasis(f.Text)
	case criteria.KindRecheck:
		if _, ok := list.ForKind(criteria.KindRecheck); ok {
			hf.setCode(app.ConclusionRecheck)
		}
		v.recheck.on.SetChecked(true)
		if strings.TrimSpace(v.recheck.reason.Text) == "" {
			r := f.Action
			if r == "" {
				r = f.Text
			}
			v.recheck.reason.SetText(r)
		}
		hf.appendBasis(f.Text)
	case criteria.KindSupplement:
		if f.Action != "" {
			v.addAdvice(f.Action)
		}
	}
	setNote(v.status, "已采纳提示："+f.Kind.Name()+"（"+f.Clause+"）。请核对后保存或签名。")
}
