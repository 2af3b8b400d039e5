package reports_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/reports"
)

func TestTexts(t *testing.T) {
	d, err := reports.TextDefaults()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"header", "footer", "seal.caption", "report.statement", "report.copies", "summary.advice", "summary.advice.03"} {
		if _, ok := d.Block(k); !ok {
			t.Errorf("no default block %q", k)
		}
	}
	for _, c := range []string{"01", "02", "03", "04", "05"} {
		if len(d.AdvicePhrases[c]) == 0 {
			t.Errorf("no default advice for conclusion %s", c)
		}
	}
	for k := range d.AdvicePhrases {
		if c, _, _ := strings.Cut(k, "/"); !slices.Contains([]string{"01", "02", "03", "04", "05"}, c) {
			t.Errorf("advice key %q: unknown conclusion", k)
		}
	}

	t.Run("defaults", func(t *testing.T) {
		got := reports.Texts(nil)
		if got.Blocks["footer"] != "本报告未加盖本机构印章无效，涂改无效。" || got.Blocks["header"] != "" {
			t.Errorf("footer %q header %q", got.Blocks["footer"], got.Blocks["header"])
		}
		if got.Blocks["report.copies"] != "劳动者留存\n用人单位留存" {
			t.Errorf("copies %q", got.Blocks["report.copies"])
		}
		if len(got.Images) != 0 {
			t.Errorf("images by default: %v", got.Images)
		}
	})
	t.Run("stored over defaults", func(t *testing.T) {
		stored := &app.DocumentTexts{
			Blocks:        map[string]string{"header": "闽清县职业病防治院\n职业健康检查科", "footer": "", "custom.block": "自定"},
			AdvicePhrases: map[string][]string{"01": {"继续做好个人防护"}, "05": {}},
			Images:        map[string]app.ImageOptions{app.DocReport: {Seal: true}},
			UpdatedAt:     time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), UpdatedBy: "admin",
		}
		got := reports.Texts(stored)
		if got.Blocks["header"] != "闽清县职业病防治院\n职业健康检查科" {
			t.Errorf("header %q", got.Blocks["header"])
		}
		if v, ok := got.Blocks["footer"]; !ok || v != "" {
			t.Errorf("a footer cleared by the administrator prints nothing: %q %v", v, ok)
		}
		if got.Blocks["custom.block"] != "自定" || got.Blocks["report.statement"] == "" {
			t.Errorf("blocks %v", got.Blocks)
		}
		if !slices.Equal(got.AdvicePhrases["01"], []string{"继续做好个人防护"}) || len(got.AdvicePhrases["05"]) != 0 || len(got.AdvicePhrases["04"]) == 0 {
			t.Errorf("phrases %v", got.AdvicePhrases)
		}
		if !got.Images[app.DocReport].Seal || got.Images[app.DocSummary].Seal || got.UpdatedBy != "admin" {
			t.Errorf("images %v by %q", got.Images, got.UpdatedBy)
		}
		// The merge copies: changing the result changes neither the stored texts nor the defaults.
		got.AdvicePhrases["01"][0] = "改"
		got.AdvicePhrases["04"][0] = "改"
		if stored.AdvicePhrases["01"][0] != "继续做好个人防护" || reports.Texts(nil).AdvicePhrases["04"][0] == "改" {
			t.Error("Texts shares slices with its inputs")
		}
	})
	t.Run("advice for a hazard", func(t *testing.T) {
		got := reports.Texts(nil).AdviceFor("04", "1038")
		if len(got) != 2 || !strings.Contains(got[0], "粉尘") || !strings.Contains(got[1], "调离或者暂时脱离") {
			t.Errorf("AdviceFor(04, 1038) = %q", got)
		}
		if got := reports.Texts(nil).AdviceFor("04", "9999"); len(got) != 1 {
			t.Errorf("AdviceFor(04, 9999) = %q", got)
		}
	})
}

func TestParseDocumentTextDefaults(t *testing.T) {
	for _, tc := range []struct{ name, json, want string }{
		{"no title", `{"blocks":[{"key":"header"}]}`, "without key or title"},
		{"twice", `{"blocks":[{"key":"a","title":"甲"},{"key":"a","title":"乙"}]}`, "twice"},
		{"empty phrase", `{"advice":{"01":[""]}}`, "empty phrase"},
		{"not json", `{`, "document texts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := app.ParseDocumentTextDefaults([]byte(tc.json))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
}
