package reports_test

import (
	"testing"

	"occhealth/app"
	"occhealth/reports"
)

// checkResultFile holds for every file ReadResults returns: EINVALID or nothing as error,
// rows in increasing order, values only under the mapping's item codes, problems naming their
// row with a known level, and an exam number of digits wherever its column raised no error.
func checkResultFile(t *testing.T, f app.ResultImportFile, err error) {
	t.Helper()
	if err != nil {
		if app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("error %v (code %s), want EINVALID", err, app.ErrorCode(err))
		}
		return
	}
	codes := map[string]bool{}
	examHeader := ""
	for _, c := range f.Mapping.Columns {
		switch c.Key {
		case app.ImportKeyItem:
			codes[c.ItemCode] = true
		case app.ImportKeyExamNumber:
			examHeader = c.Header
		}
	}
	last := 0
	for _, rec := range f.Records {
		if rec.Row <= last {
			t.Fatalf("row %d after row %d", rec.Row, last)
		}
		last = rec.Row
		for code, v := range rec.Values {
			if !codes[code] || v == "" {
				t.Fatalf("row %d: value %q for %s, not a mapped item", rec.Row, v, code)
			}
		}
		examProblem := false
		for _, p := range rec.Problems {
			if p.Row != rec.Row || (p.Level != app.LevelError && p.Level != app.LevelWarning) || p.Message == "" {
				t.Fatalf("row %d: problem %+v", rec.Row, p)
			}
			if p.Level == app.LevelError && p.Column != "" && p.Column != examHeader {
				continue
			}
			examProblem = examProblem || p.Level == app.LevelError || p.Column == ""
		}
		if examProblem {
			continue
		}
		for _, r := range rec.ExamNumber {
			if r < '0' || r > '9' {
				t.Fatalf("row %d: exam number %q accepted", rec.Row, rec.ExamNumber)
			}
		}
	}
}

func FuzzReadResultsCSV(f *testing.F) {
	f.Add([]byte("体检号,姓名,ALT,GLU\n126000001,王建国,35,5.60\n1.26E+08,张三,40,6.1\n"))
	f.Add([]byte("标题\n\n条码号;WBC;HGB\n=\"126000004\";<0.1;\n126000004;3.9;#N/A\n"))
	f.Add([]byte("\xef\xbb\xbf体检编号\tL500\tR4K\n126000001\t15\t40\n"))
	f.Add(gbk(f, "体检号,尿蛋白,胸片结论\n１２６０００００１,阴性,0\n制表人：张医生,,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := reports.ReadResults("x.csv", data, app.ResultMapping{})
		checkResultFile(t, g, err)
		m, err := reports.ReadResults("x.csv", data, lisMapping())
		checkResultFile(t, m, err)
		hs, err := reports.ResultHeaders("x.csv", data)
		if err == nil && len(hs) == 0 {
			t.Fatal("no headers and no error")
		}
	})
}

func FuzzReadResultsXLSX(f *testing.F) {
	f.Add(lisXLSX(f))
	f.Add(lisBenchXLSX(f, 3))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := reports.ReadResults("x.xlsx", data, app.ResultMapping{})
		checkResultFile(t, g, err)
		m, err := reports.ReadResults("x.xlsx", data, lisMapping())
		checkResultFile(t, m, err)
	})
}
