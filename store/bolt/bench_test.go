package bolt_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"occhealth/app"
	"occhealth/demo"
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
