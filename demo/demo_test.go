package demo_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/app/criteria"
	"occhealth/app/results"
	"occhealth/app/rules"
	"occhealth/assets"
	"occhealth/demo"
	"occhealth/reports"
	"occhealth/store"
	"occhealth/store/bolt"
)

// filled makes a demo archive of n workers in a temporary file, checks the audit chain, and
// returns what Fill reported with the services and the administrator's context.
func filled(t *testing.T, n int, seed uint64) (demo.Result, app.Services, context.Context) {
	t.Helper()
	set, err := catalog.Load(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.Local)
	table, err := rules.Load(assets.Rules)
	if err != nil {
		t.Fatal(err)
	}
	ranges, err := results.LoadRanges(assets.Rules)
	if err != nil {
		t.Fatal(err)
	}
	crit, err := criteria.Load(assets.Rules)
	if err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(filepath.Join(t.TempDir(), "demo.db"), bolt.Options{Keys: store.NewMemoryKeyRing(now), Codes: set,
		Now: func() time.Time { return now }, FastPasswords: true, Planner: table, Ranges: ranges, Criteria: crit})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Bolt().NoSync = true // as `occhealth demo` fills
	svc := db.Services(set)
	admin, err := svc.Setup.Initialize(context.Background(), app.SetupInput{
		Institution:   app.Institution{Name: "演示县人民医院", Code: "450102901", AreaCode: "450102", Kinds: []app.InstitutionKind{app.KindExam}, HazardCategories: []app.HazardCategory{app.HazardDust, app.HazardChemical, app.HazardPhysical}, Demo: true},
		AdminUsername: "demo", AdminName: "演示管理员", AdminPassword: demo.DemoPassword,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := app.NewContextWithUser(context.Background(), admin)
	res, err := demo.Fill(ctx, svc, demo.Options{Workers: n, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	if res.Workers != n || res.Employers < 5 || res.Contracts == 0 || res.Exams < n/2 || res.Users != len(demo.DemoUsers) {
		t.Fatalf("%+v", res)
	}
	if r, err := svc.Audit.VerifyAudit(ctx); err != nil || !r.OK {
		t.Fatalf("audit: %+v %v", r, err)
	}
	return res, svc, ctx
}

// TestFill fills a small archive through the services and checks that what it made is valid
// (identity numbers, credit codes), reproducible from the seed, and leaves a verifiable audit
// chain.
func TestFill(t *testing.T) {
	fill := func(seed uint64) ([]*app.Worker, app.Services, context.Context) {
		_, svc, ctx := filled(t, 300, seed)
		ids, _ := svc.Workers.SearchWorkers(ctx, app.WorkerSearch{})
		ws, _ := svc.Workers.WorkersByIDs(ctx, ids)
		return ws, svc, ctx
	}
	a, svc, ctx := fill(5)
	for _, w := range a {
		if _, err := app.ParseIDNumber(w.DocType, w.IDNumber, time.Now()); err != nil {
			t.Fatalf("%s: %v", w.Name, err)
		}
	}
	es, _, _ := svc.Employers.FindEmployers(ctx, app.EmployerFilter{})
	for _, e := range es {
		if _, err := app.CheckCreditCode(e.CreditCode); err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
	}
	b, _, _ := fill(5)
	if len(a) != len(b) || a[0].Name != b[0].Name || a[len(a)-1].IDNumber != b[len(b)-1].IDNumber {
		t.Fatal("the same seed gave different workers")
	}
}

// TestFill_Recording fills 3,000 workers and checks that recording went the way of a real
// centre: most registered exams signed, conclusions in roughly the demo's proportions, every
// worklist with rows (检查中, 待总检, 已总检, 已审核, 已发放, returned and signed again, open
// critical values), suspected disease on the referral list with a notice that renders, linked
// recheck exams, and (in filled) an audit chain that verifies.
func TestFill_Recording(t *testing.T) {
	if testing.Short() {
		t.Skip("fills 3,000 workers")
	}
	start := time.Now()
	res, svc, ctx := filled(t, 3000, 7)
	t.Logf("filled in %v: %+v", time.Since(start).Round(time.Millisecond), res)
	exams, _, err := svc.Exams.FindExams(ctx, app.ExamFilter{})
	if err != nil {
		t.Fatal(err)
	}
	states := map[app.ExamState]int{}
	kinds := map[string]int{} // exam-level: the weightiest conclusion
	var returned, rechecks, signed, recBytes, nResults int
	var suspect *app.Exam
	for _, e := range exams {
		states[e.State]++
		if e.Recheck {
			rechecks++
			continue
		}
		full, err := svc.Exams.FindExamByID(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		rec := full.Record
		if rec == nil || rec.Signature == nil {
			continue
		}
		if j, err := json.Marshal(rec); err == nil {
			recBytes += len(j)
			nResults += len(rec.Results)
		}
		signed++
		if len(rec.Returns) > 0 {
			returned++
		}
		kind := "normal"
		for _, h := range rec.Conclusion.Hazards {
			switch {
			case h.Code == app.ConclusionSuspected:
				kind = "suspected"
				if suspect == nil {
					suspect = full
				}
			case h.Code == app.ConclusionContraindication && kind != "suspected":
				kind = "contraindication"
			case h.Code == app.ConclusionOther && (kind == "normal" || kind == "recheck"):
				kind = "other"
			}
		}
		if kind == "normal" && rec.Conclusion.Recheck != nil {
			kind = "recheck"
		}
		kinds[kind]++
	}
	t.Logf("states %v; conclusions of %d signed exams %v; %d returned, %d recheck exams", states, signed, kinds, returned, rechecks)
	t.Logf("a signed record holds %d results and %d bytes of JSON on average", nResults/max(signed, 1), recBytes/max(signed, 1))
	share := func(k string) float64 { return float64(kinds[k]) / float64(signed) }
	for _, c := range []struct {
		kind   string
		lo, hi float64
	}{{"normal", 0.78, 0.92}, {"other", 0.04, 0.13}, {"recheck", 0.02, 0.07}, {"contraindication", 0.008, 0.04}, {"suspected", 0.0005, 0.015}} {
		if s := share(c.kind); s < c.lo || s > c.hi {
			t.Errorf("%s: %.1f%% of signed exams, want %.1f–%.1f%%", c.kind, 100*s, 100*c.lo, 100*c.hi)
		}
	}
	eligible := res.Exams - states[app.ExamNoShow]
	if f := float64(signed) / float64(eligible); f < 0.75 || f > 0.92 {
		t.Errorf("%d of %d exams signed (%.0f%%), want most", signed, eligible, 100*f)
	}
	for _, st := range []app.ExamState{app.ExamRegistered, app.ExamInProgress, app.ExamAwaiting, app.ExamConcluded, app.ExamReviewed, app.ExamReleased} {
		if states[st] == 0 {
			t.Errorf("no exam %s: its worklist would be empty", st.Name())
		}
	}
	if states[app.ExamReleased] < states[app.ExamReviewed] {
		t.Errorf("%d released, %d reviewed only: most reviewed exams should be released", states[app.ExamReleased], states[app.ExamReviewed])
	}
	if returned == 0 || rechecks == 0 || rechecks != res.Rechecks {
		t.Errorf("%d returned, %d recheck exams (%d orders)", returned, rechecks, res.Rechecks)
	}
	open, err := svc.Records.OpenCriticals(ctx)
	if err != nil || len(open) == 0 || res.Criticals <= len(open) {
		t.Errorf("%d open critical values of %d (%v): want some called back and some open", len(open), res.Criticals, err)
	}
	refs, err := svc.Records.Referrals(ctx)
	if err != nil || len(refs) != kinds["suspected"] || suspect == nil {
		t.Fatalf("%d referrals for %d suspected (%v)", len(refs), kinds["suspected"], err)
	}
	w, _ := svc.Workers.FindWorkerByID(ctx, suspect.WorkerID)
	emp, _ := svc.Employers.FindEmployerByID(ctx, suspect.EmployerID)
	in, _ := svc.Institution.Institution(ctx)
	if b, err := (reports.Documents{}).Notice(app.NoticeSuspected, app.NoticeInput{Institution: in, Exam: suspect, Worker: w,
		Employer: emp, Addressee: "劳动者"}); err != nil || len(b) == 0 {
		t.Errorf("notice of %s: %v", suspect.Number, err)
	}
}
