package reports_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"occhealth/app"
	"occhealth/reports"
)

// rosterSeeds adds the files of testdata/roster (the committed seed corpus) to f.
func rosterSeeds(f *testing.F, exts ...string) {
	files, err := filepath.Glob(filepath.Join("testdata", "roster", "*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		if !slices.Contains(exts, filepath.Ext(name)) {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// checkRosterFile holds for every roster ReadRoster returns: rows below the header in
// increasing order, values only under recognised columns, problems naming their row, a known
// level and a header of the file; and CheckRoster gives every record an outcome.
func checkRosterFile(t *testing.T, rf app.RosterFile, err error) {
	t.Helper()
	if err != nil {
		if app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("error %v (code %s), want EINVALID", err, app.ErrorCode(err))
		}
		return
	}
	if len(rf.Headers) < 2 {
		t.Fatalf("header with %d known columns", len(rf.Headers))
	}
	headers := map[string]bool{}
	for _, h := range rf.Headers {
		headers[h] = true
	}
	last := rf.HeaderRow
	for _, rec := range rf.Records {
		if rec.Row <= last {
			t.Fatalf("row %d after row %d", rec.Row, last)
		}
		last = rec.Row
		for col := range rec.Values {
			if _, ok := rf.Headers[col]; !ok {
				t.Fatalf("row %d: value for %s, which has no header", rec.Row, col)
			}
		}
		for _, p := range rec.Problems {
			if p.Row != rec.Row || !headers[p.Column] || (p.Level != app.LevelError && p.Level != app.LevelWarning) {
				t.Fatalf("row %d: problem %+v", rec.Row, p)
			}
		}
	}
	set, warn := rosterRules(t)
	rows := app.CheckRoster(rf, set, warn, rosterNow)
	if len(rows) != len(rf.Records) {
		t.Fatalf("%d rows for %d records", len(rows), len(rf.Records))
	}
	for i, r := range rows {
		if r.Row != rf.Records[i].Row || (r.Outcome != app.RowAccepted && r.Outcome != app.RowWarning && r.Outcome != app.RowRejected) {
			t.Fatalf("row %+v", r)
		}
	}
}

// FuzzReadRosterCSV: whatever bytes come as a .csv, ReadRoster returns a consistent roster
// or an EINVALID error, and checking it does not panic.
func FuzzReadRosterCSV(f *testing.F) {
	rosterSeeds(f, ".csv", ".txt")
	f.Add([]byte("姓名,身份证号\n张三,4.21022E+17\n"))
	f.Add([]byte("\xff\xfe\x2f\x59\x0d\x54\t\x2b\x8eN\n"))
	f.Add([]byte("\"姓名\",\"性别\"\n\"a\"\"b\",\"\n\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rf, err := reports.ReadRoster("fuzz.csv", data)
		checkRosterFile(t, rf, err)
	})
}

// FuzzReadRosterXLSX: the same for workbooks (mostly broken zips; the seeds are real ones).
func FuzzReadRosterXLSX(f *testing.F) {
	rosterSeeds(f, ".xlsx")
	f.Add(rosterXLSX(f))
	f.Add(handRosterXLSX(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		rf, err := reports.ReadRoster("fuzz.xlsx", data)
		checkRosterFile(t, rf, err)
	})
}
