package bolt_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"occhealth/app"
	"occhealth/demo"
	"occhealth/reports"
	"occhealth/store"
	"occhealth/store/bolt"
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

// benchArchive fills one bbolt archive per benchmark binary through the same services as the
// GUI (on bbolt whatever the test mode: the PostgreSQL variants load it with COPY). With
// OCCHEALTH_BENCH_ARCHIVE=FILE the filled archive is kept in FILE and reused by later runs
// of the same size, since filling 1,000,000 workers takes a while.
func benchArchive(b *testing.B) *testDB {
	if benchDB != nil {
		return benchDB
	}
	cache := os.Getenv("OCCHEALTH_BENCH_ARCHIVE")
	if cache != "" {
		cache = fmt.Sprintf("%s.%d", cache, benchWorkers())
		if _, err := os.Stat(cache); err == nil {
			benchDB = openBenchCopy(b, cache)
			return benchDB
		}
	}
	td := openBenchBolt(b)
	t0 := time.Now()
	td.Bolt().NoSync = true
	if _, err := demo.Fill(td.admin, td.svc, demo.Options{Workers: benchWorkers(), Seed: 42, NoExams: true}); err != nil {
		b.Fatal(err)
	}
	td.Bolt().NoSync = false
	b.Logf("filled %d workers in %v", benchWorkers(), time.Since(t0).Round(time.Second))
	if cache != "" {
		if err := td.DB.CopyTo(td.admin, cache); err != nil {
			b.Fatal(err)
		}
	}
	benchDB = td
	return td
}

// benchClose closes the shared bench archives when the test binary ends (TestMain): they
// outlive the benchmark that opened them.
var benchClose []func()

func benchTempDir(b *testing.B) string {
	dir, err := os.MkdirTemp("", "occhealth-bench-")
	if err != nil {
		b.Fatal(err)
	}
	benchClose = append(benchClose, func() { os.RemoveAll(dir) })
	return dir
}

// openBenchBolt is MustOpenDB on bbolt in every test mode.
func openBenchBolt(b *testing.B) *testDB {
	dir := benchTempDir(b)
	c := &clock{t: time.Date(2026, 11, 30, 9, 0, 0, 0, time.Local)}
	keys := store.NewMemoryKeyRing(c.Now())
	path := filepath.Join(dir, "archive.db")
	db, err := bolt.Open(path, bolt.Options{Keys: keys, Codes: testCatalogs(b), Now: c.Now, FastPasswords: true, Workstation: "测试机", Planner: ruleTable})
	if err != nil {
		b.Fatal(err)
	}
	svc := db.Services(testCatalogs(b))
	admin, err := svc.Setup.Initialize(context.Background(), app.SetupInput{
		Institution: app.Institution{Name: "测试县人民医院", Code: "450102001", Kinds: []app.InstitutionKind{app.KindExam},
			HazardCategories: []app.HazardCategory{app.HazardDust, app.HazardPhysical}, AreaCode: "450102"},
		AdminUsername: "admin", AdminName: "管理员", AdminPassword: adminPassword,
	})
	if err != nil {
		b.Fatal(err)
	}
	benchClose = append(benchClose, func() { db.Close() })
	return &testDB{DB: db, svc: svc, admin: app.NewContextWithUser(context.Background(), admin), clock: c, keys: keys, path: path}
}

// openBenchCopy opens a copy of a kept bench archive, logged in as its administrator.
func openBenchCopy(b *testing.B, cache string) *testDB {
	dir := benchTempDir(b)
	path := filepath.Join(dir, "archive.db")
	in, err := os.ReadFile(cache)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, in, 0o600); err != nil {
		b.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.Local)}
	keys := store.NewMemoryKeyRing(c.Now())
	db, err := bolt.Open(path, bolt.Options{Keys: keys, Codes: testCatalogs(b), Now: c.Now, FastPasswords: true, Workstation: "测试机", Planner: ruleTable})
	if err != nil {
		b.Fatal(err)
	}
	benchClose = append(benchClose, func() { db.Close() })
	svc := db.Services(testCatalogs(b))
	u, err := svc.Auth.Login(context.Background(), "admin", adminPassword)
	if err != nil {
		b.Fatal(err)
	}
	return &testDB{DB: db, svc: svc, admin: app.NewContextWithUser(context.Background(), u), clock: c, keys: keys, path: path}
}

// searchQueries are the kinds of worker search a front desk types, drawn from a worker in
// the middle of the archive.
func searchQueries(b *testing.B, td *testDB) []struct{ name, q string } {
	all, _ := td.svc.Workers.SearchWorkers(td.admin, app.WorkerSearch{Query: ""})
	sample, _ := td.svc.Workers.WorkersByIDs(td.admin, all[len(all)/2:len(all)/2+1])
	w := sample[0]
	return []struct{ name, q string }{
		{"id", w.IDNumber},
		{"id_last6", w.IDNumber[12:]},
		{"phone", w.Phone},
		{"name_prefix_张", "张"},
		{"name_full", w.Name},
		{"pinyin_2", "zw"},
		{"pinyin_3", "lxy"},
	}
}

// benchSearch runs each query as a sub-benchmark and reports its hits and the p50 and p99 of
// one search (materialising the matching IDs, what the virtual list needs), plus decoding one
// screen of 30 rows.
func benchSearch(b *testing.B, td *testDB, svc app.Services) {
	for _, q := range searchQueries(b, td) {
		b.Run(q.name, func(b *testing.B) {
			hits := 0
			var lat []time.Duration
			for b.Loop() {
				t0 := time.Now()
				ids, err := svc.Workers.SearchWorkers(td.admin, app.WorkerSearch{Query: q.q})
				lat = append(lat, time.Since(t0))
				if err != nil {
					b.Fatal(err)
				}
				hits = len(ids)
			}
			b.ReportMetric(float64(hits), "hits")
			reportPercentiles(b, lat)
		})
	}
	b.Run("decode_30_rows", func(b *testing.B) {
		ids, _ := svc.Workers.SearchWorkers(td.admin, app.WorkerSearch{Query: "张"})
		if len(ids) > 30 {
			ids = ids[:30]
		}
		var lat []time.Duration
		for b.Loop() {
			t0 := time.Now()
			if _, err := svc.Workers.WorkersByIDs(td.admin, ids); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
		}
		reportPercentiles(b, lat)
	})
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(p float64) float64 { return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) }
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}

// BenchmarkSearchWorkers measures worker search on bbolt, in-process.
func BenchmarkSearchWorkers(b *testing.B) {
	td := benchArchive(b)
	benchSearch(b, td, td.svc)
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

// BenchmarkSaveResults saves the ~40 results of one exam (every required group of a 矽尘 and
// 噪声 exam plus a blood count) again and again: one doctor's save on the results screen.
func BenchmarkSaveResults(b *testing.B) {
	f := newRecFixture(b)
	rs := fullResults()
	for _, it := range []string{"4010100", "4010200", "4012000", "4012600", "4010300", "4010400", "4010500", "4010600", "4010700", "4010800", "4010900"} {
		rs = append(rs, app.Result{GroupCode: "G0101", ItemCode: it, Kind: app.ResultNumeric, Value: "5.1"})
	}
	e := f.exam
	for b.Loop() {
		var err error
		if e, err = f.td.svc.Records.SaveResults(f.doctor, e.ID, e.Version, rs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rs)), "results/op")
}

// BenchmarkResultImport3000 previews and commits a 3,000-row audiometer file (six values a row)
// against a contract of 3,000 registered exams, on a fresh archive each time.
func BenchmarkResultImport3000(b *testing.B) {
	const n = 3000
	var csv strings.Builder
	csv.WriteString("名单\n姓名,身份证号码,性别,联系电话,车间,工种,接触危害因素,开始接害日期,体检类型\n")
	for i := 0; i < n; i++ {
		body := fmt.Sprintf("450102%s%03d", time.Date(1970+i%35, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC).Format("20060102"), 1+i/40%999)
		fmt.Fprintf(&csv, "%s,%s,,1390000%04d,破碎车间,破碎工,矽尘、噪声,2015/3/1,在岗\n", []string{"张三", "李四", "王五", "覃小明", "韦丽丽"}[i%5], idNumber(body), i)
	}
	roster, err := reports.ReadRoster("名单.csv", []byte(csv.String()))
	if err != nil {
		b.Fatal(err)
	}
	items := audioItems[:6]
	cols := []app.ResultImportColumn{{Header: "体检号", Key: app.ImportKeyExamNumber}}
	for _, it := range items {
		cols = append(cols, app.ResultImportColumn{Header: it, Key: app.ImportKeyItem, ItemCode: it})
	}
	for b.Loop() {
		b.StopTimer()
		f := newRecFixture(b)
		c := &app.Contract{Number: "HT1", EmployerID: f.emp.ID, Start: f.td.clock.Now(), Place: app.PlaceInHouse, Hazards: []string{"1038", "3008"}, ExamTypes: []string{"02"}}
		if err := f.td.svc.Contracts.CreateContract(f.td.admin, c); err != nil {
			b.Fatal(err)
		}
		res, err := f.td.svc.Intake.CommitRoster(f.td.admin, c.ID, roster, app.RosterOptions{Register: true, Type: app.ExamPeriodic, Date: f.td.clock.Now()})
		if err != nil || res.Registered != n {
			b.Fatalf("%+v %v", res, err)
		}
		file := app.ResultImportFile{Name: "听力计.csv", Mapping: app.ResultMapping{Source: "听力计", GroupCode: "G1301", Columns: cols}}
		for i, id := range res.ExamIDs {
			e, err := f.td.svc.Exams.FindExamByID(f.td.admin, id)
			if err != nil {
				b.Fatal(err)
			}
			vals := map[string]string{}
			for j, it := range items {
				vals[it] = fmt.Sprint(10 + (i+j)%30)
			}
			file.Records = append(file.Records, app.ResultImportRecord{Row: i + 2, ExamNumber: e.Number, Values: vals})
		}
		b.StartTimer()
		t0 := time.Now()
		p, err := f.td.svc.Records.PreviewResultImport(f.doctor, file)
		if err != nil || p.Rejected != 0 || len(p.Rows) != n {
			b.Fatalf("preview %v", err)
		}
		b.Logf("preview %v", time.Since(t0))
		t1 := time.Now()
		got, err := f.td.svc.Records.CommitResultImport(f.doctor, file)
		if err != nil || got != n {
			b.Fatalf("commit %d %v", got, err)
		}
		b.Logf("commit %v", time.Since(t1))
	}
}

// benchCards is the number of released exams of the card benchmarks (OCCHEALTH_BENCH_CARDS,
// default 100,000).
func benchCards() int {
	if n, err := strconv.Atoi(os.Getenv("OCCHEALTH_BENCH_CARDS")); err == nil && n > 0 {
		return n
	}
	return 100000
}

var cardBench struct{ mint time.Duration }

// cardBenchArchive fills an archive with released exams: a demo fill (through the services,
// with results, conclusions, signatures and releases) whose released exams are then copied in
// the file, with new IDs and numbers, up to benchCards(). The copies bypass the audit log: the
// benchmarks read, they do not verify.
func cardBenchArchive(b *testing.B) (*testDB, context.Context) {
	td := openRecordDB(b)
	td.Bolt().NoSync = true
	res, err := demo.Fill(td.admin, td.svc, demo.Options{Workers: 300, Seed: 7})
	if err != nil {
		b.Fatal(err)
	}
	if res.Released == 0 {
		b.Fatalf("demo released no exam: %+v", res)
	}
	want := benchCards()
	err = td.Bolt().Update(func(tx *bbolt.Tx) error {
		exams, recs, ix, nums := tx.Bucket([]byte("exams")), tx.Bucket([]byte("records")), tx.Bucket([]byte("exam_state")), tx.Bucket([]byte("idx_exam_number"))
		exams.FillPercent, recs.FillPercent, ix.FillPercent = 0.9, 0.9, 0.9
		prefix := append([]byte(app.ExamReleased), 0)
		var templates [][2][]byte
		c := ix.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			id := k[len(prefix):]
			templates = append(templates, [2][]byte{append([]byte(nil), exams.Get(id)...), append([]byte(nil), recs.Get(id)...)})
		}
		for n := len(templates); n < want; n++ {
			t := templates[n%len(templates)]
			seq, err := exams.NextSequence()
			if err != nil {
				return err
			}
			key := make([]byte, 8)
			binary.BigEndian.PutUint64(key, seq)
			var e, r map[string]json.RawMessage
			if err := json.Unmarshal(t[0][1:], &e); err != nil {
				return err
			}
			if err := json.Unmarshal(t[1][1:], &r); err != nil {
				return err
			}
			number := fmt.Sprintf("9%08d", seq)
			e["ID"], _ = json.Marshal(seq)
			e["Number"], _ = json.Marshal(number)
			r["ExamID"], _ = json.Marshal(seq)
			eb, _ := json.Marshal(e)
			rb, _ := json.Marshal(r)
			if err := exams.Put(key, append([]byte{1}, eb...)); err != nil {
				return err
			}
			if err := recs.Put(key, append([]byte{1}, rb...)); err != nil {
				return err
			}
			if err := ix.Put(append(append([]byte(nil), prefix...), key...), nil); err != nil {
				return err
			}
			if err := nums.Put([]byte(number), key); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	reporter := td.staff(b, "bench_tongji", "统计员", time.Time{}, app.RoleReportingClerk)
	if err := td.svc.Cards.SaveCardSettings(td.admin, app.CardSettings{ReportZoneCode: "450102000", ReportOrgCode: "450102001", License: "L",
		Writer: "统计员", WriterPhone: "0771-5550001", Reporter: "报告人", ReporterPhone: "0771-5550002", DueDays: 30}); err != nil {
		b.Fatal(err)
	}
	// The first read mints every DocumentId (one audited write per card).
	t0 := time.Now()
	ds, err := td.svc.Cards.CardData(reporter, time.Time{}, time.Time{}, nil)
	if err != nil || len(ds) < want {
		b.Fatalf("first card data: %d cards, %v", len(ds), err)
	}
	cardBench.mint = time.Since(t0)
	b.Logf("%d released exams; first CardData (minting %d DocumentIds) %v", len(ds), len(ds), cardBench.mint)
	td.Bolt().NoSync = false
	return td, reporter
}

// BenchmarkCardData100k reads the card data of 100,000 released exams (every exam and record
// decoded, Operate from the content hash): the store's part of exporting 100,000 cards. The
// first read, which also mints the DocumentIds, is reported as first_s. worklist lists one
// page of failing cards once the pre-flight counts are cached (the first listing after start,
// which checks every card, is reported as first_s).
func BenchmarkCardData100k(b *testing.B) {
	td, reporter := cardBenchArchive(b)
	b.Run("card_data", func(b *testing.B) {
		n, iters, c0 := 0, 0, cpuTime()
		for b.Loop() {
			iters++
			ds, err := td.svc.Cards.CardData(reporter, time.Time{}, time.Time{}, nil)
			if err != nil {
				b.Fatal(err)
			}
			n = len(ds)
		}
		b.ReportMetric(float64(n), "cards")
		b.ReportMetric((cpuTime()-c0).Seconds()/float64(iters), "cpu_s/op")
		b.ReportMetric(cardBench.mint.Seconds(), "first_s")
	})
	b.Run("worklist", func(b *testing.B) {
		t0 := time.Now()
		if _, _, err := td.svc.Cards.Cards(reporter, app.CardFilter{Limit: 50}); err != nil {
			b.Fatal(err)
		}
		first := time.Since(t0)
		total := 0
		for b.Loop() {
			_, n, err := td.svc.Cards.Cards(reporter, app.CardFilter{Failing: true, Limit: 50})
			if err != nil {
				b.Fatal(err)
			}
			total = n
		}
		b.ReportMetric(float64(total), "failing")
		b.ReportMetric(first.Seconds(), "first_s")
	})
}
