package cards_test

import (
	"fmt"
	"testing"

	"occhealth/app"
	"occhealth/reports/cards"
)

// syntheticCards makes n cards of released exams with 24 item results each (a blood count
// and audiometry, as a noise and dust exam carries), sharing 300 exam records.
func syntheticCards(n int) []app.CardData {
	const distinct = 300
	exams := make([]app.CardData, distinct)
	for i := range exams {
		c := card(i, "")
		r := c.Exam.Record
		for j := 0; j < 21; j++ {
			code := fmt.Sprintf("4%06d", 10300+j*100)
			r.Results = append(r.Results, app.Result{ItemCode: code, GroupCode: "G0101", Kind: app.ResultNumeric, Value: "5.6", Number: 5.6,
				Unit: "×10⁹/L", Status: app.ResultDone, Flag: app.FlagNormal, Range: app.RefRange{Low: f(3.5), High: f(9.5)}, Doctor: "lab1", Time: c.Exam.Date})
		}
		exams[i] = c
	}
	out := make([]app.CardData, n)
	for i := range out {
		c := exams[i%distinct]
		c.Card.ExamNumber = fmt.Sprintf("26%06d", i+1)
		c.Card.DocumentID = fmt.Sprintf("420102001-HEALTH_EXAM_RECORD-20261020093015%03d-%05d", i%1000, i%100000)
		out[i] = c
	}
	return out
}

// BenchmarkExportNational100k renders, validates and packs 100,000 cards in the national
// format (the target: under 5 s end to end with the store's part).
func BenchmarkExportNational10k(b *testing.B) { benchExport(b, app.CardFormatNational, 10_000) }

func BenchmarkExportNational100k(b *testing.B) {
	benchExport(b, app.CardFormatNational, 100_000)
}

// BenchmarkExportHubei100k does the same in the Hubei-style format (one XML).
func BenchmarkExportHubei100k(b *testing.B) {
	benchExport(b, app.CardFormatHubei, 100_000)
}

func benchExport(b *testing.B, format string, n int) {
	cs := syntheticCards(n)
	opt := cards.Options{Codes: codes(b)}
	b.ResetTimer()
	var size, xml int
	for range b.N {
		files, m, err := cards.Export(format, "B100K", cs, opt)
		if err != nil {
			b.Fatal(app.ErrorMessage(err))
		}
		size = len(files[0].Data)
		xml = 0
		for _, d := range m.Documents {
			xml += d.Size
		}
		if m.Cards != n {
			b.Fatal(m.Cards)
		}
	}
	b.ReportMetric(float64(size)/(1<<20), "MiB/package")
	b.ReportMetric(float64(xml)/(1<<20), "MiB/xml")
}
