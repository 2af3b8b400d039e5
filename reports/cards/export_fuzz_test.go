package cards_test

import (
	"testing"

	"occhealth/app"
	"occhealth/reports/cards"
)

// FuzzExport puts arbitrary text where people type (names, results, reasons): an export
// either refuses with EINVALID or writes documents that are well-formed XML.
func FuzzExport(f *testing.F) {
	f.Add("张三", "窦性心律", "A&B <公司>", "白细胞偏高")
	f.Add("\x00\x1f", "\xff\xfe", "]]>", "\"'")
	f.Fuzz(func(t *testing.T, name, value, employer, other string) {
		cs := batch3()
		cs[0].Exam.Record.Parties.Worker.Name = name
		cs[0].Exam.Record.Results[1].Value = value
		cs[0].Exam.Record.Results[1].Kind = app.ResultText
		cs[1].Exam.Record.Parties.Employer.Name = employer
		cs[2].Exam.Record.Conclusion.Hazards[0].Other = other
		for _, format := range cards.Formats() {
			files, _, err := cards.Export(format, "F1", cs, cards.Options{Codes: codes(t)})
			if err != nil {
				if app.ErrorCode(err) != app.EINVALID {
					t.Fatalf("%s: %v", format, err)
				}
				continue
			}
			if format == app.CardFormatHubei {
				wellFormed(t, files[0].Name, files[0].Data)
				continue
			}
			_, docs := unzip(t, files[0].Data)
			for n, d := range docs {
				wellFormed(t, n, d)
			}
		}
	})
}
