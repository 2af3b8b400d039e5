package remote_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/demo"
)

// benchWorkers is the archive size of the search benchmark (OCCHEALTH_BENCH_WORKERS, default
// 20,000; the figure is taken at 1,000,000).
func benchWorkers() int {
	if n, err := strconv.Atoi(os.Getenv("OCCHEALTH_BENCH_WORKERS")); err == nil && n > 0 {
		return n
	}
	return 20000
}

// BenchmarkSearchOverServer measures worker searches on loopback through the server beside
// the same searches in process, reporting p50 and p99 latencies (µs) of each: a search by ID
// number, by the last six digits, by pinyin initials, and one screen of 30 rows decoded.
func BenchmarkSearchOverServer(b *testing.B) {
	e := newEnv(b, nil)
	_, svc := e.dial(b, "前台1")
	admin := setup(b, svc)
	localAdmin := app.NewContextWithUser(context.Background(), app.UserFromContext(admin))
	if e.db.Bolt() != nil {
		e.db.Bolt().NoSync = true
	}
	t0 := time.Now()
	if _, err := demo.Fill(localAdmin, e.local, demo.Options{Workers: benchWorkers(), Seed: 42, NoExams: true}); err != nil {
		b.Fatal(err)
	}
	if e.db.Bolt() != nil {
		e.db.Bolt().NoSync = false
	}
	b.Logf("filled %d workers in %v", benchWorkers(), time.Since(t0))
	all, _ := e.local.Workers.SearchWorkers(localAdmin, app.WorkerSearch{})
	sample, _ := e.local.Workers.WorkersByIDs(localAdmin, []int64{all[len(all)/2]})
	w := sample[0]
	screen, _ := e.local.Workers.SearchWorkers(localAdmin, app.WorkerSearch{Query: "张"})
	screen = screen[:min(30, len(screen))]
	queries := []struct {
		name string
		run  func(svc app.Services, ctx context.Context) error
	}{
		{"id", search(w.IDNumber)},
		{"id_last6", search(w.IDNumber[12:])},
		{"pinyin_2", search("zw")},
		{"decode_30_rows", func(svc app.Services, ctx context.Context) error {
			_, err := svc.Workers.WorkersByIDs(ctx, screen)
			return err
		}},
	}
	for _, q := range queries {
		for _, mode := range []struct {
			name string
			svc  app.Services
			ctx  context.Context
		}{{"local", e.local, localAdmin}, {"server", svc, admin}} {
			b.Run(q.name+"/"+mode.name, func(b *testing.B) {
				var lat []time.Duration
				for b.Loop() {
					t := time.Now()
					if err := q.run(mode.svc, mode.ctx); err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(t))
				}
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
			})
		}
	}
}

func search(q string) func(svc app.Services, ctx context.Context) error {
	return func(svc app.Services, ctx context.Context) error {
		_, err := svc.Workers.SearchWorkers(ctx, app.WorkerSearch{Query: q})
		return err
	}
}
