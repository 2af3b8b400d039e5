package reports

import (
	"fmt"
	"strconv"
	"strings"

	"occhealth/app"
	"occhealth/reports/pdf"
)

// SummaryReport renders a contract's summary report.
func (Documents) SummaryReport(in app.SummaryInput) ([]byte, error) {
	s, err := NewSummary(in)
	if err != nil {
		return nil, err
	}
	return RenderSummary(s)
}

// RenderSummary renders a summary as an A4 PDF with the same bytes for the same summary. A
// character no bundled font has is printed as 〓 and reported (EINVALID with the PDF complete).
func RenderSummary(s Summary) ([]byte, error) {
	d, err := layoutSummary(s)
	if err != nil {
		return nil, err
	}
	b, err := d.PDF()
	if err != nil {
		return nil, err
	}
	return b, glyphErr(d)
}

// LayoutSummary returns the layout RenderSummary draws (for previews and tests).
func LayoutSummary(s Summary) (*pdf.Layout, error) {
	d, err := layoutSummary(s)
	if err != nil {
		return nil, err
	}
	return d.Layout(), nil
}

var (
	sumBody    = pdf.Style{Face: pdf.Song, Size: 11, Leading: 1.6}
	sumHead    = pdf.Style{Face: pdf.Hei, Size: 13, Leading: 1.6}
	sumTableH  = pdf.Style{Face: pdf.Hei, Size: 9.5, Leading: 1.35}
	sumTableB  = pdf.Style{Face: pdf.Song, Size: 9.5, Leading: 1.4}
	sumMuted   = pdf.RGB{R: 0x80, G: 0x80, B: 0x80}
	sumSmall   = pdf.Style{Face: pdf.Song, Size: 9, Leading: 1.5}
	sumNumbers = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
)

func layoutSummary(s Summary) (*pdf.Document, error) {
	d, err := pdf.New(pdf.Options{
		Margin:      pdf.Margins{Top: pdf.MM(18), Right: pdf.MM(20), Bottom: pdf.MM(18), Left: pdf.MM(20)},
		Info:        pdf.Info{Title: "职业健康检查总结报告", Subject: s.Contract + " " + s.Employer, Creator: "职业健康工作站"},
		PageNumbers: true,
	})
	if err != nil {
		return nil, err
	}
	left, width := d.Left(), d.Width()
	sealMark(d)
	y := d.Top()
	for _, ln := range strings.Split(strings.TrimSpace(s.Header), "\n") {
		if ln = strings.TrimSpace(ln); ln != "" {
			d.FitText(left, y, width, ln, pdf.Style{Face: pdf.Song, Size: 10, Align: pdf.Center}, 7)
			y += 15
		}
	}
	d.FitText(left, y, width, s.Institution, pdf.Style{Face: pdf.Hei, Size: 14, Align: pdf.Center}, 9)
	y += 24
	d.Text(left, y, width, "职业健康检查总结报告", pdf.Style{Face: pdf.Hei, Size: 22, Align: pdf.Center, Leading: 1.3})
	y += 36
	d.Text(left, y, width, "报告编号："+s.Contract+"-ZJ", pdf.Style{Face: pdf.Song, Size: 10, Align: pdf.Right, Leading: 1.6})
	y += 20
	d.SetHeader(func(d *pdf.Document) {
		d.FitText(d.Left(), d.Top(), d.Width(), "职业健康检查总结报告（续）　"+s.Employer+"　编号 "+s.Contract+"-ZJ", pdf.Style{Face: pdf.Hei, Size: 10.5}, 7)
		sealMark(d)
		d.Line(d.Left(), d.Top()+18, d.Right(), d.Top()+18, 0.5)
		d.SetY(d.Top() + 26)
	})

	// The parties and the round, as a ruled grid.
	period := chineseDate(s.Start)
	if !s.End.IsZero() && !s.End.Equal(s.Start) {
		period += " 至 " + chineseDate(s.End)
	}
	contact := strings.TrimSpace(s.Contact + "　" + s.ContactPhone)
	lw := 94.0
	vw := (width - 2*lw) / 2
	pairs := [][4]string{
		{"受检单位", s.Employer, "", ""},
		{"统一社会信用代码", s.CreditCode, "联系人/电话", contact},
		{"单位地址", s.EmployerAddress, "", ""},
		{"委托协议编号", s.Contract, "检查日期", period},
		{"检查地点", s.Place, "", ""},
		{"检查类别", strings.Join(s.ExamTypes, "、"), "检查依据", strings.Join(s.Editions, "、")},
		{"职业病危害因素", strings.Join(s.Hazards, "、"), "", ""},
		{"应检人数", strconv.Itoa(s.Planned) + " 人", "实检人数", strconv.Itoa(s.Examined) + " 人（实检率 " + s.Rate + "）"},
	}
	for _, row := range pairs {
		h := noticeRowH
		if row[2] == "" {
			lines := d.Wrap(row[1], width-lw-8, pdf.Style{Face: pdf.Song, Size: 10.5, Leading: 1.4})
			h = max(h, float64(len(lines))*10.5*1.4+6)
			noticeCell(d, left, y, lw, h, row[0], true)
			d.Rect(left+lw, y, width-lw, h, 0.5, nil)
			d.TextBlock(left+lw+4, y+3, width-lw-8, row[1], pdf.Style{Face: pdf.Song, Size: 10.5, Leading: 1.4})
		} else {
			noticeCell(d, left, y, lw, h, row[0], true)
			noticeCell(d, left+lw, y, vw, h, row[1], false)
			noticeCell(d, left+lw+vw, y, lw, h, row[2], true)
			noticeCell(d, left+2*lw+vw, y, vw, h, row[3], false)
		}
		y += h
	}
	d.SetY(y + 12)

	sec := 0
	heading := func(title string) {
		d.SetY(d.Y() + 6)
		d.Ensure(sumHead.LineHeight() + 3*sumTableB.LineHeight() + 12)
		d.Paragraph(sumNumbers[sec]+"、"+title, sumHead)
		sec++
	}

	heading("检查概况")
	where := "本机构"
	if p, ok := strings.CutPrefix(s.Place, "外出："); ok {
		where = p
	}
	intro := fmt.Sprintf("受%s委托，本机构于%s在%s对该单位接触职业病危害因素的劳动者进行了%s职业健康检查。应检 %d 人，实检 %d 人，实检率 %s",
		orDash(s.Employer), period, where, strings.Join(s.ExamTypes, "、"), s.Planned, s.Examined, s.Rate)
	var missing []string
	if s.NoShow > 0 {
		missing = append(missing, "未到检 "+strconv.Itoa(s.NoShow)+" 人")
	}
	if s.Pending > 0 {
		missing = append(missing, "检查或主检未完成 "+strconv.Itoa(s.Pending)+" 人")
	}
	if len(missing) > 0 {
		intro += "（" + strings.Join(missing, "，") + "）"
	}
	intro += fmt.Sprintf("。检出疑似职业病 %d 人，职业禁忌证 %d 人，需复查 %d 人，其他疾病或异常 %d 人。",
		len(s.Suspected), len(s.Contraindicated), len(s.Recheck), len(s.Other))
	d.Paragraph("　　"+intro, sumBody)

	heading("各危害因素检查结果")
	cols := []pdf.Column{{Title: "职业病危害因素"}, {Title: "应检", Width: 38, Align: pdf.Right}, {Title: "实检", Width: 38, Align: pdf.Right}}
	for _, c := range s.Columns {
		cols = append(cols, pdf.Column{Title: c, Width: 50, Align: pdf.Right})
	}
	var rows [][]string
	for _, r := range s.ByHazard {
		row := []string{r.Hazard, strconv.Itoa(r.Planned), strconv.Itoa(r.Examined)}
		for _, n := range r.Counts {
			row = append(row, strconv.Itoa(n))
		}
		rows = append(rows, row)
	}
	d.SetY(d.Y() + 2)
	d.Table(pdf.Table{Columns: cols, Rows: rows, Header: sumTableH, Body: sumTableB, Pad: 3, MinRowHeight: 18})
	if s.RecheckNote != "" {
		d.SetY(d.Y() + 2)
		d.Paragraph(s.RecheckNote, sumSmall)
	}
	d.SetY(d.Y() + 8)
	drawConclusionChart(d, s.Columns, s.ByHazard)

	heading("各车间检查结果")
	cols = []pdf.Column{{Title: "车间"}, {Title: "应检", Width: 36, Align: pdf.Right}, {Title: "实检", Width: 36, Align: pdf.Right},
		{Title: "实检率", Width: 44, Align: pdf.Right}}
	for _, c := range s.Columns {
		cols = append(cols, pdf.Column{Title: c, Width: 48, Align: pdf.Right})
	}
	rows = rows[:0]
	for _, r := range s.Shops {
		row := []string{r.Workshop, strconv.Itoa(r.Planned), strconv.Itoa(r.Examined), percent(r.Examined, r.Planned)}
		for _, n := range r.Counts {
			row = append(row, strconv.Itoa(n))
		}
		rows = append(rows, row)
	}
	d.SetY(d.Y() + 2)
	d.Table(pdf.Table{Columns: cols, Rows: rows, Header: sumTableH, Body: sumTableB, Pad: 3, MinRowHeight: 18})
	d.SetY(d.Y() + 2)
	d.Paragraph("注：同一人多个危害因素的结论按人计一次。", sumSmall)

	namedList := func(title, whatTitle string, ps []SummaryPerson, recheck bool) {
		heading(title + "（" + strconv.Itoa(len(ps)) + " 人）")
		if len(ps) == 0 {
			d.Paragraph("　　无。", sumBody)
			return
		}
		cols := []pdf.Column{{Title: "序号", Width: 26, Align: pdf.Right}, {Title: "姓名", Width: 54}, {Title: "性别", Width: 26},
			{Title: "年龄", Width: 26, Align: pdf.Right}, {Title: "车间", Width: 52}, {Title: "工种", Width: 44}}
		if recheck {
			cols = append(cols, pdf.Column{Title: whatTitle}, pdf.Column{Title: "复查日期", Width: 56}, pdf.Column{Title: "复查情况", Width: 106})
		} else {
			cols = append(cols, pdf.Column{Title: "危害因素", Width: 84}, pdf.Column{Title: whatTitle})
		}
		rows := make([][]string, len(ps))
		for i, p := range ps {
			age := ""
			if p.Age > 0 {
				age = strconv.Itoa(p.Age)
			}
			rows[i] = []string{strconv.Itoa(i + 1), p.Name, p.Sex, age, p.Workshop, p.Job}
			if recheck {
				date := ""
				if !p.Date.IsZero() {
					date = p.Date.Format("2006-01-02")
				}
				rows[i] = append(rows[i], p.What, date, p.Outcome)
			} else {
				rows[i] = append(rows[i], p.Hazard, p.What)
			}
		}
		d.SetY(d.Y() + 2)
		d.Table(pdf.Table{Columns: cols, Rows: rows, Header: sumTableH, Body: sumTableB, Pad: 3, MinRowHeight: 18})
	}
	namedList("疑似职业病人员名单", "疑似职业病", s.Suspected, false)
	namedList("职业禁忌证人员名单", "职业禁忌证", s.Contraindicated, false)
	namedList("需复查人员名单", "复查项目（原因）", s.Recheck, true)
	namedList("其他疾病或异常人员名单", "其他疾病或异常", s.Other, false)

	heading("工作场所职业病危害因素检测结果（用人单位提供）")
	if len(s.Monitoring) == 0 {
		d.Paragraph("　　用人单位未提供。", sumBody)
	} else {
		rows = rows[:0]
		for _, m := range s.Monitoring {
			rows = append(rows, []string{m.Hazard, m.Workshop, m.Date, m.Value, m.Type, m.Grade})
		}
		d.SetY(d.Y() + 2)
		d.Table(pdf.Table{Columns: []pdf.Column{{Title: "危害因素"}, {Title: "车间/岗位", Width: 90}, {Title: "检测日期", Width: 66},
			{Title: "检测结果", Width: 80}, {Title: "浓度类型", Width: 52}, {Title: "作业分级", Width: 52}},
			Rows: rows, Header: sumTableH, Body: sumTableB, Pad: 3, MinRowHeight: 18})
		d.SetY(d.Y() + 2)
		d.Paragraph("注：以上结果由用人单位提供，本机构按原样列出，未作核实。", sumSmall)
	}

	heading("处理意见和建议")
	for i, a := range s.Advice {
		d.ParagraphAt(left+6, width-6, strconv.Itoa(i+1)+". "+a, sumBody)
	}

	// Signatures, seal and date stay together on one page.
	const sealW, sealH = 130.0, 84.0
	d.SetY(d.Y() + 16)
	d.Ensure(sealH + 30)
	y = d.Y()
	sx := d.Right() - sealW
	d.Rect(sx, y, sealW, sealH, 0.4, nil)
	if len(s.Seal) > 0 {
		if err := d.Image(sx+(sealW-sealH)/2, y, sealH, sealH, "seal", s.Seal); err != nil {
			return nil, app.Errorf(app.EINVALID, "公章图片无法使用：%v", err)
		}
	} else {
		d.Text(sx, y+sealH/2-8, sealW, "（机构盖章）", pdf.Style{Face: pdf.Song, Size: 10, Align: pdf.Center, Color: &sumMuted})
	}
	for i, who := range []string{"编制人：", "主检医师：", "审核人：", "签发人："} {
		d.Text(left, y+2+float64(i)*20, sx-left-8, who+"＿＿＿＿＿＿＿＿", sumBody)
	}
	d.SetY(y + sealH + 6)
	d.Text(left, d.Y(), width, s.Institution+"　报告日期："+chineseDate(s.Date), pdf.Style{Face: pdf.Song, Size: 11, Align: pdf.Right, Leading: 1.6})
	d.SetY(d.Y() + sumBody.LineHeight())
	if s.InstitutionAddress != "" || s.InstitutionPhone != "" {
		d.Paragraph(strings.Trim("机构地址："+s.InstitutionAddress+"　联系电话："+s.InstitutionPhone, "　"), sumSmall)
	}
	if s.Footer != "" {
		d.Paragraph(s.Footer, sumSmall)
	}
	if s.AdviceStatus != "" && s.AdviceStatus != "V" {
		d.Paragraph("本报告建议中引用的法律条款为内置文字（待机构核对），可在“文书设置”中改写。", pdf.Style{Face: pdf.Song, Size: 8, Leading: 1.4, Color: &sumMuted})
	}
	return d, nil
}

// sealMark draws the 骑缝章 mark in the right margin of the current page: where the
// institution stamps across the pages of a multi-page document.
func sealMark(d *pdf.Document) {
	x := d.Right() + pdf.MM(8)
	y := d.Page().H/2 - 50
	for yy := y; yy < y+100; yy += 6 {
		d.Line(x, yy, x, yy+3, 0.4)
	}
	st := pdf.Style{Face: pdf.Song, Size: 8, Leading: 1.2, Color: &sumMuted}
	for i, r := range []string{"骑", "缝", "章"} {
		d.Text(x+3, y+30+float64(i)*10, 10, r, st)
	}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
