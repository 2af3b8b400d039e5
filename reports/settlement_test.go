package reports_test

import (
	"bytes"
	"strings"
	"testing"

	"occhealth/app"
	"occhealth/reports"
)

// TestCapitalYuan is the conversion table of amounts to Chinese capital numerals (中文大写
// 金额), with the zeros and 整 as cheques write them.
func TestCapitalYuan(t *testing.T) {
	for _, tt := range []struct {
		fen  int64
		want string
	}{
		{0, "零元整"},
		{5, "伍分"},
		{50, "伍角整"},
		{55, "伍角伍分"},
		{100, "壹元整"},
		{1000, "壹拾元整"},
		{1005, "壹拾元零伍分"},
		{1050, "壹拾元伍角整"},
		{12345, "壹佰贰拾叁元肆角伍分"},
		{100000, "壹仟元整"},
		{100100, "壹仟零壹元整"},
		{101000, "壹仟零壹拾元整"},
		{110000, "壹仟壹佰元整"},
		{100520, "壹仟零伍元贰角整"},
		{168032, "壹仟陆佰捌拾元叁角贰分"},
		{1000000, "壹万元整"},
		{1010000, "壹万零壹佰元整"},
		{10001000, "壹拾万零壹拾元整"},
		{10100000, "壹拾万壹仟元整"},
		{10010000, "壹拾万零壹佰元整"},
		{100000000, "壹佰万元整"},
		{100010000, "壹佰万零壹佰元整"},
		{2850000000, "贰仟捌佰伍拾万元整"},
		{28500000000, "贰亿捌仟伍佰万元整"},
		{10000000000, "壹亿元整"},
		{10000000100, "壹亿零壹元整"},
		{10001000000, "壹亿零壹万元整"},
		{12345678901, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元零壹分"},
		{-250, "负贰元伍角整"},
	} {
		if got := reports.CapitalYuan(tt.fen); got != tt.want {
			t.Errorf("CapitalYuan(%d) = %s, want %s", tt.fen, got, tt.want)
		}
	}
}

func TestYuan(t *testing.T) {
	for fen, want := range map[int64]string{0: "0.00", 5: "0.05", 12000: "120.00", 123456: "1,234.56", 100000000: "1,000,000.00", -150: "-1.50"} {
		if got := reports.Yuan(fen); got != want {
			t.Errorf("Yuan(%d) = %s, want %s", fen, got, want)
		}
	}
}

// settlementInput is the cement plant's contract with two agreed sets (one for the mills at
// 260 元, one for the packers at 185.50 元), a hand-added item, and exams in every state.
func settlementInput() app.SettlementInput {
	sin := summaryInput(40)
	c := sin.Contract
	c.Packages = []app.ContractPackage{{PackageID: 1, Name: "粉尘噪声套餐", PriceFen: 26000}, {PackageID: 2, Name: "噪声套餐", PriceFen: 18550}}
	for i, e := range sin.Exams {
		if e.Workshop == "包装车间" {
			e.PackageIDs = []int64{2}
		}
		if i == 5 {
			e.Items = append(e.Items, app.ExamItem{GroupCode: "G0199", Name: "糖化血红蛋白", Source: "manual"})
		}
		if i == 6 {
			e.PackageIDs = nil // a walk-in without a set
		}
	}
	return app.SettlementInput{
		Institution: sin.Institution, Contract: c, Employer: sin.Employer, Exams: sin.Exams,
		Packages: []*app.ExamPackage{
			{ID: 1, Name: "粉尘噪声套餐", Groups: []app.PackageGroup{{GroupCode: "G0101"}, {GroupCode: "G0501"}, {GroupCode: "G0601"}}},
			{ID: 2, Name: "噪声套餐", Groups: []app.PackageGroup{{GroupCode: "G0101"}, {GroupCode: "G0501"}}},
		},
		Date: sin.Date,
	}
}

func TestNewSettlement(t *testing.T) {
	s, err := reports.NewSettlement(settlementInput())
	if err != nil {
		t.Fatal(err)
	}
	// 40 exams and the recheck of exam 7: cancelled 17 and no-shows 19, 39 are not charged;
	// 18 and 38 are in progress (charged). 包装车间 (i%4 == 2) has 10 exams, all carried out,
	// but exam 6 chose no set: 9 for set 2, 27 for set 1; exam 6 and the recheck have no set.
	if s.People != 38 || s.NoSet != 2 {
		t.Errorf("people %d, without a set %d", s.People, s.NoSet)
	}
	if len(s.Lines) != 2 || s.Lines[0].People != 27 || s.Lines[1].People != 9 || s.Lines[0].Items != "血常规、纯音听阈测试、胸部X射线摄影（后前位）" {
		t.Errorf("lines %+v", s.Lines)
	}
	if want := int64(27*26000 + 9*18550); s.TotalFen != want || s.Lines[1].TotalFen != 166950 {
		t.Errorf("total %d, want %d", s.TotalFen, want)
	}
	if len(s.Extra) != 1 || s.Extra[0].Name != "糖化血红蛋白" || s.Extra[0].People != 1 {
		t.Errorf("extra %+v", s.Extra)
	}
	in := settlementInput()
	in.Contract.Packages = nil
	if _, err := reports.NewSettlement(in); app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "没有约定套餐") {
		t.Errorf("no sets: %v", err)
	}
	in = settlementInput()
	in.Contract.Packages[1].PriceFen = -1
	if _, err := reports.NewSettlement(in); app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "第 2 行“噪声套餐”价格为负数") {
		t.Errorf("negative price: %v", err)
	}
}

// TestLayoutSettlement is the layout golden of the settlement sheet: one page with the total
// in figures and in capitals.
func TestLayoutSettlement(t *testing.T) {
	s, err := reports.NewSettlement(settlementInput())
	if err != nil {
		t.Fatal(err)
	}
	l, err := reports.LayoutSettlement(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Pages) != 1 {
		t.Fatalf("%d pages, want 1", len(l.Pages))
	}
	texts := strings.Join(l.Texts(0), "|")
	for _, want := range []string{"职业健康检查结算单", "粉尘噪声套餐", "260.00", "185.50", "7,020.00", "1,669.50",
		"合计（小写）：¥8,689.50", "合计（大写）：人民币捌仟陆佰捌拾玖元伍角整", "糖化血红蛋白", "另有 2 人未选协议套餐", "第 1 页 共 1 页"} {
		if !strings.Contains(texts, want) {
			t.Errorf("settlement lacks %q", want)
		}
	}
	for _, b := range l.Pages[0].Boxes {
		if b.X < 0 || b.Y < 0 || float64(b.X+b.W) > float64(l.Pages[0].W)+0.01 || float64(b.Y+b.H) > float64(l.Pages[0].H)+0.01 {
			t.Errorf("%s box %q off the page", b.Kind, b.Text)
		}
	}
	layoutGolden(t, "settlement/contract.json", l.JSON())
}

func TestRenderSettlement_Poppler(t *testing.T) {
	skipWithoutPoppler(t)
	in := settlementInput()
	b, err := reports.Documents{}.Settlement(in)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := (reports.Documents{}).Settlement(in); !bytes.Equal(b, again) {
		t.Error("the same settlement rendered to different bytes")
	}
	s, _ := reports.NewSettlement(in)
	l, _ := reports.LayoutSettlement(s)
	checkPoppler(t, "settlement", b, l)
}
