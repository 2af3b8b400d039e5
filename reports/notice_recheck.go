package reports

import (
	"strconv"
	"strings"
	"time"

	"occhealth/app"
	"occhealth/reports/pdf"
)

// NoticeRecheck is the recheck order of a 复查通知书.
type NoticeRecheck struct {
	Items  []NoticeRecheckItem
	Date   time.Time
	Reason string
	Where  string
	Bring  []string
	// Prep are the preparations the items need (fasting, quiet before audiometry …), each
	// once, in the order of the wording's rules.
	Prep []string
}

// NoticeRecheckItem is one item group to recheck.
type NoticeRecheckItem struct {
	Name, Department string
}

// layoutRecheck draws what a 复查通知书 orders: why, which items, by when, where, how to
// prepare and what to bring.
func layoutRecheck(d *pdf.Document, n Notice) {
	rc := n.Recheck
	left, width := d.Left(), d.Width()
	if rc.Reason != "" {
		d.Paragraph("　　复查原因："+rc.Reason, noticeBody)
	}
	rows := make([][]string, len(rc.Items))
	for i, it := range rc.Items {
		rows[i] = []string{strconv.Itoa(i + 1), it.Name, it.Department}
	}
	d.SetY(d.Y() + 2)
	d.Table(pdf.Table{
		Columns: []pdf.Column{{Title: "序号", Width: 40, Align: pdf.Center}, {Title: "复查项目"}, {Title: "检查科室", Width: 130}},
		Rows:    rows, Header: noticeLabel, Body: pdf.Style{Face: pdf.Song, Size: 10.5, Leading: 1.5},
		Pad: 3, MinRowHeight: 20,
	})
	d.SetY(d.Y() + 6)
	when := "请于 " + chineseDate(rc.Date) + " 前复查"
	if rc.Date.IsZero() {
		when = "请尽快复查"
	}
	d.Paragraph("　　复查时间："+when+"（节假日除外）。", noticeBody)
	if rc.Where != "" {
		d.Paragraph("　　复查地点："+rc.Where, noticeBody)
	}
	if len(rc.Bring) > 0 {
		d.Paragraph("　　请携带："+strings.Join(rc.Bring, "、")+"。", noticeBody)
	}
	if len(rc.Prep) > 0 {
		d.Paragraph("　　复查前准备：", noticeBody)
		for _, p := range rc.Prep {
			d.ParagraphAt(left+24, width-24, "· "+p, noticeSmall)
		}
	}
}

// recheckNotice fills a 复查通知书 from the exam's recheck order; it refuses an exam whose
// signed conclusion orders no recheck.
func recheckNotice(n *Notice, in app.NoticeInput, w NoticeWording) error {
	e := in.Exam
	o := e.Record.Conclusion.Recheck
	if o == nil || len(o.Groups) == 0 {
		return app.Errorf(app.EINVALID, "体检 %s 的结论中没有复查安排（复查项目和时间），不能出具复查通知书", e.Number)
	}
	rc := &NoticeRecheck{Date: o.Date, Reason: o.Reason, Bring: w.RecheckBring}
	var hay []string
	for _, g := range o.Groups {
		it := NoticeRecheckItem{Name: recheckGroupName(e, g)}
		tube := ""
		for _, x := range e.Items {
			if x.GroupCode == g {
				it.Department, tube = x.Department, x.Tube
				break
			}
		}
		rc.Items = append(rc.Items, it)
		hay = append(hay, it.Name+" "+it.Department+" "+tube)
	}
	for _, p := range w.RecheckPrep {
		hit := false
		for _, h := range hay {
			for _, k := range p.Keywords {
				hit = hit || (k != "" && strings.Contains(h, k))
			}
		}
		if hit {
			rc.Prep = append(rc.Prep, p.Text)
		}
	}
	if in.Institution != nil {
		rc.Where = in.Institution.Name
		if in.Institution.Address != "" {
			rc.Where += "（" + in.Institution.Address + "）"
		}
	}
	n.Recheck = rc
	for _, c := range e.Record.Conclusion.Hazards {
		if c.Code == app.ConclusionRecheck {
			h := in.HazardNames[c.Hazard]
			if h == "" {
				h = c.Hazard
			}
			n.Findings = append(n.Findings, NoticeFinding{Hazard: h, Basis: c.Basis})
		}
	}
	return nil
}
