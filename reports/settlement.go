package reports

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"occhealth/app"
	"occhealth/reports/pdf"
)

// SettlementSheet is the read model of a contract's settlement sheet (结算单): the item sets
// agreed with their prices, how many people took each, the total in figures and in Chinese
// capital numerals, and the items added outside the sets (listed for information, not
// charged here).
type SettlementSheet struct {
	Institution, InstitutionAddress, InstitutionPhone string
	Employer, CreditCode, Contact, ContactPhone       string
	Contract, ContractTitle                           string
	Start, End                                        time.Time
	Lines                                             []SettlementLine
	TotalFen                                          int64
	People                                            int // exams that took place
	// NoSet counts the exams that took place without any agreed set.
	NoSet int
	Extra []SettlementExtra
	Date  time.Time
}

// SettlementLine is one agreed item set.
type SettlementLine struct {
	Name     string
	Items    string // the set's item groups, by name
	PriceFen int64
	People   int
	TotalFen int64
}

// SettlementExtra is an item group added by hand outside the sets, with how many took it.
type SettlementExtra struct {
	Name   string
	People int
}

// tookPlace reports whether an exam was carried out (results or a signature), so that its
// item sets are charged: not registered only, cancelled, no-show or voided.
func tookPlace(e *app.Exam) bool {
	return e.State.HasResults() && e.State != app.ExamVoided
}

// NewSettlement builds the settlement sheet of in.Contract. It refuses a contract without
// agreed item sets, and a negative price (EINVALID).
func NewSettlement(in app.SettlementInput) (SettlementSheet, error) {
	c := in.Contract
	if c == nil {
		return SettlementSheet{}, app.Errorf(app.EINVALID, "结算单：没有体检任务（合同）")
	}
	if len(c.Packages) == 0 {
		return SettlementSheet{}, app.Errorf(app.EINVALID, "体检任务 %s 没有约定套餐及价格，不能出具结算单：请先在体检任务中填写套餐和协议价", c.Number)
	}
	s := SettlementSheet{Contract: c.Number, ContractTitle: c.Title, Start: c.Start, End: c.End, Date: in.Date}
	if in.Institution != nil {
		s.Institution, s.InstitutionAddress, s.InstitutionPhone = in.Institution.Name, in.Institution.Address, in.Institution.Phone
	}
	if in.Employer != nil {
		s.Employer, s.CreditCode, s.Contact, s.ContactPhone = in.Employer.Name, in.Employer.CreditCode, in.Employer.ContactPerson, in.Employer.ContactPhone
	}
	pkgs := map[int64]*app.ExamPackage{}
	for _, p := range in.Packages {
		pkgs[p.ID] = p
	}
	groupNames := map[string]string{}
	people := map[int64]int{}
	extra := map[string]int{}
	var extraOrder []string
	agreed := map[int64]bool{}
	for _, cp := range c.Packages {
		agreed[cp.PackageID] = true
	}
	for _, e := range in.Exams {
		for _, it := range e.Items {
			if groupNames[it.GroupCode] == "" {
				groupNames[it.GroupCode] = it.Name
			}
		}
		if !tookPlace(e) {
			continue
		}
		s.People++
		takenSet := false
		for _, id := range slices.Compact(slices.Sorted(slices.Values(e.PackageIDs))) {
			people[id]++
			takenSet = takenSet || agreed[id]
		}
		if !takenSet {
			s.NoSet++
		}
		for _, it := range e.Items {
			if it.Source != "manual" {
				continue
			}
			if _, ok := extra[it.Name]; !ok {
				extraOrder = append(extraOrder, it.Name)
			}
			extra[it.Name]++
		}
	}
	for i, cp := range c.Packages {
		if cp.PriceFen < 0 {
			return SettlementSheet{}, app.Errorf(app.EINVALID, "体检任务 %s 的套餐第 %d 行“%s”价格为负数", c.Number, i+1, cp.Name)
		}
		l := SettlementLine{Name: cp.Name, PriceFen: cp.PriceFen, People: people[cp.PackageID]}
		if p := pkgs[cp.PackageID]; p != nil {
			if l.Name == "" {
				l.Name = p.Name
			}
			var names []string
			for _, g := range p.Groups {
				n := groupNames[g.GroupCode]
				if n == "" {
					n = g.GroupCode
				}
				names = append(names, n)
			}
			l.Items = strings.Join(names, "、")
		}
		l.TotalFen = l.PriceFen * int64(l.People)
		s.TotalFen += l.TotalFen
		s.Lines = append(s.Lines, l)
	}
	for _, n := range extraOrder {
		s.Extra = append(s.Extra, SettlementExtra{Name: n, People: extra[n]})
	}
	return s, nil
}

// Yuan writes fen as yuan with two decimals and thousands separators: 123456 → "1,234.56".
func Yuan(fen int64) string {
	neg := fen < 0
	if neg {
		fen = -fen
	}
	y := strconv.FormatInt(fen/100, 10)
	var b strings.Builder
	for i, r := range y {
		if i > 0 && (len(y)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	s := b.String() + "." + strconv.FormatInt(fen%100/10, 10) + strconv.FormatInt(fen%10, 10)
	if neg {
		s = "-" + s
	}
	return s
}

var (
	capDigits = []string{"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"}
	capUnits  = []string{"仟", "佰", "拾", ""}
	capGroups = []string{"", "万", "亿", "万亿"}
)

// CapitalYuan writes an amount in fen in Chinese capital numerals as cheques and invoices
// do (中文大写金额): 壹仟零伍元贰角整, 壹拾元零伍分, 零元整. The amount is written to 元 or
// 角 with 整 after it; with 分, no 整. A negative amount is written with 负 in front.
func CapitalYuan(fen int64) string {
	if fen < 0 {
		return "负" + CapitalYuan(-fen)
	}
	yuan, jiao, f := fen/100, fen/10%10, fen%10
	if fen == 0 {
		return "零元整"
	}
	var b strings.Builder
	if yuan > 0 {
		var groups []int64
		for v := yuan; v > 0; v /= 10000 {
			groups = append(groups, v%10000)
		}
		zero := false
		for gi := len(groups) - 1; gi >= 0; gi-- {
			g := groups[gi]
			if g == 0 {
				zero = b.Len() > 0
				continue
			}
			if b.Len() > 0 && (zero || g < 1000) {
				b.WriteString("零")
			}
			zero = false
			digits := [4]int64{g / 1000, g / 100 % 10, g / 10 % 10, g % 10}
			started, inner := false, false
			for i, dg := range digits {
				if dg == 0 {
					inner = started
					continue
				}
				if inner {
					b.WriteString("零")
					inner = false
				}
				b.WriteString(capDigits[dg] + capUnits[i])
				started = true
			}
			b.WriteString(capGroups[gi])
		}
		b.WriteString("元")
	}
	switch {
	case jiao == 0 && f == 0:
		b.WriteString("整")
	case jiao > 0 && f == 0:
		b.WriteString(capDigits[jiao] + "角整")
	case jiao > 0:
		b.WriteString(capDigits[jiao] + "角" + capDigits[f] + "分")
	default:
		if yuan > 0 {
			b.WriteString("零")
		}
		b.WriteString(capDigits[f] + "分")
	}
	return b.String()
}

// Settlement renders a contract's settlement sheet.
func (Documents) Settlement(in app.SettlementInput) ([]byte, error) {
	s, err := NewSettlement(in)
	if err != nil {
		return nil, err
	}
	return RenderSettlement(s)
}

// RenderSettlement renders a settlement sheet as an A4 PDF (the same bytes for the same sheet).
func RenderSettlement(s SettlementSheet) ([]byte, error) {
	d, err := layoutSettlement(s)
	if err != nil {
		return nil, err
	}
	b, err := d.PDF()
	if err != nil {
		return nil, err
	}
	return b, glyphErr(d)
}

// LayoutSettlement returns the layout RenderSettlement draws.
func LayoutSettlement(s SettlementSheet) (*pdf.Layout, error) {
	d, err := layoutSettlement(s)
	if err != nil {
		return nil, err
	}
	return d.Layout(), nil
}

func layoutSettlement(s SettlementSheet) (*pdf.Document, error) {
	d, err := pdf.New(pdf.Options{
		Margin:      pdf.Margins{Top: pdf.MM(18), Right: pdf.MM(18), Bottom: pdf.MM(18), Left: pdf.MM(18)},
		Info:        pdf.Info{Title: "职业健康检查结算单", Subject: s.Contract + " " + s.Employer, Creator: "职业健康工作站"},
		PageNumbers: true,
	})
	if err != nil {
		return nil, err
	}
	left, width := d.Left(), d.Width()
	y := d.Top()
	d.FitText(left, y, width, s.Institution, pdf.Style{Face: pdf.Hei, Size: 14, Align: pdf.Center}, 9)
	y += 24
	d.Text(left, y, width, "职业健康检查结算单", pdf.Style{Face: pdf.Hei, Size: 20, Align: pdf.Center, Leading: 1.3})
	y += 32
	d.Text(left, y, width, "结算单号："+s.Contract+"-JS", pdf.Style{Face: pdf.Song, Size: 10, Align: pdf.Right, Leading: 1.6})
	y += 20
	d.SetHeader(func(d *pdf.Document) {
		d.FitText(d.Left(), d.Top(), d.Width(), "职业健康检查结算单（续）　"+s.Employer+"　"+s.Contract, pdf.Style{Face: pdf.Hei, Size: 10.5}, 7)
		d.Line(d.Left(), d.Top()+18, d.Right(), d.Top()+18, 0.5)
		d.SetY(d.Top() + 26)
	})
	period := chineseDate(s.Start)
	if !s.End.IsZero() && !s.End.Equal(s.Start) {
		period += " 至 " + chineseDate(s.End)
	}
	lw := 80.0
	vw := (width - 2*lw) / 2
	for _, row := range [][4]string{
		{"委托单位", s.Employer, "信用代码", s.CreditCode},
		{"联系人", s.Contact, "联系电话", s.ContactPhone},
		{"委托协议编号", s.Contract, "检查日期", period},
		{"实检人数", strconv.Itoa(s.People) + " 人", "结算日期", chineseDate(s.Date)},
	} {
		noticeCell(d, left, y, lw, noticeRowH, row[0], true)
		noticeCell(d, left+lw, y, vw, noticeRowH, row[1], false)
		noticeCell(d, left+lw+vw, y, lw, noticeRowH, row[2], true)
		noticeCell(d, left+2*lw+vw, y, vw, noticeRowH, row[3], false)
		y += noticeRowH
	}
	d.SetY(y + 12)
	body := pdf.Style{Face: pdf.Song, Size: 10, Leading: 1.4}
	rows := make([][]string, 0, len(s.Lines)+1)
	for i, l := range s.Lines {
		rows = append(rows, []string{strconv.Itoa(i + 1), l.Name, l.Items, Yuan(l.PriceFen), strconv.Itoa(l.People), Yuan(l.TotalFen)})
	}
	d.Table(pdf.Table{
		Columns: []pdf.Column{{Title: "序号", Width: 28, Align: pdf.Right}, {Title: "套餐", Width: 96}, {Title: "所含项目"},
			{Title: "协议价（元/人）", Width: 70, Align: pdf.Right}, {Title: "人数", Width: 40, Align: pdf.Right},
			{Title: "小计（元）", Width: 78, Align: pdf.Right}},
		Rows: rows, Header: pdf.Style{Face: pdf.Hei, Size: 10, Leading: 1.35}, Body: body, Pad: 3.5, MinRowHeight: 20,
	})
	// Total in figures and in capitals: one ruled row across the table.
	d.Ensure(48)
	y = d.Y()
	grey := pdf.RGB{R: 0xF0, G: 0xF0, B: 0xF0}
	d.Rect(left, y, width, 24, 0.5, &grey)
	d.Text(left+6, y+4, width-12, "合计（小写）：¥"+Yuan(s.TotalFen), pdf.Style{Face: pdf.Hei, Size: 11, Leading: 1.45})
	d.Rect(left, y+24, width, 24, 0.5, nil)
	d.FitText(left+6, y+28, width-12, "合计（大写）：人民币"+CapitalYuan(s.TotalFen), pdf.Style{Face: pdf.Hei, Size: 11, Leading: 1.45}, 8)
	d.SetY(y + 48 + 10)

	small := pdf.Style{Face: pdf.Song, Size: 9.5, Leading: 1.5}
	if s.NoSet > 0 {
		d.Paragraph("注：另有 "+strconv.Itoa(s.NoSet)+" 人未选协议套餐，未计入上表，请另行结算。", small)
	}
	if len(s.Extra) > 0 {
		d.SetY(d.Y() + 4)
		d.Paragraph("套餐外加做项目（仅供参考，不计入合计）：", pdf.Style{Face: pdf.Hei, Size: 10.5, Leading: 1.6})
		rows = rows[:0]
		for i, x := range s.Extra {
			rows = append(rows, []string{strconv.Itoa(i + 1), x.Name, strconv.Itoa(x.People)})
		}
		d.Table(pdf.Table{
			Columns: []pdf.Column{{Title: "序号", Width: 28, Align: pdf.Right}, {Title: "项目"}, {Title: "人数", Width: 60, Align: pdf.Right}},
			Rows:    rows, Header: pdf.Style{Face: pdf.Hei, Size: 10, Leading: 1.35}, Body: body, Pad: 3, MinRowHeight: 18,
		})
	}
	d.SetY(d.Y() + 6)
	d.Paragraph("人数按已实施检查的人员统计（已登记未到检、已取消、已作废者不计）。", small)

	const sealW, sealH = 120.0, 72.0
	d.SetY(d.Y() + 14)
	d.Ensure(sealH + 8)
	y = d.Y()
	half := width / 2
	muted := pdf.RGB{R: 0x90, G: 0x90, B: 0x90}
	sign := pdf.Style{Face: pdf.Song, Size: 11, Leading: 1.6}
	d.FitText(left, y, half-16, "体检机构（盖章）："+s.Institution, sign, 8)
	d.Text(left, y+24, half, "经办人：＿＿＿＿＿＿", sign)
	d.Text(left+half, y, half, "委托单位（盖章）：", sign)
	d.Text(left+half, y+24, half, "经办人：＿＿＿＿＿＿", sign)
	d.Text(left+half, y+48, half, "日期：＿＿＿＿年＿＿月＿＿日", sign)
	d.Rect(left+half-sealW-10, y+18, sealW, sealH-18, 0.4, nil)
	d.Text(left+half-sealW-10, y+18+(sealH-18)/2-8, sealW, "（机构盖章）", pdf.Style{Face: pdf.Song, Size: 10, Align: pdf.Center, Color: &muted})
	d.SetY(y + sealH + 8)
	if s.InstitutionAddress != "" || s.InstitutionPhone != "" {
		d.Paragraph(strings.Trim("机构地址："+s.InstitutionAddress+"　联系电话："+s.InstitutionPhone, "　"), small)
	}
	return d, nil
}
