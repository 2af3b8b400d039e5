package reports_test

import (
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"occhealth/app"
	"occhealth/reports"
)

func TestDocuments_ReadCardFeedback(t *testing.T) {
	var d app.Documents = reports.Documents{}
	csv := "体检号,审核状态,审核意见\r\n26000101,07,\r\n26000102,省级审核未通过,地址不详\r\n"
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	for i, row := range [][]any{{"个案卡编号", "状态", "原因"}, {"26000101", "07", ""}, {"26000102", "退回", "地址不详"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	xml := `<DataExchange><Header><DocumentId>D1</DocumentId></Header><EventBody><HEALTH_EXAM_RECORD_LIST><HEALTH_EXAM_RECORD ID="26000101">` +
		`<AUDIT_INFO><AUDITSTATUS>07</AUDITSTATUS></AUDIT_INFO></HEALTH_EXAM_RECORD></HEALTH_EXAM_RECORD_LIST></EventBody></DataExchange>`
	for _, tt := range []struct {
		name string
		data []byte
		n    int
	}{
		{"反馈.csv", []byte("\ufeff" + csv), 2},
		{"反馈.csv", gbk, 2},
		{"反馈.xlsx", buf.Bytes(), 2},
		{"反馈.xml", []byte(xml), 1},
	} {
		fb, err := d.ReadCardFeedback(app.CardFormatNational, tt.name, tt.data)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, app.ErrorMessage(err))
		}
		if len(fb) != tt.n || fb[0].ExamNumber != "26000101" || fb[0].Status != app.CardReported {
			t.Fatalf("%s: %+v", tt.name, fb)
		}
		if tt.n == 2 && (fb[1].Status != app.CardReturned || fb[1].Reason == "") {
			t.Errorf("%s: %+v", tt.name, fb[1])
		}
	}
	if _, err := d.ReadCardFeedback(app.CardFormatNational, "反馈.csv", []byte("a,b\n1,2\n")); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("no header: %v", err)
	}
	if _, err := d.ReadCardFeedback("zhejiang", "反馈.csv", []byte(csv)); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("unknown format: %v", err)
	}
}
