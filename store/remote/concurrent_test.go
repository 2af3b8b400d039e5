package remote_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"occhealth/app"
)

// TestConcurrentWorkstations: four workstations save the same employer at once and register
// workers. Every outcome is a save or a conflict naming who changed the record; no save is
// lost (the final version counts the saves), and the audit chain verifies afterwards.
func TestConcurrentWorkstations(t *testing.T) {
	e := newEnv(t, nil)
	_, adminSvc := e.dial(t, "管理")
	admin := setup(t, adminSvc)
	emp := employer("南宁市兴宁区红星锰业有限公司", creditCode("91450102MA5K00001"))
	if _, err := adminSvc.Employers.CreateEmployer(admin, emp); err != nil {
		t.Fatal(err)
	}
	const clients, rounds = 4, 12
	var mu sync.Mutex
	saves, conflicts := 0, 0
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		_, svc := e.dial(t, fmt.Sprintf("前台%d", i+1))
		name := fmt.Sprintf("dengji%d", i+1)
		if err := adminSvc.Users.CreateUser(admin, &app.User{Username: name, Name: "登记员", Roles: []app.Role{app.RoleRegistrar}}, "Passw0rd1"); err != nil {
			t.Fatal(err)
		}
		ctx := login(t, svc, name, "Passw0rd1")
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				cur, err := svc.Employers.FindEmployerByID(ctx, emp.ID)
				if err != nil {
					t.Error(err)
					return
				}
				cur.Note = fmt.Sprintf("前台%d 第%d次", i+1, r+1)
				_, err = svc.Employers.UpdateEmployer(ctx, cur)
				mu.Lock()
				switch {
				case err == nil:
					saves++
				case code(err) == app.ECONFLICT && strings.Contains(err.Error(), "dengji"):
					conflicts++
				default:
					t.Errorf("client %d: %v", i+1, err)
				}
				mu.Unlock()
				w := &app.Worker{Name: "劳动者", DocType: app.DocResidentID, IDNumber: idNumber(fmt.Sprintf("450102199%d01%02d00%d", i, r+1, i))}
				if err := svc.Workers.CreateWorker(ctx, w); err != nil || w.ID == 0 {
					t.Errorf("client %d worker %d: %v", i+1, r, err)
				}
			}
		}(i)
	}
	wg.Wait()
	got, err := adminSvc.Employers.FindEmployerByID(admin, emp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if saves+conflicts != clients*rounds || got.Version != emp.Version+int64(saves) {
		t.Fatalf("%d saves, %d conflicts, version %d → %d", saves, conflicts, emp.Version, got.Version)
	}
	ids, err := adminSvc.Workers.SearchWorkers(admin, app.WorkerSearch{Query: "劳动者"})
	if err != nil || len(ids) != clients*rounds {
		t.Fatalf("%d workers: %v", len(ids), err)
	}
	rep, err := adminSvc.Audit.VerifyAudit(admin)
	if err != nil || !rep.OK {
		t.Fatalf("audit %+v: %v", rep, err)
	}
	t.Logf("%d saves, %d conflicts surfaced, %d audit entries verified", saves, conflicts, rep.Entries)
}
