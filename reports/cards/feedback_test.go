package cards_test

import (
	"strings"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/reports/cards"
)

func TestParseFeedback(t *testing.T) {
	rows := [][]string{
		{"职业健康检查个案卡反馈"},
		{"体检号", "DocumentId", "审核状态", "审核意见", "审核时间"},
		{"26000101", "", "07", "", "2026-10-25"},
		{"26000102", "", "08", "用人单位地址不详", "20261026"},
		{"", "420102001-HEALTH_EXAM_RECORD-20261020093015123-04219", "退回", "工种代码有误", ""},
		{"26000104", "", "已上报", "", "2026/10/27 9:30"},
		{"26000105", "", "12", "", ""},
		{"", "", "", "", ""},
	}
	fb, err := cards.ParseFeedback(rows, nil)
	if err != nil {
		t.Fatal(app.ErrorMessage(err))
	}
	want := []app.CardFeedback{
		{ExamNumber: "26000101", Status: app.CardReported, Reason: "省级审核通过", At: time.Date(2026, 10, 25, 0, 0, 0, 0, cst)},
		{ExamNumber: "26000102", Status: app.CardReturned, Reason: "省级审核未通过：用人单位地址不详", At: time.Date(2026, 10, 26, 0, 0, 0, 0, cst)},
		{DocumentID: "420102001-HEALTH_EXAM_RECORD-20261020093015123-04219", Status: app.CardReturned, Reason: "工种代码有误"},
		{ExamNumber: "26000104", Status: app.CardReported, At: time.Date(2026, 10, 27, 9, 30, 0, 0, cst)},
		{ExamNumber: "26000105", Status: app.CardReported, Reason: "省级待审核"},
	}
	if len(fb) != len(want) {
		t.Fatalf("%d lines: %+v", len(fb), fb)
	}
	for i := range want {
		g, w := fb[i], want[i]
		if g.ExamNumber != w.ExamNumber || g.DocumentID != w.DocumentID || g.Status != w.Status || g.Reason != w.Reason || !g.At.Equal(w.At) {
			t.Errorf("line %d: got %+v, want %+v", i, g, w)
		}
	}
}

func TestParseFeedback_Refused(t *testing.T) {
	tests := []struct {
		name string
		rows [][]string
		want []string
	}{
		{"no header", [][]string{{"a", "b"}, {"1", "2"}}, []string{"没有表头"}},
		{"bad lines", [][]string{{"体检号", "状态", "原因"}, {"26000101", "好像通过了", ""}, {"26000102", "退回", ""}, {"", "07", ""}},
			[]string{"3 行无法读取", "第 2 行：状态“好像通过了”无法识别", "第 3 行：退回须写明原因", "第 4 行：没有体检号或 DocumentId"}},
		{"bad date", [][]string{{"体检号", "状态", "日期"}, {"26000101", "07", "昨天"}}, []string{"第 2 行：日期“昨天”无法识别"}},
		{"no data", [][]string{{"体检号", "状态"}}, []string{"没有数据行"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fb, err := cards.ParseFeedback(tt.rows, nil)
			if fb != nil || app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("%v %v", fb, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(app.ErrorMessage(err), w) {
					t.Errorf("message lacks %q: %s", w, app.ErrorMessage(err))
				}
			}
		})
	}
}

func TestParseStatus(t *testing.T) {
	for _, tt := range []struct {
		in, reason string
		want       app.CardStatus
		wantReason string
	}{
		{"01", "", app.CardExported, "待上报"},
		{"2", "", app.CardReported, "区县待审核"},
		{"03", "", app.CardReported, "区县审核通过"},
		{"04", "地址不详", app.CardReturned, "区县审核未通过：地址不详"},
		{"09", "", app.CardReported, "国家审核通过"},
		{"10", "", app.CardReturned, "国家审核未通过"},
		{"105", "", app.CardReturned, "105 必填为空或用人单位不存在"},
		{"-1", "出生日期格式", app.CardReturned, "-1 部分数据格式有误：出生日期格式"},
		{"审核通过", "", app.CardReported, ""},
		{"省级审核未通过", "地址不详", app.CardReturned, "省级审核未通过：地址不详"},
		{"驳回", "重复上报", app.CardReturned, "重复上报"},
	} {
		s, r, ok := cards.ParseStatus(tt.in, tt.reason)
		if !ok || s != tt.want || r != tt.wantReason {
			t.Errorf("ParseStatus(%q, %q) = %q, %q, %v; want %q, %q", tt.in, tt.reason, s, r, ok, tt.want, tt.wantReason)
		}
	}
	if _, _, ok := cards.ParseStatus("99", ""); ok {
		t.Error("99 accepted")
	}
}

func TestReadFeedbackXML(t *testing.T) {
	national := `<?xml version="1.0" encoding="UTF-8"?>
<DataExchange><Header><DocumentId>420102001-HEALTH_EXAM_RECORD-20261020093015123-04217</DocumentId></Header>
<EventBody><HEALTH_EXAM_RECORD_LIST><HEALTH_EXAM_RECORD ID="26000101"><WORKER_INFO><WORKER_NAME>张三</WORKER_NAME></WORKER_INFO>
<AUDIT_INFO><AUDITSTATUS>06</AUDITSTATUS><AUDITINFO>体检日期早于开始接害日期</AUDITINFO><AUDITDATE>20261101</AUDITDATE><AUDITOR_NAME>周</AUDITOR_NAME></AUDIT_INFO>
</HEALTH_EXAM_RECORD></HEALTH_EXAM_RECORD_LIST></EventBody></DataExchange>`
	fb, err := cards.ReadFeedbackXML([]byte(national))
	if err != nil {
		t.Fatal(app.ErrorMessage(err))
	}
	if len(fb) != 1 || fb[0].ExamNumber != "26000101" || fb[0].DocumentID != "420102001-HEALTH_EXAM_RECORD-20261020093015123-04217" ||
		fb[0].Status != app.CardReturned || fb[0].Reason != "市级审核未通过：体检日期早于开始接害日期" || fb[0].At.Format("20060102") != "20261101" {
		t.Errorf("%+v", fb)
	}
	hubei := `<data><body><reportCardList><reportCard><documentId>D1</documentId><cardInfo><code>26000102</code></cardInfo><auditStatus>07</auditStatus></reportCard>
<reportCard><cardInfo><code>26000103</code></cardInfo></reportCard></reportCardList></body></data>`
	fb, err = cards.ReadFeedbackXML([]byte(hubei))
	if err != nil || len(fb) != 1 || fb[0].ExamNumber != "26000102" || fb[0].DocumentID != "D1" || fb[0].Status != app.CardReported {
		t.Errorf("%+v %v", fb, err)
	}
	if _, err := cards.ReadFeedbackXML([]byte("<a><b>")); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("broken XML: %v", err)
	}
	// Our own export carries 01 待上报 only: reading it back claims nothing beyond 已导出.
	files, _, err := cards.Export(app.CardFormatHubei, "B1", batch3(), cards.Options{Codes: codes(t)})
	if err != nil {
		t.Fatal(err)
	}
	if fb, err := cards.ReadFeedbackXML(files[0].Data); err == nil {
		t.Errorf("an export read as feedback: %+v", fb)
	}
}
