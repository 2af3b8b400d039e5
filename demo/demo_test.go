package demo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/assets"
	"occhealth/demo"
	"occhealth/store"
	"occhealth/store/bolt"
)

// TestFill fills a small archive through the services and checks that what it made is valid
// (identity numbers, credit codes), reproducible from the seed, and leaves a verifiable audit
// chain.
func TestFill(t *testing.T) {
	fill := func(seed uint64) ([]*app.Worker, app.Services, context.Context) {
		set, err := catalog.Load(assets.Catalogs)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.Local)
		db, err := bolt.Open(filepath.Join(t.TempDir(), "demo.db"), bolt.Options{Keys: store.NewMemoryKeyRing(now), Codes: set, Now: func() time.Time { return now }, FastPasswords: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		svc := db.Services(set)
		admin, err := svc.Setup.Initialize(context.Background(), app.SetupInput{
			Institution:   app.Institution{Name: "演示县人民医院", Code: "450102901", AreaCode: "450102", Kinds: []app.InstitutionKind{app.KindExam}, HazardCategories: []app.HazardCategory{app.HazardDust, app.HazardChemical, app.HazardPhysical}, Demo: true},
			AdminUsername: "demo", AdminName: "演示管理员", AdminPassword: demo.DemoPassword,
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx := app.NewContextWithUser(context.Background(), admin)
		res, err := demo.Fill(ctx, svc, demo.Options{Workers: 300, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if res.Workers != 300 || res.Employers < 5 || res.Contracts == 0 || res.Exams < 150 || res.Users != len(demo.DemoUsers) {
			t.Fatalf("%+v", res)
		}
		ids, _ := svc.Workers.SearchWorkers(ctx, app.WorkerSearch{})
		ws, _ := svc.Workers.WorkersByIDs(ctx, ids)
		if r, err := svc.Audit.VerifyAudit(ctx); err != nil || !r.OK {
			t.Fatalf("audit: %+v %v", r, err)
		}
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
