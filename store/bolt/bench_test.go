package bolt_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/demo"
	"occhealth/reports"
)

// benchWorkers is the archive size for the search benchmarks (OCCHEALTH_BENCH_WORKERS,
// default 100,000).
func benchWorkers() int {
	if n, err := strconv.Atoi(os.Getenv("OCCHEALTH_BENCH_WORKERS")); err == nil && n > 0 {
		return n
	}
	return 100000
}

var benchDB *testDB

// benchArchive fills one archive per benchmark binary through the same services as the GUI.
func benchArchive(b *testing.B) *testDB {
	if benchDB != nil {
		return benchDB
	}
	td := MustOpenDB(b)
	td.Bolt().NoSync = true
	if _, err := demo.Fill(td.admin, td.svc, demo.Options{Workers: benchWorkers(), Seed: 42, NoExams: true}); err != nil {
		b.Fatal(err)
	}
	td.Bolt().NoSync = false
	benchDB = td
	return td
}

// BenchmarkSearchWorkers measures one search of the worker archive by each kind of query,
// materialising the matching IDs (what the virtual list needs), plus decoding one screen of
// 30 rows.
func BenchmarkSearchWorkers(b *testing.B) {
	td := benchArchive(b)
	all, _ := td.svc.Workers.SearchWorkers(td.admin, app.WorkerSearch{Query: ""})
	sample, _ := td.svc.Workers.WorkersByIDs(td.admin, all[len(all)/2:len(all)/2+1])
	w := sample[0]
	queries := []struct{ name, q string }{
		{"id", w.IDNumber},
		{"id_last6", w.IDNumber[12:]},
		{"phone", w.Phone},
		{"name_prefix_张", "张"},
		{"name_full", w.Name},
		{"pinyin_2", "zw"},
		{"pinyin_3", "lxy"},
	}
	ctx := context.Background()
	_ = ctx
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			hits := 0
			for b.Loop() {
				ids, err := td.svc.Workers.SearchWorkers(td.admin, app.WorkerSearch{Query: q.q})
				if err != nil {
					b.Fatal(err)
				}
				hits = len(ids)
			}
			b.ReportMetric(float64(hits), "hits")
		})
	}
	b.Run("decode_30_rows", func(b *testing.B) {
		ids, _ := td.svc.Workers.SearchWorkers(td.admin, app.WorkerSearch{Query: "张"})
		if len(ids) > 30 {
			ids = ids[:30]
		}
		for b.Loop() {
			if _, err := td.svc.Workers.WorkersByIDs(td.admin, ids); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRosterImport5000 reads a 5,000-row CSV roster, previews it and commits it with
// registration, on a fresh archive each time: the front desk's whole import.
func BenchmarkRosterImport5000(b *testing.B) {
	var csv strings.Builder
	csv.WriteString("某公司2026年职业健康检查名单\n姓名,身份证号码,性别,联系电话,车间,工种,接触危害因素,开始接害日期,体检类型\n")
	for i := 0; i < 5000; i++ {
		body := fmt.Sprintf("450102%s%03d", time.Date(1970+i%35, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC).Format("20060102"), 1+i/40%999)
		fmt.Fprintf(&csv, "%s,%s,,1390000%04d,破碎车间,破碎工,矽尘、噪声,2015/3/1,在岗\n", []string{"张三", "李四", "王五", "覃小明", "韦丽丽"}[i%5], idNumber(body), i)
	}
	data := []byte(csv.String())
	for b.Loop() {
		b.StopTimer()
		td := MustOpenDB(b)
		emp := td.employer(b, "红星锰业", creditCode("91450102MA5K00001"))
		c := &app.Contract{Number: "HT1", EmployerID: emp.ID, Start: td.clock.Now(), Place: app.PlaceInHouse, Hazards: []string{"1038", "3008"}, ExamTypes: []string{"02"}}
		if err := td.svc.Contracts.CreateContract(td.admin, c); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		f, err := reports.ReadRoster("名单.csv", data)
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		p, err := td.svc.Intake.PreviewRoster(td.admin, c.ID, f)
		b.Logf("read+preview %v", time.Since(t0))
		t1 := time.Now()
		if os.Getenv("NOSYNC") != "" {
			td.Bolt().NoSync = true
		}
		if err != nil {
			b.Fatal(err)
		}
		if p.Rejected != 0 {
			b.Fatalf("%d rejected: %+v", p.Rejected, p.Rows[0].Messages)
		}
		res, err := td.svc.Intake.CommitRoster(td.admin, c.ID, f, app.RosterOptions{Register: true, Type: app.ExamPeriodic, Date: td.clock.Now()})
		if err != nil || res.Created != 5000 || res.Registered != 5000 {
			b.Fatalf("%+v %v", res, err)
		}
		b.Logf("commit %v", time.Since(t1))
	}
}
