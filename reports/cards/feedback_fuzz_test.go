package cards_test

import (
	"strings"
	"testing"

	"occhealth/app"
	"occhealth/reports/cards"
)

// FuzzReadFeedbackXML: any bytes give feedback or an EINVALID error, never a panic, and every
// line read has an identifier and a valid status.
func FuzzReadFeedbackXML(f *testing.F) {
	f.Add([]byte(`<DataExchange><Header><DocumentId>D1</DocumentId></Header><EventBody><HEALTH_EXAM_RECORD_LIST><HEALTH_EXAM_RECORD ID="1"><AUDIT_INFO><AUDITSTATUS>06</AUDITSTATUS><AUDITINFO>x</AUDITINFO><AUDITDATE>20261101</AUDITDATE></AUDIT_INFO></HEALTH_EXAM_RECORD></HEALTH_EXAM_RECORD_LIST></EventBody></DataExchange>`))
	f.Add([]byte(`<data><body><reportCardList><reportCard><cardInfo><code>2</code></cardInfo><auditStatus>07</auditStatus></reportCard></reportCardList></body></data>`))
	f.Add([]byte(`<a><b>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fb, err := cards.ReadFeedbackXML(data)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("error code %q: %v", app.ErrorCode(err), err)
			}
			return
		}
		for _, x := range fb {
			if !x.Status.Valid() {
				t.Fatalf("status %q", x.Status)
			}
		}
	})
}

// FuzzParseFeedback: a CSV-like text split into rows never panics; every accepted line has an
// identifier, a valid status, and a reason when returned.
func FuzzParseFeedback(f *testing.F) {
	f.Add("体检号,状态,原因\n26000101,07,\n26000102,退回,地址不详")
	f.Add("DocumentId,审核状态,审核时间\nD1,04,2026-11-01")
	f.Add("x\n\n,")
	f.Fuzz(func(t *testing.T, text string) {
		var rows [][]string
		for _, line := range strings.Split(text, "\n") {
			rows = append(rows, strings.Split(line, ","))
		}
		fb, err := cards.ParseFeedback(rows, nil)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("error code %q: %v", app.ErrorCode(err), err)
			}
			return
		}
		for _, x := range fb {
			if (x.ExamNumber == "" && x.DocumentID == "") || !x.Status.Valid() || (x.Status == app.CardReturned && x.Reason == "") {
				t.Fatalf("line %+v", x)
			}
		}
	})
}
