package results_test

import (
	"strings"
	"testing"

	"occhealth/app"
	"occhealth/app/results"
)

func TestParseNumeric(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
	}{
		{"4.5", 4.5},
		{" 4.5 ", 4.5},
		{"４．５", 4.5},
		{"4。5", 4.5},
		{"１２３", 123},
		{".5", 0.5},
		{"5.", 5},
		{"007", 7},
		{"-2.3", -2.3},
		{"－2.3", -2.3},
		{"−2.3", -2.3},
		{"+1", 1},
		{"<0.1", 0.1},
		{"＜0.1", 0.1},
		{"< 0.1", 0.1},
		{"≤0.1", 0.1},
		{"<=0.1", 0.1},
		{">1000", 1000},
		{"≥ 40", 40},
		{"小于0.5", 0.5},
		{"0", 0},
		{"-0", 0},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := results.ParseNumeric(tc.in)
			if err != nil || got != tc.want {
				t.Errorf("ParseNumeric(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParseNumeric_Refused(t *testing.T) {
	for _, tc := range []struct{ in, msg string }{
		{"", "请填写数值"},
		{"   ", "请填写数值"},
		{"4,5", "逗号"},
		{"4，5", "逗号"},
		{"1,234", "逗号"},
		{"4.5.6", "多个小数点"},
		{"4.5。6", "多个小数点"},
		{"1-2", "范围"},
		{"1~2", "范围"},
		{"1～2", "范围"},
		{"3至5", "范围"},
		{"阴性", "定性结果"},
		{"阳性", "定性结果"},
		{"+", "定性结果"},
		{"++", "定性结果"},
		{"(-)", "定性结果"},
		{"<", "缺少数值"},
		{"-", "定性结果"},
		{".", "缺少数值"},
		{"5.6×10^9/L", "不是数值"},
		{"5.6g/L", "不是数值"},
		{"约5", "不是数值"},
		{"4 5", "不是数值"},
		{"1e3", "不是数值"},
		{"NaN", "不是数值"},
		{"inf", "不是数值"},
		{"0x10", "不是数值"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			_, err := results.ParseNumeric(tc.in)
			if err == nil {
				t.Fatalf("ParseNumeric(%q) accepted", tc.in)
			}
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tc.msg) {
				t.Errorf("ParseNumeric(%q) = %v (%s), want EINVALID with %q", tc.in, err, app.ErrorCode(err), tc.msg)
			}
		})
	}
}

func TestNormalizeText(t *testing.T) {
	for in, want := range map[string]string{
		"阴性": "阴性", " - ": "阴性", "（－）": "阴性", "(-)": "阴性", "NEG": "阴性", "neg": "阴性",
		"阳性": "阳性", "+": "阳性", "（+）": "阳性", "POS": "阳性",
		"±": "±", "+-": "±", "微量": "±", "弱阳性": "±",
		"1+": "1+", "２＋": "2+", "++": "2+", "+++": "3+", "++++": "4+",
		"正常": "正常",
		"  双肺呼吸音清，未闻及干湿啰音。 ": "双肺呼吸音清，未闻及干湿啰音。",
	} {
		if got := results.NormalizeText(in); got != want {
			t.Errorf("NormalizeText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestResult_SetValue(t *testing.T) {
	t.Run("numeric keeps the qualifier", func(t *testing.T) {
		r := results.Result{Kind: results.KindNumeric, Status: results.StatusMissing}
		if err := r.SetValue("＜０．１０"); err != nil {
			t.Fatal(err)
		}
		if r.Value != "<0.10" || r.Number != 0.1 || r.Status != results.StatusDone || r.Qualifier() != results.QualLess {
			t.Errorf("got %+v, qualifier %q", r, r.Qualifier())
		}
	})
	t.Run("numeric canonical form", func(t *testing.T) {
		for in, want := range map[string]string{"4。50": "4.50", ".5": "0.5", "5.": "5", "007": "7", "-0": "0", "≥40": "≥40", "小于0.5": "<0.5"} {
			r := results.Result{Kind: results.KindNumeric}
			if err := r.SetValue(in); err != nil || r.Value != want {
				t.Errorf("SetValue(%q): Value %q, %v; want %q", in, r.Value, err, want)
			}
		}
	})
	t.Run("refused input leaves the result", func(t *testing.T) {
		r := results.Result{Kind: results.KindNumeric, Value: "5.6", Number: 5.6, Status: results.StatusDone}
		err := r.SetValue("5,6")
		if err == nil || r.Value != "5.6" || r.Number != 5.6 {
			t.Errorf("got %+v, %v", r, err)
		}
		var e *app.Error
		if !asError(err, &e) || e.Field != "结果" || e.Code != app.EINVALID || !strings.Contains(e.Message, "逗号") {
			t.Errorf("error %#v", err)
		}
	})
	t.Run("text", func(t *testing.T) {
		r := results.Result{Kind: results.KindText}
		if err := r.SetValue("（－）"); err != nil || r.Value != "阴性" {
			t.Errorf("got %q, %v", r.Value, err)
		}
		if err := r.SetValue("  "); err == nil {
			t.Error("empty text accepted")
		}
	})
	t.Run("code", func(t *testing.T) {
		r := results.Result{Kind: results.KindCode}
		if err := r.SetValue("１"); err != nil || r.Value != "1" {
			t.Errorf("got %q, %v", r.Value, err)
		}
		if err := r.SetValue("尘肺"); err == nil {
			t.Error("text accepted as a code")
		}
	})
	t.Run("no kind", func(t *testing.T) {
		r := results.Result{}
		if err := r.SetValue("1"); err == nil {
			t.Error("accepted without a kind")
		}
	})
	t.Run("refuse and missing clear the value", func(t *testing.T) {
		r := results.Result{Kind: results.KindNumeric}
		_ = r.SetValue("5")
		r.Flag = results.FlagHigh
		r.Refuse()
		if r.Status != results.StatusRefused || r.Value != "" || r.Flag != results.FlagNone {
			t.Errorf("Refuse: %+v", r)
		}
		r.MarkMissing()
		if r.Status != results.StatusMissing || r.Status.Name() != "未检" {
			t.Errorf("MarkMissing: %+v", r)
		}
	})
}
