package reports

import (
	"strconv"
	"strings"
	"time"

	"occhealth/reports/pdf"
)

// Report styles.
var (
	reportBody    = pdf.Style{Face: pdf.Song, Size: 10.5, Leading: 1.6}
	reportSmall   = pdf.Style{Face: pdf.Song, Size: 9, Leading: 1.5}
	reportLabel   = pdf.Style{Face: pdf.Hei, Size: 9.5, Leading: 1.4}
	reportSection = pdf.Style{Face: pdf.Hei, Size: 12, Leading: 1.6}
	reportCell    = pdf.Style{Face: pdf.Song, Size: 9, Leading: 1.35}
	reportMuted   = pdf.RGB{R: 0x90, G: 0x90, B: 0x90}
)

const reportRowH = 16.0

// layoutExamReports lays reports out one section each (page numbers per report). With stream
// each report is drawn into the PDF as the next one starts.
func layoutExamReports(reps []ExamReport, stream bool, progress func(done, total int)) (*pdf.Document, error) {
	title := "职业健康检查报告"
	if len(reps) == 1 {
		title += " " + reps[0].Worker + " " + reps[0].ExamNumber
	}
	d, err := pdf.New(pdf.Options{
		Margin:      pdf.Margins{Top: pdf.MM(12), Right: pdf.MM(18), Bottom: pdf.MM(15), Left: pdf.MM(18)},
		Info:        pdf.Info{Title: title, Creator: "职业健康工作站"},
		PageNumbers: true,
		Stream:      stream,
		SubsetFonts: true,
	})
	if err != nil {
		return nil, err
	}
	for i := range reps {
		if err := layoutExamReport(d, &reps[i]); err != nil {
			return nil, err
		}
		if progress != nil {
			progress(i+1, len(reps))
		}
	}
	return d, nil
}

func layoutExamReport(d *pdf.Document, r *ExamReport) error {
	d.NewSection()
	left, width := d.Left(), d.Width()
	y := d.Top()

	// Institution header, title, copy label and report number.
	if len(r.Header) > 0 {
		for i, h := range r.Header {
			st := pdf.Style{Face: pdf.Song, Size: 9.5, Align: pdf.Center}
			if i == 0 {
				st = pdf.Style{Face: pdf.Hei, Size: 14, Align: pdf.Center}
			}
			d.FitText(left, y, width, h, st, 7)
			y += st.LineHeight()
		}
	} else {
		d.FitText(left, y, width, r.Institution, pdf.Style{Face: pdf.Hei, Size: 14, Align: pdf.Center}, 8)
		y += 20
		var contact []string
		if r.Address != "" {
			contact = append(contact, "地址："+r.Address)
		}
		if r.Phone != "" {
			contact = append(contact, "电话："+r.Phone)
		}
		if len(contact) > 0 {
			d.FitText(left, y, width, strings.Join(contact, "　"), pdf.Style{Face: pdf.Song, Size: 9, Align: pdf.Center}, 6)
			y += 14
		}
	}
	y += 2
	if r.Copy != "" {
		st := pdf.Style{Face: pdf.Hei, Size: 10, Align: pdf.Center}
		w := d.Measure(r.Copy, st) + 14
		d.Rect(d.Right()-w, y, w, 20, 0.6, nil)
		d.Text(d.Right()-w, y+(20-st.LineHeight())/2, w, r.Copy, st)
	}
	d.Text(left, y, width, r.Title, pdf.Style{Face: pdf.Hei, Size: 20, Align: pdf.Center, Leading: 1.3})
	y += 28
	d.Text(left, y, width, "报告编号："+r.Number, pdf.Style{Face: pdf.Song, Size: 9.5, Align: pdf.Right})
	y += 16

	d.SetHeader(func(d *pdf.Document) {
		head := r.Title + "（续）　" + r.Worker + "　体检编号 " + r.ExamNumber
		if r.Copy != "" {
			head += "　" + r.Copy
		}
		d.Text(d.Left(), d.Top(), d.Width(), head, pdf.Style{Face: pdf.Hei, Size: 10})
		d.Line(d.Left(), d.Top()+17, d.Right(), d.Top()+17, 0.5)
		d.SetY(d.Top() + 24)
	})

	// The worker and the exam, as label/value pairs.
	sexAge := r.Sex
	if r.Age > 0 {
		sexAge += "　" + strconv.Itoa(r.Age) + " 岁"
	}
	lw := 62.0
	vw := (width - 2*lw) / 2
	pair := func(y float64, row [4]string) {
		reportCellAt(d, left, y, lw, reportRowH, row[0], true)
		reportCellAt(d, left+lw, y, vw, reportRowH, row[1], false)
		reportCellAt(d, left+lw+vw, y, lw, reportRowH, row[2], true)
		reportCellAt(d, left+2*lw+vw, y, vw, reportRowH, row[3], false)
	}
	wide := func(y float64, label, value string) {
		reportCellAt(d, left, y, lw, reportRowH, label, true)
		reportCellAt(d, left+lw, y, width-lw, reportRowH, value, false)
	}
	pair(y, [4]string{"姓　　名", r.Worker, "性别/年龄", sexAge})
	y += reportRowH
	pair(y, [4]string{"身份证号", r.IDNumber, "体检编号", r.ExamNumber})
	y += reportRowH
	wide(y, "用人单位", r.Employer)
	y += reportRowH
	if r.HostEmployer != "" {
		wide(y, "用工单位", r.HostEmployer)
		y += reportRowH
	}
	pair(y, [4]string{"车　　间", r.Workshop, "工　　种", r.Job})
	y += reportRowH
	pair(y, [4]string{"体检类别", r.ExamType, "体检日期", chineseDate(r.ExamDate)})
	y += reportRowH
	wide(y, "危害因素", strings.Join(r.Hazards, "、"))
	y += reportRowH
	basis := "GBZ 188-" + r.Edition
	if f := strings.Fields(r.Clause); len(f) >= 2 {
		basis = f[0] + " " + f[1]
	}
	pair(y, [4]string{"合同编号", r.Contract, "检查依据", basis})
	y += reportRowH
	d.SetY(y + 8)

	// 一、检查结果: one table, a heading row per department and item group.
	section(d, "一、检查结果")
	var rows [][]string
	heads := map[int]bool{}
	for _, g := range r.Groups {
		heads[len(rows)] = true
		rows = append(rows, []string{g.Title})
		for _, row := range g.Rows {
			rows = append(rows, []string{row.Item, row.Result, row.Unit, row.Range, row.Flag})
		}
	}
	if len(rows) == 0 {
		rows = append(rows, []string{"（无检查结果）"})
	}
	d.Table(pdf.Table{
		Columns: []pdf.Column{{Title: "检查项目"}, {Title: "结果", Width: 86}, {Title: "单位", Width: 56},
			{Title: "参考范围", Width: 100}, {Title: "提示", Width: 56, Align: pdf.Center}},
		Rows: rows, Headings: heads, Header: reportLabel, Body: reportCell, Pad: 2,
	})
	if a := r.Audiogram; a != nil && len(a.Freqs) > 0 {
		d.SetY(d.Y() + 6)
		d.Ensure(reportSection.LineHeight() + 20*float64(len(a.Rows)+1))
		d.Paragraph("纯音听阈测试（dB HL）", pdf.Style{Face: pdf.Hei, Size: 10.5, Leading: 1.6})
		cols := []pdf.Column{{Title: "耳别", Width: 80}}
		for _, hz := range a.Freqs {
			cols = append(cols, pdf.Column{Title: strconv.Itoa(hz) + " Hz", Align: pdf.Center})
		}
		var arows [][]string
		for _, row := range a.Rows {
			arows = append(arows, append([]string{row.Ear}, row.Levels...))
		}
		d.Table(pdf.Table{Columns: cols, Rows: arows, Header: reportLabel, Body: reportCell, Pad: 3})
	}

	// 二、体检结论, per hazard in the edition's wording.
	d.SetY(d.Y() + 8)
	d.Ensure(reportSection.LineHeight() + reportBody.LineHeight() + 44)
	section(d, "二、体检结论")
	if r.Clause != "" {
		d.Paragraph("依据 "+r.Clause+"，本次检查结论如下：", reportBody)
	}
	crows := make([][]string, len(r.Conclusions))
	for i, c := range r.Conclusions {
		crows[i] = []string{c.Hazard, c.Conclusion, c.Named, c.Basis}
	}
	d.Table(pdf.Table{
		Columns: []pdf.Column{{Title: "职业病危害因素", Width: 96}, {Title: "体检结论", Width: 84},
			{Title: "疾病、禁忌证或异常", Width: 130}, {Title: "主要依据"}},
		Rows: crows, Header: reportLabel, Body: reportCell, Pad: 3, MinRowHeight: 20,
	})

	// 三、处理意见: the chief examiner's advice and the recheck order.
	d.SetY(d.Y() + 8)
	d.Ensure(reportSection.LineHeight() + reportBody.LineHeight())
	section(d, "三、主检建议")
	advice := r.Advice
	if advice == "" {
		advice = "无。"
	}
	d.Paragraph(advice, reportBody)
	if r.Recheck != "" {
		d.Paragraph("复查："+r.Recheck, pdf.Style{Face: pdf.Hei, Size: 10.5, Leading: 1.6})
	}
	if r.Statement != "" {
		d.SetY(d.Y() + 4)
		d.Paragraph("说明："+r.Statement, reportSmall)
	}

	// Signatures and the seal area, kept together.
	const sealW, sealH = 120.0, 66.0
	d.SetY(d.Y() + 6)
	d.Ensure(sealH + 8)
	y = d.Y()
	sx := d.Right() - sealW
	if r.Seal != nil {
		if err := d.Image(sx+(sealW-sealH)/2, y, sealH, sealH, "", r.Seal); err != nil {
			return err
		}
	} else {
		d.Rect(sx, y, sealW, sealH, 0.4, nil)
		d.Text(sx, y+sealH/2-8, sealW, r.SealCaption, pdf.Style{Face: pdf.Song, Size: 10, Align: pdf.Center, Color: &reportMuted})
	}
	sign := "主检医师：" + r.Signer
	sw := d.Measure(sign, reportBody)
	d.Text(left, y+2, sx-left-8, sign, reportBody)
	if r.SignIm != nil {
		if err := d.Image(left+sw+6, y-4, 60, 24, "", r.SignIm); err != nil {
			return err
		}
	}
	d.Text(left+sw+72, y+2, sx-left-sw-80, chineseDate(r.SignedAt), reportBody)
	reviewer := "审核医师：" + r.Reviewer
	if r.Reviewer != "" {
		reviewer += "　" + chineseDate(r.ReviewedAt)
	}
	d.Text(left, y+22, sx-left-8, reviewer, reportBody)
	d.Text(left, y+42, sx-left-8, "报告日期："+chineseDate(reportDate(r)), reportBody)
	d.SetY(y + sealH + 6)

	// Addenda print after the body, never in it.
	if len(r.Addenda) > 0 {
		d.SetY(d.Y() + 6)
		d.Ensure(reportSection.LineHeight() + 2*reportBody.LineHeight())
		section(d, "补充说明")
		for i, a := range r.Addenda {
			d.Paragraph(strconv.Itoa(i+1)+". "+a.Text+"（"+a.Name+"，"+chineseDate(a.At)+"）", reportBody)
		}
	}
	// The footer stands under the content of every page, above the page number; a report of
	// more than one page gets the 骑缝章 mark across the right edge of each page.
	d.EachSectionPage(func(i, n int) {
		if r.Footer != "" {
			d.FitText(left, d.Bottom()+2, width, r.Footer, pdf.Style{Face: pdf.Song, Size: 8, Leading: 1.25, Align: pdf.Center, Color: &reportMuted}, 6)
		}
		if n < 2 {
			return
		}
		p := d.Page()
		const mw, mh = 26.0, 96.0
		x, my := p.W-mw, (p.H-mh)/2
		for yy := my; yy < my+mh; yy += 6 {
			d.Line(x, yy, x, min(yy+3, my+mh), 0.4)
		}
		d.Line(x, my, p.W, my, 0.4)
		d.Line(x, my+mh, p.W, my+mh, 0.4)
		st := pdf.Style{Face: pdf.Hei, Size: 8, Leading: 1.3, Align: pdf.Center, Color: &reportMuted}
		for k, c := range []string{"骑", "缝", "章"} {
			d.Text(x, my+24+float64(k)*st.LineHeight(), mw, c, st)
		}
	})
	return nil
}

// reportDate is the date the report was issued: the review when there is one, else the
// signature.
func reportDate(r *ExamReport) time.Time {
	if !r.ReviewedAt.IsZero() {
		return r.ReviewedAt
	}
	return r.SignedAt
}

func section(d *pdf.Document, title string) {
	d.Ensure(reportSection.LineHeight() + 24)
	d.Paragraph(title, reportSection)
}

func reportCellAt(d *pdf.Document, x, y, w, h float64, s string, label bool) {
	if label {
		grey := pdf.RGB{R: 0xF0, G: 0xF0, B: 0xF0}
		d.Rect(x, y, w, h, 0.5, &grey)
		st := reportLabel
		st.Align = pdf.Center
		d.Text(x, y+(h-st.LineHeight())/2, w, s, st)
		return
	}
	d.Rect(x, y, w, h, 0.5, nil)
	if s != "" {
		d.FitText(x+4, y+(h-reportCell.LineHeight())/2, w-8, s, reportCell, 6)
	}
}
